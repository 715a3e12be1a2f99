"""The UFLPA statistics reproduce, from fixed detentions, the breakdowns CBP's UFLPA dashboard
publishes: by month, status, country and industry, and cumulative — the same numbers on the
page, in each CSV, in the JSON download and in the API."""

import csv
import io
import json
from decimal import Decimal

import pytest

from withhold.uflpa_statistics.selectors import uflpa_statistics

from .conftest import TODAY

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}

BY_MONTH = [
    ("2025-12", 2, "3500.50"),
    ("2026-01", 2, "4050.00"),
    ("2026-02", 3, "1510.00"),
    ("2026-03", 2, "850.25"),
]
CUMULATIVE = [
    ("2025-12", 2, "3500.50", 2, "3500.50"),
    ("2026-01", 2, "4050.00", 4, "7550.50"),
    ("2026-02", 3, "1510.00", 7, "9060.50"),
    ("2026-03", 2, "850.25", 9, "9910.75"),
]
BY_STATUS = [
    ("denied", "Denied", 4, "7250.50"),  # excluded, deemed excluded, exported, seized
    ("pending", "Pending", 3, "460.25"),
    ("released", "Released", 2, "2200.00"),
]
# By value, largest first; Viet Nam (2) and Thailand (1) are under the small-cell rule (3).
BY_COUNTRY = [
    ("MY", "Malaysia (MY)", 3, "4450.25"),
    ("CN", "China (CN)", 3, "3510.50"),
    ("other", "All other countries", 3, "1950.00"),
]
BY_INDUSTRY = [
    ("electronics", "Electronics", 3, "6550.50"),
    ("apparel_textiles", "Apparel, Footwear and Textiles", 2, "1700.00"),
    ("agriculture", "Agriculture and Prepared Products", 1, "150.25"),
    ("consumer_products", "Consumer Products and Mass Merchandising", 1, "10.00"),
    ("industrial_materials", "Industrial and Manufacturing Materials", 1, "300.00"),
    ("pharmaceuticals_chemicals", "Pharmaceuticals, Health and Chemicals", 1, "1200.00"),
]


def table(rows):
    return [(r.key, r.label, r.shipments, f"{r.value_usd:.2f}") for r in rows]


def test_every_breakdown_has_the_expected_figures(uflpa_detentions):
    stats = uflpa_statistics(today=TODAY)
    assert (stats.shipments, stats.value_usd) == (9, Decimal("9910.75"))
    assert [(r.key, r.shipments, f"{r.value_usd:.2f}") for r in stats.by_month] == BY_MONTH
    assert [
        (r.month, r.shipments, f"{r.value_usd:.2f}", r.cumulative_shipments,
         f"{r.cumulative_value_usd:.2f}")
        for r in stats.cumulative
    ] == CUMULATIVE  # fmt: skip
    assert table(stats.by_status) == BY_STATUS
    assert table(stats.by_country) == BY_COUNTRY
    assert table(stats.by_industry) == BY_INDUSTRY


def test_an_open_detention_turns_from_pending_to_denied_when_its_30_days_run_out(
    uflpa_detentions,
):
    # Presented 20 February: the 30 days end on 22 March; from the 23rd it is deemed excluded.
    on_22nd = uflpa_statistics(today=TODAY.replace(day=22))
    on_23rd = uflpa_statistics(today=TODAY.replace(day=23))
    assert [r.shipments for r in on_22nd.by_status] == [4, 3, 2]
    assert [r.shipments for r in on_23rd.by_status] == [5, 2, 2]


def test_a_smaller_small_cell_threshold_shows_each_country(uflpa_detentions, settings):
    settings.WITHHOLD = {**settings.WITHHOLD, "UFLPA_STATISTICS_MIN_CELL": 1}
    stats = uflpa_statistics(today=TODAY)
    assert table(stats.by_country) == [
        ("MY", "Malaysia (MY)", 3, "4450.25"),
        ("CN", "China (CN)", 3, "3510.50"),
        ("VN", "Viet Nam (VN)", 2, "1900.00"),
        ("TH", "Thailand (TH)", 1, "50.00"),
    ]


def test_with_no_uflpa_detention_the_page_says_so(client, db, at_noon):
    page = client.get("/uflpa-statistics/", **HOST).content.decode()
    assert "0 shipments, USD 0.00" in page
    assert "No UFLPA shipments yet." in page
    assert uflpa_statistics(today=TODAY).by_month == []


