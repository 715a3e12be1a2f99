"""Values kept in the shared cache under a stamp that any change to their sources moves.

A ``Stamp`` is a random token in the cache. A value kept with ``stamp.remember(name, compute)``
sits under a key made of the stamp's current token, so raising the stamp (``stamp.bump``, a
signal receiver) makes every later reader miss and compute the value again from the database:
a change shows at once. The token is raised again after the transaction commits, so a reader
between the change and the commit cannot keep the old value under the new token.

Values are kept only when the cache is shared by every process (``CACHE_URL``: Redis), for
``WITHHOLD["SHARED_CACHE_SECONDS"]``; with Django's in-process cache a change made in one
process could not reach the others, so ``remember`` computes every time. Changes made outside
Django's models (raw SQL, ``QuerySet.update``) are seen when the entries expire.
"""

import uuid
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")


def shared_cache_seconds() -> int:
    return int(settings.WITHHOLD.get("SHARED_CACHE_SECONDS", 0))


class Stamp:
    """A token in the shared cache. ``ttl`` (seconds) lets a stamp of one record expire when
    unused: a missing token reads as a new one, so whatever was kept under it is missed."""

    def __init__(self, name: str, *, ttl: int | None = None):
        self.key = f"stamp:{name}"
        self.ttl = ttl

    def _new(self) -> None:
        cache.set(self.key, uuid.uuid4().hex, self.ttl)

    def bump(self, **_kwargs) -> None:
        """Signal receiver: every value kept under this stamp so far is stale."""
        self._new()
        transaction.on_commit(self._new)

    def current(self) -> str:
        token = cache.get(self.key)
        return self._missing() if token is None else token

    def _missing(self) -> str:
        token = uuid.uuid4().hex
        if not cache.add(self.key, token, self.ttl):
            token = cache.get(self.key) or token
        return token

    def remember(self, name: str, compute: Callable[[], T], *, seconds: int | None = None) -> T:
        """``compute()``, kept under this stamp's current token for ``seconds`` (default: the
        shared-cache setting; 0 or less computes every time)."""
        seconds = shared_cache_seconds() if seconds is None else seconds
        if seconds <= 0:
            return compute()
        key = f"{self.key}:{self.current()}:{name}"
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, seconds)
        return value


# A record's own stamp lives a week after its last change: the pages kept under it live less.
RECORD_STAMP_SECONDS = 7 * 24 * 3600


def record_stamp(label: str, pk: int) -> Stamp:
    """The stamp of one record (``label`` as in ``"cases.case"``), moved by changes to it."""
    return Stamp(f"record:{label}:{pk}", ttl=RECORD_STAMP_SECONDS)


def tokens(stamps: list[Stamp]) -> tuple[str, ...]:
    """The current tokens of ``stamps``, read in one round trip."""
    found = cache.get_many([s.key for s in stamps])
    return tuple(found.get(s.key) or s._missing() for s in stamps)
