"""Every write to detentions, their documents and importer accounts.

Each service checks the actor's permission (and, for importers, that the detention is their
company's), locks the detention row, asks ``lifecycle`` what stops the move, writes the new
state and a ``DetentionEvent`` (the history), and appends the audit row in the same transaction.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from withhold.accounts.permissions import require_perm
from withhold.audit.models import AuditAction
from withhold.audit.selectors import audit_last_change
from withhold.audit.services import audit_record, audit_value
from withhold.core import clocks
from withhold.core.concurrency import check_version
from withhold.core.exceptions import ApplicationError, NotFoundError
from withhold.core.files import (
    TYPE_LABELS,
    CheckedFile,
    check_upload,
    display_name,
    storage_name,
)
from withhold.entities.models import Entity
from withhold.orders.models import ACTIVE_STATUSES, Kind, Order
from withhold.reference.countries import country_name
from withhold.reference.lists import UFLPA_SOURCE

from . import deadlines, lifecycle, notices
from .entry_numbers import entry_number_normalise
from .imports import ImportRow
from .models import (
    Basis,
    CongressReport,
    Detention,
    DetentionDocument,
    DetentionEvent,
    ImporterAccount,
    Nexus,
    Status,
    UflpaRequest,
)
from .selectors import detention_visible_queryset, information_requests_unanswered

DETENTION_FIELDS = [
    "entry_number",
    "entry_line",
    "port_of_entry",
    "imported_on",
    "presented_on",
    "notice_on",
    "importer",
    "manufacturer",
    "country_of_origin",
    "merchandise",
    "hts_code",
    "quantity",
    "quantity_unit",
    "value_usd",
    "basis",
    "uflpa_nexus",
    "uflpa_list_entry",
    "xuar_input",
    "xuar_evidence",
    "officer",
]
# The UFLPA fields: set only on a UFLPA detention; the list entry's name, row and version are
# copied from the entry (``_uflpa_problems``), never typed in.
UFLPA_FIELDS = ("presented_on", "uflpa_nexus", "uflpa_list_entry", "xuar_input", "xuar_evidence")

DISPOSAL_ACTIONS = {
    "release": AuditAction.DETENTION_RELEASED,
    "export": AuditAction.DETENTION_EXPORTED,
    "exclude": AuditAction.DETENTION_EXCLUDED,
    "seize": AuditAction.DETENTION_SEIZED,
}
DISPOSAL_EVENTS = {
    "release": DetentionEvent.Kind.RELEASED,
    "export": DetentionEvent.Kind.EXPORTED,
    "exclude": DetentionEvent.Kind.EXCLUDED,
    "seize": DetentionEvent.Kind.SEIZED,
}


def _lock(detention: Detention) -> Detention:
    return Detention.objects.select_for_update().get(pk=detention.pk)


@transaction.atomic
def detention_step_at_version(
    *, detention: Detention, version: int | None, step: Callable[[], Any]
) -> Any:
    """Run one step service (``step``) only if the detention is still at ``version``, the one
    the user's form was opened at; otherwise refuse with who changed it and when
    (``StaleVersionError``). The row stays locked until the step's own changes are saved."""
    check_version(_lock(detention), version, noun="detention", last_change=audit_last_change)
    return step()


def _facts(detention: Detention) -> lifecycle.Facts:
    kinds = set(detention.documents.values_list("kind", flat=True))
    return lifecycle.Facts(
        status=detention.status,
        deadline=detention.admissibility_deadline,
        under_finding=detention.orders.filter(kind=Kind.FINDING).exists(),
        proof_kinds=frozenset(kinds),
        has_export_notice=DetentionDocument.Kind.EXPORT_NOTICE in kinds,
        uflpa=detention.basis == Basis.UFLPA,
    )


def _refuse_unless_allowed(move: str, detention: Detention, today: date) -> None:
    problems = lifecycle.move_problems(move, _facts(detention), today=today)
    if problems:
        raise ApplicationError(" ".join(problems))


def _event(
    detention: Detention,
    *,
    kind: str,
    actor,
    on: date,
    reason: str = "",
    importer_note: str = "",
    from_status: str = "",
    to_status: str = "",
    in_reply_to: DetentionEvent | None = None,
) -> DetentionEvent:
    """One step of the history: ``importer_note`` is what the importer is told, ``reason`` is
    CBP's internal note (never shown to the importer)."""
    return DetentionEvent.objects.create(
        detention=detention,
        in_reply_to=in_reply_to,
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        by_importer=_user_is_importer_of(actor, detention),
        on=on,
        reason=reason,
        importer_note=importer_note,
        from_status=from_status,
        to_status=to_status,
    )


def _move(
    detention: Detention,
    *,
    move: str,
    actor,
    on: date,
    event: str,
    action: AuditAction,
    reason: str = "",
    importer_note: str = "",
    data: dict | None = None,
    also: dict | None = None,
) -> Detention:
    before = detention.status
    detention.status = lifecycle.next_status(move)
    for name, value in (also or {}).items():
        setattr(detention, name, value)
    detention.save(update_fields=["status", "updated_at", *(also or {})])
    _event(
        detention,
        kind=event,
        actor=actor,
        on=on,
        reason=reason,
        importer_note=importer_note,
        from_status=before,
        to_status=detention.status,
    )
    audit_record(
        actor=actor,
        action=action,
        target=detention,
        changes={"status": (before, detention.status)},
        data={"on": on.isoformat(), "reason": reason or importer_note, **(data or {})},
    )
    return detention


