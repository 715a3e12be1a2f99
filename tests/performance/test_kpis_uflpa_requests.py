"""The importers' UFLPA requests and the reports to Congress of granted exceptions as key
performance indicators: applicability reviews requested and decided, exception requests,
exceptions granted, and reports sent within their 30 days or late — in the month, the fiscal year
to date, the trend, the drill-down and the downloads."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from withhold.detentions import services as detention_services
from withhold.detentions.models import CongressReport, Detention, UflpaRequest
from withhold.performance import fiscal, kpis
from withhold.performance.models import Indicator
from withhold.performance.selectors import kpi_dashboard, kpi_sources_for_user

from ..detentions import conftest as detention_fixtures
from ..detentions.conftest import pdf, uflpa_fields
from ..factories import EntityFactory, UserFactory

# The detentions tests' importer and UFLPA detention fixtures, for filing through the service.
acme = detention_fixtures.acme
acme_user = detention_fixtures.acme_user
record = detention_fixtures.record
uflpa_list = detention_fixtures.uflpa_list
uflpa_entry = detention_fixtures.uflpa_entry

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}
SEP, OCT, NOV = dt.date(2026, 9, 1), dt.date(2026, 10, 1), dt.date(2026, 11, 1)
D = dt.date


def uflpa_detention(n, importer, officer):
    notice_on = D(2026, 8, 3)
    return Detention.objects.create(
        entry_number=f"UFR-{n:07d}-1",
        port_of_entry="1001 New York, NY",
        imported_on=notice_on,
        presented_on=notice_on,
        notice_on=notice_on,
        admissibility_deadline=notice_on + dt.timedelta(days=30),
        importer=importer,
        country_of_origin="CN",
        merchandise="Polysilicon wafers",
        hts_code="381800",
        quantity=Decimal("1"),
        quantity_unit="pcs",
        value_usd=Decimal("1"),
        officer=officer,
        basis="uflpa",
        uflpa_nexus="xuar_origin",
        status="under_review",
    )


def request(detention, path, submitted_on, by, state="submitted", decided_on=None):
    return UflpaRequest.objects.create(
        detention=detention,
        path=path,
        sector="polysilicon",
        statement="The tracing shows no XUAR input.",
        state=state,
        submitted_on=submitted_on,
        submitted_by=by,
        decided_on=decided_on,
    )


def report(number, req, granted_on, owner, sent_on=None):
    return CongressReport.objects.create(
        request=req,
        number=number,
        granted_on=granted_on,
        due_on=granted_on + dt.timedelta(days=30),
        owner=owner,
        goods="Polysilicon wafers",
        evidence_considered="Audits.",
        finding="All three conditions are met.",
        state="sent" if sent_on else "open",
        sent_on=sent_on,
    )


@pytest.fixture
def uflpa_work(db):
    officer = UserFactory(username="port-u")
    importer_user = UserFactory(username="importer-u")
    official = UserFactory(username="official-u")
    importer = EntityFactory(name="Wafer Importer", country="US")
    d1, d2, d3, d4, d5 = (uflpa_detention(n, importer, officer) for n in range(1, 6))
    review, exception = "applicability_review", "exception"
    request(d1, review, D(2026, 9, 30), importer_user, "granted", D(2026, 10, 1))
    request(d2, review, D(2026, 10, 1), importer_user, "denied", D(2026, 10, 31))
    request(d3, review, D(2026, 10, 15), importer_user, "closed", D(2026, 10, 20))  # undecided
    request(d4, review, D(2026, 11, 1), importer_user)  # pending
    r5 = request(d1, exception, D(2026, 10, 2), importer_user, "granted", D(2026, 10, 10))
    r6 = request(d3, exception, D(2026, 8, 20), importer_user, "granted", D(2026, 9, 1))
    request(d5, exception, D(2026, 11, 3), importer_user, "denied", D(2026, 11, 20))
    r8 = request(d4, exception, D(2026, 10, 31), importer_user, "granted", D(2026, 11, 30))
    # Due 9 November, sent that day: on time. Due 1 October, sent the 2nd: late. R8's is unsent.
    report("UFLPA-EXC-2026-001", r5, D(2026, 10, 10), official, sent_on=D(2026, 11, 9))
    report("UFLPA-EXC-2026-002", r6, D(2026, 9, 1), official, sent_on=D(2026, 10, 2))
    report("UFLPA-EXC-2026-003", r8, D(2026, 11, 30), official)
    return {"d1": d1}


def _body(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8-sig")


# indicator: (September, October, November)
EXPECTED = {
    Indicator.UFLPA_REVIEWS_REQUESTED: (1, 2, 1),
    Indicator.UFLPA_REVIEWS_DECIDED: (0, 2, 0),
    Indicator.UFLPA_EXCEPTIONS_REQUESTED: (0, 2, 1),
    Indicator.UFLPA_EXCEPTIONS_GRANTED: (1, 1, 1),
    Indicator.CONGRESS_REPORTS_ON_TIME: (0, 0, 1),
    Indicator.CONGRESS_REPORTS_LATE: (0, 1, 0),
}


@pytest.mark.parametrize("indicator", list(EXPECTED))
def test_monthly_counts_of_uflpa_requests_and_reports(indicator, uflpa_work, supervisor):
    sources = kpi_sources_for_user(supervisor)
    months = [SEP, OCT, NOV]
    assert kpis.monthly(indicator, sources, months) == list(EXPECTED[indicator])
    counted = [kpis.count(indicator, sources, fiscal.month_period(m)) for m in months]
    assert counted == list(EXPECTED[indicator])


def test_dashboard_has_the_uflpa_requests_with_year_to_date_and_baseline(uflpa_work, supervisor):
    rows = {r.indicator: r for r in kpi_dashboard(user=supervisor, month=NOV).rows}
    requested = rows[Indicator.UFLPA_REVIEWS_REQUESTED]
    assert (requested.month_value, requested.fytd_value, requested.baseline) == (1, 3, 1)
    granted = rows[Indicator.UFLPA_EXCEPTIONS_GRANTED]
    assert (granted.fytd_value, granted.baseline) == (2, 1)  # FY2026: the 1 September grant
    assert rows[Indicator.UFLPA_EXCEPTIONS_GRANTED].trend == ((OCT, 1), (NOV, 1))
    late = rows[Indicator.CONGRESS_REPORTS_LATE]
    assert (late.month_value, late.fytd_value) == (0, 1)


def test_requests_count_only_on_detentions_the_reader_may_see(uflpa_work, supervisor):
    full = kpi_sources_for_user(supervisor)
    narrowed = kpis.Sources(
        outreach=None,
        orders=None,
        detentions=Detention.objects.filter(pk=uflpa_work["d1"].pk),
        cases=None,
    )
    fy = fiscal.Period(SEP, D(2026, 11, 30))
    assert kpis.count(Indicator.UFLPA_EXCEPTIONS_GRANTED, full, fy) == 3
    assert kpis.count(Indicator.UFLPA_EXCEPTIONS_GRANTED, narrowed, fy) == 1
    assert kpis.count(Indicator.CONGRESS_REPORTS_ON_TIME, narrowed, fy) == 1
    hidden = kpis.Sources(outreach=None, orders=None, detentions=None, cases=None)
    assert not kpis.available(Indicator.UFLPA_REVIEWS_REQUESTED, hidden)
    assert not kpis.available(Indicator.CONGRESS_REPORTS_LATE, hidden)


def test_drill_down_pages_and_csv_list_the_requests_and_reports(uflpa_work, client, supervisor):
    client.force_login(supervisor)
    page = client.get(
        "/performance/kpis/uflpa_reviews_decided/?month=2026-10", **HOST
    ).content.decode()
    assert "2 records" in page
    assert "UFR-0000001-1" in page and "UFR-0000002-1" in page and "UFR-0000003-1" not in page
    assert "Applicability review" in page and "Denied" in page
    reports = client.get(
        "/performance/kpis/congress_reports_late/?month=2026-11&span=fytd", **HOST
    ).content.decode()
    assert "1 record" in reports and "UFLPA-EXC-2026-002" in reports
    body = _body(
        client.get(
            "/performance/kpis/congress_reports_late/?month=2026-11&span=fytd&format=csv", **HOST
        )
    )
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [(r["number"], r["due_on"], r["sent_on"], r["days_late"]) for r in rows] == [
        ("UFLPA-EXC-2026-002", "2026-10-01", "2026-10-02", "1")
    ]
    url = "/performance/kpis/uflpa_exceptions_requested/?month=2026-10&format=csv"
    body = _body(client.get(url, **HOST))
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [(r["entry_number"], r["submitted_on"], r["state"]) for r in rows] == [
        ("UFR-0000001-1", "2026-10-02", "granted"),
        ("UFR-0000004-1", "2026-10-31", "granted"),
    ]


def test_dashboard_downloads_have_the_uflpa_rows(uflpa_work, client, supervisor):
    client.force_login(supervisor)
    body = _body(client.get("/performance/?month=2026-10&format=csv", **HOST))
    by = {r["indicator"]: r for r in csv.DictReader(io.StringIO(body))}
    assert by["uflpa_reviews_requested"]["label"] == "UFLPA applicability reviews requested"
    assert (by["uflpa_exceptions_requested"]["month_value"],
            by["uflpa_exceptions_granted"]["baseline"]) == ("2", "1")  # fmt: skip
    assert by["congress_reports_on_time"]["definition"].startswith("Reports to Congress")


# 23:30 in New York on 31 October 2026 is 03:30 UTC on 1 November: the agency's day is October.
OCT_31_LATE = dt.datetime(2026, 10, 31, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-4)))


def test_a_request_filed_late_on_the_last_evening_counts_in_that_month(
    acme_user, record, uflpa_entry, supervisor
):
    with time_machine.travel(OCT_31_LATE, tick=False):
        today = timezone.localdate()
        detention = record(
            [],
            **uflpa_fields(
                uflpa_entry,
                imported_on=D(2026, 10, 26),
                presented_on=D(2026, 10, 26),
                notice_on=D(2026, 10, 27),
            ),
        )
        filed = detention_services.uflpa_request_file(
            detention=detention,
            actor=acme_user,
            path="applicability_review",
            sector="cotton",
            statement="Our cotton is Australian; tracing attached.",
            documents=[
                detention_services.DetentionFile("supply_chain", "Tracing", pdf("trace.pdf"))
            ],
        )
    assert today == D(2026, 10, 31) and filed.submitted_on == today
    sources = kpi_sources_for_user(supervisor)
    assert kpis.monthly(Indicator.UFLPA_REVIEWS_REQUESTED, sources, [OCT, NOV]) == [1, 0]
    november = fiscal.month_period(NOV)
    assert kpis.count(Indicator.UFLPA_REVIEWS_REQUESTED, sources, november) == 0
