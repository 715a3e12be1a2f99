"""Writes of the quality app: the legacy import, reviewing what it flagged, and snapshots of the
data-quality report.

A legacy case has a history the four-phase workflow did not see, so ``legacy_import`` creates
each case here, atomically, in the phase and status the spreadsheet records (with transitions
saying so), and audits each with ``LEGACY_CASE_IMPORTED``; the whole run is one transaction, and
a dry run is the same run rolled back.
"""

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.text import capfirst

from withhold.accounts.models import User
from withhold.accounts.permissions import require_perm
from withhold.audit.models import AuditAction
from withhold.audit.services import audit_record
from withhold.cases.models import (
    Case,
    CaseEntity,
    CaseTransition,
    CaseUpdate,
    ReferralSource,
    Status,
    SuspensionReason,
)
from withhold.cases.services import case_number_next
from withhold.core.exceptions import ApplicationError
from withhold.core.files import CSV, TEXT, XLSX, check_upload, sniff_content_type
from withhold.entities.models import Entity
from withhold.evidence.services import evidence_record_listed_sources
from withhold.reference.countries import (
    country_choices,
    country_from_spelling,
    is_country,
    is_subdivision_of,
)
from withhold.reference.hs import hs_chapters, hs_code_problem, hs_normalise
from withhold.reference.models import Commodity, EvidenceSource

from . import legacy, rules, suggest
from .mapping import MappingError, key, parse_mapping
from .models import LegacyImportRun, LegacyRecord, PendingLegacyUpload, QualitySnapshot

ALREADY_IMPORTED = "already_imported"
OUTCOMES = (
    legacy.IMPORTED,
    legacy.NEEDS_REVIEW,
    legacy.REJECTED,
    ALREADY_IMPORTED,
    legacy.SKIPPED,
)
OUTCOME_LABELS = {
    legacy.IMPORTED: "imported",
    legacy.NEEDS_REVIEW: "imported, needs review",
    legacy.REJECTED: "rejected",
    ALREADY_IMPORTED: "already imported (unchanged)",
    legacy.SKIPPED: "not a case (skipped)",
}


