"""Reads of allegations. ``allegation_visible_queryset`` is the one place that says which
allegations a staff user may see; ``allegation_get_for_user`` and ``allegation_get_for_submitter``
answer "not found" alike for a missing allegation and one the caller may not see (for the
submitter: a wrong follow-up code)."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from withhold.accounts.visibility import can_see
from withhold.cases.models import Case, CaseEntity
from withhold.cases.models import Status as CaseStatus
from withhold.cases.selectors import case_visible_queryset
from withhold.core.csv_export import csv_safe
from withhold.core.exceptions import NotFoundError
from withhold.core.search import TextSearch
from withhold.reference.models import Commodity

from . import elements, matching, receipts, triage
from .models import (
    CONTACT_FIELDS,
    Allegation,
    AllegationAttachment,
    Decision,
    IdentityRevealRequest,
    InformationRequest,
    PendingReportFile,
    ReturnNotice,
)

NOT_FOUND_SUBMITTER = "We could not find a report with that receipt number and follow-up code."


def allegation_visible_queryset(user) -> QuerySet[Allegation]:
    """All allegations (``view_allegation``), or those linked to a case the user can see
    (``view_linked_allegation``), or none."""
    qs = Allegation.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.has_perm("intake.view_allegation"):
        return qs
    if user.has_perm("intake.view_linked_allegation"):
        return qs.filter(case__in=case_visible_queryset(user))
    return qs.none()


def _case_visible(user):
    """Whether the allegation's case (if any) is one ``user`` may see: a case hidden from the
    reader (law-enforcement-sensitive) is never named on an allegation page, list, CSV or API."""
    return Exists(case_visible_queryset(user).filter(pk=OuterRef("case_id")))


def visible_case_number(allegation: Allegation) -> str | None:
    """The number of the allegation's case if the reader may see it (the allegation was read
    through ``allegation_get_for_user`` or ``allegation_queue``, which annotate it), else
    ``None``."""
    if not allegation.case_id or not getattr(allegation, "case_visible", False):
        return None
    return allegation.case.number


def can_read_allegations(user) -> bool:
    return user.has_perm("intake.view_allegation") or user.has_perm("intake.view_linked_allegation")


def _open_question_exists():
    return Exists(
        InformationRequest.objects.filter(allegation=OuterRef("pk"), answered_at__isnull=True)
    )


def allegation_get_for_user(*, user, receipt_number: str) -> Allegation:
    receipt_number = receipts.receipt_number_normalise(receipt_number)
    allegation = (
        allegation_visible_queryset(user)
        .select_related("case", "decided_by")
        .prefetch_related(
            "ilo_indicators",
            Prefetch(
                "information_requests",
                queryset=InformationRequest.objects.select_related("asked_by"),
            ),
            "attachments",
        )
        .annotate(has_open_question=_open_question_exists(), case_visible=_case_visible(user))
        .filter(receipt_number=receipt_number)
        .first()
    )
    if allegation is None:
        raise NotFoundError(f"There is no allegation {receipt_number} that you can see.")
    return allegation


# A hash to compare against when the receipt number is unknown, so that an unknown receipt and a
# wrong code take the same work and give the same answer.
_NO_SUCH_HASH = receipts.follow_up_code_hash("no-such-allegation")


def allegation_get_for_submitter(*, receipt_number: str, code: str) -> Allegation:
    """The submitter's own report, by receipt number and follow-up code."""
    allegation = (
        Allegation.objects.select_related("case")
        .prefetch_related(
            Prefetch("information_requests", queryset=InformationRequest.objects.all()),
            "attachments",
        )
        .annotate(has_open_question=_open_question_exists())
        .filter(receipt_number=receipts.receipt_number_normalise(receipt_number))
        .first()
    )
    stored = allegation.follow_up_code_hash if allegation else _NO_SUCH_HASH
    matches = receipts.follow_up_code_matches(code, stored)
    if allegation is None or not matches:
        raise NotFoundError(NOT_FOUND_SUBMITTER)
    return allegation


def allegation_get_for_session(*, receipt_number: str) -> Allegation | None:
    """The submitter's report once the code was checked earlier in this browser session."""
    return (
        Allegation.objects.select_related("case")
        .prefetch_related("information_requests", "attachments")
        .annotate(has_open_question=_open_question_exists())
        .filter(receipt_number=receipts.receipt_number_normalise(receipt_number))
        .first()
    )


