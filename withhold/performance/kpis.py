"""The eight key performance indicators of GAO-21-106 table 3 — with shipment detentions and
the reviews of importers' proof also counted by basis, Section 307 beside the UFLPA, and the
importers' UFLPA requests and the reports to Congress of granted exceptions — and what each one
counts, exactly.

Each indicator counts one kind of record, on one date, within a period of whole days (a month, or
the fiscal year to date; ``fiscal.py``). ``records`` gives the rows behind a figure and ``count``
counts exactly those rows, so a figure and its drill-down list cannot disagree. ``monthly`` gives a
fiscal year's month-by-month figures in one grouped query. Everything is database aggregation
(``Count``, ``TruncMonth``, conditional counts); no Python loop runs over records.

The querysets come from ``Sources``: the records the reader may see, built by
``selectors.kpi_sources_for_user`` from each app's own access rules, so a law-enforcement-sensitive
case is never counted for a reader who may not see it. Dates on transitions are timestamps; a
day runs from midnight to midnight in the project's time zone (``settings.TIME_ZONE``).

Definitions (also in ``docs/performance.md``):

* **Outreach and engagement activities** — outreach log entries whose ``held_on`` date falls in
  the period.
* **Withhold Release Orders** — orders of kind WRO that have been issued (status issued, modified,
  partially revoked, revoked or inactive) and whose ``issued_on`` date falls in the period. Orders
  loaded from the public reference lists count too: they are real. A source giving only a month
  stores its first day, so such an order counts in that month.
* **Penalties** — orders of kind civil penalty, issued, whose ``issued_on`` falls in the period.
  A case closed with the outcome "civil penalty" is not counted again: the penalty itself is the
  order.
* **Seizures** — detentions disposed of by seizure (status seized) whose ``disposed_on`` date
  falls in the period. Goods seized under a Finding are recorded as such detentions.
* **Shipment detentions** — detentions whose notice of detention (``notice_on``) is dated in the
  period, whatever has happened to them since.
* **Shipment detentions under a WRO or Finding (Section 307)** and **under the UFLPA
  presumption** — the shipment detentions above whose basis is an order (WRO or Finding) or the
  UFLPA presumption, on the same date. With the CAATSA presumption's (counted in the total only)
  they add up to the total.
* **Proof reviews (Section 307 / UFLPA)** — detentions of that basis whose review of the
  importer's proof of admissibility was started in the period (the "review started" step, ``DetentionEvent.on``); a
  detention taken into review twice in the period counts once.
* **UFLPA applicability reviews requested** — the importers' requests for an applicability
  review of a UFLPA detention (the goods are outside the presumption) whose ``submitted_on`` date
  falls in the period, whatever has become of them since. A request closed and filed again counts
  twice: each is work for a CEE.
* **UFLPA applicability reviews decided** — applicability reviews granted (the goods released
  as outside the presumption) or denied (excluded or seized) whose ``decided_on`` date falls in
  the period. One closed without a decision (the goods exported, say) is not counted.
* **UFLPA exception requests** — the importers' exception requests (UFLPA section 3(b)) whose
  ``submitted_on`` date falls in the period.
* **UFLPA exceptions granted** — exception requests granted by the approving official, by
  ``decided_on`` date, in the period.
* **Reports to Congress sent within 30 days** / **sent late** — reports of granted exceptions
  (section 3(c)) whose ``sent_on`` date falls in the period, and that day is on or before (within
  30 days) or after (late) the report's ``due_on``. A report still unsent is in neither until it
  is sent; the reports queue shows it meanwhile. The share on time is the first over the sum of
  the two; it is not an indicator of its own, since targets are counts.
* **Active investigations** — a level, not a count of events: cases whose status at the end of
  the period's last day was active, in any phase. The status at a moment is the ``to_status`` of
  the case's latest transition (opening, phase or status change) before it. For the fiscal year
  to date it is the level at the end of the chosen month.
* **Investigations suspended** — cases with at least one status transition to suspended during
  the period; a case suspended twice in the period counts once.
* **Investigations closed** — cases with at least one status transition to closed during the
  period; a case closed, reopened and closed again in the period counts once.

Because the last two count distinct cases, their fiscal-year-to-date figure can be less than the
sum of the months.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from withhold.cases.models import CaseTransition
from withhold.cases.models import Status as CaseStatus
from withhold.detentions.models import Basis as DetentionBasis
from withhold.detentions.models import CongressReport, DetentionEvent, UflpaRequest
from withhold.detentions.models import Status as DetentionStatus
from withhold.orders.models import PUBLIC_STATUSES
from withhold.orders.models import Kind as OrderKind

from .fiscal import Period, month_end
from .models import Indicator


@dataclass(frozen=True)
class Definition:
    indicator: str
    # which list the drill-down shows: outreach, order, detention, uflpa_request,
    # congress_report or case
    record: str
    level: bool  # a level at a moment (active investigations) rather than a count of events
    counts: str  # what is counted, in one sentence
    part_of: str = ""  # the indicator this one splits (by basis), shown beneath it


DEFINITIONS: dict[str, Definition] = {
    d.indicator: d
    for d in [
        Definition(
            Indicator.OUTREACH,
            "outreach",
            False,
            "Outreach log entries whose activity date falls in the period.",
        ),
        Definition(
            Indicator.WROS,
            "order",
            False,
            "Withhold Release Orders issued (effective date) in the period.",
        ),
        Definition(
            Indicator.PENALTIES,
            "order",
            False,
            "Civil-penalty orders issued (effective date) in the period.",
        ),
        Definition(
            Indicator.SEIZURES,
            "detention",
            False,
            "Detentions disposed of by seizure, by date of disposition, in the period.",
        ),
        Definition(
            Indicator.DETENTIONS,
            "detention",
            False,
            "Detentions whose notice of detention is dated in the period.",
        ),
        Definition(
            Indicator.DETENTIONS_SECTION_307,
            "detention",
            False,
            "Shipment detentions under a WRO or Finding, by date of the notice, in the period.",
            part_of=Indicator.DETENTIONS,
        ),
        Definition(
            Indicator.DETENTIONS_UFLPA,
            "detention",
            False,
            "Shipment detentions under the UFLPA presumption, by date of the notice, in the "
            "period.",
            part_of=Indicator.DETENTIONS,
        ),
        Definition(
            Indicator.REVIEWS_SECTION_307,
            "detention",
            False,
            "Detentions under a WRO or Finding whose review of the importer's proof started in "
            "the period (each detention once).",
        ),
        Definition(
            Indicator.REVIEWS_UFLPA,
            "detention",
            False,
            "UFLPA detentions whose review of the importer's proof started in the period (each "
            "detention once).",
        ),
        Definition(
            Indicator.UFLPA_REVIEWS_REQUESTED,
            "uflpa_request",
            False,
            "Importers' requests for a UFLPA applicability review filed in the period.",
        ),
        Definition(
            Indicator.UFLPA_REVIEWS_DECIDED,
            "uflpa_request",
            False,
            "UFLPA applicability reviews granted or denied in the period (not those closed "
            "without a decision).",
        ),
        Definition(
            Indicator.UFLPA_EXCEPTIONS_REQUESTED,
            "uflpa_request",
            False,
            "Importers' requests for an exception to the UFLPA presumption (section 3(b)) filed "
            "in the period.",
        ),
        Definition(
            Indicator.UFLPA_EXCEPTIONS_GRANTED,
            "uflpa_request",
            False,
            "Exceptions to the UFLPA presumption granted by the approving official in the period.",
        ),
        Definition(
            Indicator.CONGRESS_REPORTS_ON_TIME,
            "congress_report",
            False,
            "Reports to Congress of granted exceptions sent in the period on or before their due "
            "day (30 days after the grant, section 3(c)).",
        ),
        Definition(
            Indicator.CONGRESS_REPORTS_LATE,
            "congress_report",
            False,
            "Reports to Congress of granted exceptions sent in the period after their due day.",
        ),
        Definition(
            Indicator.ACTIVE,
            "case",
            True,
            "Cases whose status was active at the end of the period's last day (a level).",
        ),
        Definition(
            Indicator.SUSPENDED,
            "case",
            False,
            "Cases suspended at least once in the period (each case once).",
        ),
        Definition(
            Indicator.CLOSED,
            "case",
            False,
            "Cases closed at least once in the period (each case once).",
        ),
    ]
}


@dataclass(frozen=True)
class Sources:
    """The records a reader may see, per kind; None when the reader's role sees none of that kind
    (the indicator is then shown as not available rather than as zero)."""

    outreach: QuerySet | None
    orders: QuerySet | None
    detentions: QuerySet | None
    cases: QuerySet | None

    def for_record(self, record: str) -> QuerySet | None:
        if record in ("uflpa_request", "congress_report"):
            return self._uflpa(record)
        return {
            "outreach": self.outreach,
            "order": self.orders,
            "detention": self.detentions,
            "case": self.cases,
        }[record]

    def _uflpa(self, record: str) -> QuerySet | None:
        """UFLPA requests and reports to Congress are seen through their detention: a reader
        who may not see the detention does not count its requests."""
        if self.detentions is None:
            return None
        visible = self.detentions.values("pk")
        if record == "uflpa_request":
            return UflpaRequest.objects.filter(detention__in=visible)
        return CongressReport.objects.filter(request__detention__in=visible)


def available(indicator: str, sources: Sources) -> bool:
    return sources.for_record(DEFINITIONS[indicator].record) is not None


def _moment(day: date) -> datetime:
    """Midnight at the start of ``day`` in the project's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _transitions_to(status: str, cases: QuerySet, period: Period) -> QuerySet:
    return CaseTransition.objects.filter(
        case__in=cases.values("pk"),
        kind=CaseTransition.Kind.STATUS,
        to_status=status,
        at__gte=_moment(period.start),
        at__lt=_moment(period.end + timedelta(days=1)),
    )


