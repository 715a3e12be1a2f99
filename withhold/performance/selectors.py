"""Reads for the KPI dashboard and the outreach log.

``kpi_sources_for_user`` is where the other apps' access rules come in: each indicator counts only
the records its reader may see, through the owning app's own visible queryset.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet

from withhold.cases.selectors import case_visible_queryset
from withhold.core.exceptions import NotFoundError
from withhold.detentions.selectors import detention_visible_queryset
from withhold.orders.selectors import order_visible_queryset

from . import fiscal, kpis
from .models import Indicator, KpiTarget, OutreachActivity


def kpi_sources_for_user(user) -> kpis.Sources:
    """What ``user`` may see of each kind of record the indicators count."""
    cases = case_visible_queryset(user)
    return kpis.Sources(
        outreach=(
            OutreachActivity.objects.all()
            if user.has_perm("performance.view_outreachactivity")
            else None
        ),
        orders=order_visible_queryset(user) if user.has_perm("orders.view_order") else None,
        detentions=(
            detention_visible_queryset(user) if user.has_perm("detentions.view_detention") else None
        ),
        cases=cases
        if (user.has_perm("cases.view_case") or user.has_perm("cases.view_hsi_case"))
        else None,
    )


def targets_in_force(fiscal_year: int) -> dict[str, KpiTarget]:
    """The latest target setting of each indicator for ``fiscal_year``."""
    rows = KpiTarget.objects.filter(fiscal_year=fiscal_year).order_by("indicator", "-set_at", "-id")
    current: dict[str, KpiTarget] = {}
    for row in rows.select_related("set_by"):
        current.setdefault(row.indicator, row)
    return current


def target_history(*, indicator: str | None = None, fiscal_year: int | None = None):
    qs = KpiTarget.objects.select_related("set_by").order_by("-set_at", "-id")
    if indicator:
        qs = qs.filter(indicator=indicator)
    if fiscal_year:
        qs = qs.filter(fiscal_year=fiscal_year)
    return qs


TARGET_CSV_HEADER = ["set_at", "indicator", "fiscal_year", "target", "baseline", "set_by", "reason"]


def target_csv_rows(qs):
    yield TARGET_CSV_HEADER
    for t in qs.iterator():
        yield [
            t.set_at,  # written in local time by csv_export.csv_safe
            t.indicator,
            t.fiscal_year,
            t.target,
            "" if t.baseline is None else t.baseline,
            t.set_by.username,
            t.reason,
        ]


@dataclass(frozen=True)
class KpiRow:
    indicator: str
    label: str
    counts: str
    level: bool
    available: bool
    part_of: str = ""
    month_value: int | None = None
    fytd_value: int | None = None
    baseline: int | None = None
    baseline_entered: bool = False
    target: int | None = None
    target_to_date: Decimal | None = None
    variance: fiscal.Variance | None = None
    trend: tuple[tuple[date, int], ...] = ()


@dataclass(frozen=True)
class Dashboard:
    month: date
    fiscal_year: int
    month_period: fiscal.Period
    fytd_period: fiscal.Period
    baseline_period: fiscal.Period
    rows: list[KpiRow]


def computed_baseline(indicator: str, sources: kpis.Sources, fiscal_year: int) -> int:
    """The prior fiscal year's figure: its full-year count, or for a level its value at the
    end of the prior fiscal year (30 September)."""
    prior = fiscal.fiscal_year_period(fiscal_year - 1)
    if kpis.DEFINITIONS[indicator].level:
        prior = fiscal.Period(prior.end, prior.end)
    return kpis.count(indicator, sources, prior)


def kpi_dashboard(*, user, month: date) -> Dashboard:
    """Every indicator for ``month`` and its fiscal year to date, with baseline, target,
    variance and the month-by-month trend of the fiscal year so far."""
    sources = kpi_sources_for_user(user)
    month = fiscal.month_start(month)
    fy = fiscal.fiscal_year(month)
    fy_months = [m for m in fiscal.fiscal_months(fy) if m <= month]
    targets = targets_in_force(fy)
    rows = []
    for indicator in Indicator.values:
        definition = kpis.DEFINITIONS[indicator]
        common = {
            "indicator": indicator,
            "label": Indicator(indicator).label,
            "counts": definition.counts,
            "level": definition.level,
            "part_of": definition.part_of,
        }
        if not kpis.available(indicator, sources):
            rows.append(KpiRow(**common, available=False))
            continue
        trend = kpis.monthly(indicator, sources, fy_months)
        fytd = (
            trend[-1]
            if definition.level
            else kpis.count(indicator, sources, fiscal.fytd_period(month))
        )
        setting = targets.get(indicator)
        entered = setting is not None and setting.baseline is not None
        baseline = setting.baseline if entered else computed_baseline(indicator, sources, fy)
        expected = variance = None
        if setting is not None:
            expected = fiscal.target_to_date(setting.target, month, level=definition.level)
            variance = fiscal.variance(fytd, expected)
        rows.append(
            KpiRow(
                **common,
                available=True,
                month_value=trend[-1],
                fytd_value=fytd,
                baseline=baseline,
                baseline_entered=entered,
                target=setting.target if setting else None,
                target_to_date=expected,
                variance=variance,
                trend=tuple(zip(fy_months, trend, strict=True)),
            )
        )
    return Dashboard(
        month=month,
        fiscal_year=fy,
        month_period=fiscal.month_period(month),
        fytd_period=fiscal.fytd_period(month),
        baseline_period=fiscal.fiscal_year_period(fy - 1),
        rows=rows,
    )


SPANS = ("month", "fytd", "baseline")


def kpi_span_period(indicator: str, month: date, span: str) -> fiscal.Period:
    """The period a figure on the dashboard covers: the month, the fiscal year to date, or the
    prior fiscal year the computed baseline comes from."""
    if span == "month":
        return fiscal.month_period(month)
    level = kpis.DEFINITIONS[indicator].level
    if span == "fytd":
        period = fiscal.fytd_period(month)
    else:
        period = fiscal.fiscal_year_period(fiscal.fiscal_year(month) - 1)
    return fiscal.Period(period.end, period.end) if level else period


def kpi_records_for_user(*, user, indicator: str, period: fiscal.Period) -> QuerySet:
    """The records behind one figure, as ``user`` may see them; NotFoundError when the
    indicator is unknown or its records are hidden from the user's role."""
    if indicator not in Indicator.values:
        raise NotFoundError(f"There is no indicator “{indicator}”.")
    sources = kpi_sources_for_user(user)
    if not kpis.available(indicator, sources):
        raise NotFoundError("Your role does not give access to the records behind this figure.")
    qs = kpis.records(indicator, sources, period)
    record = kpis.DEFINITIONS[indicator].record
    if record == "case":
        return qs.select_related("commodity", "assigned_analyst").order_by("number")
    if record == "order":
        return qs.order_by("issued_on", "number")
    if record == "detention":
        return qs.select_related("importer").order_by("notice_on", "id")
    if record == "uflpa_request":
        return qs.select_related("detention__importer").order_by("submitted_on", "id")
    if record == "congress_report":
        return qs.select_related("request__detention").order_by("sent_on", "number")
    return qs.order_by("held_on", "id")


