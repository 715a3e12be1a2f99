"""Detention template helpers: days remaining before the deadline (computed from ``today``) and
an audit row's values shown by their labels, never as stored codes."""

from django import template
from django.core.exceptions import FieldDoesNotExist

from ..models import Detention

register = template.Library()


@register.filter
def days_left(detention, today) -> int:
    return detention.days_remaining(today)


@register.filter
def uflpa_clocks(detention, today):
    """The UFLPA clocks of a detention as of ``today`` (None for other bases)."""
    return detention.uflpa_clocks(today)


@register.filter
def days_overdue(detention, today) -> int:
    return -detention.days_remaining(today)


def _label(entry, value: str) -> str:
    try:
        field = Detention._meta.get_field(entry.field)
    except FieldDoesNotExist:
        return value
    return str(dict(field.flatchoices).get(value, value)) if field.choices else value


@register.filter
def audit_old(entry) -> str:
    """The value before a change on a detention's audit row, by its label (``Seized``, not
    ``seized``)."""
    return _label(entry, entry.old_value)


@register.filter
def audit_new(entry) -> str:
    return _label(entry, entry.new_value)
