"""Each indicator's definition pinned on fixed data (``conftest.kpi_data``), including the
fiscal-year boundary between 30 September and 1 October 2026."""

import datetime as dt
from decimal import Decimal

import pytest

from withhold.performance import fiscal, kpis
from withhold.performance.models import Indicator
from withhold.performance.selectors import (
    computed_baseline,
    kpi_dashboard,
    kpi_records_for_user,
    kpi_sources_for_user,
    kpi_span_period,
)

pytestmark = pytest.mark.django_db

OCT = dt.date(2026, 10, 1)
SEP = dt.date(2026, 9, 1)
FY2026 = fiscal.fiscal_year_period(2026)

EXPECTED = {
    # indicator: (September 2026, October 2026, FY2026 baseline)
    Indicator.OUTREACH: (1, 2, 2),
    Indicator.WROS: (1, 2, 1),
    Indicator.PENALTIES: (0, 1, 0),
    Indicator.SEIZURES: (0, 1, 0),
    Indicator.DETENTIONS: (1, 2, 1),
    # The fixture's detentions are all under orders; UFLPA ones: test_kpis_by_basis.py.
    Indicator.DETENTIONS_SECTION_307: (1, 2, 1),
    Indicator.DETENTIONS_UFLPA: (0, 0, 0),
    Indicator.REVIEWS_SECTION_307: (0, 0, 0),
    Indicator.REVIEWS_UFLPA: (0, 0, 0),
    # Nor any UFLPA requests or reports to Congress: test_kpis_uflpa_requests.py.
    Indicator.UFLPA_REVIEWS_REQUESTED: (0, 0, 0),
    Indicator.UFLPA_REVIEWS_DECIDED: (0, 0, 0),
    Indicator.UFLPA_EXCEPTIONS_REQUESTED: (0, 0, 0),
    Indicator.UFLPA_EXCEPTIONS_GRANTED: (0, 0, 0),
    Indicator.CONGRESS_REPORTS_ON_TIME: (0, 0, 0),
    Indicator.CONGRESS_REPORTS_LATE: (0, 0, 0),
    Indicator.ACTIVE: (1, 1, 1),
    Indicator.SUSPENDED: (1, 1, 1),
    Indicator.CLOSED: (0, 2, 0),
}


@pytest.fixture
def sources(kpi_data, supervisor):
    return kpi_sources_for_user(supervisor)


@pytest.mark.parametrize("indicator", list(EXPECTED))
def test_month_figures_either_side_of_the_fiscal_year_boundary(indicator, sources):
    september, october, _ = EXPECTED[indicator]
    assert kpis.count(indicator, sources, fiscal.month_period(SEP)) == september
    assert kpis.count(indicator, sources, fiscal.month_period(OCT)) == october


@pytest.mark.parametrize("indicator", list(EXPECTED))
def test_baseline_is_the_prior_fiscal_year(indicator, sources):
    assert computed_baseline(indicator, sources, 2027) == EXPECTED[indicator][2]


@pytest.mark.parametrize("indicator", list(EXPECTED))
def test_monthly_series_agrees_with_the_single_counts(indicator, sources):
    months = [SEP, OCT, dt.date(2026, 11, 1)]
    series = kpis.monthly(indicator, sources, months)
    assert series == [kpis.count(indicator, sources, fiscal.month_period(m)) for m in months]


def test_record_dates_decide_the_fiscal_year(kpi_data, supervisor):
    sources = kpi_sources_for_user(supervisor)
    fy27 = fiscal.fytd_period(OCT)
    titles = set(kpis.records(Indicator.OUTREACH, sources, fy27).values_list("title", flat=True))
    assert titles == {"FY2027 first day", "October last day"}
    wros = set(kpis.records(Indicator.WROS, sources, fy27).values_list("number", flat=True))
    # Revoked since, still issued in October; a draft and a Finding are not WROs issued.
    assert wros == {"WRO-T-2", "WRO-T-3"}
    # Noticed on 30 September (FY2026) but seized on 1 October (FY2027).
    seized = kpis.records(Indicator.SEIZURES, sources, fy27).get()
    assert seized.entry_number == "AAA-0000001-1"
    assert not kpis.records(Indicator.DETENTIONS, sources, fy27).filter(pk=seized.pk).exists()


def test_transitions_count_by_local_day_at_the_boundary(kpi_data, supervisor):
    """Case A was suspended at 23:30 on 30 September (local time, already 1 October in UTC):
    FY2026. Case B was closed at 00:00 on 1 October: FY2027."""
    sources = kpi_sources_for_user(supervisor)
    a, b = kpi_data["cases"]["A"], kpi_data["cases"]["B"]
    fy26_suspended = kpis.records(Indicator.SUSPENDED, sources, FY2026)
    assert list(fy26_suspended) == [a]
    oct_closed = kpis.records(Indicator.CLOSED, sources, fiscal.month_period(OCT))
    assert b in oct_closed
    assert not kpis.records(Indicator.CLOSED, sources, FY2026).exists()
    # At the end of 30 September A was suspended and B still active.
    at_fy_end = kpis.records(Indicator.ACTIVE, sources, fiscal.Period(FY2026.end, FY2026.end))
    assert list(at_fy_end) == [b]
    at_oct_end = kpis.records(
        Indicator.ACTIVE, sources, fiscal.Period(dt.date(2026, 10, 31), dt.date(2026, 10, 31))
    )
    assert list(at_oct_end) == [a]


def test_a_case_suspended_twice_in_a_month_counts_once(kpi_data, supervisor):
    sources = kpi_sources_for_user(supervisor)
    october = kpis.records(Indicator.SUSPENDED, sources, fiscal.month_period(OCT))
    assert list(october) == [kpi_data["cases"]["C"]]