def _status_before(moment: datetime) -> Subquery:
    """The case's status just before ``moment``: its latest earlier transition's ``to_status``."""
    latest = CaseTransition.objects.filter(case=OuterRef("pk"), at__lt=moment).order_by(
        "-at", "-id"
    )
    return Subquery(latest.values("to_status")[:1])


# The event indicators counted on a date field of their record: (filter, date field).
_DATED = {
    Indicator.OUTREACH: (Q(), "held_on"),
    Indicator.WROS: (Q(kind=OrderKind.WRO, status__in=PUBLIC_STATUSES), "issued_on"),
    Indicator.PENALTIES: (Q(kind=OrderKind.PENALTY, status__in=PUBLIC_STATUSES), "issued_on"),
    Indicator.SEIZURES: (Q(status=DetentionStatus.SEIZED), "disposed_on"),
    Indicator.DETENTIONS: (Q(), "notice_on"),
    Indicator.DETENTIONS_SECTION_307: (Q(basis=DetentionBasis.ORDER), "notice_on"),
    Indicator.DETENTIONS_UFLPA: (Q(basis=DetentionBasis.UFLPA), "notice_on"),
    Indicator.UFLPA_REVIEWS_REQUESTED: (
        Q(path=UflpaRequest.Path.APPLICABILITY_REVIEW),
        "submitted_on",
    ),
    Indicator.UFLPA_REVIEWS_DECIDED: (
        Q(
            path=UflpaRequest.Path.APPLICABILITY_REVIEW,
            state__in=[UflpaRequest.State.GRANTED, UflpaRequest.State.DENIED],
        ),
        "decided_on",
    ),
    Indicator.UFLPA_EXCEPTIONS_REQUESTED: (
        Q(path=UflpaRequest.Path.EXCEPTION),
        "submitted_on",
    ),
    Indicator.UFLPA_EXCEPTIONS_GRANTED: (
        Q(path=UflpaRequest.Path.EXCEPTION, state=UflpaRequest.State.GRANTED),
        "decided_on",
    ),
    Indicator.CONGRESS_REPORTS_ON_TIME: (
        Q(state=CongressReport.State.SENT, sent_on__lte=F("due_on")),
        "sent_on",
    ),
    Indicator.CONGRESS_REPORTS_LATE: (
        Q(state=CongressReport.State.SENT, sent_on__gt=F("due_on")),
        "sent_on",
    ),
}
# The review indicators: detentions of a basis taken into review (the step's date) in the period.
_REVIEWS = {
    Indicator.REVIEWS_SECTION_307: DetentionBasis.ORDER,
    Indicator.REVIEWS_UFLPA: DetentionBasis.UFLPA,
}
_CASE_EVENTS = {
    Indicator.SUSPENDED: CaseStatus.SUSPENDED,
    Indicator.CLOSED: CaseStatus.CLOSED,
}


