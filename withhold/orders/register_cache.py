"""The public register's answers, kept in the shared cache (``CACHE_URL``).

The register page and its downloads show only public fields of issued orders and are the same for
every reader who is not signed in, so an answer is kept under a key made of the register version,
the output format, the language and the normalised query string. Any save or delete of an order,
a scope rule, an order source or modification, an entity or a commodity raises the version (a new
random token, at once and again after the transaction commits), so every later request misses
and is answered from the database: a change shows at once. Entries also expire after
``WITHHOLD["ORDER_REGISTER_CACHE_SECONDS"]`` (0 switches the cache off).

Only anonymous readers' HTML pages are kept (a signed-in reader's page carries their name and
navigation); the CSV and JSON carry nothing about the reader and are kept for everyone. The CSRF
token in a kept page is a placeholder replaced by the reader's own token when it is served.
"""

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import get_language

from withhold.core.stamps import Stamp

# The register version (``core.stamps``): any change to what the register shows raises it.
REGISTER = Stamp("orders:register")


def seconds() -> int:
    return int(settings.WITHHOLD.get("ORDER_REGISTER_CACHE_SECONDS", 0))


def register_version_bump(**_kwargs) -> None:
    """Signal receiver: every answer kept so far is stale."""
    REGISTER.bump()


def _version() -> str:
    return REGISTER.current()


def key_for(request: HttpRequest, output: str) -> str:
    """The cache key of this request's answer: every query parameter counts (the page echoes
    them in its links), in sorted order, so ``?a=1&b=2`` and ``?b=2&a=1`` share an entry."""
    query = urlencode(sorted((k, v) for k, values in request.GET.lists() for v in values))
    digest = hashlib.sha256(query.encode()).hexdigest()[:32]
    return f"orders:register:{_version()}:{output or 'html'}:{get_language()}:{digest}"


def get(key: str) -> dict | None:
    return cache.get(key)


def put(key: str, *, body: bytes, content_type: str, disposition: str = "") -> None:
    cache.set(
        key,
        {"body": body, "content_type": content_type, "disposition": disposition},
        seconds(),
    )


def remember(name: str, compute):
    """A value derived from the orders only, kept under the current register version."""
    return REGISTER.remember(name, compute, seconds=seconds())
