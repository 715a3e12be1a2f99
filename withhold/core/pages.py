"""What every page view does the same way: refuse a role without the permission (403), show a
service's refusal to the user as messages on the page they return to, and give each reader of a
kept page their own CSRF token."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.middleware.csrf import get_token
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


# A page kept for several requests (the public register, a case page) is drawn with this in place
# of the CSRF token; ``with_reader_csrf`` puts the reader's own token in when it is served.
CSRF_PLACEHOLDER = "withhold-kept-page-csrf-placeholder"


def with_reader_csrf(body, request: HttpRequest):
    """``body`` (text or bytes) with the placeholder replaced by this reader's CSRF token."""
    if isinstance(body, bytes):
        return body.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    return body.replace(CSRF_PLACEHOLDER, get_token(request))
