"""The workforce assessment counts UFLPA detention work beside Section 307 work: detentions
noticed and detentions taken into review of the proof, by basis, month by month and a year on
average."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from withhold.accounts.roles import Role
from withhold.detentions.models import Detention, DetentionEvent, UflpaRequest
from withhold.workforce import selectors

from ..factories import EntityFactory, UserFactory
from ..pdftext import pdf_text_lines

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}


def detention(n, basis, notice_on):
    fields = {"presented_on": notice_on, "uflpa_nexus": "both"} if basis == "uflpa" else {}
    return Detention.objects.create(
        entry_number=f"WFD-{n:07d}-2",
        port_of_entry="1001 New York, NY",
        imported_on=notice_on,
        notice_on=notice_on,
        admissibility_deadline=notice_on + dt.timedelta(days=30),
        importer=EntityFactory(name=f"Importer {n}", country="US"),
        country_of_origin="CN",
        merchandise="Goods",
        hts_code="620520",
        quantity=Decimal("1"),
        quantity_unit="pcs",
        value_usd=Decimal("1"),
        officer=UserFactory(username=f"officer-{n}"),
        basis=basis,
        **fields,
    )


def review(d, on):
    DetentionEvent.objects.create(detention=d, kind="review_started", on=on)


@pytest.fixture
def detention_work(db):
    a = detention(1, "order", dt.date(2026, 1, 10))
    b = detention(2, "uflpa", dt.date(2026, 1, 12))
    c = detention(3, "uflpa", dt.date(2026, 1, 31))
    d = detention(4, "uflpa", dt.date(2026, 3, 1))
    detention(5, "caatsa", dt.date(2026, 3, 2))  # neither Section 307 nor UFLPA
    review(a, dt.date(2026, 2, 1))
    review(b, dt.date(2026, 1, 20))
    review(b, dt.date(2026, 1, 25))  # twice in one month: one detention reviewed
    review(c, dt.date(2026, 3, 3))
    review(d, dt.date(2026, 3, 4))


def test_demand_by_month_counts_detentions_and_reviews_by_basis(detention_work):
    rows = selectors.demand_by_month(
        first_month=dt.date(2026, 1, 1), last_month=dt.date(2026, 3, 1)
    )
    got = [
        (r.month.month, r.detentions_section_307, r.detentions_uflpa, r.reviews_section_307,
         r.reviews_uflpa)
        for r in rows
    ]  # fmt: skip
    assert got == [(1, 1, 2, 0, 1), (2, 0, 0, 1, 0), (3, 0, 1, 0, 2)]


def test_assessment_gives_a_year_on_average_by_basis(detention_work):
    history = selectors.assessment(today=dt.date(2026, 6, 15), months=12)
    # Twelve months of history: the year's figures are the counts themselves.
    assert history.detentions_section_307_per_year == 1
    assert history.detentions_uflpa_per_year == 3
    assert history.reviews_section_307_per_year == 1
    assert history.reviews_uflpa_per_year == 3


@time_machine.travel(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC), tick=False)
def test_page_and_api_show_the_detention_work(detention_work, client, settings):
    settings.WITHHOLD_WORKFORCE = {**settings.WITHHOLD_WORKFORCE, "HISTORY_MONTHS": 12}
    client.force_login(UserFactory(role=Role.SUPERVISOR))
    page = client.get("/workforce/", **HOST).content.decode()
    assert 'id="detention-work-table"' in page
    assert "1.0 shipment detentions under a WRO or Finding (Section 307) and 3.0 under" in page
    body = client.get("/api/workforce/assessment/", **HOST).json()
    assert (body["detentions_uflpa_per_year"], body["reviews_uflpa_per_year"]) == (3.0, 3.0)
    months = {m["month"]: m for m in body["months"]}
    assert (months["2026-01-01"]["detentions_uflpa"], months["2026-03-01"]["reviews_uflpa"]) == (
        2,
        2,
    )


# The importers' UFLPA requests, each a review for a CEE, beside the detentions and proof reviews.


def uflpa_request(d, path, submitted_on, by):
    return UflpaRequest.objects.create(
        detention=d,
        path=path,
        sector="cotton",
        statement="Tracing attached.",
        submitted_on=submitted_on,
        submitted_by=by,
        state="closed" if path == "applicability_review" else "submitted",
        decided_on=submitted_on if path == "applicability_review" else None,
    )


@pytest.fixture
def uflpa_requests(detention_work):
    importer_user = UserFactory(username="importer-w")
    b, c, d = Detention.objects.filter(basis="uflpa").order_by("entry_number")
    uflpa_request(b, "applicability_review", dt.date(2026, 1, 14), importer_user)
    uflpa_request(b, "exception", dt.date(2026, 1, 31), importer_user)
    uflpa_request(c, "applicability_review", dt.date(2026, 2, 1), importer_user)
    uflpa_request(d, "applicability_review", dt.date(2026, 3, 2), importer_user)
    uflpa_request(d, "exception", dt.date(2026, 3, 31), importer_user)
    uflpa_request(c, "exception", dt.date(2025, 12, 31), importer_user)  # before the months


def test_demand_by_month_counts_the_uflpa_requests_beside_the_detentions(uflpa_requests):
    rows = selectors.demand_by_month(
        first_month=dt.date(2026, 1, 1), last_month=dt.date(2026, 3, 1)
    )
    got = [
        (r.month.month, r.detentions_uflpa, r.reviews_uflpa, r.uflpa_reviews_requested,
         r.uflpa_exceptions_requested)
        for r in rows
    ]  # fmt: skip
    assert got == [(1, 2, 1, 1, 1), (2, 0, 0, 1, 0), (3, 1, 2, 1, 1)]


def test_assessment_gives_the_uflpa_requests_a_year_on_average(uflpa_requests):
    six = selectors.assessment(today=dt.date(2026, 6, 15), months=6)  # January to June
    assert (six.uflpa_reviews_requested_per_year, six.uflpa_exceptions_requested_per_year) == (
        6.0,
        4.0,
    )


@time_machine.travel(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC), tick=False)
def test_page_api_and_pdf_show_the_uflpa_requests(uflpa_requests, client, settings):
    settings.WITHHOLD_WORKFORCE = {**settings.WITHHOLD_WORKFORCE, "HISTORY_MONTHS": 12}
    client.force_login(UserFactory(role=Role.SUPERVISOR))
    page = client.get("/workforce/", **HOST).content.decode()
    assert "UFLPA applicability reviews requested" in page
    assert "The importers asked for 3.0 UFLPA applicability reviews and 3.0 exceptions" in page
    body = client.get("/api/workforce/assessment/", **HOST).json()
    assert (body["uflpa_reviews_requested_per_year"],
            body["uflpa_exceptions_requested_per_year"]) == (3.0, 3.0)  # fmt: skip
    months = {m["month"]: m for m in body["months"]}
    assert (months["2026-01-01"]["uflpa_reviews_requested"],
            months["2026-03-01"]["uflpa_exceptions_requested"]) == (1, 1)  # fmt: skip
    text = "\n".join(pdf_text_lines(client.get("/workforce/report/?format=pdf", **HOST).content))
    assert "3.0 UFLPA applicability reviews and 3.0 exception requests filed" in text
    assert "Appl. reviews" in text