def return_notice_for_allegation(*, allegation: Allegation, notice_id: int):
    """A return notice of an allegation the caller was already allowed to read, or None."""
    return (
        ReturnNotice.objects.select_related("allegation", "issued_by")
        .filter(allegation=allegation, pk=notice_id)
        .first()
    )


def pending_files(*, session_key: str) -> list[PendingReportFile]:
    """The files this browser session chose on the public form and that wait to be sent."""
    from .services import pending_session_hash

    return list(PendingReportFile.objects.filter(session_hash=pending_session_hash(session_key)))


def allegation_public_status(allegation: Allegation) -> str:
    has_open = getattr(allegation, "has_open_question", None)
    if has_open is None:
        has_open = allegation.information_requests.filter(answered_at__isnull=True).exists()
    return triage.public_status(
        decision=allegation.decision,
        has_open_question=has_open,
        case_status=allegation.case.status if allegation.case_id else "",
    )


def allegation_facts(allegation: Allegation, *, ilo_count: int, attachment_count: int):
    return elements.ReportFacts(
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
        ilo_indicator_count=ilo_count,
        attachment_count=attachment_count,
    )


# --- The triage queue ---------------------------------------------------------------------------

QUEUE_STATES = {
    "waiting": "Waiting for triage",
    "asked": "Waiting for the submitter",
    "decided": "Decided",
    "all": "All",
}
QUEUE_SORTS = {"received": "created_at", "country": "country", "receipt": "receipt_number"}
DEFAULT_QUEUE_SORT = "received"


@dataclass(frozen=True)
class QueueFilters:
    state: str = "waiting"
    country: str = ""
    overdue: bool = False
    q: str = ""


@dataclass(frozen=True)
class QueueRow:
    allegation: Allegation
    assessments: list[elements.ElementAssessment]
    complete: int
    age_days: int
    overdue: bool
    waiting: bool
    due_on: date  # the 19 CFR 12.42(c) date, in the agency's calendar
    days_left: int  # on that clock; negative once it has passed

    @property
    def days_overdue(self) -> int:
        return -self.days_left


# Every word in the receipt number, manufacturer or merchandise (trigram indexes on PostgreSQL),
# or a full-text match of manufacturer and merchandise. Migration intake/0003.
ALLEGATION_SEARCH = TextSearch(
    fields=("receipt_number", "manufacturer_name", "merchandise_description"),
    document=("manufacturer_name", "merchandise_description"),
)


def allegation_queue(
    *, user, filters: QueueFilters, today: date, sort: str = DEFAULT_QUEUE_SORT
) -> QuerySet[Allegation]:
    """Allegations for the triage queue, oldest first by default, with what each row shows
    annotated so a page costs a fixed number of queries."""
    qs = (
        allegation_visible_queryset(user)
        .select_related("case", "decided_by")
        .annotate(
            has_open_question=_open_question_exists(),
            case_visible=_case_visible(user),
            ilo_count=Count("ilo_indicators", distinct=True),
            attachment_count=Count("attachments", distinct=True),
        )
    )
    waiting = Q(decision="") | (Q(decision=Decision.INFO_REQUESTED) & Q(has_open_question=False))
    if filters.state == "waiting":
        qs = qs.filter(waiting)
    elif filters.state == "asked":
        qs = qs.filter(decision=Decision.INFO_REQUESTED, has_open_question=True)
    elif filters.state == "decided":
        qs = qs.filter(decision__in=[Decision.CASE_OPENED, Decision.ATTACHED, Decision.DECLINED])
    if filters.country:
        qs = qs.filter(country=filters.country.upper())
    if filters.overdue:
        days = settings.WITHHOLD["INTAKE_TRIAGE_DAYS"]
        first_day = triage.overdue_if_received_before(today=today, days=days)
        cutoff = timezone.make_aware(datetime.combine(first_day, time.min))
        qs = qs.filter(waiting, created_at__lt=cutoff)
    qs = ALLEGATION_SEARCH.filter(qs, filters.q)
    descending = sort.startswith("-")
    key = QUEUE_SORTS.get(sort.lstrip("-"), QUEUE_SORTS[DEFAULT_QUEUE_SORT])
    return qs.order_by(f"-{key}" if descending else key, "-id" if descending else "id")


