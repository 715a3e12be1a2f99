"""The public register: no sign-in, filters, sorting, CSV and JSON, charts — and nothing
law-enforcement-sensitive in any of them."""

import csv
import datetime as dt
import io
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from withhold.orders import services
from withhold.orders.models import Order

from .conftest import SENSITIVE, today

pytestmark = pytest.mark.django_db


def make_issued(number, *, country="CN", year=2021, kind="wro", status="issued", merchandise="Tea"):
    return Order.objects.create(
        number=number,
        kind=kind,
        status=status,
        merchandise=merchandise,
        country=country,
        published_entity=f"Producer {number}",
        issued_on=dt.date(year, 6, 1),
        revoked_on=dt.date(year, 7, 1) if status == "revoked" else None,
    )


def downloads(client, **params):
    html = client.get("/register/", params).content.decode()
    body = client.get("/register/", {**params, "format": "csv"}).content
    json_text = client.get("/register/", {**params, "format": "json"}).content.decode()
    return html, body.decode(), json_text


def test_sensitive_fields_cases_and_notes_never_reach_the_register(issued, importer, client):
    case = issued.cases.get()
    case.title = f"Case title {SENSITIVE}"
    case.hsi_case_reference = f"HSI-{SENSITIVE}"
    case.save()
    services.petition_submit(
        order=issued,
        actor=importer,
        request="revoke",
        petitioner_name="Example Imports LLC",
        grounds=f"Our audit found no forced labor {SENSITIVE}",
    )
    html, csv_text, json_text = downloads(client)
    detail = client.get(f"/register/{issued.number}/").content.decode()
    for text in (html, csv_text, json_text, detail):
        assert issued.number in text
        assert SENSITIVE not in text
        assert case.number not in text
        assert "reasonably indicates" not in text  # the opinion's summary
        assert "Example Imports LLC" not in text  # the petition
        assert "Notify" not in text  # coordination tasks


def test_drafts_and_orders_in_review_are_not_published(in_legal_review, client):
    html, csv_text, json_text = downloads(client)
    for text in (html, csv_text, json_text):
        assert in_legal_review.number not in text
    assert client.get(f"/register/{in_legal_review.number}/").status_code == 404


def test_register_filters_by_year_country_kind_status_and_text(client, db):
    make_issued("A-1", country="CN", year=2019)
    make_issued("A-2", country="MY", year=2019, merchandise="Rubber gloves")
    make_issued("A-3", country="CN", year=2020, kind="finding")
    make_issued("A-4", country="CN", year=2020, status="revoked")

    def numbers(**params):
        return {
            o["number"]
            for o in client.get("/register/", {**params, "format": "json"}).json()["orders"]
        }

    assert numbers(year=2019) == {"A-1", "A-2"}
    assert numbers(country="MY") == {"A-2"}
    assert numbers(kind="finding") == {"A-3"}
    assert numbers(status="revoked") == {"A-4"}
    assert numbers(q="rubber") == {"A-2"}
    assert numbers(year_from=2020) == {"A-3", "A-4"}


def test_register_sorts_and_paginates(client, db):
    for i in range(30):
        make_issued(f"B-{i:02d}", year=1990 + i)
    page = client.get("/register/").content.decode()
    assert "B-29" in page and "B-00" not in page
    assert "Showing 1–25 of 30" in page
    oldest_first = client.get("/register/", {"sort": "issued"}).content.decode()
    assert "B-00" in oldest_first and "B-29" not in oldest_first


def test_register_csv_has_cbps_columns(client, db):
    make_issued("C-1", merchandise="=HYPERLINK(evil)")
    rows = list(
        csv.reader(io.StringIO(client.get("/register/", {"format": "csv"}).content.decode()))
    )
    assert rows[0][:7] == [
        "Order",
        "WRO/Finding",
        "Effective date",
        "Merchandise",
        "Entity",
        "Country",
        "Status",
    ]
    assert rows[1][:7] == [
        "C-1",
        "Withhold Release Order",
        "2021-06-01",
        "'=HYPERLINK(evil)",
        "Producer C-1",
        "China",
        "Active",
    ]


def test_register_charts_count_orders_by_year_and_country(client, db):
    make_issued("D-1", year=2016)
    make_issued("D-2", year=2018, country="TM")
    make_issued("D-3", year=2018)
    html = client.get("/register/").content.decode()
    assert "<svg" in html and 'id="chart-by-year"' in html
    for label, value in (("2016", 1), ("2017", 0), ("2018", 2), ("China", 2), ("Turkmenistan", 1)):
        assert f'data-label="{label}" data-value="{value}"' in html
    assert "style=" not in html


def test_register_list_needs_a_fixed_number_of_queries(client, db):
    for i in range(5):
        make_issued(f"E-{i}")
    with CaptureQueriesContext(connection) as few:
        client.get("/register/")
    for i in range(5, 25):
        make_issued(f"E-{i}", country="MY")
    with CaptureQueriesContext(connection) as many:
        client.get("/register/")
    assert len(many) == len(few)


