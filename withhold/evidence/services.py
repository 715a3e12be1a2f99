"""Every write to evidence, supply links, merged entities, trade data and the allegation report.

Each service checks the actor's permission, locks the case, validates, writes and appends the audit
rows in the same transaction. Adding or removing evidence re-derives the case's evidence sources
(``cases.services.case_evidence_sources_derive``), the only way they change: no form, API field or
service sets them by hand.
"""

import hashlib
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone

from withhold.accounts.permissions import require_perm
from withhold.audit.models import AuditAction
from withhold.audit.services import audit_record
from withhold.cases import services as case_services
from withhold.cases.models import Case, CaseDocument, CaseEntity
from withhold.core.exceptions import ApplicationError, PermissionDeniedError
from withhold.core.files import CSV, TEXT, XLSX, check_upload, display_name, storage_name
from withhold.entities import services as entity_services
from withhold.entities.duplicates import Suggestion
from withhold.entities.models import Entity
from withhold.entities.selectors import entity_duplicate_suggestions
from withhold.reference.models import EvidenceSource, EvidenceSourceKind, IloIndicator

from . import selectors, tradefile
from .models import EvidenceItem, SupplyLink, TradeEntry, TradeUpload


class DuplicateSuggested(ApplicationError):
    """A new entity looks like one already on file; the user must pick it or confirm."""

    def __init__(self, suggestions: list[Suggestion]):
        self.suggestions = suggestions
        names = "; ".join(f"{s.name} ({s.score}%)" for s in suggestions)
        super().__init__(
            f"Possible duplicates already on file: {names}. Use one of them, or confirm that this "
            "is a different entity.",
            extra={
                "suggestions": [{"id": s.pk, "name": s.name, "score": s.score} for s in suggestions]
            },
        )


class TradeDataRejected(ApplicationError):
    """A trade-data file with bad rows: nothing of it is stored."""

    def __init__(self, errors: list[tradefile.RowError]):
        self.errors = errors
        super().__init__(
            f"The file was not stored: {len(errors)} problem(s) to fix. "
            + " ".join(str(e) for e in errors[:5]),
            extra={
                "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in errors]
            },
        )