def _reviews_started(detentions: QuerySet, basis: str, period: Period) -> QuerySet:
    return DetentionEvent.objects.filter(
        detention__in=detentions.filter(basis=basis).values("pk"),
        kind=DetentionEvent.Kind.REVIEW_STARTED,
        on__range=(period.start, period.end),
    )


def records(indicator: str, sources: Sources, period: Period) -> QuerySet:
    """The records behind ``indicator``'s figure for ``period``, as the reader may see them."""
    base = sources.for_record(DEFINITIONS[indicator].record)
    if base is None:
        raise LookupError(f"The reader may not see the records behind {indicator}.")
    if indicator in _DATED:
        condition, field = _DATED[indicator]
        return base.filter(condition, **{f"{field}__range": (period.start, period.end)})
    if indicator in _CASE_EVENTS:
        events = _transitions_to(_CASE_EVENTS[indicator], base, period).filter(case=OuterRef("pk"))
        return base.filter(Exists(events))
    if indicator in _REVIEWS:
        events = _reviews_started(base, _REVIEWS[indicator], period)
        return base.filter(Exists(events.filter(detention=OuterRef("pk"))))
    if indicator == Indicator.ACTIVE:
        moment = _moment(period.end + timedelta(days=1))
        return base.annotate(status_then=_status_before(moment)).filter(
            status_then=CaseStatus.ACTIVE
        )
    raise LookupError(f"Unknown indicator {indicator}.")


