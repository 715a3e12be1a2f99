from collections.abc import Iterable, Iterator
from datetime import datetime

from django.db.models import QuerySet

from .models import AuditEntry


def audit_entries_for_case(*, case_id: int) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(case_id=case_id).select_related("actor")


AUDIT_CSV_HEADER = [
    "at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "object",
    "field",
    "old",
    "new",
]


def audit_csv_rows(entries: Iterable[AuditEntry]) -> Iterator[list[str]]:
    yield AUDIT_CSV_HEADER
    for e in entries:
        yield [
            e.at,  # written in local time by csv_export.csv_safe
            e.actor.username if e.actor else "system",
            e.action,
            e.object_type,
            e.object_id,
            e.object_repr,
            e.field,
            e.old_value,
            e.new_value,
        ]


def audit_last_change(target) -> tuple[str | None, datetime | None]:
    """Who last changed ``target`` and when, from the audit log (``(None, None)`` if nothing is
    recorded): for the "changed by X at T" message of a refused stale edit."""
    entry = (
        AuditEntry.objects.filter(object_type=target._meta.label_lower, object_id=str(target.pk))
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )
    if entry is None:
        return None, None
    actor = entry.actor
    name = (actor.get_full_name() or actor.username) if actor else "an automatic job"
    return name, entry.at
