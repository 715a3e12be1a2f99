"""Turning a service's refusal into messages on the form the user filled in."""

from html import escape as _escape

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeData, mark_safe

from .exceptions import ApplicationError
from .numbers import ID_MAX, NumberError, parse_int


def form_add_service_error(form: forms.Form, exc: Exception) -> None:
    """Put a service's ``ValidationError`` on the matching fields (or the form), and an
    ``ApplicationError``'s message at the top of the form."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    elif isinstance(exc, ValidationError):
        for message in exc.messages:
            form.add_error(None, message)
    elif isinstance(exc, ApplicationError):
        form.add_error(None, exc.message)
    else:
        raise exc


class WholeNumberField(forms.IntegerField):
    """An ``IntegerField`` that reads its value as every parser does (``core.numbers.parse_int``):
    ASCII digits only, so ``²`` or ``٣`` is "not a whole number" rather than read or crashed on.
    Without a ``max_value`` it stops at ``ID_MAX``, the largest integer a database column holds."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_value", ID_MAX)
        kwargs.setdefault("min_value", -ID_MAX)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_int(value, field=str(self.label or "value"))
        except NumberError as exc:
            raise ValidationError(exc.problem, code="invalid") from exc


class IdField(WholeNumberField):
    """The id of a row, from a query string or a hidden input: 1 to ``ID_MAX``, so an id too
    large for the database is a form error, not a failed query."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(**kwargs)


class OwnIdsForm(forms.Form):
    """A form drawn on a page beside other forms: its elements' ids start with ``id_prefix``
    (``id_task_title`` rather than ``id_title``), so no two inputs of the page share an id and
    every label names its own input. Field names, and so the posted data, are unchanged."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        if self.id_prefix:
            kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class FastSelect(forms.Select):
    """A single-choice ``<select>`` built in Python instead of one template per option.

    The case list's country, commodity and analyst filters hold hundreds of options; Django's
    per-option templates cost about 40 ms on every list page (measured by benchmarks/cases.py).
    The markup is the same as ``forms.Select``'s.
    """

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        selected = set(self.format_value(value))

        def option(option_value, label) -> str:
            # conditional_escape's result, without its per-call lazy-argument checks: a list
            # page renders hundreds of options.
            text = "" if option_value is None else str(option_value)
            mark = " selected" if text in selected else ""
            shown = str(label) if isinstance(label, SafeData) else _escape(str(label))
            return f'<option value="{_escape(text)}"{mark}>{shown}</option>'

        parts = []
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):
                inner = "".join(option(v, lbl) for v, lbl in label)
                parts.append(
                    format_html('<optgroup label="{}">', option_value) + inner + "</optgroup>"
                )
            else:
                parts.append(option(option_value, label))
        return mark_safe(f"<select{flatatt(final)}>{''.join(parts)}</select>")


class _KeptChoiceIterator(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.field.options()

    def __len__(self):
        return len(self.field.options()) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.options())


class KeptChoicesModelChoiceField(forms.ModelChoiceField):
    """A ``ModelChoiceField`` whose options come from ``options()``, a list of ``(pk, label)``
    usually kept in the shared cache (``core.stamps``), instead of a query and a model instance
    per option on every page that shows it. A submitted value is still looked up in
    ``queryset``, so validation sees the database as it is."""

    iterator = _KeptChoiceIterator

    def __init__(self, queryset, *, options, **kwargs):
        self.options = options
        super().__init__(queryset, **kwargs)
