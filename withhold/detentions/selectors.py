"""Reads of detentions: who may see which, the list and the deadline desk, one detention's
history, and the statistics.

Access: staff whose role may view detentions see them all; an importer user sees only its own
company's (``ImporterAccount``); anyone else sees none. ``detention_get_for_user`` answers the
same "not found" for a detention that does not exist and one the user may not see.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from withhold.audit.models import AuditEntry
from withhold.core.exceptions import NotFoundError

from . import deadlines, uflpa_guidance
from .models import (
    OPEN_STATUSES,
    Basis,
    CongressReport,
    Detention,
    DetentionEvent,
    ImporterAccount,
    Status,
    UflpaRequest,
)


def detention_visible_queryset(user) -> QuerySet[Detention]:
    if user is None or not user.is_authenticated or not user.is_active:
        return Detention.objects.none()
    if user.has_perm("detentions.view_detention"):
        return Detention.objects.all()
    if user.has_perm("detentions.submit_proof"):
        account = ImporterAccount.objects.filter(user=user).only("entity_id").first()
        if account is not None:
            return Detention.objects.filter(importer_id=account.entity_id)
    return Detention.objects.none()


def detention_get_for_user(*, user, detention_id: int) -> Detention:
    detention = (
        detention_visible_queryset(user)
        .filter(pk=detention_id)
        .select_related(
            "importer",
            "manufacturer",
            "officer",
            "recommended_by",
            "uflpa_list_entry__list_version",
            "uflpa_list_entry__entity_list",
        )
        .prefetch_related("orders")
        .first()
    )
    if detention is None:
        raise NotFoundError(f"There is no detention {detention_id} that you can see.")
    return detention


@dataclass(frozen=True)
class DetentionFilters:
    text: str = ""
    status: str = ""
    open_only: bool = False
    order: str = ""
    basis: str = ""
    # UFLPA detentions deemed excluded by ``deemed_excluded_by``: no final admissibility decision
    # by the 30th day after presentation (``Detention.uflpa_clocks``), as of that day.
    deemed_excluded_by: date | None = None


SORTS = {
    "deadline": ("admissibility_deadline", "id"),
    "-deadline": ("-admissibility_deadline", "-id"),
    "notice": ("notice_on", "id"),
    "-notice": ("-notice_on", "-id"),
    "value": ("value_usd", "id"),
    "-value": ("-value_usd", "-id"),
    "entry": ("entry_number", "entry_line"),
}


def deemed_excluded_q(today: date) -> Q:
    """UFLPA detentions whose 30 days for a final admissibility decision (stored as
    ``admissibility_deadline``) ran out before ``today`` with no disposition on or before the
    last day — the database's form of ``clocks.expired`` on the same rule."""
    return Q(basis=Basis.UFLPA, admissibility_deadline__lt=today) & (
        Q(disposed_on__isnull=True) | Q(disposed_on__gt=F("admissibility_deadline"))
    )


def detention_list(
    *, user, filters: DetentionFilters = DetentionFilters(), sort: str = "deadline"
) -> QuerySet[Detention]:
    qs = detention_visible_queryset(user).select_related("importer", "manufacturer", "officer")
    if filters.text:
        qs = qs.filter(
            Q(entry_number__icontains=filters.text)
            | Q(merchandise__icontains=filters.text)
            | Q(importer__name__icontains=filters.text)
            | Q(manufacturer__name__icontains=filters.text)
            | Q(port_of_entry__icontains=filters.text)
        )
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if filters.basis:
        qs = qs.filter(basis=filters.basis)
    if filters.deemed_excluded_by:
        qs = qs.filter(deemed_excluded_q(filters.deemed_excluded_by))
    if filters.order:
        qs = qs.filter(orders__number=filters.order).distinct()
    return qs.prefetch_related("orders").order_by(*SORTS.get(sort, SORTS["deadline"]))


@dataclass
class DeskGroup:
    key: str
    label: str
    detentions: list