def kpi_record_csv_rows(record: str, qs: QuerySet):
    """The drill-down list as CSV rows: the same records, the columns of their kind."""
    if record == "case":
        yield ["number", "title", "phase", "status_now", "source_country", "analyst"]
        for c in qs:
            analyst = c.assigned_analyst.username if c.assigned_analyst else ""
            yield [c.number, c.title, c.phase, c.status, c.source_country, analyst]
    elif record == "order":
        yield ["number", "kind", "issued_on", "status", "country", "merchandise"]
        for o in qs:
            yield [o.number, o.kind, o.issued_on_display, o.status, o.country, o.merchandise]
    elif record == "detention":
        yield ["entry_number", "entry_line", "notice_on", "importer", "status", "disposed_on"]
        for d in qs:
            yield [d.entry_number, d.entry_line, d.notice_on, d.importer.name, d.status,
                   d.disposed_on or ""]  # fmt: skip
    elif record == "uflpa_request":
        yield ["entry_number", "entry_line", "path", "sector", "submitted_on", "state",
               "decided_on", "importer"]  # fmt: skip
        for r in qs:
            d = r.detention
            yield [d.entry_number, d.entry_line, r.path, r.sector, r.submitted_on, r.state,
                   r.decided_on or "", d.importer.name]  # fmt: skip
    elif record == "congress_report":
        yield ["number", "entry_number", "granted_on", "due_on", "sent_on", "days_late"]
        for r in qs:
            late = max((r.sent_on - r.due_on).days, 0) if r.sent_on else ""
            yield [r.number, r.request.detention.entry_number, r.granted_on, r.due_on,
                   r.sent_on or "", late]  # fmt: skip
    else:
        yield from outreach_csv_rows(qs)


