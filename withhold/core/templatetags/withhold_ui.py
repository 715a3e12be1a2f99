"""Template helpers for Withhold's U.S. Web Design System pages.

``{% load withhold_ui %}`` gives:

* ``{% usa_field form.title %}``: one bound field as a USWDS form group (label, required marker,
  hint, inline error, USWDS widget classes). Optional keywords: ``label``, ``hint``,
  ``group_class`` (extra classes on the form group) and ``input_class`` (extra classes on the
  widget, e.g. ``"usa-input--md"``).
* ``{{ field|field_anchor }}``: the id of the element an error-summary link should focus.
* ``{% elided_page_range page_obj as pages %}``: page numbers around the current page, with
  ``None`` where pages are left out.

Links that keep a list's filters use Django's built-in ``{% querystring %}`` (no copy here).
"""

import copy

from django import forms, template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from withhold.core.forms import FastSelect

register = template.Library()

# Widgets that render a native HTML5 picker instead of a free-text box, and the value format
# each picker expects.
_NATIVE_PICKERS = (
    (forms.DateTimeInput, "datetime-local", "%Y-%m-%dT%H:%M"),
    (forms.DateInput, "date", "%Y-%m-%d"),
    (forms.TimeInput, "time", "%H:%M"),
)


def _field_kind(field) -> str:
    widget = field.field.widget
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "choices"
    return "input"


def _widget_class(widget) -> str:
    if isinstance(widget, forms.Textarea):
        return "usa-textarea"
    if isinstance(widget, forms.Select | forms.SelectDateWidget):
        return "usa-select"
    if isinstance(widget, forms.FileInput):
        return "usa-file-input"
    return "usa-input"


def _native_picker(widget):
    """A copy of a date/time text widget that renders as the browser's own picker."""
    for widget_class, input_type, value_format in _NATIVE_PICKERS:
        if isinstance(widget, widget_class) and widget.input_type == "text":
            picker = copy.deepcopy(widget)
            picker.input_type = input_type
            picker.format = value_format
            return picker
    return widget


def _join_classes(*parts: str) -> str:
    return " ".join(p for part in parts if part for p in part.split())


@register.filter
def field_anchor(field) -> str:
    """The id of the element that an error-summary link to ``field`` should jump to."""
    kind = _field_kind(field)
    if kind == "choices":
        subwidgets = field.subwidgets
        return subwidgets[0].id_for_label if subwidgets else field.auto_id
    return field.id_for_label or (f"{field.auto_id}_0" if field.use_fieldset else field.auto_id)


# Widgets whose Django template is ``django/forms/widgets/input.html`` or ``textarea.html``:
# ``_widget_html`` writes the same markup in Python instead of rendering two or three templates
# per field (a case page has eighteen fields).
_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "color",
        "search",
        "tel",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "checkbox",
    )
)
_TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"


def _esc(value) -> str:
    """``conditional_escape``: what ``{{ value }}`` prints with autoescaping on."""
    return str(conditional_escape(value))


