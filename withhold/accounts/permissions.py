"""The one check every service makes before it writes."""

from withhold.core.exceptions import PermissionDeniedError


def require_perm(actor, perm: str, message: str | None = None) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDeniedError("Sign in to do this.")
    if not actor.has_perm(perm):
        raise PermissionDeniedError(message or "Your role does not allow this action.")