def read_csv(response):
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_page_shows_the_same_figures(client, uflpa_detentions, at_noon):
    page = client.get("/uflpa-statistics/", **HOST).content.decode()
    assert "9 shipments, USD 9,910.75, as of 10 March 2026" in page
    for key, label, n, value in BY_STATUS + BY_COUNTRY + BY_INDUSTRY:
        assert (
            f'<tr data-key="{key}"><th scope="row">{label}</th><td class="text-right">{n}</td>'
            f'<td class="text-right">{Decimal(value):,.2f}</td></tr>'
        ) in page
    for month, n, value, total_n, total_value in CUMULATIVE:
        assert (
            f'<tr data-key="{month}"><th scope="row" class="text-no-wrap">{month}</th>'
            f'<td class="text-right">{n}</td>'
            f'<td class="text-right">{Decimal(value):,.2f}</td><td class="text-right">{total_n}'
            f'</td><td class="text-right">{Decimal(total_value):,.2f}</td></tr>'
        ) in page
    assert 'data-label="Electronics" data-value="3"' in page  # the chart's bar
    # Countries are ranked by value, and their chart draws value (thousands of USD).
    assert 'data-label="Malaysia (MY)" data-value="4"' in page
    assert "Value by country of origin, thousands of USD" in page


def test_each_csv_download_has_its_breakdown(client, uflpa_detentions, at_noon):
    def get(breakdown):
        return read_csv(
            client.get("/uflpa-statistics/", {"format": "csv", "breakdown": breakdown}, **HOST)
        )

    assert get("month") == [["month", "shipments", "value_usd"]] + [
        [m, str(n), v] for m, n, v in BY_MONTH
    ]
    assert get("cumulative") == [
        ["month", "shipments", "value_usd", "cumulative_shipments", "cumulative_value_usd"]
    ] + [[m, str(n), v, str(tn), tv] for m, n, v, tn, tv in CUMULATIVE]
    for name, expected in (
        ("status", BY_STATUS),
        ("country", BY_COUNTRY),
        ("industry", BY_INDUSTRY),
    ):
        assert get(name) == [[name, "label", "shipments", "value_usd"]] + [
            [k, label, str(n), v] for k, label, n, v in expected
        ]
    everything = read_csv(client.get("/uflpa-statistics/", {"format": "csv"}, **HOST))
    assert everything[1] == ["total", "", "All UFLPA shipments since 2022-06-21", "9", "9910.75"]
    assert len(everything) == 2 + len(BY_MONTH) + 3 + 3 + len(BY_INDUSTRY)


def test_json_download_and_api_give_the_same_figures(client, uflpa_detentions, at_noon):
    download = client.get("/uflpa-statistics/", {"format": "json"}, **HOST)
    assert download["Content-Type"] == "application/json"
    data = json.loads(download.content)
    assert client.get("/api/uflpa-statistics/", **HOST).json() == data
    assert (data["shipments"], data["value_usd"], data["since"]) == (9, "9910.75", "2022-06-21")
    assert [(r["key"], r["label"], r["shipments"], r["value_usd"]) for r in data["by_status"]] == [
        tuple(row) for row in BY_STATUS
    ]
    assert [(r["key"], r["shipments"], r["value_usd"]) for r in data["by_month"]] == BY_MONTH
    assert [tuple(r.values()) for r in data["cumulative"]] == CUMULATIVE
    assert [r["key"] for r in data["by_country"]] == ["MY", "CN", "other"]
    assert [r["key"] for r in data["by_industry"]] == [row[0] for row in BY_INDUSTRY]
    one = client.get("/api/uflpa-statistics/", {"breakdown": "industry"}, **HOST).json()
    assert "by_month" not in one and len(one["by_industry"]) == len(BY_INDUSTRY)
    one_download = client.get(
        "/uflpa-statistics/", {"format": "json", "breakdown": "industry"}, **HOST
    ).json()
    assert one_download == one
    refused = client.get("/api/uflpa-statistics/", {"breakdown": "importer"}, **HOST)
    assert refused.status_code == 400


def test_the_page_and_downloads_take_a_fixed_number_of_queries(
    client, uflpa_detentions, at_noon, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        client.get("/uflpa-statistics/", **HOST)
