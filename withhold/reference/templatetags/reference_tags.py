from django import template

from withhold.reference.countries import country_name as _country_name
from withhold.reference.countries import subdivision_name as _subdivision_name

register = template.Library()


@register.filter
def country_name(code: str) -> str:
    return _country_name(code)


@register.filter
def subdivision_name(code: str) -> str:
    return _subdivision_name(code)
