"""Every write to allegations: the public submission and follow-ups, and the triage decisions.

Public services (``allegation_submit``, ``allegation_information_answer``,
``allegation_files_add``) have no actor: the submitter is anonymous to the system, and their
audit rows name no user. Triage services take the analyst as ``actor``, check
``intake.triage_allegation``, lock the allegation row and refuse a second final decision, and
write the audit row in the same transaction.

Uploaded files are checked (by content, 19 CFR 12.42(b) reports often carry documents and photos)
before anything is written; if the transaction still fails, the files already written to storage
are removed, so nothing partial is left behind.
"""

import contextlib
import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from withhold.accounts.permissions import require_perm
from withhold.accounts.visibility import can_see
from withhold.audit.models import AuditAction
from withhold.audit.services import audit_record
from withhold.cases import services as case_services
from withhold.cases.models import Case, CaseEntity, Priority, ReferralSource
from withhold.cases.models import Status as CaseStatus
from withhold.cases.selectors import case_visible_queryset
from withhold.core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError
from withhold.core.files import CheckedFile, check_upload, display_name, storage_name
from withhold.entities.models import Entity
from withhold.entities.services import entity_create
from withhold.reference.countries import country_name, is_country
from withhold.reference.hs import hs_code_problem, hs_normalise
from withhold.reference.models import Commodity, IloIndicator

from . import elements, receipts, return_pdf
from .models import (
    CONTACT_FIELDS,
    Allegation,
    AllegationAttachment,
    AllegationReceiptSequence,
    Decision,
    IdentityRevealRequest,
    InformationRequest,
    PendingReportFile,
    ReturnNotice,
    SubmissionChannel,
    SubmitterType,
)
from .notices import (
    notify_submitter_closed,
    notify_submitter_question,
    notify_submitter_returned,
)

ALLEGATION_FIELDS = [
    "reasons",
    "merchandise_description",
    "hts_code",
    "manufacturer_name",
    "manufacturer_address",
    "country",
    "region",
    "supply_chain_companies",
    "us_importers",
    "production_period",
    "submitter_type",
    "anonymous",
    "contact_name",
    "contact_email",
    "contact_phone",
]
MIN_REASON_WORDS = 4


@dataclass(frozen=True)
class AllegationReceipt:
    """What the submitter is shown once: the receipt number and the secret follow-up code."""

    allegation: Allegation
    follow_up_code: str


# --- Files --------------------------------------------------------------------------------------


@contextlib.contextmanager
def _files_removed_on_failure() -> Iterator[list[str]]:
    """Yield a list to note stored file names in; delete them if the block raises."""
    stored: list[str] = []
    try:
        yield stored
    except BaseException:
        for name in stored:
            with contextlib.suppress(OSError):
                default_storage.delete(name)
        raise


def _check_files(files: Sequence[UploadedFile], *, already: int = 0) -> list[CheckedFile]:
    """Every file checked before any is stored: count, size and type by content."""
    limit = settings.WITHHOLD["INTAKE_MAX_ATTACHMENTS"]
    if already + len(files) > limit:
        raise ValidationError(
            {
                "attachments": _(
                    "You can send at most %(limit)d files with a report (%(left)d more now)."
                )
                % {"limit": limit, "left": max(0, limit - already)}
            }
        )
    checked = []
    for uploaded in files:
        try:
            checked.append(
                check_upload(uploaded, max_bytes=settings.WITHHOLD["INTAKE_ATTACHMENT_MAX_BYTES"])
            )
        except ApplicationError as exc:
            raise ValidationError({"attachments": exc.message}) from exc
    return checked


def _store_files(
    *,
    allegation: Allegation,
    files: Sequence[UploadedFile],
    checked: Sequence[CheckedFile],
    stored: list[str],
    information_request: InformationRequest | None = None,
) -> list[AllegationAttachment]:
    attachments = []
    for uploaded, facts in zip(files, checked, strict=True):
        attachment = AllegationAttachment(
            allegation=allegation,
            information_request=information_request,
            original_name=display_name(uploaded.name),
            content_type=facts.content_type,
            size=facts.size,
            sha256=facts.sha256,
        )
        attachment.file.save(storage_name(uploaded.name), uploaded, save=False)
        stored.append(attachment.file.name)
        attachment.save()
        attachments.append(attachment)
    return attachments


