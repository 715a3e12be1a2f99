"""What every page view does the same way: refuse a role without the permission (403), and show
a service's refusal to the user as messages on the page they return to."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .exceptions import ApplicationError, PermissionDeniedError


def require_page_perm(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied(_("Your role does not allow this."))


def flash_refusal(request: HttpRequest, exc: ValidationError | ApplicationError) -> None:
    """A permission refusal becomes a 403; any other refusal, one message per problem."""
    if isinstance(exc, PermissionDeniedError):
        raise PermissionDenied(exc.message) from exc
    if isinstance(exc, ValidationError):
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.error(request, exc.message)