def detention_desk(*, user, today: date) -> list[DeskGroup]:
    """Open detentions grouped by days remaining (past the deadline first)."""
    groups = {key: DeskGroup(key, label, []) for key, label, _low, _high in deadlines.DESK_GROUPS}
    for detention in detention_list(user=user, filters=DetentionFilters(open_only=True)):
        remaining = detention.days_remaining(today)
        groups[deadlines.desk_group(remaining)].detentions.append(detention)
    return list(groups.values())


def detention_history(detention: Detention) -> list[DetentionEvent]:
    return list(detention.events.select_related("actor"))


def detention_audit(detention: Detention) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        object_type="detentions.detention", object_id=str(detention.pk)
    ).select_related("actor")


def information_requests_unanswered(detention: Detention) -> QuerySet[DetentionEvent]:
    """CBP's requests for information on ``detention`` that the importer has not answered."""
    return DetentionEvent.objects.filter(
        detention=detention,
        kind=DetentionEvent.Kind.INFORMATION_REQUESTED,
        answers__isnull=True,
    ).order_by("at", "id")


@dataclass
class ThreadEntry:
    """One request for information with the importer's answers and the files each came with."""

    request: DetentionEvent
    answers: list[tuple[DetentionEvent, list]] = field(default_factory=list)

    @property
    def answered(self) -> bool:
        return bool(self.answers)


def information_thread(detention: Detention) -> list[ThreadEntry]:
    """CBP's requests for information on ``detention``, oldest first, each with the importer's
    answers and their files (whole rows: the importer's pages pass them through
    ``visibility.importer_thread``)."""
    events = list(
        DetentionEvent.objects.filter(
            detention=detention,
            kind__in=(
                DetentionEvent.Kind.INFORMATION_REQUESTED,
                DetentionEvent.Kind.INFORMATION_ANSWERED,
            ),
        )
        .select_related("actor")
        .prefetch_related("documents")
        .order_by("at", "id")
    )
    entries = {
        e.pk: ThreadEntry(e) for e in events if e.kind == DetentionEvent.Kind.INFORMATION_REQUESTED
    }
    for event in events:
        if event.in_reply_to_id in entries:
            entries[event.in_reply_to_id].answers.append((event, list(event.documents.all())))
    return list(entries.values())


def uflpa_requests(detention: Detention) -> list[UflpaRequest]:
    return list(
        detention.uflpa_requests.select_related("submitted_by", "decided_by").order_by(
            "submitted_on", "id"
        )
    )


@dataclass(frozen=True)
class UflpaChecklist:
    """The documents CBP's guidance names for one request's sector and path, marked present or
    missing given the kinds of document the importer has sent."""

    request: UflpaRequest
    sector: uflpa_guidance.Sector
    lines: list[uflpa_guidance.Line]

    @property
    def missing(self) -> list[uflpa_guidance.Item]:
        return [line.item for line in self.lines if not line.present]


def uflpa_checklists(detention: Detention, requests: list[UflpaRequest]) -> list[UflpaChecklist]:
    """One checklist per pending request (the latest decided one when none is pending)."""
    kinds = frozenset(
        detention.documents.filter(by_importer=True).values_list("kind", flat=True).distinct()
    )
    shown = [r for r in requests if r.is_pending] or requests[-1:]
    return [
        UflpaChecklist(
            request=r,
            sector=uflpa_guidance.SECTORS_BY_CODE[r.sector],
            lines=uflpa_guidance.checklist(r.sector, r.path, kinds),
        )
        for r in shown
        if r.sector in uflpa_guidance.SECTORS_BY_CODE
    ]


def uflpa_request_get_for_user(*, user, request_id: int) -> UflpaRequest:
    request = (
        UflpaRequest.objects.filter(pk=request_id, detention__in=detention_visible_queryset(user))
        .select_related("detention")
        .first()
    )
    if request is None:
        raise NotFoundError(f"There is no UFLPA request {request_id} that you can see.")
    return request


def congress_report_list(*, state: str = "") -> QuerySet[CongressReport]:
    """Reports to Congress of granted exceptions, soonest due first (staff only)."""
    qs = CongressReport.objects.select_related("owner", "request__detention")
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("state", "due_on", "id")