def outcome_counts(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """Rows per outcome as a page shows them: ("needs_review", "Imported, needs review", 2)."""
    return [
        (outcome, capfirst(OUTCOME_LABELS.get(outcome, outcome)), n)
        for outcome, n in counts.items()
    ]


@dataclass
class RowReport:
    row: legacy.RowResult
    outcome: str
    case_number: str = ""


@dataclass
class ImportReport:
    file_name: str
    file_sha256: str
    dry_run: bool
    rows: list[RowReport] = field(default_factory=list)
    run_id: int | None = None

    commodities_created: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(r.outcome for r in self.rows)
        return {outcome: found.get(outcome, 0) for outcome in OUTCOMES}

    @property
    def labelled_counts(self) -> list[tuple[str, str, int]]:
        """(outcome, its words, rows) for pages: never the raw outcome code."""
        return outcome_counts(self.counts)

    def field_counts(self) -> dict[str, dict[str, int]]:
        """Per mapped field, how many of the rows that are cases had its cell mapped, empty, or
        not usable: where a mapping still loses data, field by field."""
        counts: dict[str, Counter] = {}
        for item in self.rows:
            for name, state in item.row.field_states.items():
                counts.setdefault(name, Counter())[state] += 1
        states = (legacy.MAPPED, legacy.EMPTY, legacy.NOT_USED)
        return {
            name: {state: found.get(state, 0) for state in states}
            for name, found in sorted(counts.items())
        }

    def lines(self) -> list[str]:
        """The report, row by row: outcome, every normalisation, every issue; then the cells
        per field."""
        out = [f"commodity added to the list: {name}" for name in self.commodities_created]
        for item in self.rows:
            row = item.row
            head = f"row {row.number}: {OUTCOME_LABELS[item.outcome]}"
            if item.case_number:
                head += f" as {item.case_number}"
            if row.skip_reason:
                head += f": {row.skip_reason}"
            out.append(head)
            out += [f"  normalised: {n}" for n in row.normalisations]
            label = "rejected because" if item.outcome == legacy.REJECTED else "needs review"
            out += [f"  {label}: {i}" for i in (row.rejections or row.issues)]
            if item.outcome == legacy.REJECTED and row.issues:
                out += [f"  also: {i}" for i in row.issues]
        fields = self.field_counts()
        if fields:
            out.append("cells per field (mapped / empty / not usable):")
            width = max(len(name) for name in fields)
            for name, found in fields.items():
                out.append(
                    f"  {name.ljust(width)}  {found[legacy.MAPPED]:>5} / {found[legacy.EMPTY]:>5}"
                    f" / {found[legacy.NOT_USED]:>5}"
                )
        total = len(self.rows)
        out.append(
            f"{total} row(s): "
            + ", ".join(f"{n} {OUTCOME_LABELS[o]}" for o, n in self.counts.items())
            + (" — dry run, nothing written." if self.dry_run else ".")
        )
        return out


class _DryRun(Exception):
    pass


def _country(text: str) -> str | None:
    code = text.strip().upper()
    if len(code) == 2 and is_country(code):
        return code
    wanted = key(text)
    for candidate, name in country_choices():
        if key(name) == wanted:
            return candidate
    return None


def legacy_vocabulary() -> legacy.Vocabulary:
    users: dict[str, int] = {}
    analysts: set[int] = set()
    supervisors: set[int] = set()
    for user in User.objects.filter(is_active=True):
        users[key(user.username)] = user.pk
        if user.get_full_name():
            users.setdefault(key(user.get_full_name()), user.pk)
        if user.has_perm("cases.change_case"):
            analysts.add(user.pk)
        if user.has_perm("cases.assign_case"):
            supervisors.add(user.pk)
    entities: dict[str, int] = {}
    for pk, name, aliases in Entity.objects.values_list("pk", "name", "aliases"):
        for text in [name, *(aliases or [])]:
            entities.setdefault(rules.entity_key(str(text)), pk)
    return legacy.Vocabulary(
        commodities={key(name): pk for pk, name in Commodity.objects.values_list("pk", "name")},
        users=users,
        analysts=analysts,
        supervisors=supervisors,
        entities=entities,
        evidence_sources={
            **{key(c): c for c in EvidenceSource.values},
            **{key(label): c for c, label in EvidenceSource.choices},
        },
        referral_sources={
            **{key(c): c for c in ReferralSource.values},
            **{key(label): c for c, label in ReferralSource.choices},
        },
        country=_country,
        hs_problem=hs_code_problem,
        hs_normalise=hs_normalise,
        region_ok=is_subdivision_of,
        today=timezone.localdate(),
        suspension_reasons={
            **{key(c): c for c in SuspensionReason.values},
            **{key(label): c for c, label in SuspensionReason.choices},
        },
    )


def mapping_read(text: str):
    """Parse a mapping file against this system's vocabularies; ``ApplicationError`` naming the
    key when it cannot be used."""
    allowed = {
        "referral_source": set(ReferralSource.values),
        "evidence_sources": set(EvidenceSource.values),
        "priority": {"high", "medium", "low"},
        "commodity": set(Commodity.objects.values_list("name", flat=True)),
        "source_country": {code for code, _ in country_choices()},
        "assigned_analyst": set(
            User.objects.filter(is_active=True).values_list("username", flat=True)
        ),
        "suspension_reason": set(SuspensionReason.values),
    }
    allowed["supervisor"] = allowed["assigned_analyst"]
    try:
        return parse_mapping(text, allowed=allowed, hs_problem=hs_code_problem)
    except MappingError as exc:
        raise ApplicationError(f"Mapping file: {exc}") from exc


def legacy_mapping_suggest(*, data: bytes, file_name: str, sheet: str = ""):
    """Propose a mapping for a legacy sheet (``suggest.py``): returns the suggestion (each
    column's values and proposed field) and the TOML text for the user to edit. Writes nothing."""
    _check_file(data, file_name)
    try:
        table = legacy.read_table(data, file_name, sheet=sheet)
    except legacy.FileUnreadable as exc:
        raise ApplicationError(str(exc)) from exc
    if not table:
        raise ApplicationError(f"“{file_name}” has no rows.")
    users: dict[str, list[tuple[str, str]]] = {"assigned_analyst": [], "supervisor": []}
    for user in User.objects.filter(is_active=True).order_by("username"):
        who = (user.username, user.get_full_name())
        if user.has_perm("cases.change_case"):
            users["assigned_analyst"].append(who)
        if user.has_perm("cases.assign_case"):
            users["supervisor"].append(who)
    vocabulary = suggest.SuggestVocabulary(
        commodities=list(Commodity.objects.values_list("name", flat=True)),
        users=users,
        country=country_from_spelling,
        codes={
            "referral_source": list(ReferralSource.choices),
            "evidence_sources": list(EvidenceSource.choices),
            "suspension_reason": [
                c for c in SuspensionReason.choices if c[0] != SuspensionReason.NOT_RECORDED
            ],
            "priority": [("high", "High"), ("medium", "Medium"), ("low", "Low")],
        },
        hs_chapters=hs_chapters(),
    )
    proposal = suggest.suggest_mapping(table, vocabulary)
    return proposal, suggest.mapping_text(proposal, file_name=file_name)


def _check_file(data: bytes, file_name: str) -> None:
    """The checks every upload gets (``core.files``): size, type by content, zip bomb."""
    if not data:
        raise ApplicationError(f"“{file_name}” is empty.")
    if len(data) > settings.UPLOAD_MAX_BYTES:
        raise ApplicationError(
            f"“{file_name}” is larger than the {settings.UPLOAD_MAX_BYTES:,}-byte limit."
        )
    if sniff_content_type(data, file_name) not in (CSV, TEXT, XLSX):
        if data[:4] == b"PK\x03\x04":
            raise ApplicationError(f"“{file_name}” could not be read as an Excel workbook.")
        raise ApplicationError(
            f"“{file_name}” is neither a CSV file nor an Excel workbook (checked by its content)."
        )


def _opened_at(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


def _create_case(
    *,
    actor,
    row: legacy.RowResult,
    run: LegacyImportRun,
    entities: dict[str, int],
    is_demo: bool = False,
) -> Case:
    fields = dict(row.case_fields)
    stage = row.stage
    fields["commodity_id"] = fields.pop("commodity")
    for person in ("assigned_analyst", "supervisor"):
        if person in fields:
            fields[f"{person}_id"] = fields.pop(person)
    case = Case(
        **fields,
        phase=stage.phase,
        status=stage.status,
        suspension_reason=stage.reason if stage.status == Status.SUSPENDED else "",
        inactive_reason=stage.reason if stage.status == Status.INACTIVE else "",
        closing_outcome=stage.reason if stage.status == Status.CLOSED else "",
        created_by=actor,
        is_demo=is_demo,
    )
    case.number = case_number_next(case.opened_on.year)
    case.save()
    where = f"legacy spreadsheet {run.file_name}, row {row.number}"
    if row.evidence_sources and actor is not None:
        # Evidence sources are derived from evidence items: the listed sources become items
        # (a dry run with no user named writes nothing that needs one; it is rolled back anyway).
        evidence_record_listed_sources(
            case=case, actor=actor, codes=row.evidence_sources, where=where, is_demo=is_demo
        )
    CaseTransition.objects.create(
        case=case,
        kind=CaseTransition.Kind.OPENED,
        to_phase="initiation",
        to_status=Status.ACTIVE,
        reason=f"Opened as recorded in the {where}.",
        actor=actor,
        at=_opened_at(case.opened_on),
    )
    now = timezone.now()
    if stage.phase != "initiation":
        entered = row.phase_entered_on
        CaseTransition.objects.create(
            case=case,
            kind=CaseTransition.Kind.PHASE,
            from_phase="initiation",
            to_phase=stage.phase,
            from_status=Status.ACTIVE,
            to_status=Status.ACTIVE,
            reason=(
                f"Phase as recorded in the {where}; entered on {entered.isoformat()}."
                if entered
                else f"Phase as recorded in the {where}; entered on an unknown date."
            ),
            actor=actor,
            at=_opened_at(entered) if entered else now,
        )
    if stage.status != Status.ACTIVE:
        CaseTransition.objects.create(
            case=case,
            kind=CaseTransition.Kind.STATUS,
            from_phase=stage.phase,
            to_phase=stage.phase,
            from_status=Status.ACTIVE,
            to_status=stage.status,
            reason_code=stage.reason,
            reason=f"Status as recorded in the {where}."
            + (f" {case.suspension_detail}" if case.suspension_detail else ""),
            actor=actor,
            at=now,
        )
    links = [(row.manufacturer, CaseEntity.Role.MANUFACTURER)] if row.manufacturer else []
    links += [(name, CaseEntity.Role.IMPORTER) for name in row.importers]
    for name, role in links:
        known = row.manufacturer_id if role == CaseEntity.Role.MANUFACTURER else None
        entity_id = known or entities.get(rules.entity_key(name))
        if entity_id is None:
            # Created here rather than by ``entity_create``: the import's own permission covers
            # it, and a dry run (which may have no actor) must go through the same steps.
            entity = Entity(
                name=name,
                country=case.source_country if role == CaseEntity.Role.MANUFACTURER else "",
                notes=f"Added from the {where}.",
                created_by=actor,
                is_demo=is_demo,
            )
            entity.full_clean()
            entity.save()
            audit_record(
                actor=actor,
                action=AuditAction.ENTITY_CREATED,
                target=entity,
                data={"name": entity.name, "country": entity.country, "source": where},
            )
            entity_id = entity.pk
            entities[rules.entity_key(name)] = entity_id
        CaseEntity.objects.get_or_create(
            case=case, entity_id=entity_id, role=role, defaults={"added_by": actor}
        )
    if row.update_text:
        CaseUpdate.objects.create(
            case=case, occurred_on=row.update_on, text=row.update_text, author=actor
        )
    return case


@transaction.atomic
def legacy_import(
    *,
    actor,
    data: bytes,
    file_name: str,
    mapping_text: str,
    dry_run: bool = False,
    progress: Callable[[int], object] | None = None,
    is_demo: bool = False,
) -> ImportReport:
    """Import a legacy case spreadsheet. Every row ends imported, imported needing review, or
    rejected with its reason; rows of an earlier run of the same data are found again by their
    source key and left alone. All or nothing; a dry run writes nothing and reports the same.
    ``is_demo`` flags the cases and entities made as made-up demo records (``demo.py``)."""
    if not dry_run or actor is not None:
        require_perm(actor, "quality.import_legacy", "Your role cannot import legacy cases.")
    mapping = mapping_read(mapping_text)
    _check_file(data, file_name)
    try:
        table = legacy.read_table(data, file_name, sheet=mapping.sheet)
        rows = legacy.rows_from_table(table, mapping)
    except legacy.FileUnreadable as exc:
        raise ApplicationError(str(exc)) from exc
    report = ImportReport(
        file_name=file_name, file_sha256=hashlib.sha256(data).hexdigest(), dry_run=dry_run
    )
    try:
        with transaction.atomic():
            run = LegacyImportRun.objects.create(
                file_name=file_name[:255],
                file_sha256=report.file_sha256,
                mapping_text=mapping_text,
                actor=actor,
            )
            report.commodities_created = _commodities_create(
                actor=actor, mapping=mapping, file_name=file_name
            )
            vocabulary = legacy_vocabulary()
            # Keys compared in Python: a spreadsheet may have more rows than SQLite allows
            # query parameters.
            keys = {legacy.source_key(r.values) for r in rows if not r.skip_reason}
            existing = {
                r.source_key: r
                for r in LegacyRecord.objects.exclude(
                    outcome__in=[LegacyRecord.Outcome.REJECTED, LegacyRecord.Outcome.SKIPPED]
                ).select_related("case", "run")
                if r.source_key in keys
            }
            seen: dict[str, int] = {}
            for table_row in rows:
                number, values = table_row.number, table_row.values
                row = legacy.normalise_row(
                    number, values, mapping, vocabulary, skip_reason=table_row.skip_reason
                )
                item = RowReport(row=row, outcome=row.outcome)
                if item.outcome == legacy.SKIPPED:
                    pass
                elif row.source_key in seen:
                    row.rejections.append(
                        f"same {'legacy number' if row.source_key.startswith('number:') else 'cells'}"
                        f" as row {seen[row.source_key]}"
                    )
                    item.outcome = row.finish().outcome
                elif row.source_key in existing:
                    earlier = existing[row.source_key]
                    earlier_case = earlier.case.number if earlier.case else "a deleted case"
                    if earlier.raw == row.raw:
                        item.outcome = ALREADY_IMPORTED
                        item.case_number = earlier_case
                    else:
                        row.rejections.append(
                            f"this legacy number was imported before as {earlier_case} (row "
                            f"{earlier.row_number} of {earlier.run.file_name}) with different "
                            "cells; edit that case instead"
                        )
                        item.outcome = row.finish().outcome
                if item.outcome != ALREADY_IMPORTED:
                    if item.outcome != legacy.SKIPPED:
                        seen.setdefault(row.source_key, number)
                    case = None
                    if item.outcome not in (legacy.REJECTED, legacy.SKIPPED):
                        try:
                            with transaction.atomic():
                                case = _create_case(
                                    actor=actor,
                                    row=row,
                                    run=run,
                                    entities=vocabulary.entities,
                                    is_demo=is_demo,
                                )
                        except (ValidationError, DatabaseError) as exc:
                            # A value the row checks let through but the database refuses: the
                            # row is rejected with the reason, the rest of the run goes on.
                            reason = "; ".join(getattr(exc, "messages", None) or [str(exc)])
                            row.rejections.append(f"refused by the database: {reason}")
                            item.outcome = row.finish().outcome
                        else:
                            item.case_number = case.number
                    LegacyRecord.objects.create(
                        run=run,
                        row_number=number,
                        source_key=row.source_key,
                        legacy_number=values.get("legacy_number", "")[:80],
                        outcome=item.outcome,
                        issues=[row.skip_reason]
                        if row.skip_reason
                        else row.rejections + row.issues,
                        normalisations=row.normalisations,
                        raw=row.raw,
                        case=case,
                    )
                    if case is not None:
                        audit_record(
                            actor=actor,
                            action=AuditAction.LEGACY_CASE_IMPORTED,
                            target=case,
                            case_id=case.pk,
                            data={
                                "file": file_name,
                                "row": number,
                                "source_key": row.source_key,
                                "outcome": item.outcome,
                                "phase": row.stage.phase,
                                "status": row.stage.status,
                                "issues": row.issues,
                                "normalisations": row.normalisations,
                            },
                        )
                report.rows.append(item)
                if progress:
                    progress(1)
            run.counts = report.counts
            run.save(update_fields=["counts"])
            audit_record(
                actor=actor,
                action=AuditAction.LEGACY_IMPORT_RUN,
                target=run,
                data={"file": file_name, "sha256": report.file_sha256, "counts": report.counts},
            )
            report.run_id = run.pk
            if dry_run:
                raise _DryRun
    except _DryRun:
        report.run_id = None
    return report


def _commodities_create(*, actor, mapping, file_name: str) -> list[str]:
    """Add the commodities the mapping creates (``{ create = true, hs_code = ... }``) that the
    list does not have yet, each audited; the import's permission (a supervisor's) covers it."""
    created = []
    existing = {key(name) for name in Commodity.objects.values_list("name", flat=True)}
    for wanted in mapping.commodities_to_create.values():
        if key(wanted.name) in existing:
            continue
        commodity = Commodity(
            name=wanted.name,
            hs_code=wanted.hs_code,
            sector=wanted.sector,
            source=f"Added by the legacy import of {file_name}"[:200],
        )
        commodity.full_clean()
        commodity.save()
        existing.add(key(wanted.name))
        audit_record(
            actor=actor,
            action=AuditAction.COMMODITY_CREATED,
            target=commodity,
            data={"name": commodity.name, "hs_code": commodity.hs_code, "file": file_name},
        )
        created.append(f"{commodity.name} (HS {commodity.hs_code})")
    return created


@transaction.atomic
def legacy_record_review(*, actor, record: LegacyRecord, note: str = "") -> LegacyRecord:
    """Mark an imported case's legacy issues as dealt with."""
    require_perm(actor, "quality.review_legacy", "Your role cannot mark legacy cases reviewed.")
    record = LegacyRecord.objects.select_for_update().get(pk=record.pk)
    if record.outcome != LegacyRecord.Outcome.NEEDS_REVIEW:
        raise ApplicationError("Only an imported case that needs review can be marked reviewed.")
    if record.reviewed_at is not None:
        raise ApplicationError("This row was already marked reviewed.")
    record.reviewed_at = timezone.now()
    record.reviewed_by = actor
    record.review_note = (note or "").strip()
    record.save(update_fields=["reviewed_at", "reviewed_by", "review_note"])
    audit_record(
        actor=actor,
        action=AuditAction.LEGACY_RECORD_REVIEWED,
        target=record.case or record,
        case_id=record.case_id,
        data={"row": record.row_number, "issues": record.issues, "note": record.review_note},
    )
    return record


@transaction.atomic
def quality_snapshot_take(*, actor=None) -> QualitySnapshot:
    """Save the report's figures over every case (a scheduled task passes no actor)."""
    from .selectors import quality_report

    if actor is not None:
        require_perm(actor, "quality.add_qualitysnapshot", "Your role cannot save snapshots.")
    report = quality_report(cases=Case.objects.all())
    snapshot = QualitySnapshot.objects.create(
        taken_by=actor,
        cases=report.case_count,
        fields_total=report.fields_total,
        fields_missing=report.fields_missing,
        fields_inconsistent=report.fields_inconsistent,
        cases_flagged=report.cases_flagged,
        detail=report.as_json(),
    )
    audit_record(
        actor=actor,
        action=AuditAction.QUALITY_SNAPSHOT_TAKEN,
        target=snapshot,
        data={"summary": report.summary},
    )
    return snapshot


# --- Uploads kept between the dry run and the import ----------------------------------------------

PENDING_UPLOAD_MAX_AGE = timedelta(days=1)
MAPPING_MAX_BYTES = 200_000


@transaction.atomic
def legacy_upload_store(
    *, actor, uploaded: UploadedFile, mapping_text: str
) -> tuple[PendingLegacyUpload, ImportReport]:
    """Dry-run an uploaded spreadsheet with its mapping and keep both, so that the same person
    can import them without choosing the files again (``legacy_upload_import``). Nothing is kept
    when the dry run refuses the file or the mapping."""
    require_perm(actor, "quality.import_legacy", "Your role cannot import legacy cases.")
    if len(mapping_text.encode()) > MAPPING_MAX_BYTES:
        raise ApplicationError("The mapping file is larger than 200 KB.")
    checked = check_upload(uploaded, allowed=frozenset({CSV, XLSX, TEXT}))
    uploaded.seek(0)
    data = uploaded.read()
    file_name = (uploaded.name or "upload")[:255]
    report = legacy_import(
        actor=actor, data=data, file_name=file_name, mapping_text=mapping_text, dry_run=True
    )
    upload = PendingLegacyUpload(
        file_name=file_name,
        file_sha256=checked.sha256,
        mapping_text=mapping_text,
        mapping_sha256=hashlib.sha256(mapping_text.encode()).hexdigest(),
        uploaded_by=actor,
        counts=report.counts,
    )
    extension = "xlsx" if checked.content_type == XLSX else "csv"
    # Stored under its hash, never under the name the user's machine gave it.
    upload.file.save(f"{checked.sha256[:32]}.{extension}", ContentFile(data), save=False)
    stored = upload.file.name
    try:
        upload.save()
        audit_record(
            actor=actor,
            action=AuditAction.LEGACY_UPLOAD_STORED,
            target=upload,
            data={
                "file": file_name,
                "sha256": checked.sha256,
                "mapping_sha256": upload.mapping_sha256,
                "counts": report.counts,
            },
        )
    except Exception:
        upload.file.storage.delete(stored)
        raise
    return upload, report


def _stored_file_gone(upload: PendingLegacyUpload) -> bool:
    return not upload.file or not upload.file.storage.exists(upload.file.name)


@transaction.atomic
def legacy_upload_import(*, actor, upload: PendingLegacyUpload) -> ImportReport:
    """Import the spreadsheet and mapping kept by ``legacy_upload_store``. Refused unless the
    files are still there and unchanged, ``actor`` is the person who uploaded them, and they
    were not imported already."""
    require_perm(actor, "quality.import_legacy", "Your role cannot import legacy cases.")
    upload = PendingLegacyUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.uploaded_by_id != actor.pk:
        raise ApplicationError(
            "Only the person who uploaded these files may import them; upload them yourself."
        )
    if upload.imported_at is not None:
        raise ApplicationError(
            f"“{upload.file_name}” was already imported on {timezone.localtime(upload.imported_at):%Y-%m-%d %H:%M}; "
            "importing it again would change nothing."
        )
    if _stored_file_gone(upload):
        raise ApplicationError(
            f"The stored copy of “{upload.file_name}” is gone (stored uploads are deleted after "
            "a day); choose the files again."
        )
    with upload.file.open("rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != upload.file_sha256:
        raise ApplicationError(
            f"The stored copy of “{upload.file_name}” changed since the dry run; choose the "
            "files again."
        )
    report = legacy_import(
        actor=actor,
        data=data,
        file_name=upload.file_name,
        mapping_text=upload.mapping_text,
        dry_run=False,
    )
    stored, storage = upload.file.name, upload.file.storage
    upload.run_id = report.run_id
    upload.imported_at = timezone.now()
    upload.file = ""
    upload.save(update_fields=["run", "imported_at", "file"])
    transaction.on_commit(lambda: storage.delete(stored))
    return report


@transaction.atomic
def legacy_uploads_purge(*, now: datetime | None = None) -> int:
    """Delete uploads kept for import but never imported, a day or more after upload, with
    their stored files. Run by the daily snapshot task and ``withhold quality_purge_uploads``."""
    cutoff = (now or timezone.now()) - PENDING_UPLOAD_MAX_AGE
    stale = list(
        PendingLegacyUpload.objects.select_for_update().filter(
            imported_at__isnull=True, uploaded_at__lte=cutoff
        )
    )
    for upload in stale:
        stored, storage = upload.file.name, upload.file.storage
        audit_record(
            actor=None,
            action=AuditAction.LEGACY_UPLOAD_DELETED,
            target=upload,
            data={"file": upload.file_name, "sha256": upload.file_sha256, "reason": "stale"},
        )
        upload.delete()
        if stored:
            transaction.on_commit(lambda s=stored, st=storage: st.delete(s))
    return len(stale)