def test_fiscal_year_to_date_runs_from_1_october_to_the_months_end(kpi_data, supervisor):
    board = kpi_dashboard(user=supervisor, month=dt.date(2026, 11, 1))
    rows = {r.indicator: r for r in board.rows}
    assert board.fiscal_year == 2027
    assert board.fytd_period == fiscal.Period(dt.date(2026, 10, 1), dt.date(2026, 11, 30))
    assert rows[Indicator.OUTREACH].month_value == 1
    assert rows[Indicator.OUTREACH].fytd_value == 3
    assert rows[Indicator.OUTREACH].trend == ((OCT, 2), (dt.date(2026, 11, 1), 1))
    # A level: the FYTD figure is the level at the end of the chosen month.
    assert rows[Indicator.ACTIVE].fytd_value == rows[Indicator.ACTIVE].month_value == 1


def test_dashboard_figures_for_october(kpi_data, supervisor):
    board = kpi_dashboard(user=supervisor, month=OCT)
    got = {r.indicator: (r.month_value, r.fytd_value, r.baseline) for r in board.rows}
    assert got == {k: (oct_, oct_, base) for k, (_sep, oct_, base) in EXPECTED.items()}


def test_law_enforcement_sensitive_cases_never_count_for_a_reader_who_cannot_see_them(
    kpi_data, kpi_reader_without_sensitive
):
    board = kpi_dashboard(user=kpi_reader_without_sensitive, month=OCT)
    rows = {r.indicator: r for r in board.rows}
    assert rows[Indicator.CLOSED].month_value == 1  # B only; D is sensitive
    period = kpi_span_period(Indicator.CLOSED, OCT, "month")
    records = kpi_records_for_user(
        user=kpi_reader_without_sensitive, indicator=Indicator.CLOSED, period=period
    )
    assert [c.number for c in records] == ["FL-2026-7002"]


def test_an_indicator_the_role_cannot_see_is_not_available_rather_than_zero(kpi_data):
    """A reader of the KPIs and orders with no access to detentions (a group given just those)."""
    from django.contrib.auth.models import Group, Permission

    from ..factories import UserFactory

    group = Group.objects.create(name="KPI and order readers")
    group.permissions.set(Permission.objects.filter(codename__in=["view_kpis", "view_order"]))
    reader = UserFactory(username="kpi-reader-only")
    reader.groups.set([group])
    rows = {r.indicator: r for r in kpi_dashboard(user=reader, month=OCT).rows}
    assert rows[Indicator.DETENTIONS].available is False
    assert rows[Indicator.DETENTIONS].fytd_value is None
    assert rows[Indicator.WROS].fytd_value == 2


@pytest.mark.parametrize("span", ["month", "fytd", "baseline"])
@pytest.mark.parametrize("indicator", list(EXPECTED))
def test_drill_down_lists_exactly_the_records_counted(indicator, span, kpi_data, supervisor):
    board = kpi_dashboard(user=supervisor, month=OCT)
    row = next(r for r in board.rows if r.indicator == indicator)
    figure = {"month": row.month_value, "fytd": row.fytd_value, "baseline": row.baseline}[span]
    period = kpi_span_period(indicator, OCT, span)
    assert kpi_records_for_user(user=supervisor, indicator=indicator, period=period).count() == (
        figure
    )


# Fiscal arithmetic (pure) -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "day,fy",
    [(dt.date(2026, 9, 30), 2026), (dt.date(2026, 10, 1), 2027), (dt.date(2027, 1, 1), 2027)],
)
def test_fiscal_year_starts_on_1_october(day, fy):
    assert fiscal.fiscal_year(day) == fy


def test_fiscal_year_2027_runs_from_october_2026_to_september_2027():
    assert fiscal.fiscal_year_period(2027) == fiscal.Period(
        dt.date(2026, 10, 1), dt.date(2027, 9, 30)
    )
    months = fiscal.fiscal_months(2027)
    assert months[0] == dt.date(2026, 10, 1) and months[-1] == dt.date(2027, 9, 1)
    assert len(months) == 12


def test_target_to_date_is_a_straight_line_share_for_counts_and_whole_for_levels():
    assert fiscal.target_to_date(24, dt.date(2026, 10, 1), level=False) == Decimal("2.0")
    assert fiscal.target_to_date(24, dt.date(2027, 9, 1), level=False) == Decimal("24.0")
    assert fiscal.target_to_date(10, dt.date(2026, 11, 1), level=False) == Decimal("1.7")
    assert fiscal.target_to_date(5, dt.date(2026, 11, 1), level=True) == Decimal("5")


def test_variance_absolute_and_percent():
    v = fiscal.variance(3, Decimal("4.0"))
    assert (v.absolute, v.percent) == (Decimal("-1.0"), Decimal("-25.0"))
    v = fiscal.variance(2, Decimal("0"))
    assert (v.absolute, v.percent) == (Decimal("2"), None)


def test_parse_month():
    assert fiscal.parse_month("2026-10") == dt.date(2026, 10, 1)
    assert fiscal.parse_month("2026-13") is None
    assert fiscal.parse_month("October") is None


def test_the_dashboard_costs_the_same_queries_however_many_records(kpi_data, supervisor):
    """Figures are aggregated in the database: more records, not more queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import outreach

    kpi_dashboard(user=supervisor, month=OCT)  # the user's permissions are cached after this
    with CaptureQueriesContext(connection) as before:
        kpi_dashboard(user=supervisor, month=OCT)
    for day in range(1, 29):
        outreach(dt.date(2026, 10, day), f"Extra {day}")
    with CaptureQueriesContext(connection) as after:
        board = kpi_dashboard(user=supervisor, month=OCT)
    assert next(r for r in board.rows if r.indicator == "outreach").month_value == 30
    assert len(after) == len(before)
