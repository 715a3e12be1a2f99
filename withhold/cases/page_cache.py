"""Case pages and the case list kept in each web process's own memory, drawn again after any
change.

A case page costs more CPU than any other page analysts open all day (the case and six kinds of
rows, five forms, the audit trail), and the case list comes next (its filters and 25 rows). The
body of each (everything below the breadcrumbs) is kept in the memory of the web process that
drew it. A case page's body is kept under a key made of:

- the case and the reader (their permissions decide what the page shows, and some parts name
  them), the language and the day (tasks turn overdue);
- the tokens of the stamps (``core.stamps``) of everything drawn on it: the case's own stamp,
  moved by any save or delete of the case, its entities, transitions, updates, tasks and
  documents, a change of its evidence sources or indicators, and any audit entry recorded on it
  (``audit_record``); the entities stamp (entity names); the permissions stamp (users, roles:
  the names shown, the owner list); the commodities stamp.

The case list's body is kept under the reader, the language, the day, the query string (filters,
sort, page) and whether htmx asked for the results only, with the tokens of the list stamp
(moved by any save or delete of any case or of a case's entity link) and of the entities,
permissions and commodities stamps.

Any change moves a stamp, so the next reader's key differs and the page is drawn from the
database again: a change shows at once, in every process. The body never leaves the process:
the shared cache (Redis) holds only the tokens, never case data. The CSRF token in a kept body is
a placeholder replaced by the reader's own (``core.pages.with_reader_csrf``). A page asked with query parameters (a search for an
entity to link) is never kept.

On only with a shared cache (``CACHE_URL``: ``WITHHOLD["SHARED_CACHE_SECONDS"]`` above 0), for
at most ``WITHHOLD["CASE_PAGE_MEMORY_ENTRIES"]`` bodies per process (the least recently read are
dropped first); 0 switches it off. A change made outside Django's models (SQL,
``QuerySet.update``) is not seen until the case's stamp moves for another reason.
"""

import threading
from collections import OrderedDict

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language

from withhold.accounts.backends import PERMISSIONS
from withhold.core.stamps import Stamp, record_stamp, shared_cache_seconds, tokens
from withhold.entities.selectors import ENTITIES
from withhold.reference.selectors import COMMODITIES

# Moved when a change names no case (a vocabulary row cleared from every case at once).
ALL_CASES = Stamp("cases:all")
# Moved by any save or delete of a case or of a case's entity link: the case list.
CASE_LIST = Stamp("cases:list")


def case_stamp(pk: int) -> Stamp:
    return record_stamp("cases.case", pk)


def case_changed(sender, instance, **_kwargs) -> None:
    """Signal receiver for the case and the rows drawn on its page."""
    label = sender._meta.label_lower
    pk = instance.pk if label == "cases.case" else instance.case_id
    if pk:
        case_stamp(pk).bump()
    if label in ("cases.case", "cases.caseentity"):
        CASE_LIST.bump()


def case_links_changed(sender, instance, action, reverse, pk_set, **_kwargs) -> None:
    """Signal receiver for a case's evidence sources and ILO indicators (many-to-many)."""
    if not action.startswith("post_"):
        return
    if not reverse:
        case_stamp(instance.pk).bump()
    elif pk_set:
        for pk in pk_set:
            case_stamp(pk).bump()
    else:
        ALL_CASES.bump()


def capacity() -> int:
    if shared_cache_seconds() <= 0:
        return 0
    return int(settings.WITHHOLD.get("CASE_PAGE_MEMORY_ENTRIES", 0))


class _Memory:
    """A small least-recently-used table, safe to share between a process's threads."""

    def __init__(self):
        self._lock = threading.Lock()
        self._bodies: OrderedDict[tuple, str] = OrderedDict()

    def get(self, key: tuple) -> str | None:
        with self._lock:
            body = self._bodies.get(key)
            if body is not None:
                self._bodies.move_to_end(key)
            return body

    def put(self, key: tuple, body: str, size: int) -> None:
        with self._lock:
            self._bodies[key] = body
            self._bodies.move_to_end(key)
            while len(self._bodies) > size:
                self._bodies.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._bodies.clear()


MEMORY = _Memory()


def _key(*parts, user, stamps: list[Stamp]) -> tuple:
    return (*parts, user.pk, get_language(), timezone.localdate().isoformat(), *tokens(stamps))


def case_body_key(*, case_pk: int, user) -> tuple:
    stamps = [case_stamp(case_pk), ALL_CASES, ENTITIES, PERMISSIONS, COMMODITIES]
    return _key("case", case_pk, user=user, stamps=stamps)


def list_body_key(*, query: str, htmx: bool, user) -> tuple:
    stamps = [CASE_LIST, ALL_CASES, ENTITIES, PERMISSIONS, COMMODITIES]
    return _key("list", query, htmx, user=user, stamps=stamps)


def kept_body(key: tuple) -> str | None:
    return MEMORY.get(key)


def keep_body(key: tuple, body: str) -> None:
    size = capacity()
    if size > 0:
        MEMORY.put(key, body, size)
