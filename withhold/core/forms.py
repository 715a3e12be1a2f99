"""Turning a service's refusal into messages on the form the user filled in."""

from django import forms
from django.core.exceptions import ValidationError

from .exceptions import ApplicationError


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


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