# Outreach log -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutreachFilters:
    q: str = ""
    kind: str = ""
    audience: str = ""
    country: str = ""
    held_from: date | None = None
    held_to: date | None = None


OUTREACH_SORTS = {
    "held_on": ("held_on", "id"),
    "-held_on": ("-held_on", "-id"),
    "title": ("title", "id"),
    "kind": ("kind", "-held_on", "-id"),
    "country": ("country", "-held_on", "-id"),
    "participants": ("participants", "id"),
    "-participants": ("-participants", "-id"),
}
DEFAULT_OUTREACH_SORT = "-held_on"


def outreach_visible_queryset(user) -> QuerySet[OutreachActivity]:
    if not user.has_perm("performance.view_outreachactivity"):
        return OutreachActivity.objects.none()
    return OutreachActivity.objects.all()


def outreach_get_for_user(*, user, activity_id: int) -> OutreachActivity:
    activity = (
        outreach_visible_queryset(user).select_related("created_by").filter(pk=activity_id).first()
    )
    if activity is None:
        raise NotFoundError(f"There is no outreach activity {activity_id} that you can see.")
    return activity


def outreach_list(
    *, user, filters: OutreachFilters = OutreachFilters(), sort: str = DEFAULT_OUTREACH_SORT
) -> QuerySet[OutreachActivity]:
    qs = outreach_visible_queryset(user)
    f = filters
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.audience:
        qs = qs.filter(audience=f.audience)
    if f.country:
        qs = qs.filter(country=f.country.upper())
    if f.held_from:
        qs = qs.filter(held_on__gte=f.held_from)
    if f.held_to:
        qs = qs.filter(held_on__lte=f.held_to)
    for word in f.q.split()[:8]:
        qs = qs.filter(
            Q(title__icontains=word) | Q(organisations__icontains=word) | Q(notes__icontains=word)
        )
    return qs.order_by(*OUTREACH_SORTS.get(sort, OUTREACH_SORTS[DEFAULT_OUTREACH_SORT]))


OUTREACH_CSV_HEADER = [
    "id",
    "held_on",
    "title",
    "kind",
    "audience",
    "country",
    "organisations",
    "participants",
    "notes",
    "is_demo",
]


def outreach_csv_rows(qs: QuerySet[OutreachActivity]):
    yield OUTREACH_CSV_HEADER
    for a in qs.iterator():
        yield [
            a.pk,
            a.held_on,
            a.title,
            a.kind,
            a.audience,
            a.country,
            "; ".join(a.organisation_list),
            a.participants,
            a.notes,
            "yes" if a.is_demo else "no",
        ]