def allegation_queue_row(allegation: Allegation, *, today: date) -> QueueRow:
    """One queue row from an allegation annotated by ``allegation_queue``."""
    assessments = elements.assess(
        allegation_facts(
            allegation,
            ilo_count=allegation.ilo_count,
            attachment_count=allegation.attachment_count,
        )
    )
    received_on = timezone.localdate(allegation.created_at)
    waiting = triage.needs_triage(
        decision=allegation.decision, has_open_question=allegation.has_open_question
    )
    return QueueRow(
        allegation=allegation,
        assessments=assessments,
        complete=elements.complete_count(assessments),
        age_days=(today - received_on).days,
        overdue=triage.is_overdue(
            received_on=received_on,
            today=today,
            days=settings.WITHHOLD["INTAKE_TRIAGE_DAYS"],
            waiting=waiting,
        ),
        waiting=waiting,
        due_on=triage.triage_due_on(received_on, days=settings.WITHHOLD["INTAKE_TRIAGE_DAYS"]),
        days_left=triage.triage_days_left(
            received_on=received_on, today=today, days=settings.WITHHOLD["INTAKE_TRIAGE_DAYS"]
        ),
    )


QUEUE_CSV_HEADER = [
    "receipt_number",
    "received_on",
    "submitter_type",
    "anonymous",
    "country",
    "manufacturer_name",
    "elements_complete",
    "decision",
    "decided_on",
    "case",
    "overdue",
    "is_demo",
]


