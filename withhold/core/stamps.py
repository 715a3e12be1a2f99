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
    def __init__(self, name: str):
        self.key = f"stamp:{name}"

    def _new(self) -> None:
        cache.set(self.key, uuid.uuid4().hex, None)

    def bump(self, **_kwargs) -> None:
        """Signal receiver: every value kept under this stamp so far is stale."""
        self._new()
        transaction.on_commit(self._new)

    def current(self) -> str:
        token = cache.get(self.key)
        if token is None:
            token = uuid.uuid4().hex
            if not cache.add(self.key, token, None):
                token = cache.get(self.key) or token
        return token

    def remember(self, name: str, compute: Callable[[], T]) -> T:
        """``compute()``, kept under this stamp's current token."""
        seconds = shared_cache_seconds()
        if seconds <= 0:
            return compute()
        key = f"{self.key}:{self.current()}:{name}"
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, seconds)
        return value