def _file_facts(attachments: Iterable[AllegationAttachment]) -> list[dict[str, Any]]:
    return [
        {"name": a.original_name, "sha256": a.sha256, "size": a.size, "type": a.content_type}
        for a in attachments
    ]


# --- Files kept while the submitter checks the report -------------------------------------------

PENDING_KEEP_HOURS = 24


def pending_session_hash(session_key: str) -> str:
    return salted_hmac("withhold.intake.pending-files", session_key, algorithm="sha256").hexdigest()


def pending_files_purge(*, now=None) -> int:
    """Remove files kept longer than ``PENDING_KEEP_HOURS`` (reports never sent), with their
    stored files; run each time a file is kept, so no scheduler is needed."""
    cutoff = (now or timezone.now()) - timedelta(hours=PENDING_KEEP_HOURS)
    stale = list(PendingReportFile.objects.filter(kept_at__lt=cutoff))
    for pending in stale:
        with contextlib.suppress(OSError):
            pending.file.delete(save=False)
    PendingReportFile.objects.filter(pk__in=[p.pk for p in stale]).delete()
    return len(stale)


def pending_files_keep(
    *, session_key: str, files: Sequence[UploadedFile]
) -> list[PendingReportFile]:
    """Check and keep the files chosen on the public form until the report is sent. The same
    limits as a sent report (count with those already kept, size, type by content)."""
    pending_files_purge()
    session_hash = pending_session_hash(session_key)
    already = PendingReportFile.objects.filter(session_hash=session_hash).count()
    checked = _check_files(files, already=already)
    kept = []
    with _files_removed_on_failure() as stored, transaction.atomic():
        for uploaded, facts in zip(files, checked, strict=True):
            pending = PendingReportFile(
                session_hash=session_hash,
                original_name=display_name(uploaded.name),
                content_type=facts.content_type,
                size=facts.size,
                sha256=facts.sha256,
            )
            pending.file.save(storage_name(uploaded.name), uploaded, save=False)
            stored.append(pending.file.name)
            pending.save()
            kept.append(pending)
    return kept


def pending_files_remove(*, session_key: str, ids: Iterable[int] = (), every: bool = False) -> None:
    """Remove kept files of this session: those of ``ids``, or all of them."""
    qs = PendingReportFile.objects.filter(session_hash=pending_session_hash(session_key))
    if not every:
        qs = qs.filter(pk__in=list(ids))
    for pending in qs:
        with contextlib.suppress(OSError):
            pending.file.delete(save=False)
        pending.delete()


def pending_files_as_uploads(*, session_key: str) -> list[UploadedFile]:
    """The session's kept files as uploads, to send with the report (checked again there)."""
    uploads = []
    qs = PendingReportFile.objects.filter(session_hash=pending_session_hash(session_key))
    for pending in qs:
        with pending.file.open("rb") as stored:
            uploads.append(
                SimpleUploadedFile(pending.original_name, stored.read(), pending.content_type)
            )
    return uploads


# --- Submission ---------------------------------------------------------------------------------