def count(indicator: str, sources: Sources, period: Period) -> int:
    """``indicator``'s figure for ``period``: a COUNT over exactly ``records``."""
    return records(indicator, sources, period).order_by().count()


def _month_key(value) -> date:
    return timezone.localdate(value) if isinstance(value, datetime) else value


def monthly(indicator: str, sources: Sources, months: list[date]) -> list[int]:
    """The figure for each month in ``months`` (first days, consecutive), in one query."""
    if not months:
        return []
    span = Period(months[0], month_end(months[-1]))
    base = sources.for_record(DEFINITIONS[indicator].record)
    if base is None:
        raise LookupError(f"The reader may not see the records behind {indicator}.")
    if indicator == Indicator.ACTIVE:
        moments = {
            f"s{i}": _status_before(_moment(month_end(m) + timedelta(days=1)))
            for i, m in enumerate(months)
        }
        totals = (
            base.order_by()
            .annotate(**moments)
            .aggregate(
                **{
                    f"n{i}": Count("pk", filter=Q(**{f"s{i}": CaseStatus.ACTIVE}))
                    for i in range(len(months))
                }
            )
        )
        return [totals[f"n{i}"] for i in range(len(months))]
    if indicator in _REVIEWS:
        rows = (
            _reviews_started(base, _REVIEWS[indicator], span)
            .order_by()
            .annotate(month=TruncMonth("on"))
            .values("month")
            .annotate(n=Count("detention", distinct=True))
        )
    elif indicator in _CASE_EVENTS:
        rows = (
            _transitions_to(_CASE_EVENTS[indicator], base, span)
            .order_by()
            .annotate(month=TruncMonth("at"))
            .values("month")
            .annotate(n=Count("case", distinct=True))
        )
    else:
        _condition, field = _DATED[indicator]
        rows = (
            records(indicator, sources, span)
            .order_by()
            .annotate(month=TruncMonth(field))
            .values("month")
            .annotate(n=Count("pk"))
        )
    found = {_month_key(row["month"]): row["n"] for row in rows}
    return [found.get(m, 0) for m in months]
