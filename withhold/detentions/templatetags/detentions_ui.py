"""Days remaining before a detention's deadline, for the templates (computed from ``today``)."""

from django import template

register = template.Library()


@register.filter
def days_left(detention, today) -> int:
    return detention.days_remaining(today)


@register.filter
def days_overdue(detention, today) -> int:
    return -detention.days_remaining(today)
