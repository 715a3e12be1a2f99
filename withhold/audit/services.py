"""Writing the audit log. Call inside the transaction of the change being recorded."""

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

from withhold.core.stamps import record_stamp

from .models import AuditAction, AuditEntry


def audit_value(value: Any) -> str:
    """A stable text form of a field value for the old → new columns."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | set):
        return "; ".join(sorted(audit_value(v) for v in value))
    return str(value)


def audit_record(
    *,
    actor,
    action: AuditAction,
    target: models.Model,
    case_id: int | None = None,
    changes: Mapping[str, tuple[Any, Any]] | None = None,
    data: dict | None = None,
) -> list[AuditEntry]:
    """Append one entry per changed field (or one entry when no field is named). A change on a
    case moves the case's stamp: a page of it kept in memory is drawn again."""
    if case_id is not None:
        record_stamp("cases.case", case_id).bump()
    base = {
        "actor": actor if getattr(actor, "pk", None) else None,
        "action": action,
        "object_type": target._meta.label_lower,
        "object_id": str(target.pk),
        "object_repr": str(target)[:200],
        "case_id": case_id,
        "data": data or {},
    }
    if not changes:
        return [AuditEntry.objects.create(**base)]
    entries = [
        AuditEntry(field=name, old_value=audit_value(old), new_value=audit_value(new), **base)
        for name, (old, new) in changes.items()
    ]
    return AuditEntry.objects.bulk_create(entries)


def model_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, tuple]:
    """The fields whose value differs between two snapshots."""
    return {
        k: (before.get(k), v)
        for k, v in after.items()
        if audit_value(before.get(k)) != audit_value(v)
    }
