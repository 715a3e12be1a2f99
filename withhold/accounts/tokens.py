"""API tokens: hashed at rest, expiring, revocable and scoped.

A key is 40 random hexadecimal characters. Only its SHA-256 is stored (``ApiToken.key_hash``),
so a copy of the database gives no working key; the key is looked up by its hash. A request
with a revoked or expired key, or a key of an inactive user, is refused as unauthenticated
(401); a read-only key is refused (403) on any request that is not GET, HEAD or OPTIONS, whatever
the endpoint, because the check happens while authenticating, before any view's own permission
classes.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import SAFE_METHODS

from .models import ApiToken

KEYWORD = "Token"
LAST_USED_GRANULARITY = timedelta(minutes=5)


def token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_new_key() -> str:
    return secrets.token_hex(20)


def token_default_expiry(now=None):
    return (now or timezone.now()) + timedelta(days=settings.WITHHOLD_API_TOKEN_DAYS)


class ApiTokenAuthentication(BaseAuthentication):
    """``Authorization: Token <key>``, checked against the stored hash."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send the header as “Token <key>”.")
        try:
            key = parts[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed("The token is not valid.") from exc
        token = ApiToken.objects.select_related("user").filter(key_hash=token_hash(key)).first()
        now = timezone.now()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("The token is not valid.")
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed("The token has been revoked.")
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(
                "The token expired; ask an administrator for a new one."
            )
        if token.scope == ApiToken.Scope.READ and request.method not in SAFE_METHODS:
            raise exceptions.PermissionDenied(
                "This token is read-only; a change needs a read-and-write token."
            )
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_GRANULARITY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return KEYWORD


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "withhold.accounts.tokens.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "“Token <key>”; a read-only token may only GET.",
        }
