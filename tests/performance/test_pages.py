"""The dashboard, its exports and drill-down, the target pages and the outreach log pages."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from withhold.performance import services
from withhold.performance.models import KpiTarget, OutreachActivity

from .conftest import outreach

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}


@pytest.fixture
def signed_in(client, supervisor):
    client.force_login(supervisor)
    return client


def _body(response) -> str:
    return (
        b"".join(response.streaming_content).decode()
        if response.streaming
        else (response.content.decode())
    )


def test_dashboard_shows_each_figure_linked_to_its_records(kpi_data, signed_in):
    response = signed_in.get("/performance/?month=2026-10", **HOST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Key performance indicators, FY2027" in html
    assert 'href="/performance/kpis/investigations_closed/?month=2026-10&amp;span=month">2<' in html
    assert 'href="/performance/kpis/wros/?month=2026-10&amp;span=baseline">1<' in html
    assert html.count("<svg") >= 8  # one trend chart per indicator
    # Each month of a trend links to that month's records too.
    month_link = 'href="/performance/kpis/outreach/?month=2026-10&amp;span=month">2<'
    assert html.count(month_link) == 2  # the table's figure and the trend's October


def test_a_bad_month_is_refused_with_a_message(signed_in):
    response = signed_in.get("/performance/?month=October", **HOST)
    assert response.status_code == 400
    assert "Give the month as YYYY-MM" in response.content.decode()


def test_drill_down_page_lists_the_records_behind_the_figure(kpi_data, signed_in):
    response = signed_in.get(
        "/performance/kpis/investigations_closed/?month=2026-10&span=month", **HOST
    )
    html = response.content.decode()
    assert "2 records" in html
    assert "FL-2026-7002" in html and "FL-2026-7004" in html
    assert "FL-2026-7001" not in html


def test_drill_down_hides_sensitive_cases(kpi_data, client, kpi_reader_without_sensitive):
    client.force_login(kpi_reader_without_sensitive)
    html = client.get(
        "/performance/kpis/investigations_closed/?month=2026-10&span=fytd", **HOST
    ).content.decode()
    assert "1 record" in html and "FL-2026-7004" not in html


def test_a_bad_month_is_refused_by_the_exports_and_the_drill_down(signed_in):
    assert signed_in.get("/performance/?month=2026-13&format=csv", **HOST).status_code == 400
    assert signed_in.get("/performance/kpis/wros/?month=2026-13", **HOST).status_code == 400


def test_unknown_indicator_is_404(signed_in):
    assert signed_in.get("/performance/kpis/arrests/", **HOST).status_code == 404


def test_csv_export_holds_every_indicator_with_its_figures(kpi_data, signed_in, supervisor):
    services.kpi_target_set(
        actor=supervisor, indicator="outreach", fiscal_year=2027, target=36, reason="Plan."
    )
    response = signed_in.get("/performance/?month=2026-10&format=csv", **HOST)
    assert response["Content-Disposition"] == 'attachment; filename="kpis-2026-10.csv"'
    rows = list(csv.DictReader(io.StringIO(_body(response))))
    by = {r["indicator"]: r for r in rows}
    assert len(rows) == 18  # the eight; detentions and proof reviews by basis; UFLPA requests
    assert (by["outreach"]["month_value"], by["outreach"]["fytd_value"]) == ("2", "2")
    assert (by["outreach"]["target"], by["outreach"]["target_to_date"]) == ("36", "3.0")
    assert by["outreach"]["baseline_source"] == "computed from FY2026"
    assert by["investigations_closed"]["fytd_value"] == "2"


def test_xlsx_export_has_the_indicators_and_the_trend(kpi_data, signed_in):
    response = signed_in.get("/performance/?month=2026-11&format=xlsx", **HOST)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["KPIs FY2027"]
    header = [c.value for c in sheet[1]]
    rows = [
        dict(zip(header, [c.value for c in r], strict=True)) for r in sheet.iter_rows(min_row=2)
    ]
    outreach_row = next(r for r in rows if r["indicator"] == "outreach")
    assert (outreach_row["month_value"], outreach_row["fytd_value"]) == (1, 3)
    trend = [[c.value for c in r] for r in book["Trend"].iter_rows(min_row=2)]
    assert ["outreach", "2026-10", 2] in trend and ["outreach", "2026-11", 1] in trend


def test_xlsx_cells_cannot_run_as_formulas(kpi_data, signed_in):
    from withhold.performance.exports import _cell

    assert _cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert _cell(-3) == -3  # numbers stay numbers
    book = load_workbook(io.BytesIO(signed_in.get("/performance/?format=xlsx", **HOST).content))
    assert all(cell.data_type != "f" for sheet in book for row in sheet.iter_rows() for cell in row)


def test_setting_a_target_through_the_page(signed_in):
    response = signed_in.post(
        "/performance/targets/new/",
        {"indicator": "seizures", "fiscal_year": 2027, "target": 12, "reason": "One a month."},
        **HOST,
    )
    assert response.status_code == 302
    assert KpiTarget.objects.get().target == 12
    history = signed_in.get("/performance/targets/", **HOST).content.decode()
    assert "One a month." in history and "FY2027" in history


def test_target_form_shows_service_errors_on_fields(signed_in):
    response = signed_in.post(
        "/performance/targets/new/",
        {"indicator": "seizures", "fiscal_year": 2015, "target": 1, "reason": "x"},
        **HOST,
    )
    assert response.status_code == 400
    assert "Choose a fiscal year" in response.content.decode()


# Outreach log -----------------------------------------------------------------------------------


def test_record_and_edit_an_activity_through_the_pages(signed_in):
    response = signed_in.post(
        "/performance/outreach/new/",
        {"held_on": "2026-10-14", "title": "Seafood roundtable", "kind": "roundtable",
         "audience": "ngo", "country": "TH", "organisations": "Fishers' Rights Network",
         "participants": "18", "notes": ""},
        **HOST,
    )  # fmt: skip
    activity = OutreachActivity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/performance/outreach/{activity.pk}/"
    detail = signed_in.get(response["Location"], **HOST).content.decode()
    assert "Seafood roundtable" in detail and "Thailand" in detail
    signed_in.post(
        f"/performance/outreach/{activity.pk}/edit/",
        {"held_on": "2026-10-14", "title": "Seafood roundtable", "kind": "roundtable",
         "audience": "ngo", "country": "TH", "organisations": "", "participants": "21",
         "notes": ""},
        **HOST,
    )  # fmt: skip
    activity.refresh_from_db()
    assert activity.participants == 21


def test_outreach_form_shows_errors_by_field(signed_in):
    response = signed_in.post(
        "/performance/outreach/new/",
        {"held_on": "2099-01-01", "title": "Later", "kind": "meeting", "audience": "ngo",
         "country": "TH", "participants": "3"},
        **HOST,
    )  # fmt: skip
    assert response.status_code == 400
    assert "once it has taken place" in response.content.decode()


def test_outreach_list_filters_sorts_paginates_and_exports(signed_in):
    for i in range(30):
        outreach(dt.date(2026, 1, 1) + dt.timedelta(days=i), f"Event {i:02d}", country="US")
    outreach(
        dt.date(2026, 3, 1), "Hanoi textile dialogue", country="VN", audience="foreign_government"
    )
    page = signed_in.get("/performance/outreach/", **HOST).content.decode()
    assert "31 activities" in page and "Showing 1–25 of 31" in page
    assert page.index("Hanoi textile dialogue") < page.index("Event 29")  # newest first
    filtered = signed_in.get("/performance/outreach/?country=VN", **HOST).content.decode()
    assert "1 activity" in filtered and "Hanoi" in filtered
    oldest = signed_in.get("/performance/outreach/?sort=held_on", **HOST).content.decode()
    assert oldest.index("Event 00") < oldest.index("Event 01")
    response = signed_in.get(
        "/performance/outreach/?audience=foreign_government&format=csv", **HOST
    )
    rows = list(csv.reader(io.StringIO(_body(response))))
    assert rows[0][:3] == ["id", "held_on", "title"]
    assert [r[2] for r in rows[1:]] == ["Hanoi textile dialogue"]
    empty = signed_in.get("/performance/outreach/?q=nothingmatches", **HOST).content.decode()
    assert "No outreach activities match these filters." in empty


def test_outreach_csv_escapes_formulas(signed_in):
    outreach(dt.date(2026, 2, 1), "=cmd|' /C calc'!A0")
    body = _body(signed_in.get("/performance/outreach/?format=csv", **HOST))
    assert "'=cmd" in body


def test_drill_down_csv_holds_the_same_records(kpi_data, signed_in):
    response = signed_in.get("/performance/kpis/wros/?month=2026-10&span=fytd&format=csv", **HOST)
    assert response["Content-Disposition"] == 'attachment; filename="kpi-wros-fytd-2026-10.csv"'
    rows = list(csv.reader(io.StringIO(_body(response))))
    assert rows[0][:3] == ["number", "kind", "issued_on"]
    assert [r[0] for r in rows[1:]] == ["WRO-T-2", "WRO-T-3"]


def test_target_history_filters_and_exports(signed_in, supervisor):
    for indicator, fy in (("wros", 2026), ("wros", 2027), ("seizures", 2027)):
        services.kpi_target_set(
            actor=supervisor, indicator=indicator, fiscal_year=fy, target=5, reason=f"{fy} plan"
        )
    page = signed_in.get("/performance/targets/?indicator=wros&fiscal_year=2027", **HOST)
    html = page.content.decode()
    assert "2027 plan" in html and "2026 plan" not in html
    response = signed_in.get("/performance/targets/?indicator=wros&format=csv", **HOST)
    rows = list(csv.reader(io.StringIO(_body(response))))
    assert [(r[1], r[2]) for r in rows[1:]] == [("wros", "2027"), ("wros", "2026")]