def _clean_submission(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(ALLEGATION_FIELDS)
    if unknown:
        raise ApplicationError(f"Unknown allegation fields: {', '.join(sorted(unknown))}.")
    data = {name: fields.get(name, "") for name in ALLEGATION_FIELDS}
    data["anonymous"] = bool(fields.get("anonymous", False))
    for name, value in data.items():
        if isinstance(value, str):
            data[name] = value.strip()
    errors: dict[str, str] = {}
    if not data["reasons"]:
        errors["reasons"] = _("Say why you believe the goods are made with forced labor.")
    if not data["merchandise_description"]:
        errors["merchandise_description"] = _("Describe the goods.")
    if data["submitter_type"] not in SubmitterType.values:
        errors["submitter_type"] = _("Choose who you are.")
    data["country"] = (data["country"] or "").upper()
    if data["country"] and not is_country(data["country"]):
        errors["country"] = _("Choose a country from the list.")
    if data["hts_code"]:
        data["hts_code"] = hs_normalise(data["hts_code"])
        problem = hs_code_problem(data["hts_code"])
        if problem:
            errors["hts_code"] = problem
    if data["anonymous"]:
        for name in CONTACT_FIELDS:
            data[name] = ""
    elif not (data["contact_email"] or data["contact_phone"]):
        errors["contact_email"] = _(
            "Give an e-mail address or a phone number, or choose to report anonymously."
        )
    if errors:
        raise ValidationError(errors)
    return data


def _next_receipt_number(year: int) -> str:
    sequence, _created = AllegationReceiptSequence.objects.select_for_update().get_or_create(
        year=year
    )
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    prefix = settings.WITHHOLD["ALLEGATION_RECEIPT_PREFIX"]
    return f"{prefix}-{year}-{sequence.last_value:06d}"


def _ilo_indicators(ids: Iterable[int]) -> list[IloIndicator]:
    wanted = {int(i) for i in ids}
    found = list(IloIndicator.objects.filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise ValidationError({"ilo_indicators": _("Choose signs of forced labor from the list.")})
    return found


def allegation_submit(
    *,
    ilo_indicators: Iterable[int] = (),
    files: Sequence[UploadedFile] = (),
    channel: str = SubmissionChannel.WEB,
    is_demo: bool = False,
    **fields: Any,
) -> AllegationReceipt:
    """Receive a report from anyone, anonymous or not (19 CFR 12.42(b)): give it a receipt number
    and a follow-up code. All or nothing: a refused file or field stores nothing."""
    with _files_removed_on_failure() as stored:
        return _allegation_submit(
            ilo_indicators=ilo_indicators,
            files=files,
            channel=channel,
            is_demo=is_demo,
            stored=stored,
            fields=fields,
        )


@transaction.atomic
def _allegation_submit(
    *,
    ilo_indicators: Iterable[int],
    files: Sequence[UploadedFile],
    channel: str,
    is_demo: bool,
    stored: list[str],
    fields: dict[str, Any],
) -> AllegationReceipt:
    data = _clean_submission(fields)
    indicators = _ilo_indicators(ilo_indicators)
    checked = _check_files(files)
    code = receipts.follow_up_code_new()
    allegation = Allegation(
        **data,
        channel=channel,
        is_demo=is_demo,
        follow_up_code_hash=receipts.follow_up_code_hash(code),
    )
    allegation.receipt_number = _next_receipt_number(timezone.localdate().year)
    allegation.full_clean()
    allegation.save()
    allegation.ilo_indicators.set(indicators)
    attachments = _store_files(allegation=allegation, files=files, checked=checked, stored=stored)
    # The report's contents stay in the access-controlled allegation; the audit row says only
    # that it arrived, how, and which files (by hash) came with it.
    audit_record(
        actor=None,
        action=AuditAction.ALLEGATION_RECEIVED,
        target=allegation,
        data={
            "channel": channel,
            "anonymous": allegation.anonymous,
            "submitter_type": allegation.submitter_type,
            "attachments": _file_facts(attachments),
        },
    )
    return AllegationReceipt(allegation=allegation, follow_up_code=code)


# --- Submitter follow-up ------------------------------------------------------------------------


def _lock(allegation: Allegation) -> Allegation:
    return Allegation.objects.select_for_update().get(pk=allegation.pk)


def _open_question(allegation: Allegation) -> InformationRequest | None:
    return (
        InformationRequest.objects.select_for_update()
        .filter(allegation=allegation, answered_at__isnull=True)
        .first()
    )


def allegation_information_answer(
    *, allegation: Allegation, answer: str, files: Sequence[UploadedFile] = ()
) -> InformationRequest:
    """The submitter answers the division's open question, optionally with files."""
    with _files_removed_on_failure() as stored:
        return _allegation_information_answer(
            allegation=allegation, answer=answer, files=files, stored=stored
        )


@transaction.atomic
def _allegation_information_answer(
    *, allegation: Allegation, answer: str, files: Sequence[UploadedFile], stored: list[str]
) -> InformationRequest:
    allegation = _lock(allegation)
    if allegation.is_final:
        raise ApplicationError(_("This report has been decided; no answer is needed now."))
    question = _open_question(allegation)
    if question is None:
        raise ApplicationError(_("There is no open question on this report to answer."))
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write your answer.")})
    checked = _check_files(files, already=allegation.attachments.count())
    question.answer = answer
    question.answered_at = timezone.now()
    question.full_clean()
    question.save(update_fields=["answer", "answered_at"])
    attachments = _store_files(
        allegation=allegation,
        files=files,
        checked=checked,
        stored=stored,
        information_request=question,
    )
    audit_record(
        actor=None,
        action=AuditAction.ALLEGATION_INFO_ANSWERED,
        target=allegation,
        data={"information_request": question.pk, "attachments": _file_facts(attachments)},
    )
    return question


def allegation_files_add(
    *, allegation: Allegation, files: Sequence[UploadedFile]
) -> list[AllegationAttachment]:
    """The submitter adds files to a report that is not closed."""
    with _files_removed_on_failure() as stored:
        return _allegation_files_add(allegation=allegation, files=files, stored=stored)


@transaction.atomic
def _allegation_files_add(
    *, allegation: Allegation, files: Sequence[UploadedFile], stored: list[str]
) -> list[AllegationAttachment]:
    allegation = _lock(allegation)
    if allegation.decision == Decision.DECLINED:
        raise ApplicationError(_("This report is closed; files can no longer be added."))
    if not files:
        raise ValidationError({"attachments": _("Choose at least one file.")})
    checked = _check_files(files, already=allegation.attachments.count())
    attachments = _store_files(allegation=allegation, files=files, checked=checked, stored=stored)
    audit_record(
        actor=None,
        action=AuditAction.ALLEGATION_FILES_ADDED,
        target=allegation,
        case_id=allegation.case_id,
        data={"attachments": _file_facts(attachments)},
    )
    return attachments


# --- Triage -------------------------------------------------------------------------------------

# What else happens, in the same transaction, when an allegation is filed into a case (a case
# opened from it, or it attached to one): each handler is called with ``allegation``, ``case``
# and ``actor``. The evidence app registers the copy of the allegation's files as evidence items
# (``evidence.services.evidence_from_allegation``, in ``evidence/apps.py``): it sits above intake
# in the layers, so intake names it only through this list.
ALLEGATION_FILED_HANDLERS: list[Callable[..., Any]] = []


def _allegation_filed(*, allegation: Allegation, case: Case, actor) -> None:
    for handler in ALLEGATION_FILED_HANDLERS:
        handler(allegation=allegation, case=case, actor=actor)


def _require_open(allegation: Allegation) -> None:
    """Every allegation ends in exactly one final decision: a second one is refused."""
    if allegation.is_final:
        raise ApplicationError(
            f"{allegation.receipt_number} was already decided "
            f"({Decision(allegation.decision).label.lower()}, "
            f"{timezone.localtime(allegation.decided_at):%Y-%m-%d %H:%M})."
        )


def _decide(allegation: Allegation, *, decision: str, actor, **facts: Any) -> Allegation:
    allegation.decision = decision
    allegation.decided_by = actor
    allegation.decided_at = timezone.now()
    for name, value in facts.items():
        setattr(allegation, name, value)
    allegation.full_clean()
    allegation.save()
    return allegation


def _words(text: str) -> int:
    return len((text or "").split())


@dataclass(frozen=True)
class CaseOpening:
    """What the analyst chooses when opening a case; everything else comes from the report."""

    commodity: Commodity
    title: str
    source_country: str
    priority: str = Priority.MEDIUM
    manufacturer_entity: Entity | None = None


def allegation_referral_source(allegation: Allegation) -> str:
    return ReferralSource.ANONYMOUS_TIP if allegation.anonymous else ReferralSource.E_ALLEGATION


def allegation_case_title(allegation: Allegation) -> str:
    """A suggested case title: merchandise, producer and country (the case title's definition)."""
    goods = " ".join(allegation.merchandise_description.split()[:8])
    parts = [goods]
    if allegation.manufacturer_name:
        parts.append(f"from {allegation.manufacturer_name}")
    if allegation.country:
        parts.append(f"({country_name(allegation.country)})")
    return " ".join(parts)[:200]


@transaction.atomic
def allegation_case_open(*, allegation: Allegation, actor, opening: CaseOpening) -> Case:
    """Open a new case from the allegation, its fields taken from the report: the reasons as the
    allegation summary (12.42(b)(1)), the HTS code, country, ILO indicators, the date received,
    the manufacturer as a supply-chain entity, and a timeline entry saying where it came from."""
    require_perm(actor, "intake.triage_allegation", "Your role cannot triage allegations.")
    require_perm(actor, "cases.add_case", "Your role cannot open cases.")
    allegation = _lock(allegation)
    _require_open(allegation)
    entity = opening.manufacturer_entity
    if entity is None and allegation.manufacturer_name:
        entity = entity_create(
            actor=actor,
            name=allegation.manufacturer_name,
            country=opening.source_country or allegation.country,
            address=allegation.manufacturer_address,
            notes=f"Named as producer in allegation {allegation.receipt_number}.",
            is_demo=allegation.is_demo,
        )
    links = [case_services.EntityLink(entity=entity, role=CaseEntity.Role.MANUFACTURER)]
    received_on = timezone.localdate(allegation.created_at)
    case = case_services.case_create(
        actor=actor,
        entity_links=links if entity else [],
        ilo_indicators=list(allegation.ilo_indicators.values_list("pk", flat=True)),
        is_demo=allegation.is_demo,
        title=opening.title,
        allegation_summary=allegation.reasons,
        commodity=opening.commodity,
        hts_code=allegation.hts_code,
        source_country=opening.source_country,
        referral_source=allegation_referral_source(allegation),
        received_on=received_on,
        priority=opening.priority,
    )
    case_services.case_update_add(
        case=case,
        actor=actor,
        occurred_on=timezone.localdate(),
        text=f"Case opened from allegation {allegation.receipt_number}, received on "
        f"{received_on:%Y-%m-%d} through the allegations portal.",
    )
    _decide(allegation, decision=Decision.CASE_OPENED, actor=actor, case=case)
    _allegation_filed(allegation=allegation, case=case, actor=actor)
    audit_record(
        actor=actor,
        action=AuditAction.ALLEGATION_CASE_OPENED,
        target=allegation,
        case_id=case.pk,
        changes={"decision": ("", Decision.CASE_OPENED)},
        data={"case": case.number, "entity_id": entity.pk if entity else None},
    )
    return case


@transaction.atomic
def allegation_case_attach(*, allegation: Allegation, case: Case, actor, note: str = "") -> Case:
    """Attach the allegation to an existing case the analyst can see (a further report about the
    same producer or goods), noting it on the case's timeline."""
    require_perm(actor, "intake.triage_allegation", "Your role cannot triage allegations.")
    allegation = _lock(allegation)
    _require_open(allegation)
    if not case_visible_queryset(actor).filter(pk=case.pk).exists():
        raise NotFoundError(f"There is no case {case.number} that you can see.")
    if case.status == CaseStatus.CLOSED:
        raise ApplicationError(
            f"{case.number} is closed; open a new case from the allegation instead."
        )
    text = (
        f"Allegation {allegation.receipt_number}, received on "
        f"{timezone.localdate(allegation.created_at):%Y-%m-%d}, was attached to this case."
    )
    if (note or "").strip():
        text = f"{text} {note.strip()}"
    case_services.case_update_add(
        case=case, actor=actor, occurred_on=timezone.localdate(), text=text
    )
    _decide(allegation, decision=Decision.ATTACHED, actor=actor, case=case)
    _allegation_filed(allegation=allegation, case=case, actor=actor)
    audit_record(
        actor=actor,
        action=AuditAction.ALLEGATION_ATTACHED,
        target=allegation,
        case_id=case.pk,
        changes={"decision": ("", Decision.ATTACHED)},
        data={"case": case.number},
    )
    return case


@transaction.atomic
def allegation_information_request(
    *, allegation: Allegation, actor, question: str
) -> InformationRequest:
    """Return the report with written advice on what is missing (19 CFR 12.42(c)); the submitter
    reads the question on the receipt page and answers there."""
    require_perm(actor, "intake.triage_allegation", "Your role cannot triage allegations.")
    allegation = _lock(allegation)
    _require_open(allegation)
    if _open_question(allegation) is not None:
        raise ApplicationError(
            f"{allegation.receipt_number} already has an unanswered question; wait for the "
            "submitter's answer."
        )
    question = (question or "").strip()
    if _words(question) < MIN_REASON_WORDS:
        raise ValidationError(
            {"question": "Ask the submitter a full question: say what is missing and why."}
        )
    now = timezone.now()
    request = InformationRequest.objects.create(
        allegation=allegation, question=question, asked_by=actor, asked_at=now
    )
    before = allegation.decision
    _decide(allegation, decision=Decision.INFO_REQUESTED, actor=actor)
    audit_record(
        actor=actor,
        action=AuditAction.ALLEGATION_INFO_REQUESTED,
        target=allegation,
        changes={"decision": (before, Decision.INFO_REQUESTED)},
        data={"question": question},
    )
    notify_submitter_question(request)
    return request


def _assessments(allegation: Allegation) -> list[elements.ElementAssessment]:
    return elements.assess(
        elements.ReportFacts(
            reasons=allegation.reasons,
            merchandise_description=allegation.merchandise_description,
            hts_code=allegation.hts_code,
            manufacturer_name=allegation.manufacturer_name,
            manufacturer_address=allegation.manufacturer_address,
            country=allegation.country,
            region=allegation.region,
            supply_chain_companies=allegation.supply_chain_companies,
            us_importers=allegation.us_importers,
            production_period=allegation.production_period,
            ilo_indicator_count=allegation.ilo_indicators.count(),
            attachment_count=allegation.attachments.count(),
        )
    )


@transaction.atomic
def allegation_return_with_reasons(*, allegation: Allegation, actor, reasons: str) -> ReturnNotice:
    """Return a report that lacks the elements of 19 CFR 12.42(b) with the "detailed written
    advice" of 12.42(c): a notice naming each element not met (``elements.assess``) with what
    to add, and the analyst's reasons, kept as a PDF with its SHA-256. The submitter reads it
    through the receipt and answers the question that comes with it; the allegation waits for
    the answer (decision "more information requested").

    A submitter who left an e-mail address is sent the same advice (``notices``, once this
    transaction commits)."""
    require_perm(actor, "intake.triage_allegation", "Your role cannot triage allegations.")
    allegation = _lock(allegation)
    _require_open(allegation)
    if _open_question(allegation) is not None:
        raise ApplicationError(
            f"{allegation.receipt_number} already has an unanswered question; wait for the "
            "submitter's answer."
        )
    reasons = (reasons or "").strip()
    if _words(reasons) < MIN_REASON_WORDS:
        raise ValidationError({"reasons": "Say in a sentence or two why the report is returned."})
    missing = [
        {"key": a.key, "label": a.label, "level": a.level, "advice": list(a.advice)}
        for a in _assessments(allegation)
        if not a.is_good
    ]
    if not missing:
        raise ApplicationError(
            "The report has all three elements of 19 CFR 12.42(b); ask the submitter a question "
            "instead of returning it."
        )
    now = timezone.now()
    lines = return_pdf.return_notice_text(
        receipt_number=allegation.receipt_number,
        received_on=timezone.localdate(allegation.created_at),
        issued_on=timezone.localdate(now),
        missing=missing,
        reasons=reasons,
    )
    content = return_pdf.return_notice_pdf(lines)
    question = (
        "Your report is returned with reasons: please complete "
        + ", ".join(m["label"].lower() for m in missing)
        + ". "
        + reasons
    )
    request = InformationRequest.objects.create(
        allegation=allegation, question=question, asked_by=actor, asked_at=now
    )
    notice = ReturnNotice(
        allegation=allegation,
        information_request=request,
        reasons=reasons,
        missing=missing,
        pdf_size=len(content),
        pdf_sha256=hashlib.sha256(content).hexdigest(),
        issued_by=actor,
        issued_at=now,
    )
    with _files_removed_on_failure() as stored:
        notice.pdf.save(f"return-{allegation.receipt_number}.pdf", ContentFile(content), save=False)
        stored.append(notice.pdf.name)
        notice.save()
        before = allegation.decision
        _decide(allegation, decision=Decision.INFO_REQUESTED, actor=actor)
        audit_record(
            actor=actor,
            action=AuditAction.ALLEGATION_INFO_REQUESTED,
            target=allegation,
            changes={"decision": (before, Decision.INFO_REQUESTED)},
            data={
                "question": question,
                "return_notice": notice.pk,
                "missing": [m["key"] for m in missing],
                "pdf_sha256": notice.pdf_sha256,
            },
        )
    notify_submitter_returned(allegation, "\n".join(text for _kind, text in lines))
    return notice


@transaction.atomic
def allegation_decline(*, allegation: Allegation, actor, reason: str) -> Allegation:
    """Decline the allegation with a reason the division keeps (no credible link to forced labor,
    no U.S. nexus, outside Section 307...)."""
    require_perm(actor, "intake.triage_allegation", "Your role cannot triage allegations.")
    allegation = _lock(allegation)
    _require_open(allegation)
    reason = (reason or "").strip()
    if _words(reason) < MIN_REASON_WORDS:
        raise ValidationError({"reason": "Say in a sentence why the allegation is declined."})
    before = allegation.decision
    _decide(allegation, decision=Decision.DECLINED, actor=actor, decline_reason=reason)
    audit_record(
        actor=actor,
        action=AuditAction.ALLEGATION_DECLINED,
        target=allegation,
        changes={"decision": (before, Decision.DECLINED)},
        data={"reason": reason},
    )
    notify_submitter_closed(allegation)
    return allegation


def allegation_attachment_downloaded(*, attachment: AllegationAttachment, actor) -> None:
    """Chain of custody: who downloaded which file, when."""
    audit_record(
        actor=actor,
        action=AuditAction.ALLEGATION_ATTACHMENT_DOWNLOADED,
        target=attachment,
        case_id=attachment.allegation.case_id,
        data={"allegation": attachment.allegation.receipt_number, "sha256": attachment.sha256},
    )


# --- Retention of the submitter's identity -------------------------------------------------------


def allegation_identity_erasure_due(*, now) -> Any:
    """Declined allegations whose submitter's identity has been kept for the retention period
    (``WITHHOLD['INTAKE_IDENTITY_RETENTION_DAYS']`` after the decline), with no litigation hold
    and something left to erase."""
    from datetime import timedelta

    cutoff = now - timedelta(days=settings.WITHHOLD["INTAKE_IDENTITY_RETENTION_DAYS"])
    return Allegation.objects.filter(
        decision=Decision.DECLINED,
        decided_at__lte=cutoff,
        litigation_hold=False,
        identity_erased_at__isnull=True,
        anonymous=False,
    )


def allegation_identities_erase(*, now=None) -> int:
    """Blank the name, e-mail and phone of every allegation due (one transaction and one audit
    row each, so a failure leaves the others done); returns how many were erased. The report
    itself stays: only who sent it goes. Rows locked by someone else are left for the next run,
    and the hold is read again under the lock, so a hold set meanwhile wins."""
    now = now or timezone.now()
    erased = 0
    for pk in list(allegation_identity_erasure_due(now=now).values_list("pk", flat=True)):
        with transaction.atomic():
            allegation = (
                allegation_identity_erasure_due(now=now)
                .select_for_update(skip_locked=True, of=("self",))
                .filter(pk=pk)
                .first()
            )
            if allegation is None:
                continue
            for field in CONTACT_FIELDS:
                setattr(allegation, field, "")
            allegation.identity_erased_at = now
            allegation.full_clean()
            allegation.save(update_fields=[*CONTACT_FIELDS, "identity_erased_at", "updated_at"])
            audit_record(
                actor=None,
                action=AuditAction.ALLEGATION_IDENTITY_ERASED,
                target=allegation,
                data={
                    "fields": list(CONTACT_FIELDS),
                    "declined_at": timezone.localtime(allegation.decided_at).isoformat(),
                    "retention_days": settings.WITHHOLD["INTAKE_IDENTITY_RETENTION_DAYS"],
                },
            )
            erased += 1
    return erased


@transaction.atomic
def allegation_litigation_hold_set(*, allegation: Allegation, actor, reason: str) -> Allegation:
    """Keep the submitter's identity past the retention period (litigation, an investigation)."""
    require_perm(
        actor, "intake.hold_allegation", "Only a supervisor can set or release a litigation hold."
    )
    allegation = _lock(allegation)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the identity must be kept."})
    if allegation.litigation_hold:
        raise ApplicationError(f"{allegation.receipt_number} is already on litigation hold.")
    if allegation.identity_erased_at is not None:
        raise ApplicationError(
            f"The submitter's identity on {allegation.receipt_number} was already erased on "
            f"{timezone.localdate(allegation.identity_erased_at):%Y-%m-%d}; there is nothing "
            "left to hold."
        )
    allegation.litigation_hold = True
    allegation.litigation_hold_reason = reason
    allegation.full_clean()
    allegation.save(update_fields=["litigation_hold", "litigation_hold_reason", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.ALLEGATION_LITIGATION_HOLD_SET,
        target=allegation,
        case_id=allegation.case_id,
        changes={"litigation_hold": (False, True)},
        data={"reason": reason},
    )
    return allegation


@transaction.atomic
def allegation_litigation_hold_release(*, allegation: Allegation, actor, reason: str) -> Allegation:
    """Release the hold; the identity is erased at the next run if its retention has passed."""
    require_perm(
        actor, "intake.hold_allegation", "Only a supervisor can set or release a litigation hold."
    )
    allegation = _lock(allegation)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the hold is released."})
    if not allegation.litigation_hold:
        raise ApplicationError(f"{allegation.receipt_number} is not on litigation hold.")
    allegation.litigation_hold = False
    allegation.litigation_hold_reason = ""
    allegation.full_clean()
    allegation.save(update_fields=["litigation_hold", "litigation_hold_reason", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.ALLEGATION_LITIGATION_HOLD_RELEASED,
        target=allegation,
        case_id=allegation.case_id,
        changes={"litigation_hold": (True, False)},
        data={"reason": reason},
    )
    return allegation


# --- Revealing a submitter's identity -----------------------------------------------------------

MIN_REVEAL_REASON_WORDS = 4


@transaction.atomic
def identity_reveal_request(*, allegation: Allegation, actor, reason: str) -> IdentityRevealRequest:
    """A reader who may read the allegation but not its submitter's identity asks to see it,
    saying why. ``allegation`` must have been read through ``selectors.allegation_get_for_user``
    (the reader may see it)."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDeniedError("Sign in to do this.")
    if allegation.anonymous:
        raise ApplicationError("The submitter reported anonymously: there is no identity to see.")
    if can_see(actor, "allegation.submitter_identity"):
        raise ApplicationError("Your role already sees the submitter's identity.")
    reason = (reason or "").strip()
    if len(reason.split()) < MIN_REVEAL_REASON_WORDS:
        raise ValidationError({"reason": "Say in a sentence why you need to know who it is."})
    waiting = IdentityRevealRequest.objects.filter(
        allegation=allegation, requested_by=actor, state__in=["requested", "granted"]
    ).first()
    if waiting is not None:
        raise ApplicationError(
            "You already asked for this submitter's identity"
            + (
                " and it was granted."
                if waiting.state == "granted"
                else "; a supervisor will decide."
            )
        )
    request = IdentityRevealRequest.objects.create(
        allegation=allegation, requested_by=actor, reason=reason, requested_at=timezone.now()
    )
    audit_record(
        actor=actor,
        action=AuditAction.IDENTITY_REVEAL_REQUESTED,
        target=request,
        data={"allegation": allegation.receipt_number, "reason": reason},
    )
    return request


@transaction.atomic
def identity_reveal_decide(
    *, request: IdentityRevealRequest, actor, grant: bool
) -> IdentityRevealRequest:
    """A supervisor grants or refuses a request to see a submitter's identity."""
    require_perm(
        actor,
        "intake.grant_identity_reveal",
        "Only a supervisor can grant a request to see a submitter's identity.",
    )
    request = IdentityRevealRequest.objects.select_for_update().get(pk=request.pk)
    if request.state != IdentityRevealRequest.State.REQUESTED:
        raise ApplicationError(f"This request was already {request.get_state_display().lower()}.")
    if request.requested_by_id == actor.pk:
        raise PermissionDeniedError("Someone else must decide your own request.")
    before = request.state
    request.state = (
        IdentityRevealRequest.State.GRANTED if grant else IdentityRevealRequest.State.REFUSED
    )
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save(update_fields=["state", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action=AuditAction.IDENTITY_REVEAL_GRANTED
        if grant
        else AuditAction.IDENTITY_REVEAL_REFUSED,
        target=request,
        changes={"state": (before, request.state)},
        data={
            "allegation": request.allegation.receipt_number,
            "requested_by": str(request.requested_by),
        },
    )
    return request


def identity_revealed(*, allegation: Allegation, actor) -> None:
    """Every showing of a submitter's identity under a granted request is audited."""
    audit_record(
        actor=actor,
        action=AuditAction.IDENTITY_REVEALED,
        target=allegation,
        data={"allegation": allegation.receipt_number},
    )