def congress_report_get(*, report_id: int) -> CongressReport:
    report = congress_report_list().filter(pk=report_id).first()
    if report is None:
        raise NotFoundError(f"There is no report to Congress {report_id}.")
    return report


def congress_reports_published() -> QuerySet[CongressReport]:
    """The sent reports, for the public register: only their ``PUBLIC_FIELDS`` are read."""
    return (
        CongressReport.objects.filter(state=CongressReport.State.SENT)
        .only("id", "is_demo", *CongressReport.PUBLIC_FIELDS)
        .order_by("-sent_on", "-id")
    )


def congress_report_published_get(*, number: str) -> CongressReport:
    report = congress_reports_published().filter(number=number).first()
    if report is None:
        raise NotFoundError(f"There is no published report {number}.")
    return report


def importer_account_list() -> QuerySet[ImporterAccount]:
    return ImporterAccount.objects.select_related("user", "entity")


# Statistics --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatRow:
    key: str
    label: str
    count: int
    value_usd: Decimal


@dataclass(frozen=True)
class Statistics:
    total: int
    total_value_usd: Decimal
    by_month: list[StatRow]
    by_order: list[StatRow]
    by_country: list[StatRow]
    by_industry: list[StatRow]
    by_outcome: list[StatRow]
    by_basis: list[StatRow] = field(default_factory=list)


def _rows(qs, key: str, label=None) -> list[StatRow]:
    grouped = (
        qs.values(key).annotate(n=Count("id", distinct=True), value=Sum("value_usd")).order_by(key)
    )
    rows = []
    for row in grouped:
        raw = row[key]
        text = "" if raw is None else str(raw)
        rows.append(
            StatRow(
                key=text,
                label=label(raw) if label else (text or "—"),
                count=row["n"],
                value_usd=row["value"] or Decimal(0),
            )
        )
    return rows


def detention_statistics(*, year: int | None = None) -> Statistics:
    """Detentions by month of the notice, basis, order, country of origin, industry (as the order's
    industry is published), and outcome, with their entered value — counted and summed by the
    database. A detention under two orders counts once under each order and industry, so those
    two tables may add up to more than the total."""
    from withhold.reference.countries import country_name

    qs = Detention.objects.all()
    if year:
        qs = qs.filter(notice_on__year=year)
    totals = qs.aggregate(n=Count("id"), value=Sum("value_usd"))
    by_month = _rows(
        qs.annotate(month=TruncMonth("notice_on")),
        "month",
        lambda d: d.strftime("%Y-%m") if d else "—",
    )
    by_month = [StatRow(r.label, r.label, r.count, r.value_usd) for r in by_month]
    status_labels = dict(Status.choices)
    basis_labels = dict(Basis.choices)
    return Statistics(
        total=totals["n"] or 0,
        total_value_usd=totals["value"] or Decimal(0),
        by_month=by_month,
        by_basis=_rows(qs, "basis", lambda v: str(basis_labels.get(v, v))),
        by_order=_rows(qs.filter(orders__isnull=False), "orders__number"),
        by_country=_rows(qs, "country_of_origin", lambda code: f"{country_name(code)} ({code})"),
        by_industry=_rows(
            qs.filter(orders__isnull=False), "orders__industry", lambda v: v or "Not stated"
        ),
        by_outcome=_rows(qs, "status", lambda v: str(status_labels.get(v, v))),
    )


def statistics_csv_rows(stats: Statistics) -> list[list[str]]:
    rows = [["dimension", "key", "label", "detentions", "value_usd"]]
    rows.append(["total", "", "All detentions", str(stats.total), f"{stats.total_value_usd:.2f}"])
    for dimension, table in (
        ("month", stats.by_month),
        ("basis", stats.by_basis),
        ("order", stats.by_order),
        ("country", stats.by_country),
        ("industry", stats.by_industry),
        ("outcome", stats.by_outcome),
    ):
        for row in table:
            rows.append([dimension, row.key, row.label, str(row.count), f"{row.value_usd:.2f}"])
    return rows
