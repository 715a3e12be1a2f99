"""Issuing and revoking API tokens (``withhold.accounts.tokens`` checks them), each audited.

The key is returned once, by ``api_token_issue``; only its hash is kept.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from withhold.accounts.models import ApiToken, User
from withhold.accounts.tokens import token_default_expiry, token_hash, token_new_key
from withhold.audit.models import AuditAction
from withhold.audit.services import audit_record
from withhold.core.exceptions import ApplicationError


@transaction.atomic
def api_token_issue(
    *,
    user: User,
    actor: User | None,
    scope: str = ApiToken.Scope.READ,
    name: str = "",
    days: int | None = None,
) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the token and its key (shown once, never stored)."""
    if scope not in ApiToken.Scope.values:
        raise ApplicationError(f"Unknown scope “{scope}”: use read or write.")
    if not user.is_active:
        raise ApplicationError(f"{user.username} is not active; no token was issued.")
    if days is not None and days < 1:
        raise ApplicationError("A token must be valid for at least one day.")
    now = timezone.now()
    key = token_new_key()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_prefix=key[:8],
        key_hash=token_hash(key),
        scope=scope,
        created_at=now,
        expires_at=token_default_expiry(now) if days is None else now + timedelta(days=days),
    )
    audit_record(
        actor=actor,
        action=AuditAction.API_TOKEN_CREATED,
        target=token,
        data={
            "user": user.username,
            "scope": scope,
            "key_prefix": token.key_prefix,
            "expires_at": timezone.localtime(token.expires_at).isoformat(),
        },
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User | None) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ApplicationError(f"Token {token.key_prefix}… was already revoked.")
    token.revoked_at = timezone.now()
    token.revoked_by = actor if getattr(actor, "pk", None) else None
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        actor=actor,
        action=AuditAction.API_TOKEN_REVOKED,
        target=token,
        data={"user": token.user.username, "key_prefix": token.key_prefix},
    )
    return token
