from collections.abc import Iterable, Iterator

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
            e.at.isoformat(),
            e.actor.username if e.actor else "system",
            e.action,
            e.object_type,
            e.object_id,
            e.object_repr,
            e.field,
            e.old_value,
            e.new_value,
        ]