def _lock_case(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _sync_sources(
    case: Case, actor, *, missing_before: list, filed_by_triage: bool = False
) -> None:
    """Re-derive the case's sources from its items; refused (and the change rolled back) if that
    takes away a source the case's phase needs."""
    case_services.case_evidence_sources_derive(
        case=case, actor=actor, missing_before=missing_before, filed_by_triage=filed_by_triage
    )


@transaction.atomic
def evidence_add(
    *,
    case: Case,
    actor,
    kind: str,
    source: str,
    obtained_on: date,
    description: str,
    language: str,
    source_reliability: str,
    information_credibility: str,
    translation_status: str = EvidenceItem.Translation.NOT_NEEDED,
    indicators: Iterable[int] = (),
    law_enforcement_sensitive: bool = False,
    uploaded_file: UploadedFile | None = None,
    is_demo: bool = False,
) -> EvidenceItem:
    """Record a piece of evidence (and its file, checked by content, with its SHA-256)."""
    require_perm(actor, "evidence.add_evidenceitem", "Your role cannot add evidence.")
    if law_enforcement_sensitive and not actor.has_perm("cases.view_sensitive_case"):
        raise PermissionDeniedError("Your role cannot mark evidence law-enforcement sensitive.")
    case = _lock_case(case)
    missing_before = case_services.case_missing_requirements(case)
    errors: dict[str, str] = {}
    source_kind = EvidenceSourceKind.objects.filter(code=source).first()
    if source_kind is None:
        errors["source"] = f"“{source}” is not an evidence source."
    if obtained_on and obtained_on > timezone.localdate():
        errors["obtained_on"] = "This date is in the future."
    ids = sorted({int(i) for i in indicators})
    found = list(IloIndicator.objects.filter(pk__in=ids))
    if len(found) != len(ids):
        errors["indicators"] = "Unknown ILO indicator."
    item = EvidenceItem(
        case=case,
        kind=kind,
        source=source_kind,
        obtained_on=obtained_on,
        description=(description or "").strip(),
        language=(language or "").strip(),
        translation_status=translation_status,
        source_reliability=source_reliability,
        information_credibility=information_credibility,
        law_enforcement_sensitive=law_enforcement_sensitive,
        added_by=actor,
        is_demo=is_demo,
    )
    try:
        item.full_clean(exclude=["file", "source", "case", "added_by"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, " ".join(messages))
    checked = None
    if uploaded_file is not None:
        try:
            checked = check_upload(uploaded_file)
        except ApplicationError as exc:
            errors["file"] = exc.message
    if errors:
        raise ValidationError(errors)
    if checked is not None:
        item.original_name = display_name(uploaded_file.name)
        item.content_type = checked.content_type
        item.size = checked.size
        item.sha256 = checked.sha256
        item.file.save(storage_name(uploaded_file.name), uploaded_file, save=False)
    item.save()
    item.indicators.set(found)
    audit_record(
        actor=actor,
        action=AuditAction.EVIDENCE_ADDED,
        target=item,
        case_id=case.pk,
        data={
            "kind": kind,
            "source": source,
            "grade": item.grade,
            "indicators": [i.number for i in found],
            "sha256": item.sha256,
            "file": item.original_name,
            "size": item.size,
        },
    )
    _sync_sources(case, actor, missing_before=missing_before)
    return item


@transaction.atomic
def evidence_from_allegation(*, allegation, case: Case, actor) -> list[EvidenceItem]:
    """Every file of ``allegation`` becomes an evidence item of ``case`` when the allegation is
    filed into it (a case opened from it, or the allegation attached to it): the same bytes,
    re-hashed and refused if they no longer match the SHA-256 taken on receipt, the source "the
    allegation itself", obtained on the day the file was received, linked back to the
    attachment (``allegation_attachment``) and audited with the receipt number, so the file's
    custody runs unbroken from the public form to the case. Grades are left at "cannot be
    judged" for the analyst to set. Called by ``intake.services`` through its filing hook (the
    triage permission was checked there); an item already made from a file is not made twice."""
    case = _lock_case(case)
    missing_before = case_services.case_missing_requirements(case)
    source = EvidenceSourceKind.objects.get(code=EvidenceSource.ALLEGATION)
    done = set(
        EvidenceItem.objects.filter(case=case, allegation_attachment__isnull=False).values_list(
            "allegation_attachment_id", flat=True
        )
    )
    items = []
    for attachment in allegation.attachments.order_by("uploaded_at", "id"):
        if attachment.pk in done:
            continue
        with attachment.file.open("rb") as stored:
            content = stored.read()
        sha256 = hashlib.sha256(content).hexdigest()
        if sha256 != attachment.sha256:
            raise ApplicationError(
                f"{attachment.original_name} of {allegation.receipt_number} no longer matches "
                "the SHA-256 taken when it was received; it was not copied to the case."
            )
        received_on = timezone.localdate(attachment.uploaded_at)
        item = EvidenceItem(
            case=case,
            kind=EvidenceItem.Kind.PHOTO
            if attachment.content_type.startswith("image/")
            else EvidenceItem.Kind.DOCUMENT,
            source=source,
            obtained_on=received_on,
            description=f"{attachment.original_name}, sent with allegation "
            f"{allegation.receipt_number} and received on {received_on:%Y-%m-%d}.",
            language="Not yet assessed",
            source_reliability="F",
            information_credibility="6",
            allegation_attachment=attachment,
            original_name=attachment.original_name,
            content_type=attachment.content_type,
            size=attachment.size,
            sha256=sha256,
            added_by=actor,
            is_demo=allegation.is_demo,
        )
        item.file.save(storage_name(attachment.original_name), ContentFile(content), save=False)
        item.save()
        audit_record(
            actor=actor,
            action=AuditAction.EVIDENCE_ADDED,
            target=item,
            case_id=case.pk,
            data={
                "kind": item.kind,
                "source": EvidenceSource.ALLEGATION.value,
                "sha256": sha256,
                "file": item.original_name,
                "size": item.size,
                "from_allegation": allegation.receipt_number,
                "allegation_attachment_id": attachment.pk,
            },
        )
        items.append(item)
    if items:
        _sync_sources(case, actor, missing_before=missing_before, filed_by_triage=True)
    return items


@transaction.atomic
def evidence_record_listed_sources(
    *, case: Case, actor, codes: Iterable[str], where: str, is_demo: bool = False
) -> list[EvidenceItem]:
    """Record the evidence sources an older record of the case lists without the evidence itself
    (the legacy spreadsheet's "evidence sources" column): one item per source, of kind "other",
    graded F6 (neither the source nor the information can be judged), saying where the source was
    listed. The case's sources are then derived from these items like any other's."""
    items = []
    for code in sorted(set(codes)):
        kind = EvidenceSourceKind.objects.filter(code=code).first()
        label = str(kind) if kind else code
        items.append(
            evidence_add(
                case=case,
                actor=actor,
                kind=EvidenceItem.Kind.OTHER,
                source=code,
                obtained_on=case.opened_on,
                description=("DEMO: " if is_demo else "")
                + f"The {where} lists “{label}” among this case's evidence sources; "
                "the evidence itself was not imported. Attach it here when it is found.",
                language="Not recorded",
                source_reliability="F",
                information_credibility="6",
                is_demo=is_demo,
            )
        )
    return items


@transaction.atomic
def evidence_remove(*, item: EvidenceItem, actor, reason: str) -> None:
    """Remove evidence recorded in error. Refused if the case's phase still needs a source it
    alone provides; the audit log keeps what it was."""
    require_perm(actor, "evidence.delete_evidenceitem", "Your role cannot remove evidence.")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the evidence is being removed."})
    case = _lock_case(item.case)
    missing_before = case_services.case_missing_requirements(case)
    audit_record(
        actor=actor,
        action=AuditAction.EVIDENCE_REMOVED,
        target=item,
        case_id=case.pk,
        data={"reason": reason, "description": item.description, "sha256": item.sha256},
    )
    item.delete()
    _sync_sources(case, actor, missing_before=missing_before)


def evidence_viewed(*, item: EvidenceItem, actor) -> None:
    """Chain of custody: who looked at an item with a file, when."""
    if item.file:
        audit_record(
            actor=actor, action=AuditAction.EVIDENCE_VIEWED, target=item, case_id=item.case_id
        )


def evidence_downloaded(*, item: EvidenceItem, actor) -> None:
    """Chain of custody: who downloaded the file, when, and which bytes (SHA-256)."""
    audit_record(
        actor=actor,
        action=AuditAction.EVIDENCE_DOWNLOADED,
        target=item,
        case_id=item.case_id,
        data={"sha256": item.sha256},
    )


@transaction.atomic
def case_entity_add(
    *,
    case: Case,
    actor,
    role: str,
    entity: Entity | None = None,
    new_entity: dict[str, Any] | None = None,
    confirm_new: bool = False,
) -> CaseEntity:
    """Link an existing entity to the case, or create one — but only after the likely duplicates
    (fuzzy name, same country) have been shown and declined, so one company stays one record."""
    if entity is None:
        fields = dict(new_entity or {})
        if not confirm_new:
            suggestions = entity_duplicate_suggestions(
                name=fields.get("name", ""), country=fields.get("country", "")
            )
            if suggestions:
                raise DuplicateSuggested(suggestions)
        entity = entity_services.entity_create(actor=actor, **fields)
    return case_services.case_entity_link(case=case, entity=entity, role=role, actor=actor)


@transaction.atomic
def supply_link_add(
    *,
    case: Case,
    actor,
    supplier: Entity,
    buyer: Entity,
    goods: str,
    evidence_ids: Iterable[int] = (),
    is_demo: bool = False,
) -> SupplyLink:
    """Record that ``supplier`` supplies ``buyer`` with ``goods`` in this case's supply chain."""
    require_perm(actor, "evidence.add_supplylink", "Your role cannot change supply chains.")
    case = _lock_case(case)
    errors: dict[str, str] = {}
    on_case = set(CaseEntity.objects.filter(case=case).values_list("entity_id", flat=True))
    if supplier.pk not in on_case:
        errors["supplier"] = f"{supplier.name} is not in this case's supply chain."
    if buyer.pk not in on_case:
        errors["buyer"] = f"{buyer.name} is not in this case's supply chain."
    if supplier.pk == buyer.pk:
        errors["buyer"] = "An entity cannot supply itself."
    goods = (goods or "").strip()
    if not goods:
        errors["goods"] = "Say what goods pass along the link."
    ids = {int(i) for i in evidence_ids}
    items = list(EvidenceItem.objects.filter(case=case, pk__in=ids))
    if len(items) != len(ids):
        errors["evidence"] = "Choose evidence items of this case."
    if errors:
        raise ValidationError(errors)
    if SupplyLink.objects.filter(case=case, supplier=supplier, buyer=buyer, goods=goods).exists():
        raise ApplicationError(f"{supplier.name} already supplies {buyer.name} with {goods}.")
    link = SupplyLink.objects.create(
        case=case, supplier=supplier, buyer=buyer, goods=goods, added_by=actor, is_demo=is_demo
    )
    link.evidence.set(items)
    audit_record(
        actor=actor,
        action=AuditAction.SUPPLY_LINK_ADDED,
        target=link,
        case_id=case.pk,
        changes={"supply_links": ("", str(link))},
        data={"evidence": sorted(ids)},
    )
    return link


@transaction.atomic
def supply_link_remove(*, link: SupplyLink, actor) -> None:
    require_perm(actor, "evidence.delete_supplylink", "Your role cannot change supply chains.")
    _lock_case(link.case)
    text = str(link)
    audit_record(
        actor=actor,
        action=AuditAction.SUPPLY_LINK_REMOVED,
        target=link,
        case_id=link.case_id,
        changes={"supply_links": (text, "")},
    )
    link.delete()


@transaction.atomic
def entity_merge(*, survivor: Entity, duplicate: Entity, actor) -> Entity:
    """Accept a duplicate suggestion: the duplicate's case links and supply links move to the
    survivor, its names become the survivor's aliases, and the duplicate record is removed."""
    require_perm(actor, "evidence.merge_entities", "Your role cannot merge entities.")
    if survivor.pk == duplicate.pk:
        raise ApplicationError("An entity cannot be merged into itself.")
    survivor = Entity.objects.select_for_update().get(pk=survivor.pk)
    duplicate = Entity.objects.select_for_update().get(pk=duplicate.pk)
    if (survivor.country or "") != (duplicate.country or ""):
        raise ApplicationError("Only entities in the same country can be merged.")
    if survivor.kind != duplicate.kind:
        raise ApplicationError(
            f"{duplicate.name} is a {duplicate.get_kind_display().lower()} and {survivor.name} a "
            f"{survivor.get_kind_display().lower()}; only records of the same kind can be merged."
        )
    moved_cases = case_services.case_entities_reassign(
        from_entity=duplicate, to_entity=survivor, actor=actor
    )
    moved_links = 0
    for field in ("supplier", "buyer"):
        for link in SupplyLink.objects.select_for_update().filter(**{field: duplicate}):
            setattr(link, field, survivor)
            clash = (
                link.supplier_id == link.buyer_id
                or SupplyLink.objects.filter(
                    case_id=link.case_id,
                    supplier_id=link.supplier_id,
                    buyer_id=link.buyer_id,
                    goods=link.goods,
                )
                .exclude(pk=link.pk)
                .exists()
            )
            if clash:
                link.delete()
            else:
                link.save(update_fields=[field, "updated_at"])
                moved_links += 1
    aliases = list(survivor.aliases)
    for name in (duplicate.name, *duplicate.aliases):
        if name not in aliases and name != survivor.name:
            aliases.append(name)
    filled = {
        f: getattr(duplicate, f)
        for f in ("address", "registration_number", "imo_number")
        if not getattr(survivor, f) and getattr(duplicate, f)
    }
    entity_services.entity_update(entity=survivor, actor=actor, aliases=aliases, **filled)
    audit_record(
        actor=actor,
        action=AuditAction.ENTITY_MERGED,
        target=survivor,
        data={
            "duplicate_id": duplicate.pk,
            "duplicate_name": duplicate.name,
            "case_links_moved": moved_cases,
            "supply_links_moved": moved_links,
        },
    )
    # The duplicate's id keeps answering: its page and API redirect to the survivor.
    entity_services.entity_merged_away(duplicate=duplicate, survivor=survivor, actor=actor)
    survivor.refresh_from_db()
    return survivor


@transaction.atomic
def trade_data_upload(
    *, case: Case, actor, uploaded_file: UploadedFile, is_demo: bool = False
) -> TradeUpload:
    """Store a CSV/XLSX of U.S. import entries for the case — every row, or none of them."""
    require_perm(actor, "evidence.add_tradeupload", "Your role cannot upload trade data.")
    case = _lock_case(case)
    try:
        checked = check_upload(uploaded_file)
    except ApplicationError as exc:
        raise ValidationError({"file": exc.message}) from exc
    uploaded_file.seek(0)
    data = uploaded_file.read()
    try:
        if checked.content_type == XLSX:
            raw = tradefile.rows_from_xlsx(data)
        elif checked.content_type in (CSV, TEXT):
            raw = tradefile.rows_from_csv(data)
        else:
            raise ValidationError({"file": "Upload a CSV file or an Excel workbook (.xlsx)."})
    except tradefile.UnreadableFile as exc:
        raise ValidationError({"file": str(exc)}) from exc
    rows, errors = tradefile.parse(raw, today=timezone.localdate())
    if errors:
        raise TradeDataRejected(errors)
    upload = TradeUpload.objects.create(
        case=case,
        original_name=display_name(uploaded_file.name),
        sha256=checked.sha256,
        row_count=len(rows),
        uploaded_by=actor,
        is_demo=is_demo,
    )
    TradeEntry.objects.bulk_create(
        TradeEntry(
            upload=upload,
            case=case,
            entry_date=r.entry_date,
            importer=r.importer,
            manufacturer=r.manufacturer,
            hts_code=r.hts_code,
            quantity=r.quantity,
            value=r.value,
            port=r.port,
            is_demo=is_demo,
        )
        for r in rows
    )
    audit_record(
        actor=actor,
        action=AuditAction.TRADE_DATA_UPLOADED,
        target=upload,
        case_id=case.pk,
        data={"file": upload.original_name, "sha256": checked.sha256, "rows": len(rows)},
    )
    return upload


@transaction.atomic
def allegation_report_generate(*, case: Case, actor) -> CaseDocument:
    """Build the allegation report (PDF) from the case and attach it as the document that
    entering legal review requires (GAO-21-106 phase 2: analysts draft an allegation report).

    The report is built with the generating analyst's clearance, so it inherits the sensitivity
    of what it holds: the report of a law-enforcement-sensitive case, or one listing any
    law-enforcement-sensitive item, is a law-enforcement-sensitive document (shown only to
    readers cleared for it, ``accounts.visibility``)."""
    require_perm(
        actor, "evidence.generate_allegation_report", "Your role cannot generate the report."
    )
    from .report import report_pdf

    report = selectors.allegation_report_data(case=case, user=actor)
    now = timezone.localtime()
    pdf = report_pdf(report, generated_at=now, generated_by=str(actor))
    name = f"allegation-report-{case.number}-{now:%Y%m%d%H%M}.pdf"
    document = case_services.case_document_add(
        case=case,
        actor=actor,
        kind=CaseDocument.Kind.ALLEGATION_REPORT,
        title=f"Allegation report {case.number} ({now:%Y-%m-%d})",
        uploaded_file=SimpleUploadedFile(name, pdf, content_type="application/pdf"),
        law_enforcement_sensitive=report.law_enforcement_sensitive,
    )
    audit_record(
        actor=actor,
        action=AuditAction.ALLEGATION_REPORT_GENERATED,
        target=document,
        case_id=case.pk,
        data={"sha256": document.sha256, "evidence_items": len(report.items)},
    )
    return document
