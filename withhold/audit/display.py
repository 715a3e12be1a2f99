"""How an audit row's field and values read on a page: the field's verbose name and each stored
value as the reader knows it (a choice's label, a coded row's label, a number with thousands
separators). The stored row keeps the raw values; the CSV download gives them as stored.

The changed record's model and field are found through the app registry from the row's
``object_type`` (``app_label.model``), so the audit app needs to import none of the apps above it.
"""

from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst

# Several values of one many-to-many field are stored joined by this (``audit_record`` callers).
VALUE_SEPARATOR = "; "


def _model_field(object_type: str, name: str):
    if not name:
        return None
    try:
        return apps.get_model(object_type)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None


def _choices(model_field) -> dict[str, str] | None:
    if getattr(model_field, "choices", None):
        return {str(value): str(label) for value, label in model_field.flatchoices}
    related = getattr(model_field, "related_model", None)
    if related is not None:
        try:
            code = related._meta.get_field("code")
        except FieldDoesNotExist:
            return None
        if code.choices:
            return {str(value): str(label) for value, label in code.flatchoices}
    return None


def audit_field_label(object_type: str, name: str) -> str:
    """``estimated_annual_import_value`` → "Estimated annual U.S. import value (USD)"."""
    model_field = _model_field(object_type, name)
    if model_field is not None and hasattr(model_field, "verbose_name"):
        return str(capfirst(model_field.verbose_name))
    return capfirst(name.replace("_", " "))


def audit_value_display(object_type: str, name: str, value: str) -> str:
    """A stored value as a reader knows it: ``legal_review`` → "In legal review",
    ``allegation; social_audit`` → "Allegation; Social or compliance audit",
    ``50647000`` → "50,647,000"; anything else as stored."""
    model_field = _model_field(object_type, name)
    if not value or model_field is None:
        return value
    choices = _choices(model_field)
    if choices:
        return VALUE_SEPARATOR.join(
            choices.get(part, part) for part in value.split(VALUE_SEPARATOR)
        )
    if isinstance(model_field, models.IntegerField | models.DecimalField | models.FloatField):
        try:
            Decimal(value)
        except InvalidOperation:
            return value
        return intcomma(value)
    return value
