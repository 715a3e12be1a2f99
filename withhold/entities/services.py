"""Writes to supply-chain entities, each with its audit row."""

from typing import Any

from django.db import transaction

from withhold.accounts.permissions import require_perm
from withhold.audit.models import AuditAction
from withhold.audit.services import audit_record, model_changes
from withhold.core.exceptions import ApplicationError

from .models import Entity, MergedEntity

ENTITY_FIELDS = [
    "kind",
    "name",
    "aliases",
    "country",
    "address",
    "registration_number",
    "imo_number",
    "notes",
]


def clean_aliases(value: Any) -> list[str]:
    if isinstance(value, str):
        value = value.replace(";", "\n").splitlines()
    seen: list[str] = []
    for alias in value or []:
        alias = str(alias).strip()
        if alias and alias not in seen:
            seen.append(alias)
    return seen


@transaction.atomic
def entity_create(*, actor, is_demo: bool = False, **fields: Any) -> Entity:
    require_perm(actor, "entities.add_entity")
    unknown = set(fields) - set(ENTITY_FIELDS)
    if unknown:
        raise ApplicationError(f"Unknown entity fields: {', '.join(sorted(unknown))}.")
    fields["aliases"] = clean_aliases(fields.get("aliases"))
    fields["country"] = (fields.get("country") or "").upper()
    fields["name"] = (fields.get("name") or "").strip()
    entity = Entity(**fields, is_demo=is_demo, created_by=actor)
    entity.full_clean()
    entity.save()
    audit_record(
        actor=actor,
        action=AuditAction.ENTITY_CREATED,
        target=entity,
        data={f: getattr(entity, f) for f in ENTITY_FIELDS},
    )
    return entity


@transaction.atomic
def entity_update(*, entity: Entity, actor, **fields: Any) -> Entity:
    require_perm(actor, "entities.change_entity")
    unknown = set(fields) - set(ENTITY_FIELDS)
    if unknown:
        raise ApplicationError(f"Unknown entity fields: {', '.join(sorted(unknown))}.")
    entity = Entity.objects.select_for_update().get(pk=entity.pk)
    before = {f: getattr(entity, f) for f in ENTITY_FIELDS}
    if "aliases" in fields:
        fields["aliases"] = clean_aliases(fields["aliases"])
    if "country" in fields:
        fields["country"] = (fields["country"] or "").upper()
    for name, value in fields.items():
        setattr(entity, name, value)
    entity.full_clean()
    entity.save()
    changes = model_changes(before, {f: getattr(entity, f) for f in ENTITY_FIELDS})
    if changes:
        audit_record(actor=actor, action=AuditAction.ENTITY_UPDATED, target=entity, changes=changes)
    return entity


@transaction.atomic
def entity_merged_away(*, duplicate: Entity, survivor: Entity, actor) -> MergedEntity:
    """Remove ``duplicate`` after a merge into ``survivor`` (whose aliases already hold its
    names), keeping its id answering: a ``MergedEntity`` maps the old id to the survivor, and
    the ids earlier merged into ``duplicate`` now map to ``survivor`` too. Called by the merge
    service (``evidence.services.entity_merge``) once the duplicate's links have moved."""
    require_perm(actor, "evidence.merge_entities", "Your role cannot merge entities.")
    if duplicate.pk == survivor.pk:
        raise ApplicationError("An entity cannot be merged into itself.")
    earlier = list(
        MergedEntity.objects.select_for_update()
        .filter(survivor=duplicate)
        .values_list("merged_id", flat=True)
    )
    MergedEntity.objects.filter(survivor=duplicate).update(survivor=survivor)
    record = MergedEntity.objects.create(
        merged_id=duplicate.pk,
        merged_name=duplicate.name,
        survivor=survivor,
        merged_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        actor=actor,
        action=AuditAction.ENTITY_DELETED,
        target=duplicate,
        data={
            "name": duplicate.name,
            "merged_into": survivor.pk,
            "merged_into_name": survivor.name,
            "earlier_merged_ids_moved": earlier,
        },
    )
    duplicate.delete()
    return record
