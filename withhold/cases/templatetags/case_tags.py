from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ phase_entered_on|get_item:code }}``: a dictionary look-up in a template."""
    return mapping.get(key) if hasattr(mapping, "get") else None