def allegation_queue_csv_lines(qs: QuerySet[Allegation], *, today: date) -> Iterator[str]:
    """The queue as CSV: the triage facts, not the report's contents (they stay on screen)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(QUEUE_CSV_HEADER)
    yield buffer.getvalue()
    for allegation in qs.iterator(chunk_size=1000):
        buffer.seek(0)
        buffer.truncate(0)
        row = allegation_queue_row(allegation, today=today)
        writer.writerow(
            [
                csv_safe(v)
                for v in (
                    allegation.receipt_number,
                    timezone.localdate(allegation.created_at),
                    allegation.submitter_type,
                    "yes" if allegation.anonymous else "no",
                    allegation.country,
                    allegation.manufacturer_name,
                    f"{row.complete}/3",
                    allegation.decision,
                    timezone.localdate(allegation.decided_at) if allegation.decided_at else "",
                    visible_case_number(allegation) or "",
                    "yes" if row.overdue else "no",
                    "yes" if allegation.is_demo else "no",
                )
            ]
        )
        yield buffer.getvalue()


# --- Suggested matches --------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "case" or "allegation"
    number: str
    title: str
    reason: str
    score: float
    entity_id: int | None = None


OPEN_CASE_STATUSES = [CaseStatus.ACTIVE, CaseStatus.SUSPENDED]
MAX_SUGGESTIONS = 10


def allegation_suggestions(*, allegation: Allegation, user) -> list[Suggestion]:
    """Open cases and earlier allegations that may concern the same thing: a similar
    manufacturer name (entities linked to the case, with their aliases; other allegations'
    manufacturer names) in the same country, or the same country and commodity."""
    found: dict[tuple[str, str], Suggestion] = {}
    if allegation.country:
        open_cases = case_visible_queryset(user).filter(
            status__in=OPEN_CASE_STATUSES, source_country=allegation.country
        )
        if allegation.manufacturer_name:
            links = CaseEntity.objects.filter(
                case__in=open_cases, entity__country=allegation.country
            ).select_related("case", "entity")
            for link in links:
                score, name = matching.best_name_score(
                    allegation.manufacturer_name, [link.entity.name, *link.entity.aliases]
                )
                if score >= matching.NAME_MATCH_THRESHOLD:
                    _keep(
                        found,
                        Suggestion(
                            "case",
                            link.case.number,
                            link.case.title,
                            f"Names a similar manufacturer: {name} ({score:.0f}%)",
                            score,
                            link.entity_id,
                        ),
                    )
            others = (
                Allegation.objects.filter(country=allegation.country)
                .exclude(pk=allegation.pk)
                .exclude(manufacturer_name="")
                .filter(created_at__lte=allegation.created_at)
                .only("receipt_number", "manufacturer_name", "merchandise_description")
            )
            for other in others:
                score = matching.name_score(allegation.manufacturer_name, other.manufacturer_name)
                if score >= matching.NAME_MATCH_THRESHOLD:
                    _keep(
                        found,
                        Suggestion(
                            "allegation",
                            other.receipt_number,
                            " ".join(other.merchandise_description.split()[:10]),
                            f"Names a similar manufacturer: {other.manufacturer_name} "
                            f"({score:.0f}%)",
                            score,
                        ),
                    )
        commodity = allegation_commodity_suggestion(allegation)
        if commodity is not None:
            for case in open_cases.filter(commodity=commodity).order_by("-opened_on")[:5]:
                _keep(
                    found,
                    Suggestion(
                        "case",
                        case.number,
                        case.title,
                        f"Same country and commodity ({commodity.name})",
                        50.0,
                    ),
                )
    return sorted(found.values(), key=lambda s: (-s.score, s.number))[:MAX_SUGGESTIONS]


def _keep(found: dict, suggestion: Suggestion) -> None:
    key = (suggestion.kind, suggestion.number)
    if key not in found or found[key].score < suggestion.score:
        found[key] = suggestion


def allegation_commodity_suggestion(allegation: Allegation) -> Commodity | None:
    options = [
        matching.CommodityOption(pk=pk, name=name, hs_code=hs_code)
        for pk, name, hs_code in Commodity.objects.values_list("pk", "name", "hs_code")
    ]
    chosen = matching.commodity_suggest(
        description=allegation.merchandise_description,
        hts_code=allegation.hts_code,
        commodities=options,
    )
    return Commodity.objects.filter(pk=chosen.pk).first() if chosen else None


def attachment_get_for_user(*, user, receipt_number: str, attachment_id: int):
    """An attachment of an allegation the user can see, if the role may read attachments."""
    allegation = allegation_get_for_user(user=user, receipt_number=receipt_number)
    attachment = None
    if user.has_perm("intake.view_allegationattachment"):
        attachment = (
            AllegationAttachment.objects.filter(allegation=allegation, pk=attachment_id)
            .select_related("allegation")
            .first()
        )
    if attachment is None:
        raise NotFoundError("There is no such file that you can see.")
    return attachment


def cases_for_attaching(*, user) -> QuerySet[Case]:
    """Cases an allegation may be attached to: visible to the user and not closed."""
    return (
        case_visible_queryset(user)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("commodity")
        .order_by("-opened_on", "-id")
    )


# --- The submitter's identity -------------------------------------------------------------------

IDENTITY_SHOWN = "shown"  # the reader's role may see it (the visibility policy)
IDENTITY_GRANTED = "granted"  # a supervisor granted this reader's request
IDENTITY_WITHHELD = "withheld"
IDENTITY_ANONYMOUS = "anonymous"  # the submitter gave none


def submitter_identity_access(*, user, allegation: Allegation) -> str:
    """How ``user`` sees the submitter's name, e-mail address and telephone on an allegation
    they can read: one of ``IDENTITY_*``. Only ``shown`` and ``granted`` show them."""
    if allegation.anonymous:
        return IDENTITY_ANONYMOUS
    if can_see(user, "allegation.submitter_identity"):
        return IDENTITY_SHOWN
    granted = IdentityRevealRequest.objects.filter(
        allegation=allegation, requested_by=user, state=IdentityRevealRequest.State.GRANTED
    ).exists()
    return IDENTITY_GRANTED if granted else IDENTITY_WITHHELD


def submitter_identity(allegation: Allegation, access: str) -> dict[str, str | None]:
    """The contact fields as the reader may see them: the values, or ``None`` each."""
    shown = access in (IDENTITY_SHOWN, IDENTITY_GRANTED)
    return {name: getattr(allegation, name) if shown else None for name in CONTACT_FIELDS}


def reveal_request_waiting(*, user, allegation: Allegation) -> IdentityRevealRequest | None:
    return IdentityRevealRequest.objects.filter(
        allegation=allegation, requested_by=user, state=IdentityRevealRequest.State.REQUESTED
    ).first()


def reveal_requests_for_allegation(allegation: Allegation) -> list[IdentityRevealRequest]:
    return list(allegation.reveal_requests.select_related("requested_by", "decided_by"))


def reveal_requests_waiting() -> QuerySet[IdentityRevealRequest]:
    """Requests a supervisor has yet to decide, oldest first."""
    return IdentityRevealRequest.objects.filter(
        state=IdentityRevealRequest.State.REQUESTED
    ).select_related("allegation", "requested_by")


def reveal_request_get(*, pk: int) -> IdentityRevealRequest:
    found = (
        IdentityRevealRequest.objects.select_related("allegation", "requested_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFoundError("There is no such request.")
    return found
