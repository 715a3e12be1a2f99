"""Fields encrypted at rest: the database column holds a Fernet token, the model attribute the
plain text.

Keys come from ``settings.WITHHOLD_FIELD_KEYS`` (environment ``WITHHOLD_FIELD_KEYS``: Fernet keys,
comma-separated, newest first). The newest key encrypts; every key listed decrypts, so a new key
is put in front, ``withhold rotate-field-keys`` re-encrypts every row with it, and the old key is
then removed (docs/operations.md). Without the setting — development and tests only; production
settings refuse to start — one key is derived from ``SECRET_KEY``.

Fernet (AES-128-CBC with HMAC-SHA256, from the ``cryptography`` library) gives a different token
each time, so an encrypted column cannot be searched or compared: the field accepts only
``isnull`` and ``exact`` with an empty value. An empty value is stored empty (not encrypted) so
that check constraints such as "anonymous, or an e-mail address or phone number" keep working;
that a value is empty is therefore visible in the database, what it is is not.
"""

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import connection, models, transaction
from django.db.models import lookups


def derived_field_key(secret_key: str) -> str:
    """The development key: a Fernet key derived from SECRET_KEY (never used in production)."""
    digest = hashlib.sha256(b"withhold-field-encryption:" + secret_key.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def field_keys() -> tuple[str, ...]:
    keys = tuple(settings.WITHHOLD_FIELD_KEYS or ())
    return keys or (derived_field_key(settings.SECRET_KEY),)


@lru_cache(maxsize=8)
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def cipher() -> MultiFernet:
    return _cipher(field_keys())


def encrypt(value: str | None) -> str | None:
    if value is None or value == "":
        return value
    return cipher().encrypt(value.encode()).decode()


def decrypt(token: str | None) -> str | None:
    if token is None or token == "":
        return token
    try:
        return cipher().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "An encrypted field cannot be read with any key in WITHHOLD_FIELD_KEYS: a key that "
            "encrypted it is missing from the list."
        ) from exc


class EmptyOnlyExact(lookups.Exact):
    """``field=""`` (and ``field=None``) work; any other value cannot match a random token."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise FieldError(
                f"{self.lhs.output_field.name} is encrypted at rest and cannot be compared with "
                "a value; only whether it is empty can be asked."
            )
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):
    """A text field stored encrypted. Give ``validators`` for the length and form of the plain
    value (the column holds the longer token, so it is a text column)."""

    description = "Text encrypted at rest (Fernet)"

    def from_db_value(self, value, expression, connection):
        return decrypt(value)

    def get_prep_value(self, value):
        return encrypt(super().get_prep_value(value))

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return EmptyOnlyExact
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return None


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every model with encrypted fields, and the names of their columns."""
    found = []
    for model in apps.get_models():
        columns = [
            f.column for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)
        ]
        if columns:
            found.append((model, columns))
    return found


def field_keys_rotate() -> dict[str, int]:
    """Re-encrypt every encrypted value with the newest key (``MultiFernet.rotate``: decrypt with
    whichever key fits, encrypt with the first). Returns the rows rewritten per model. The
    values never pass through the model, so no ``updated_at`` or version moves."""
    counts: dict[str, int] = {}
    multi = cipher()
    quote = connection.ops.quote_name
    for model, columns in encrypted_fields():
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        select = ", ".join(quote(c) for c in columns)
        assign = ", ".join(f"{quote(c)} = %s" for c in columns)
        rewritten = 0
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SELECT {pk}, {select} FROM {table} ORDER BY {pk}")  # noqa: S608
            for row_id, *values in cursor.fetchall():
                if not any(values):
                    continue
                try:
                    fresh = [multi.rotate(v.encode()).decode() if v else v for v in values]
                except InvalidToken as exc:
                    raise ImproperlyConfigured(
                        f"{model._meta.label} {row_id}: a value cannot be read with any key in "
                        "WITHHOLD_FIELD_KEYS; nothing was rotated."
                    ) from exc
                cursor.execute(
                    f"UPDATE {table} SET {assign} WHERE {pk} = %s",  # noqa: S608
                    [*fresh, row_id],
                )
                rewritten += 1
        counts[model._meta.label] = rewritten
    return counts