def _attrs_html(attrs: dict) -> str:
    """Django's ``django/forms/widgets/attrs.html``."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_esc(name)}" if value is True else f' {_esc(name)}="{_esc(str(value))}"')
    return "".join(parts)


def _widget_html(field, widget, attrs: dict) -> str:
    """``field.as_widget(widget=widget, attrs=attrs)``, with the markup of input and textarea
    widgets written here (every other widget is rendered by Django)."""
    template = widget.template_name
    if template not in _INPUT_TEMPLATES and template != _TEXTAREA_TEMPLATE:
        return field.as_widget(widget=widget, attrs=attrs)
    if field.field.localize:
        widget.is_localized = True
    attrs = field.build_widget_attrs(dict(attrs), widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    name, value = _esc(context["name"]), context["value"]
    if template == _TEXTAREA_TEMPLATE:
        text = _esc(value) if value else ""
        return f'<textarea name="{name}"{_attrs_html(context["attrs"])}>\n{text}</textarea>'
    shown = "" if value is None else f' value="{_esc(str(value))}"'
    return f'<input type="{_esc(context["type"])}" name="{name}"{shown}{_attrs_html(context["attrs"])}>'


def _field_context(field, label, hint, group_class, input_class) -> dict:
    """What ``usa_field`` writes: the kind of field, its label, hint, errors, ids and widget."""
    widget = field.field.widget
    kind = _field_kind(field)
    errors = list(field.errors)
    hint = field.help_text if hint is None else hint
    auto_id = field.auto_id
    hint_id = f"{auto_id}_helptext" if hint and auto_id else ""
    error_id = f"{auto_id}_error" if errors and auto_id else ""
    describedby = " ".join(i for i in (hint_id, error_id) if i)

    context = {
        "field": field,
        "kind": kind,
        "label": field.label if label is None else label,
        "hint": hint,
        "hint_id": hint_id,
        "errors": errors,
        "error_id": error_id,
        "describedby": describedby,
        "required": field.field.required,
        "group_class": group_class,
        "widget_html": "",
        "options": [],
    }

    if kind == "hidden":
        context["widget_html"] = _widget_html(field, widget, {})
        return context

    attrs = {}
    if describedby and not field.use_fieldset:
        attrs["aria-describedby"] = describedby

    if kind == "choices":
        # CheckboxSelectMultiple is a subclass of RadioSelect, so test for it first.
        option_type = "checkbox" if isinstance(widget, forms.CheckboxSelectMultiple) else "radio"
        context["option_class"] = f"usa-{option_type}"
        context["options"] = [
            {
                "id": sub.data["attrs"].get("id", ""),
                "name": sub.data["name"],
                "value": sub.data["value"],
                "label": sub.data["label"],
                "checked": sub.data["selected"],
                "disabled": bool(sub.data["attrs"].get("disabled")),
            }
            for sub in field.subwidgets
        ]
        return context

    if kind == "checkbox":
        attrs["class"] = _join_classes(
            widget.attrs.get("class", ""), "usa-checkbox__input", input_class
        )
        context["widget_html"] = _widget_html(field, widget, attrs)
        return context

    rendered = _native_picker(widget)
    if type(rendered) is forms.Select:
        fast = FastSelect(attrs=rendered.attrs)
        # Already normalised by the field: the ``choices`` setter would walk hundreds of
        # options (countries, commodities) again on every page.
        fast._choices = rendered.choices
        fast.is_required = rendered.is_required
        rendered = fast
    attrs["class"] = _join_classes(
        widget.attrs.get("class", ""),
        _widget_class(widget),
        "usa-input--error" if errors and not isinstance(widget, forms.FileInput) else "",
        input_class,
    )
    context["widget_html"] = _widget_html(field, rendered, attrs)
    return context


def _required_mark() -> str:
    return f' <abbr title="{_esc(_("required"))}" class="usa-hint usa-hint--required">*</abbr>'


def _error_html(c: dict) -> str:
    if not c["errors"]:
        return ""
    text = " ".join(_esc(e) for e in c["errors"])
    return f'<span class="usa-error-message" id="{_esc(c["error_id"])}">{text}</span>'


def _field_html(c: dict) -> str:
    """One form group, in the USWDS markup (label, required mark, hint, error, widget)."""
    if c["kind"] == "hidden":
        return str(c["widget_html"])
    field = c["field"]
    required = _required_mark() if c["required"] else ""
    label = _esc(c["label"])
    hint = _esc(c["hint"]) if c["hint"] else ""
    hint_id = _esc(c["hint_id"])
    group = "usa-form-group" + (" usa-form-group--error" if c["errors"] else "")
    if c["group_class"]:
        group += f" {_esc(c['group_class'])}"
    if c["kind"] == "checkbox":
        description = (
            f'\n      <span class="usa-checkbox__label-description" id="{hint_id}">{hint}</span>'
            if hint
            else ""
        )
        body = (
            f"{_error_html(c)}"
            f'<div class="usa-checkbox">{c["widget_html"]}'
            f'<label class="usa-checkbox__label" for="{_esc(field.id_for_label)}">'
            f"{label}{required}{description}</label></div>"
        )
    elif field.use_fieldset:
        describedby = f' aria-describedby="{_esc(c["describedby"])}"' if c["describedby"] else ""
        legend_class = "usa-legend" + (" usa-label--error" if c["errors"] else "")
        if c["kind"] == "choices":
            option_class = _esc(c["option_class"])
            inner = "".join(
                f'<div class="{option_class}">'
                f'<input class="{option_class}__input" id="{_esc(o["id"])}" '
                f'type="{_esc(c["option_class"][4:])}" name="{_esc(o["name"])}" '
                f'value="{_esc(o["value"])}"{" checked" if o["checked"] else ""}'
                f"{' disabled' if o['disabled'] else ''}>"
                f'<label class="{option_class}__label" for="{_esc(o["id"])}">'
                f"{_esc(o['label'])}</label></div>"
                for o in c["options"]
            )
        else:
            inner = str(c["widget_html"])
        body = (
            f'<fieldset class="usa-fieldset" id="{_esc(field.auto_id)}"{describedby}>'
            f'<legend class="{legend_class}">{label}{required}</legend>'
            + (f'<div class="usa-hint" id="{hint_id}">{hint}</div>' if hint else "")
            + _error_html(c)
            + inner
            + "</fieldset>"
        )
    else:
        label_class = "usa-label" + (" usa-label--error" if c["errors"] else "")
        body = (
            f'<label class="{label_class}" for="{_esc(field.id_for_label)}">{label}{required}</label>'
            + (f'<div class="usa-hint" id="{hint_id}">{hint}</div>' if hint else "")
            + _error_html(c)
            + str(c["widget_html"])
        )
    return f'<div class="{group}">{body}</div>'


@register.simple_tag
def usa_field(field, label=None, hint=None, group_class="", input_class=""):
    """Render one bound form field as a USWDS form group: a label (a legend for a group of
    choices), the required mark, the hint, the inline error, and the widget with USWDS classes,
    written in Python (a page of forms would otherwise render three templates per field)."""
    return mark_safe(_field_html(_field_context(field, label, hint, group_class, input_class)))


@register.simple_tag
def elided_page_range(page_obj, on_each_side=2, on_ends=1) -> list[int | None]:
    """Page numbers to show around ``page_obj``; ``None`` marks a gap of left-out pages."""
    paginator = page_obj.paginator
    return [
        number if isinstance(number, int) else None
        for number in paginator.get_elided_page_range(
            page_obj.number, on_each_side=on_each_side, on_ends=on_ends
        )
    ]