def _order_problems(orders: Sequence[Order], *, basis: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    inactive = [o.number for o in orders if o.status not in ACTIVE_STATUSES]
    if inactive:
        errors.setdefault("orders", []).append(
            f"Only an issued, active order can be applied: {', '.join(inactive)}."
        )
    if basis == Basis.ORDER and not any(o.kind in (Kind.WRO, Kind.FINDING) for o in orders):
        errors.setdefault("orders", []).append(
            "Name the Withhold Release Order or Finding the shipment is detained under."
        )
    if basis not in Basis.values:
        errors["basis"] = [f"“{basis}” is not a basis for detention."]
    return errors


def uflpa_list_version(entry) -> str:
    """How a detention names the version of the UFLPA Entity List it relied on: the version's
    number and effective date (the Federal Register notice's), the file loaded, the agency's
    day it was loaded and the start of its SHA-256 — the version of ``entry``, which a later
    load of the list keeps."""
    version = entry.list_version
    loaded = timezone.localdate(version.loaded_at)
    text = (
        f"version {version.number}, in effect from {version.effective_on:%Y-%m-%d}: "
        f"{{file}}, loaded {loaded:%Y-%m-%d}, SHA-256 {version.sha256[:12]}"
    )
    limit = Detention._meta.get_field("uflpa_list_version").max_length
    return text.format(file=version.file_name[: max(limit - len(text) + 6, 10)])


def _uflpa_problems(detention: Detention, *, today: date) -> dict[str, list[str]]:
    """The UFLPA presumption's own rules, each under its field: the date of presentation for
    examination (its clocks run from it), a nexus, and what the nexus needs — the entry of the
    UFLPA Entity List relied on, or the XUAR input and its evidence. Other bases carry none of
    these. Copies the list entry's name, row and version onto the detention."""
    errors: dict[str, list[str]] = {}
    if detention.basis != Basis.UFLPA:
        for name in UFLPA_FIELDS:
            value = getattr(detention, name)
            if value not in (None, ""):
                label = Detention._meta.get_field(name).verbose_name
                errors.setdefault(name, []).append(
                    f"The {label} is recorded only for a detention under the UFLPA presumption."
                )
        return errors
    presented = detention.presented_on
    if presented is None:
        errors["presented_on"] = [
            "Give the date the goods were presented for examination: the UFLPA clocks run "
            "from it (19 CFR 151.16)."
        ]
    elif presented > today:
        errors["presented_on"] = [
            f"The date of presentation ({presented:%Y-%m-%d}) is after today ({today:%Y-%m-%d})."
        ]
    elif detention.imported_on and presented < detention.imported_on:
        errors["presented_on"] = [
            f"The goods cannot be presented for examination ({presented:%Y-%m-%d}) before "
            f"importation ({detention.imported_on:%Y-%m-%d})."
        ]
    nexus = detention.uflpa_nexus
    if not nexus:
        errors["uflpa_nexus"] = [
            "A UFLPA detention needs its nexus: an entity on the UFLPA Entity List, an input "
            "from the XUAR, or both."
        ]
        return errors
    if nexus not in Nexus.values:
        errors["uflpa_nexus"] = [f"“{nexus}” is not a UFLPA nexus."]
        return errors
    entry = detention.uflpa_list_entry
    if Nexus.needs_entity(nexus):
        if entry is None:
            errors["uflpa_list_entry"] = [
                "Name the entry of the UFLPA Entity List the goods are tied to."
            ]
        elif entry.entity_list.source != UFLPA_SOURCE:
            errors["uflpa_list_entry"] = [
                f"“{entry.name}” is on the list “{entry.entity_list.source}”, not on the UFLPA "
                "Entity List."
            ]
        elif entry.list_version_id != entry.entity_list.current_version_id:
            errors["uflpa_list_entry"] = [
                f"“{entry.name}” is an entry of version {entry.list_version.number} of the UFLPA "
                f"Entity List, not of the current version ({entry.entity_list.version}): choose "
                "the entry of the list in force today."
            ]
        else:
            detention.uflpa_entity_name = entry.name
            detention.uflpa_list_row = entry.row_number
            detention.uflpa_list_version = uflpa_list_version(entry)
    elif entry is not None:
        errors["uflpa_list_entry"] = [
            "A listed entity is named only when the nexus includes one: choose “both”."
        ]
    if Nexus.needs_xuar(nexus):
        if not (detention.xuar_input or "").strip():
            errors["xuar_input"] = ["Name the input made in the XUAR (e.g. “cotton yarn”)."]
        if not (detention.xuar_evidence or "").strip():
            errors["xuar_evidence"] = ["Say what shows the input's XUAR origin."]
    else:
        for name in ("xuar_input", "xuar_evidence"):
            if (getattr(detention, name) or "").strip():
                errors[name] = [
                    "An XUAR input is recorded only when the nexus includes one: choose “both”."
                ]
    return errors


def _check_orders(orders: Iterable[Order], *, basis: str) -> list[Order]:
    orders = list(orders)
    errors = _order_problems(orders, basis=basis)
    if errors:
        raise ValidationError(errors)
    return orders


# Dates of what has already happened, none after today in the agency's day
# (``detention_date_problems``); a disposition's date is named ``DISPOSITION_DATE`` in its forms.
PAST_EVENT_DATES = {
    "imported_on": "The date of importation",
    "notice_on": "The date of the detention notice",
    "disposed_on": "The date of the disposition",
}


def detention_date_problems(
    *,
    today: date,
    imported_on: date | None = None,
    notice_on: date | None = None,
    disposed_on: date | None = None,
    disposed_field: str = "disposed_on",
) -> dict[str, str]:
    """The date rules every channel shares (form, file import, API): no date after today in the
    agency's day, and events in their order — the notice not before importation, a disposition
    not before importation nor before the notice. Returns {field: message}."""
    errors: dict[str, str] = {}
    given = {"imported_on": imported_on, "notice_on": notice_on, "disposed_on": disposed_on}
    for name, what in PAST_EVENT_DATES.items():
        value = given[name]
        if value is not None and value > today:
            field = disposed_field if name == "disposed_on" else name
            errors[field] = f"{what} ({value:%Y-%m-%d}) is after today ({today:%Y-%m-%d})."
    if imported_on and notice_on and notice_on < imported_on and "notice_on" not in errors:
        errors["notice_on"] = (
            f"The notice of detention ({notice_on:%Y-%m-%d}) cannot be dated before importation "
            f"({imported_on:%Y-%m-%d})."
        )
    if disposed_on and disposed_field not in errors:
        if imported_on and disposed_on < imported_on:
            errors[disposed_field] = (
                f"The date of the disposition ({disposed_on:%Y-%m-%d}) cannot be before "
                f"importation ({imported_on:%Y-%m-%d})."
            )
        elif notice_on and disposed_on < notice_on:
            errors[disposed_field] = (
                f"The date of the disposition ({disposed_on:%Y-%m-%d}) cannot be before the "
                f"notice of detention ({notice_on:%Y-%m-%d})."
            )
    return errors


def _user_is_importer_of(actor, detention: Detention) -> bool:
    account = getattr(actor, "importer_account", None) if actor is not None else None
    return account is not None and account.entity_id == detention.importer_id


def _require_own(actor, detention: Detention) -> None:
    """Importers act only on their own company's detentions; another company's answers as if
    it did not exist."""
    require_perm(actor, "detentions.submit_proof", "Only the importer can submit this.")
    if not detention_visible_queryset(actor).filter(pk=detention.pk).exists():
        raise NotFoundError("There is no such detention that you can see.")


# Recording ---------------------------------------------------------------------------------------


def _new_detention(
    *,
    actor,
    is_demo: bool,
    fields: dict,
    today: date | None = None,
    errors: dict[str, list[str]] | None = None,
    skip: Iterable[str] = (),
) -> Detention:
    """A new detention, checked in full: every field's problem is reported at once (with
    ``errors`` already found by the caller), each under its field — never as a whole-row error.
    ``skip`` names fields the caller could not read, so they are not reported twice."""
    unknown = set(fields) - set(DETENTION_FIELDS)
    if unknown:
        raise ApplicationError(f"These fields cannot be set: {', '.join(sorted(unknown))}.")
    errors = {name: list(messages) for name, messages in (errors or {}).items()}
    skip = set(skip)
    detention = Detention(created_by=actor, is_demo=is_demo, **fields)
    detention.entry_number = entry_number_normalise(detention.entry_number or "")
    detention.country_of_origin = (detention.country_of_origin or "").upper()
    detention.hts_code = (detention.hts_code or "").replace(".", "").strip()
    dates = {
        name: message
        for name, message in detention_date_problems(
            today=today or timezone.localdate(),
            imported_on=detention.imported_on,
            notice_on=detention.notice_on,
        ).items()
        if name not in skip
    }
    for name, messages in _uflpa_problems(detention, today=today or timezone.localdate()).items():
        if name not in skip:
            errors.setdefault(name, []).extend(messages)
    if detention.basis == Basis.UFLPA:
        # The 30 days for a final admissibility decision stand in for 12.43's three months.
        if detention.presented_on and "presented_on" not in errors:
            detention.admissibility_deadline = deadlines.uflpa_admissibility_deadline(
                detention.presented_on
            )
        else:
            skip.add("admissibility_deadline")
    elif detention.imported_on and "imported_on" not in dates:
        detention.admissibility_deadline = deadlines.admissibility_deadline(detention.imported_on)
    else:
        skip.add("admissibility_deadline")
    try:
        # Constraints are checked below by field (the database keeps them all the same).
        detention.full_clean(exclude=skip, validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    for name, message in dates.items():
        errors.setdefault(name, []).append(message)
    officer = fields.get("officer")
    if officer is not None and not (
        officer.is_active and officer.has_perm("detentions.add_detention")
    ):
        errors.setdefault("officer", []).append(
            f"{officer} is not a port officer who can own a detention."
        )
    if (
        "entry_number" not in errors
        and "entry_line" not in skip
        and Detention.objects.filter(
            entry_number=detention.entry_number, entry_line=detention.entry_line
        ).exists()
    ):
        errors["entry_number"] = [
            f"{detention.entry_number} line {detention.entry_line} is already recorded."
        ]
    if errors:
        raise ValidationError(errors)
    return detention


@transaction.atomic
def detention_record(
    *, actor, orders: Iterable[Order] = (), is_demo: bool = False, **fields: Any
) -> Detention:
    """A port records a shipment detained under an issued order (19 CFR 12.42(e)), the CAATSA
    presumption, or the UFLPA presumption with its nexus; the three-month deadline is computed
    from the date of importation (UFLPA: the 30 days from presentation for examination)."""
    require_perm(actor, "detentions.add_detention", "Your role cannot record detentions.")
    fields.setdefault("basis", Basis.ORDER)
    orders = list(orders)
    detention = _new_detention(
        actor=actor,
        is_demo=is_demo,
        fields=fields,
        errors=_order_problems(orders, basis=fields["basis"]),
    )
    detention.save()
    detention.orders.set(orders)
    _event(
        detention,
        kind=DetentionEvent.Kind.RECORDED,
        actor=actor,
        on=detention.notice_on,
        to_status=detention.status,
    )
    audit_record(
        actor=actor,
        action=AuditAction.DETENTION_RECORDED,
        target=detention,
        data={
            "orders": [o.number for o in orders],
            "admissibility_deadline": detention.admissibility_deadline.isoformat(),
            **{name: audit_value(getattr(detention, name)) for name in DETENTION_FIELDS},
            **(
                {
                    "uflpa_entity_name": detention.uflpa_entity_name,
                    "uflpa_list_row": detention.uflpa_list_row,
                    "uflpa_list_version": detention.uflpa_list_version,
                }
                if detention.uflpa_list_version
                else {}
            ),
        },
    )
    notices.notify_detention_recorded(detention)
    return detention


# Documents and proof -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DetentionFile:
    kind: str
    title: str
    uploaded_file: UploadedFile
    field: str = ""  # the form or API field it came in, named in a refusal (else its kind)


def _kind_problem(kind: str, name: str, content_type: str) -> str | None:
    """Whether a file's content (its type read from its bytes) suits the kind of document it is
    declared as (``DetentionDocument.KIND_TYPES``)."""
    allowed = DetentionDocument.KIND_TYPES[kind]
    if content_type in allowed:
        return None
    label = DetentionDocument.Kind(kind).label
    accepted = ", ".join(sorted({TYPE_LABELS[t] for t in allowed}))
    return (
        f"“{name}” holds {TYPE_LABELS[content_type]} (read from its content, not its name); "
        f"a file sent as “{label}” must be one of: {accepted}."
    )


def _document_check(document: DetentionFile) -> tuple[CheckedFile | None, dict[str, str]]:
    """One file read and checked: its facts, and what is wrong with it under its form field (its
    type, size or content, or a kind it cannot be), empty when it may be stored. A form checks
    every file with this before its other rules, so one answer names every problem."""
    if document.kind not in DetentionDocument.Kind.values:
        return None, {"kind": f"“{document.kind}” is not a kind of detention document."}
    try:
        checked = check_upload(document.uploaded_file)
    except ApplicationError as exc:
        return None, {document.field or document.kind: exc.message}
    problem = _kind_problem(
        document.kind, display_name(document.uploaded_file.name), checked.content_type
    )
    return checked, ({document.field or document.kind: problem} if problem else {})


def _document_store(*, detention: Detention, actor, document: DetentionFile) -> DetentionDocument:
    checked, errors = _document_check(document)
    if errors:
        raise ValidationError(errors)
    name = document.uploaded_file.name or "upload"
    record = DetentionDocument(
        detention=detention,
        kind=document.kind,
        title=(document.title or "").strip() or DetentionDocument.Kind(document.kind).label,
        original_name=display_name(name),
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
        by_importer=_user_is_importer_of(actor, detention),
    )
    record.file.save(storage_name(name), document.uploaded_file, save=False)
    record.save()
    audit_record(
        actor=actor,
        action=AuditAction.DETENTION_DOCUMENT_ADDED,
        target=detention,
        data={"kind": record.kind, "title": record.title, "sha256": checked.sha256},
    )
    return record


@transaction.atomic
def detention_document_add(
    *, detention: Detention, actor, document: DetentionFile, today: date | None = None
) -> DetentionDocument:
    """More evidence while the detention is open: from the importer (e.g. answering a request
    for more information) or from a CEE reviewer."""
    if not actor.has_perm("detentions.review_detention"):
        _require_own(actor, detention)
    detention = _lock(detention)
    if not detention.is_open:
        raise ApplicationError(
            "The detention has been disposed of; documents can no longer be added."
        )
    record = _document_store(detention=detention, actor=actor, document=document)
    described = f"{record.get_kind_display()}: {record.title}"
    _event(
        detention,
        kind=DetentionEvent.Kind.DOCUMENT_ADDED,
        actor=actor,
        on=today or timezone.localdate(),
        # The importer is told of its own documents; CBP's stay internal.
        importer_note=described if record.by_importer else "",
        reason="" if record.by_importer else described,
    )
    return record


@transaction.atomic
def detention_proof_submit(
    *,
    detention: Detention,
    actor,
    documents: Iterable[DetentionFile] = (),
    statement: str = "",
    today: date | None = None,
) -> Detention:
    """The importer's proof of admissibility: a certificate of origin signed by the foreign
    seller and a detailed statement (19 CFR 12.43(a), (b)), with any supply-chain tracing and
    audit reports, within the three months."""
    _require_own(actor, detention)
    today = today or timezone.localdate()
    detention = _lock(detention)
    documents = list(documents)
    if any(d.kind == DetentionDocument.Kind.EXPORT_NOTICE for d in documents):
        raise ValidationError({"kind": "File an export notice on its own, not as proof."})
    for document in documents:
        _document_store(detention=detention, actor=actor, document=document)
    _refuse_unless_allowed("proof_submit", detention, today)
    return _move(
        detention,
        move="proof_submit",
        actor=actor,
        on=today,
        event=DetentionEvent.Kind.PROOF_SUBMITTED,
        action=AuditAction.DETENTION_PROOF_SUBMITTED,
        importer_note=(statement or "").strip(),
        data={"documents": [d.title for d in documents]},
    )


@transaction.atomic
def detention_export_notice_file(
    *, detention: Detention, actor, document: DetentionFile, today: date | None = None
) -> Detention:
    """The importer says it will export the goods instead (19 CFR 12.44(a)); an officer then
    records the exportation."""
    _require_own(actor, detention)
    today = today or timezone.localdate()
    detention = _lock(detention)
    if not detention.is_open:
        raise ApplicationError("The detention has been disposed of.")
    if today > detention.admissibility_deadline:
        period = "30 days" if detention.basis == Basis.UFLPA else "three months"
        raise ApplicationError(
            f"The {period} to export ended on {detention.admissibility_deadline:%Y-%m-%d}."
        )
    document = DetentionFile(
        kind=DetentionDocument.Kind.EXPORT_NOTICE,
        title=document.title,
        uploaded_file=document.uploaded_file,
        field=document.field,
    )
    record = _document_store(detention=detention, actor=actor, document=document)
    _event(
        detention,
        kind=DetentionEvent.Kind.EXPORT_NOTICE,
        actor=actor,
        on=today,
        importer_note=record.title,
    )
    audit_record(
        actor=actor,
        action=AuditAction.DETENTION_EXPORT_NOTICE_FILED,
        target=detention,
        data={"title": record.title, "sha256": record.sha256},
    )
    return detention


# Review (CEE) ------------------------------------------------------------------------------------


@transaction.atomic
def detention_review_start(*, detention: Detention, actor, today: date | None = None) -> Detention:
    """A CEE reviewer takes the importer's proof into review."""
    require_perm(actor, "detentions.review_detention", "Your role cannot review proof.")
    today = today or timezone.localdate()
    detention = _lock(detention)
    _refuse_unless_allowed("review_start", detention, today)
    return _move(
        detention,
        move="review_start",
        actor=actor,
        on=today,
        event=DetentionEvent.Kind.REVIEW_STARTED,
        action=AuditAction.DETENTION_REVIEW_STARTED,
    )


@transaction.atomic
def detention_information_request(
    *, detention: Detention, actor, message: str, today: date | None = None
) -> Detention:
    """Ask the importer for more information; it sees the request on its detention page."""
    require_perm(actor, "detentions.review_detention", "Your role cannot review proof.")
    detention = _lock(detention)
    if detention.status not in (Status.DETAINED, Status.PROOF_SUBMITTED, Status.UNDER_REVIEW):
        raise ApplicationError(
            "Information can be requested only while proof is awaited or reviewed."
        )
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": "Say what the importer should send."})
    _event(
        detention,
        kind=DetentionEvent.Kind.INFORMATION_REQUESTED,
        actor=actor,
        on=today or timezone.localdate(),
        importer_note=message,
    )
    audit_record(
        actor=actor,
        action=AuditAction.DETENTION_INFORMATION_REQUESTED,
        target=detention,
        data={"message": message},
    )
    notices.notify_detention_information_requested(detention, message)
    return detention


@transaction.atomic
def detention_recommend(
    *,
    detention: Detention,
    actor,
    recommendation: str,
    reason: str,
    today: date | None = None,
) -> Detention:
    """The CEE reviewer's recommendation on the proof; the officer decides."""
    require_perm(actor, "detentions.review_detention", "Your role cannot review proof.")
    today = today or timezone.localdate()
    detention = _lock(detention)
    if detention.status != Status.UNDER_REVIEW:
        raise ApplicationError("Take the proof into review before recommending.")
    if recommendation not in Detention.Recommendation.values:
        raise ValidationError({"recommendation": "Choose release, exclusion or seizure."})
    if not (reason or "").strip():
        raise ValidationError({"reason": "Give the reasons for the recommendation."})
    facts = _facts(detention)
    if recommendation == Detention.Recommendation.SEIZE and not facts.under_finding:
        raise ValidationError(
            {"recommendation": "Seizure needs a Finding (19 CFR 12.42(f)); recommend exclusion."}
        )
    before = detention.recommendation
    detention.recommendation = recommendation
    detention.recommended_by = actor
    detention.save(update_fields=["recommendation", "recommended_by", "updated_at"])
    _event(
        detention,
        kind=DetentionEvent.Kind.RECOMMENDED,
        actor=actor,
        on=today,
        reason=f"{detention.get_recommendation_display()}: {reason.strip()}",
    )
    audit_record(
        actor=actor,
        action=AuditAction.DETENTION_RECOMMENDED,
        target=detention,
        changes={"recommendation": (before, recommendation)},
        data={"reason": reason.strip()},
    )
    return detention


# Disposition -------------------------------------------------------------------------------------


# The name a disposition's date has in the forms and the API (``DisposeForm``, the API's moves).
DISPOSITION_DATE = "on"


def _dispose(*, detention: Detention, actor, move: str, on: date, reason: str) -> Detention:
    require_perm(actor, "detentions.dispose_detention", "Your role cannot dispose of detentions.")
    detention = _lock(detention)
    if not (reason or "").strip():
        raise ValidationError({"reason": "Give the reason for this decision."})
    if on is None:
        raise ValidationError({DISPOSITION_DATE: "Give the date."})
    problems = detention_date_problems(
        today=timezone.localdate(),
        imported_on=detention.imported_on,
        notice_on=detention.notice_on,
        disposed_on=on,
        disposed_field=DISPOSITION_DATE,
    )
    if DISPOSITION_DATE in problems:
        raise ValidationError({DISPOSITION_DATE: problems[DISPOSITION_DATE]})
    _refuse_unless_allowed(move, detention, on)
    detention = _move(
        detention,
        move=move,
        actor=actor,
        on=on,
        event=DISPOSAL_EVENTS[move],
        action=DISPOSAL_ACTIONS[move],
        importer_note=reason.strip(),
        also={"disposed_on": on, "disposition_reason": reason.strip()},
    )
    _uflpa_requests_close(detention, move=move, actor=actor, on=on, note=reason.strip())
    notices.notify_detention_decided(detention)
    return detention


def _uflpa_requests_close(detention: Detention, *, move: str, actor, on: date, note: str) -> None:
    """A disposition settles the UFLPA requests still awaiting a decision: a release grants the
    applicability review (the goods were found outside the presumption), an exclusion or a
    seizure denies it; an exception request is decided only by the approving official
    (``uflpa_exception_grant``, ``uflpa_exception_deny``), so any other disposition closes it
    undecided, as an exportation closes every request."""
    for request in UflpaRequest.objects.select_for_update().filter(
        detention=detention, state=UflpaRequest.State.SUBMITTED
    ):
        state = UflpaRequest.State.CLOSED
        if request.path == UflpaRequest.Path.APPLICABILITY_REVIEW:
            if move == "release":
                state = UflpaRequest.State.GRANTED
            elif move in ("exclude", "seize"):
                state = UflpaRequest.State.DENIED
        request.state = state
        request.decided_on = on
        request.decided_by = actor if getattr(actor, "pk", None) else None
        request.decision_note = note
        request.save(
            update_fields=["state", "decided_on", "decided_by", "decision_note", "updated_at"]
        )
        audit_record(
            actor=actor,
            action=AuditAction.UFLPA_REQUEST_DECIDED,
            target=detention,
            changes={"uflpa_request_state": (UflpaRequest.State.SUBMITTED, state)},
            data={"request": request.pk, "path": request.path, "on": on.isoformat(), "move": move},
        )


@transaction.atomic
def detention_release(*, detention: Detention, actor, on: date, reason: str) -> Detention:
    """Release: the proof shows the goods admissible, or the order no longer covers them."""
    return _dispose(detention=detention, actor=actor, move="release", on=on, reason=reason)


@transaction.atomic
def detention_export(*, detention: Detention, actor, on: date, reason: str) -> Detention:
    """The goods left the United States on the importer's export notice (19 CFR 12.44(a))."""
    return _dispose(detention=detention, actor=actor, move="export", on=on, reason=reason)


@transaction.atomic
def detention_exclude(*, detention: Detention, actor, on: date, reason: str) -> Detention:
    """Exclusion (19 CFR 12.44(a)): the proof failed, or the deadline passed without it — an
    officer confirms a proposed exclusion; the deadline job never excludes by itself."""
    return _dispose(detention=detention, actor=actor, move="exclude", on=on, reason=reason)


@transaction.atomic
def detention_seize(*, detention: Detention, actor, on: date, reason: str) -> Detention:
    """Seizure, allowed only for goods under a Finding (19 CFR 12.42(f), 12.44(b))."""
    return _dispose(detention=detention, actor=actor, move="seize", on=on, reason=reason)


def detention_exclusions_propose(*, today: date) -> int:
    """Mark each detention past its deadline with no proof as "proposed exclusion", for an
    officer to confirm. Run by the deadline job; safe to run twice at once (rows are locked and
    re-checked). Returns how many were marked."""
    ids = list(
        Detention.objects.filter(
            status=Status.DETAINED, admissibility_deadline__lt=today
        ).values_list("pk", flat=True)
    )
    marked = 0
    for pk in ids:
        with transaction.atomic():
            detention = (
                Detention.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=Status.DETAINED, admissibility_deadline__lt=today)
                .first()
            )
            if detention is None:
                continue
            _move(
                detention,
                move="propose_exclusion",
                actor=None,
                on=today,
                event=DetentionEvent.Kind.EXCLUSION_PROPOSED,
                action=AuditAction.DETENTION_EXCLUSION_PROPOSED,
                importer_note=f"No proof or export notice by {detention.admissibility_deadline:%Y-%m-%d}.",
            )
            marked += 1
    return marked


# Importer accounts -------------------------------------------------------------------------------


@transaction.atomic
def importer_account_add(*, actor, user, entity: Entity) -> ImporterAccount:
    """Tie an importer user to the company it imports for; it then sees that company's
    detentions and only those."""
    require_perm(actor, "detentions.add_importeraccount", "Your role cannot manage importers.")
    if not user.has_perm("detentions.submit_proof"):
        raise ValidationError({"user": f"{user.username} does not have the importer role."})
    if ImporterAccount.objects.filter(user=user).exists():
        raise ValidationError({"user": f"{user.username} is already tied to a company."})
    account = ImporterAccount(user=user, entity=entity, created_by=actor)
    account.full_clean()
    account.save()
    audit_record(
        actor=actor,
        action=AuditAction.IMPORTER_ACCOUNT_ADDED,
        target=account,
        data={"user": user.username, "entity": entity.name},
    )
    return account


@transaction.atomic
def importer_account_remove(*, actor, account: ImporterAccount) -> None:
    require_perm(actor, "detentions.delete_importeraccount", "Your role cannot manage importers.")
    audit_record(
        actor=actor,
        action=AuditAction.IMPORTER_ACCOUNT_REMOVED,
        target=account,
        data={"user": account.user.username, "entity": account.entity.name},
    )
    account.delete()


# Bulk import -------------------------------------------------------------------------------------


class ImportRefused(ApplicationError):
    """A file with errors: nothing stored; ``errors`` lists (row, column, message)."""

    def __init__(self, errors: list[tuple[int, str, str]]):
        self.errors = errors
        super().__init__(
            f"The file has {len(errors)} error(s); nothing was imported.",
            extra={"errors": [{"row": r, "column": c, "message": m} for r, c, m in errors]},
        )


@transaction.atomic
def detentions_import(
    *, actor, rows: Sequence[ImportRow], file_name: str, progress=None
) -> list[Detention]:
    """Store every row of a port's file, or none: rows are checked first (each error named by
    row and column, duplicates within the file included), then saved in one transaction.

    ``rows`` come from ``imports.read_rows``, which records the cells it could not convert."""
    require_perm(actor, "detentions.import_detentions", "Your role cannot import detentions.")
    errors: list[tuple[int, str, str]] = []
    checked: list[tuple[Detention, list[Order]]] = []
    seen: dict[tuple[str, int], int] = {}
    for row in rows:
        # Every row is checked in full, even one with cells that could not be read, so a file
        # is refused once with all its errors; each is named by row and column.
        unread = {column for column, _message in row.errors}
        found: dict[str, list[str]] = {}
        for column, message in row.errors:
            found.setdefault(column, []).append(message)
        if "orders" not in unread:
            basis = row.fields.get("basis", Basis.ORDER)
            for column, messages in _order_problems(row.orders, basis=basis).items():
                found.setdefault(column, []).extend(messages)
        key = None
        if "entry_line" not in unread:
            key = (
                entry_number_normalise(row.fields.get("entry_number", "")),
                row.fields["entry_line"],
            )
            if key in seen:
                found.setdefault("entry_number", []).append(
                    f"Same entry and line as row {seen[key]}."
                )
            else:
                seen[key] = row.number
        fields = {name: value for name, value in row.fields.items() if name not in unread}
        try:
            detention = _new_detention(
                actor=actor, is_demo=False, fields=fields, errors=found, skip=unread
            )
        except ValidationError as exc:
            for column, messages in exc.message_dict.items():
                # Every rule names its field; a whole-row message would be a defect here.
                column = "row" if column == NON_FIELD_ERRORS else column
                errors += [(row.number, column, message) for message in messages]
            continue
        checked.append((detention, row.orders))
    if errors:
        raise ImportRefused(sorted(errors))
    if not checked:
        raise ApplicationError("The file has no detentions in it.")
    stored = []
    for detention, orders in checked:
        detention.save()
        detention.orders.set(orders)
        _event(
            detention,
            kind=DetentionEvent.Kind.RECORDED,
            actor=actor,
            on=detention.notice_on,
            to_status=detention.status,
            reason=f"Imported from {file_name}",
        )
        audit_record(
            actor=actor,
            action=AuditAction.DETENTION_RECORDED,
            target=detention,
            data={"file": file_name, "orders": [o.number for o in orders]},
        )
        stored.append(detention)
        if progress is not None:
            progress()
    audit_record(
        actor=actor,
        action=AuditAction.DETENTIONS_IMPORTED,
        target=stored[0],
        data={"file": file_name, "count": len(stored), "entries": [str(d) for d in stored]},
    )
    return stored


# UFLPA: the importer's two paths, requests for information, the exception --------------------


def uflpa_request_refusal(detention: Detention, *, today: date) -> str | None:
    """What stops the importer filing a UFLPA request on ``detention`` today, or None: the
    UFLPA basis, an open status before a decision, and the 30 days not over."""
    if detention.basis != Basis.UFLPA:
        return (
            "Only a detention under the UFLPA presumption takes an applicability review or an "
            "exception request."
        )
    if detention.status not in (Status.DETAINED, Status.PROOF_SUBMITTED, Status.UNDER_REVIEW):
        return f"A detention that is “{detention.get_status_display().lower()}” takes no request."
    if today > detention.admissibility_deadline:
        return (
            f"The 30 days for a final admissibility decision ended on "
            f"{detention.admissibility_deadline:%Y-%m-%d}: the goods are deemed excluded "
            "(19 U.S.C. 1499(c)(5)); the exclusion may be protested."
        )
    return None


def _refuse_export_notice(documents: Sequence[DetentionFile]) -> None:
    if any(d.kind == DetentionDocument.Kind.EXPORT_NOTICE for d in documents):
        raise ValidationError({"kind": "File an export notice on its own, not with a request."})


@transaction.atomic
def uflpa_request_file(
    *,
    detention: Detention,
    actor,
    path: str,
    sector: str,
    statement: str,
    guidance_compliance: str = "",
    evidence_summary: str = "",
    documents: Iterable[DetentionFile] = (),
    today: date | None = None,
) -> UflpaRequest:
    """The importer asks for an applicability review (its tracing shows the goods outside the
    presumption) or an exception (UFLPA section 3(b)), with the documents CBP's guidance names
    (``uflpa_guidance``). Either needs the supply-chain tracing; an exception also says how the
    importer complied with the guidance and what its clear and convincing evidence is. A CEE
    then reviews it as it reviews proof."""
    _require_own(actor, detention)
    today = today or timezone.localdate()
    detention = _lock(detention)
    refusal = uflpa_request_refusal(detention, today=today)
    if refusal:
        raise ApplicationError(refusal)
    documents = list(documents)
    _refuse_export_notice(documents)
    errors: dict[str, str] = {}
    if path not in UflpaRequest.Path.values:
        errors["path"] = "Choose an applicability review or an exception request."
    if sector not in UflpaRequest.Sector.values:
        errors["sector"] = "Choose the sector of the goods: it sets the documents CBP expects."
    statement = (statement or "").strip()
    if not statement:
        errors["statement"] = (
            "Say how your tracing shows the goods outside the presumption: no input from the "
            "XUAR and no entity on the UFLPA Entity List."
            if path != UflpaRequest.Path.EXCEPTION
            else "Say why the exception is due."
        )
    if path == UflpaRequest.Path.EXCEPTION:
        if not (guidance_compliance or "").strip():
            errors["guidance_compliance"] = (
                "Say how you fully complied with CBP's UFLPA guidance (section 3(b)(1))."
            )
        if not (evidence_summary or "").strip():
            errors["evidence_summary"] = (
                "Set out the clear and convincing evidence that the goods were not made wholly "
                "or in part by forced labor (section 3(b)(3))."
            )
    kinds = set(detention.documents.values_list("kind", flat=True)) | {d.kind for d in documents}
    if DetentionDocument.Kind.SUPPLY_CHAIN not in kinds:
        errors[DetentionDocument.Kind.SUPPLY_CHAIN] = (
            "Send the supply-chain tracing from the raw material to the finished good: every "
            "party, its role and the place of each step."
        )
    if (
        path in UflpaRequest.Path.values
        and UflpaRequest.objects.filter(
            detention=detention, path=path, state=UflpaRequest.State.SUBMITTED
        ).exists()
    ):
        errors["path"] = (
            f"An {UflpaRequest.Path(path).label.lower()} is already awaiting a decision on "
            "this detention; add documents to it or answer CBP's requests instead."
        )
    for document in documents:
        errors.update(_document_check(document)[1])
    if errors:
        raise ValidationError(errors)
    for document in documents:
        _document_store(detention=detention, actor=actor, document=document)
    request = UflpaRequest(
        detention=detention,
        path=path,
        sector=sector,
        statement=statement,
        guidance_compliance=(guidance_compliance or "").strip(),
        evidence_summary=(evidence_summary or "").strip(),
        submitted_on=today,
        submitted_by=actor,
    )
    request.full_clean()
    request.save()
    event = (
        DetentionEvent.Kind.EXCEPTION_REQUESTED
        if path == UflpaRequest.Path.EXCEPTION
        else DetentionEvent.Kind.APPLICABILITY_REQUESTED
    )
    data = {
        "request": request.pk,
        "path": path,
        "sector": sector,
        "documents": [d.title for d in documents],
    }
    if detention.status == Status.DETAINED:
        _move(
            detention,
            move="uflpa_request",
            actor=actor,
            on=today,
            event=event,
            action=AuditAction.UFLPA_REQUEST_FILED,
            importer_note=statement,
            data=data,
        )
    else:
        _event(detention, kind=event, actor=actor, on=today, importer_note=statement)
        audit_record(
            actor=actor, action=AuditAction.UFLPA_REQUEST_FILED, target=detention, data=data
        )
    return request


@transaction.atomic
def detention_information_answer(
    *,
    detention: Detention,
    actor,
    request_event: DetentionEvent,
    message: str,
    documents: Iterable[DetentionFile] = (),
    today: date | None = None,
) -> DetentionEvent:
    """The importer answers one of CBP's requests for information, with text, files or both;
    the answer is threaded under the request on the detention, for both sides to see. Under
    the UFLPA an exception needs every request answered (section 3(b)(2))."""
    _require_own(actor, detention)
    today = today or timezone.localdate()
    detention = _lock(detention)
    if (
        request_event.detention_id != detention.pk
        or request_event.kind != DetentionEvent.Kind.INFORMATION_REQUESTED
    ):
        raise NotFoundError("There is no such request for information on this detention.")
    if not detention.is_open:
        raise ApplicationError("The detention has been disposed of; it takes no more answers.")
    documents = list(documents)
    _refuse_export_notice(documents)
    message = (message or "").strip()
    if not message and not documents:
        raise ValidationError({"message": "Write your answer or attach the documents asked for."})
    answer = _event(
        detention,
        kind=DetentionEvent.Kind.INFORMATION_ANSWERED,
        actor=actor,
        on=today,
        importer_note=message or "Documents sent.",
        in_reply_to=request_event,
    )
    stored = []
    for document in documents:
        record = _document_store(detention=detention, actor=actor, document=document)
        record.answer = answer
        record.save(update_fields=["answer"])
        stored.append(record)
    audit_record(
        actor=actor,
        action=AuditAction.DETENTION_INFORMATION_ANSWERED,
        target=detention,
        data={
            "request": request_event.pk,
            "message": message,
            "documents": [{"title": d.title, "sha256": d.sha256} for d in stored],
        },
    )
    return answer


# The three conditions of UFLPA section 3(b), each confirmed by the approving official.
EXCEPTION_CONDITIONS = {
    "complied_with_guidance": "the importer fully complied with CBP's UFLPA guidance "
    "(section 3(b)(1))",
    "answered_every_request": "the importer completely and substantively answered every CBP "
    "request for information (section 3(b)(2))",
    "clear_and_convincing": "clear and convincing evidence shows the goods were not mined, "
    "produced or manufactured wholly or in part by forced labor (section 3(b)(3))",
}


def _exception_to_decide(*, request: UflpaRequest, actor) -> tuple[UflpaRequest, Detention]:
    require_perm(
        actor,
        "detentions.decide_uflpa_exception",
        "Only the approving official, holding the Commissioner's authority, may grant or deny "
        "a UFLPA exception.",
    )
    detention = _lock(request.detention)
    request = UflpaRequest.objects.select_for_update().get(pk=request.pk)
    if request.path != UflpaRequest.Path.EXCEPTION:
        raise ApplicationError(
            "An applicability review is settled by the officer's release or exclusion, not by "
            "an exception decision."
        )
    if request.state != UflpaRequest.State.SUBMITTED:
        raise ApplicationError(
            f"This exception request is already “{request.get_state_display().lower()}”."
        )
    if not detention.is_open:
        raise ApplicationError("The detention has been disposed of.")
    if detention.status != Status.UNDER_REVIEW or not detention.recommendation:
        raise ApplicationError(
            "A CEE reviews the request and records a recommendation first; then the exception "
            "is decided."
        )
    return request, detention


def congress_report_goods(detention: Detention) -> str:
    """How the report to Congress names the goods: the merchandise, its HTS code, quantity
    and country of origin — nothing else of the detention."""
    quantity = f"{detention.quantity.normalize():f}"
    return (
        f"{detention.merchandise.strip()} (HTS {detention.hts_code}); {quantity} "
        f"{detention.quantity_unit}; country of origin "
        f"{country_name(detention.country_of_origin)} ({detention.country_of_origin})"
    )


def congress_report_evidence_default(detention: Detention) -> str:
    """The evidence the grant considered, as first offered to the approving official: the
    kinds of document the importer sent (its titles and file names stay in the file)."""
    kinds = sorted(
        {
            DetentionDocument.Kind(kind).label
            for kind in detention.documents.filter(by_importer=True).values_list("kind", flat=True)
        }
    )
    return "; ".join(kinds)


def _congress_report_number(year: int) -> str:
    prefix = f"UFLPA-EXC-{year}-"
    taken = CongressReport.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{taken + 1:03d}"


@transaction.atomic
def uflpa_exception_grant(
    *,
    request: UflpaRequest,
    actor,
    complied_with_guidance: bool,
    answered_every_request: bool,
    clear_and_convincing: bool,
    finding: str,
    evidence_considered: str,
    importer_note: str = "",
    today: date | None = None,
) -> CongressReport:
    """Grant an exception to the UFLPA presumption (section 3(b)): the Commissioner's authority,
    held here by the approving official, and only when all three conditions are met — the
    system refuses it while any request for information is unanswered. The goods are released,
    and the report to Congress is opened, due 30 days after the grant (section 3(c); clock rule
    ``uflpa_exception_report``)."""
    today = today or timezone.localdate()
    request, detention = _exception_to_decide(request=request, actor=actor)
    confirmed = {
        "complied_with_guidance": complied_with_guidance,
        "answered_every_request": answered_every_request,
        "clear_and_convincing": clear_and_convincing,
    }
    errors: dict[str, str] = {}
    for name, condition in EXCEPTION_CONDITIONS.items():
        if not confirmed[name]:
            errors[name] = (
                f"Confirm that {condition}: an exception may be granted only when all three "
                "conditions are met; otherwise deny it."
            )
    unanswered = list(information_requests_unanswered(detention))
    if unanswered:
        errors["answered_every_request"] = (
            f"{len(unanswered)} request(s) for information, the latest of "
            f"{unanswered[-1].on:%Y-%m-%d}, have no answer from the importer: an exception "
            "needs every one answered (section 3(b)(2))."
        )
    if not (finding or "").strip():
        errors["finding"] = "State the finding that the three conditions are met."
    if not (evidence_considered or "").strip():
        errors["evidence_considered"] = "Name the evidence considered."
    if errors:
        raise ValidationError(errors)
    told = (importer_note or "").strip() or (
        "Exception to the UFLPA presumption granted (section 3(b)); the goods are released."
    )
    request.state = UflpaRequest.State.GRANTED
    request.decided_on = today
    request.decided_by = actor
    request.decision_note = told
    request.save(update_fields=["state", "decided_on", "decided_by", "decision_note", "updated_at"])
    _event(
        detention,
        kind=DetentionEvent.Kind.EXCEPTION_GRANTED,
        actor=actor,
        on=today,
        importer_note=told,
        reason=finding.strip(),
    )
    report = CongressReport(
        request=request,
        number=_congress_report_number(today.year),
        granted_on=today,
        due_on=clocks.due_on("uflpa_exception_report", today),
        owner=actor,
        goods=congress_report_goods(detention),
        evidence_considered=evidence_considered.strip(),
        finding=finding.strip(),
        is_demo=detention.is_demo,
    )
    report.full_clean()
    report.save()
    audit_record(
        actor=actor,
        action=AuditAction.UFLPA_EXCEPTION_GRANTED,
        target=detention,
        changes={"uflpa_request_state": (UflpaRequest.State.SUBMITTED, request.state)},
        data={
            "request": request.pk,
            "conditions": sorted(EXCEPTION_CONDITIONS),
            "finding": report.finding,
            "evidence_considered": report.evidence_considered,
            "congress_report": report.number,
            "congress_report_due_on": report.due_on.isoformat(),
        },
    )
    _move(
        detention,
        move="release",
        actor=actor,
        on=today,
        event=DetentionEvent.Kind.RELEASED,
        action=AuditAction.DETENTION_RELEASED,
        importer_note=told,
        also={"disposed_on": today, "disposition_reason": told},
    )
    _uflpa_requests_close(detention, move="release", actor=actor, on=today, note=told)
    notices.notify_detention_decided(detention)
    return report


def uflpa_exception_decide(
    *,
    request: UflpaRequest,
    actor,
    decision: str,
    importer_note: str = "",
    internal_note: str = "",
    **grant,
) -> CongressReport | None:
    """The approving official's decision on an exception request as the page and the API take it:
    "grant" (the three conditions, the finding and the evidence considered; returns the report to
    Congress it opens) or "deny" (``importer_note`` is the reason the importer is told)."""
    if decision == "grant":
        return uflpa_exception_grant(
            request=request, actor=actor, importer_note=importer_note, **grant
        )
    if decision != "deny":
        raise ValidationError({"decision": "Choose to grant or to deny the exception."})
    try:
        uflpa_exception_deny(
            request=request, actor=actor, reason=importer_note, internal_note=internal_note
        )
    except ValidationError as exc:
        # The reason is what the page and the API call the importer's note.
        if hasattr(exc, "error_dict") and "reason" in exc.error_dict:
            exc.error_dict["importer_note"] = exc.error_dict.pop("reason")
        raise
    return None


@transaction.atomic
def uflpa_exception_deny(
    *,
    request: UflpaRequest,
    actor,
    reason: str,
    internal_note: str = "",
    today: date | None = None,
) -> UflpaRequest:
    """Deny an exception request: the presumption stands; the detention stays open for the
    officer's decision (exclusion, exportation) within the 30 days."""
    today = today or timezone.localdate()
    request, detention = _exception_to_decide(request=request, actor=actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Tell the importer why the exception is denied."})
    request.state = UflpaRequest.State.DENIED
    request.decided_on = today
    request.decided_by = actor
    request.decision_note = reason
    request.internal_note = (internal_note or "").strip()
    request.save(
        update_fields=[
            "state", "decided_on", "decided_by", "decision_note", "internal_note", "updated_at"
        ]
    )  # fmt: skip
    _event(
        detention,
        kind=DetentionEvent.Kind.EXCEPTION_DENIED,
        actor=actor,
        on=today,
        importer_note=reason,
        reason=request.internal_note,
    )
    audit_record(
        actor=actor,
        action=AuditAction.UFLPA_EXCEPTION_DENIED,
        target=detention,
        changes={"uflpa_request_state": (UflpaRequest.State.SUBMITTED, request.state)},
        data={"request": request.pk, "reason": reason, "internal_note": request.internal_note},
    )
    return request


@transaction.atomic
def congress_report_mark_sent(
    *, report: CongressReport, actor, sent_on: date, today: date | None = None
) -> CongressReport:
    """The report of a granted exception has gone to Congress (UFLPA section 3(c)): the task
    is done and the report is published on the public register (its ``PUBLIC_FIELDS`` only)."""
    require_perm(
        actor,
        "detentions.decide_uflpa_exception",
        "Only the approving official may send the report to Congress.",
    )
    today = today or timezone.localdate()
    report = (
        CongressReport.objects.select_for_update()
        .select_related("request__detention")
        .get(pk=report.pk)
    )
    if report.state != CongressReport.State.OPEN:
        raise ApplicationError(f"Report {report.number} was already sent on {report.sent_on}.")
    if sent_on is None:
        raise ValidationError({"sent_on": "Give the day the report went to Congress."})
    if sent_on > today:
        raise ValidationError(
            {"sent_on": f"The day sent ({sent_on:%Y-%m-%d}) is after today ({today:%Y-%m-%d})."}
        )
    if sent_on < report.granted_on:
        raise ValidationError(
            {
                "sent_on": f"The report cannot be sent ({sent_on:%Y-%m-%d}) before the "
                f"exception was granted ({report.granted_on:%Y-%m-%d})."
            }
        )
    report.state = CongressReport.State.SENT
    report.sent_on = sent_on
    report.sent_by = actor
    report.save(update_fields=["state", "sent_on", "sent_by", "updated_at"])
    detention = report.request.detention
    _event(
        detention,
        kind=DetentionEvent.Kind.CONGRESS_REPORT_SENT,
        actor=actor,
        on=sent_on,
        importer_note=f"Report {report.number} sent to Congress and published.",
    )
    audit_record(
        actor=actor,
        action=AuditAction.CONGRESS_REPORT_SENT,
        target=detention,
        changes={"congress_report_state": (CongressReport.State.OPEN, report.state)},
        data={
            "report": report.number,
            "sent_on": sent_on.isoformat(),
            "due_on": report.due_on.isoformat(),
            "late": sent_on > report.due_on,
        },
    )
    return report
