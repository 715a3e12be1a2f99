"""Template helpers for Withhold's U.S. Web Design System pages.

``{% load withhold_ui %}`` gives:

* ``{% usa_field form.title %}``: one bound field as a USWDS form group (label, required marker,
  hint, inline error, USWDS widget classes). Optional keywords: ``label``, ``hint``,
  ``group_class`` (extra classes on the form group) and ``input_class`` (extra classes on the
  widget, e.g. ``"usa-input--md"``).
* ``{{ field|field_anchor }}``: the id of the element an error-summary link should focus.
* ``{% querystring sort="-title" page=None %}``: the current GET parameters with overrides
  (``None`` removes a key, a list sets several values), as ``?a=1&b=2``.
* ``{% page_href 3 %}``: the link to page 3 of a list, keeping the other GET parameters (uses
  the ``querystring_without_page`` context variable when the view provides it).
* ``{% elided_page_range page_obj as pages %}``: page numbers around the current page, with
  ``None`` where pages are left out.
"""

import copy
from collections.abc import Iterable

from django import forms, template
from django.http import QueryDict

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


@register.inclusion_tag("includes/field.html")
def usa_field(field, label=None, hint=None, group_class="", input_class=""):
    """Render one bound form field as a USWDS form group (see ``includes/field.html``)."""
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
        "anchor_id": field_anchor(field),
        "widget_html": "",
        "options": [],
    }

    if kind == "hidden":
        context["widget_html"] = field.as_widget()
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
                "type": option_type,
            }
            for sub in field.subwidgets
        ]
        return context

    if kind == "checkbox":
        attrs["class"] = _join_classes(
            widget.attrs.get("class", ""), "usa-checkbox__input", input_class
        )
        context["widget_html"] = field.as_widget(attrs=attrs)
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
    context["widget_html"] = field.as_widget(widget=rendered, attrs=attrs)
    return context


@register.simple_tag(takes_context=True)
def querystring(context, **overrides) -> str:
    """The current request's GET parameters with ``overrides`` applied, as ``?a=1&b=2``.

    ``{% querystring sort="-title" page=None %}``: a value of ``None`` removes the parameter; a
    list or tuple sets several values. Returns ``"?"`` when nothing is left, so a link built
    from it always clears the parameters it removed.
    """
    request = context.get("request")
    params = request.GET.copy() if request is not None else QueryDict(mutable=True)
    for key, value in overrides.items():
        if value is None:
            params.pop(key, None)
        elif isinstance(value, Iterable) and not isinstance(value, str):
            params.setlist(key, [str(v) for v in value])
        else:
            params[key] = str(value)
    return f"?{params.urlencode()}"


@register.simple_tag(takes_context=True)
def page_href(context, number) -> str:
    """The link to page ``number``, keeping the list's other GET parameters.

    Uses the ``querystring_without_page`` context variable (a string such as
    ``"phase=investigation&sort=-opened_on"``) when the view provides one, and the current
    request's GET parameters without ``page`` otherwise.
    """
    base = context.get("querystring_without_page")
    if base is None:
        request = context.get("request")
        params = request.GET.copy() if request is not None else QueryDict(mutable=True)
        params.pop("page", None)
        base = params.urlencode()
    base = str(base).lstrip("?").strip("&")
    return f"?{base}&page={number}" if base else f"?page={number}"


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