def test_register_is_linked_for_anonymous_visitors_and_from_the_login_page(client, db):
    login = client.get("/accounts/login/").content.decode()
    assert login.count('href="/register/"') >= 2  # the header and the sign-in panel


def test_demo_orders_are_labelled_on_the_register(client, db):
    order = make_issued("F-1")
    order.is_demo = True
    order.save()
    assert "demo — made up" in client.get("/register/").content.decode()
    assert "Made-up demo record" in client.get("/register/F-1/").content.decode()


def test_issued_order_appears_with_its_public_fields(issued, client):
    page = client.get(f"/register/{issued.number}/").content.decode()
    assert "Example Garment Factory" in page
    assert issued.issued_on.isoformat() == today().isoformat()
    assert "Active" in page


def _hrefs(html: str) -> list[str]:
    import html as html_module
    import re

    return [html_module.unescape(h) for h in re.findall(r'href="([^"]*)"', html)]


def test_register_download_and_sort_links_keep_every_filter(client):
    """The download and sort links are built with Django's {% querystring %}: filtered to one
    country, the CSV holds that country's orders only, and a sort link keeps the filter."""
    make_issued("WRO-CN-1", country="CN")
    make_issued("WRO-CN-2", country="CN", year=2022)
    make_issued("WRO-MY-1", country="MY")
    html = client.get("/register/", {"country": "CN"}).content.decode()
    links = _hrefs(html)
    assert not [h for h in links if h.startswith("??")]
    csv_link = next(h for h in links if "format=csv" in h)
    assert csv_link.startswith("?country=CN&")
    rows = list(csv.DictReader(io.StringIO(client.get("/register/" + csv_link).content.decode())))
    assert len(rows) == 2
    assert "WRO-MY-1" not in str(rows)
    sort_link = next(h for h in links if "sort=" in h)
    assert "country=CN" in sort_link
    sorted_html = client.get("/register/" + sort_link).content.decode()
    assert "WRO-CN-1" in sorted_html and "WRO-MY-1" not in sorted_html


def test_register_year_chart_stays_readable_over_seventy_years(client, db):
    """One labelled bar per year with orders, its value beside it; long runs of empty years fold
    into one line; no two labels overlap; the table holds the same figures."""
    from defusedxml import ElementTree as ET

    for n, year in enumerate([1953, 1958, 1991, 1992, 1992, 2016, 2018, 2020, 2020, 2020]):
        make_issued(f"Y-{n}", year=year)
    html = client.get("/register/").content.decode()
    start = html.index("<svg", html.index('id="charts-heading"'))
    svg = ET.fromstring(html[start : html.index("</svg>", start) + len("</svg>")])
    ns = "{http://www.w3.org/2000/svg}"
    rows = [
        (g.get("data-label"), [t.text for t in g.findall(f"{ns}text")], g.find(f"{ns}rect"))
        for g in svg.iter(f"{ns}g")
    ]
    assert [(label, texts) for label, texts, _rect in rows] == [
        ("1953", ["1953", "1"]),
        ("1954–1957", ["1954–1957", "none"]),
        ("1958", ["1958", "1"]),
        ("1959–1990", ["1959–1990", "none"]),
        ("1991", ["1991", "1"]),
        ("1992", ["1992", "2"]),
        ("1993–2015", ["1993–2015", "none"]),
        ("2016", ["2016", "1"]),
        ("2017", ["2017", "0"]),  # a lone empty year keeps its own line
        ("2018", ["2018", "1"]),
        ("2019", ["2019", "0"]),
        ("2020", ["2020", "3"]),
    ]
    assert all((rect is None) == ("–" in label) for label, _texts, rect in rows)
    ys = [float(t.get("y")) for g in svg.iter(f"{ns}g") for t in g.findall(f"{ns}text")[:1]]
    assert all(b - a >= 16 for a, b in itertools.pairwise(ys))  # a line each, no overlap
    table = html[html.index("<table", start) : html.index("</table>", start)]
    assert '<th scope="row">1959–1990</th><td>none</td>' in table
    assert '<th scope="row">2020</th><td>3</td>' in table
    assert "style=" not in html


def test_year_rows_fold_only_runs_of_three_or_more_empty_years():
    from withhold.orders.charts import by_year_rows

    years = [("2010", 1), ("2011", 0), ("2012", 0), ("2013", 2), ("2014", 0), ("2015", 0)]
    assert by_year_rows(years) == [("2010", 1), ("2011", 0), ("2012", 0), ("2013", 2)] + [
        ("2014", 0),
        ("2015", 0),
    ]
    years += [("2016", 0), ("2017", 4)]
    assert by_year_rows(years)[-2:] == [("2014–2016", 0), ("2017", 4)]
