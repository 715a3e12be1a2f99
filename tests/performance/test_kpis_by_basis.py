"""UFLPA work counted beside Section 307 work: shipment detentions and proof reviews by basis,
in the month, the fiscal year to date, the trend and the drill-down."""

import datetime as dt
from decimal import Decimal

import pytest

from withhold.detentions.models import Detention, DetentionEvent
from withhold.performance import fiscal, kpis
from withhold.performance.models import Indicator
from withhold.performance.selectors import (
    kpi_dashboard,
    kpi_records_for_user,
    kpi_sources_for_user,
)

from ..factories import EntityFactory, UserFactory

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}
SEP, OCT, NOV = dt.date(2026, 9, 1), dt.date(2026, 10, 1), dt.date(2026, 11, 1)


def detention(n, basis, notice_on, officer, importer):
    fields = {}
    if basis == "uflpa":
        fields = {"presented_on": notice_on, "uflpa_nexus": "xuar_origin"}
    return Detention.objects.create(
        entry_number=f"BAS-{n:07d}-1",
        port_of_entry="1001 New York, NY",
        imported_on=notice_on,
        notice_on=notice_on,
        admissibility_deadline=notice_on + dt.timedelta(days=30),
        importer=importer,
        country_of_origin="CN",
        merchandise="Goods",
        hts_code="620520",
        quantity=Decimal("1"),
        quantity_unit="pcs",
        value_usd=Decimal("1"),
        officer=officer,
        basis=basis,
        status="under_review",
        **fields,
    )


def review(detention, on):
    DetentionEvent.objects.create(
        detention=detention, kind="review_started", on=on, to_status="under_review"
    )


@pytest.fixture
def by_basis(db):
    officer = UserFactory(username="port-x")
    importer = EntityFactory(name="Importer", country="US")
    rows = [
        ("order", dt.date(2026, 9, 15)),
        ("order", dt.date(2026, 10, 3)),
        ("order", dt.date(2026, 10, 20)),
        ("uflpa", dt.date(2026, 10, 5)),
        ("uflpa", dt.date(2026, 10, 6)),
        ("uflpa", dt.date(2026, 10, 25)),
        ("uflpa", dt.date(2026, 11, 2)),
        ("caatsa", dt.date(2026, 10, 10)),
    ]
    made = [detention(n, b, d, officer, importer) for n, (b, d) in enumerate(rows, start=1)]
    review(made[1], dt.date(2026, 10, 10))  # Section 307
    review(made[3], dt.date(2026, 10, 12))  # UFLPA, taken into review twice in October:
    review(made[3], dt.date(2026, 10, 20))  # counted once
    review(made[4], dt.date(2026, 11, 3))  # UFLPA, November
    review(made[7], dt.date(2026, 10, 15))  # CAATSA: in neither series
    return made


# indicator: (September, October, November)
EXPECTED = {
    Indicator.DETENTIONS: (1, 6, 1),
    Indicator.DETENTIONS_SECTION_307: (1, 2, 0),
    Indicator.DETENTIONS_UFLPA: (0, 3, 1),
    Indicator.REVIEWS_SECTION_307: (0, 1, 0),
    Indicator.REVIEWS_UFLPA: (0, 1, 1),
}


@pytest.mark.parametrize("indicator", list(EXPECTED))
def test_monthly_counts_by_basis(indicator, by_basis, supervisor):
    sources = kpi_sources_for_user(supervisor)
    months = [SEP, OCT, NOV]
    assert kpis.monthly(indicator, sources, months) == list(EXPECTED[indicator])
    counted = [kpis.count(indicator, sources, fiscal.month_period(m)) for m in months]
    assert counted == list(EXPECTED[indicator])


def test_dashboard_shows_uflpa_beside_section_307_with_fiscal_year_to_date(by_basis, supervisor):
    board = kpi_dashboard(user=supervisor, month=NOV)
    rows = {r.indicator: r for r in board.rows}
    order = [r.indicator for r in board.rows]
    assert order.index(Indicator.DETENTIONS_UFLPA) == order.index(Indicator.DETENTIONS) + 2
    assert (rows[Indicator.DETENTIONS_UFLPA].month_value,
            rows[Indicator.DETENTIONS_UFLPA].fytd_value) == (1, 4)  # fmt: skip
    assert rows[Indicator.DETENTIONS_SECTION_307].fytd_value == 2
    assert rows[Indicator.DETENTIONS_SECTION_307].baseline == 1  # FY2026: the September one
    assert rows[Indicator.REVIEWS_UFLPA].fytd_value == 2
    assert rows[Indicator.REVIEWS_SECTION_307].fytd_value == 1
    assert rows[Indicator.DETENTIONS_UFLPA].part_of == Indicator.DETENTIONS
    assert rows[Indicator.REVIEWS_UFLPA].trend == ((OCT, 1), (NOV, 1))


def test_drilldown_lists_the_uflpa_detentions_reviewed(by_basis, supervisor):
    period = fiscal.Period(OCT, dt.date(2026, 11, 30))
    reviewed = kpi_records_for_user(user=supervisor, indicator=Indicator.REVIEWS_UFLPA,
                                    period=period)  # fmt: skip
    assert [d.entry_number for d in reviewed] == ["BAS-0000004-1", "BAS-0000005-1"]


def test_dashboard_page_has_the_uflpa_rows(by_basis, client, supervisor):
    client.force_login(supervisor)
    page = client.get("/performance/?month=2026-11", **HOST).content.decode()
    assert 'id="kpi-detentions_uflpa"' in page and 'id="kpi-reviews_uflpa"' in page
    assert "Shipment detentions under the UFLPA presumption" in page
    drill = client.get("/performance/kpis/detentions_uflpa/?month=2026-11&span=fytd", **HOST)
    assert drill.status_code == 200 and drill.content.decode().count("BAS-000000") == 4
