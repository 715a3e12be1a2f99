"""Every spreadsheet export escapes formula cells: records whose text starts with = + - @, a tab
or a carriage return are exported through every CSV download, and no cell of any download
starts with one of them (``core.csv_export.csv_safe`` prefixes an apostrophe). Withhold has no
XLSX export (XLSX is only read, by the trade-data and detention imports)."""

import csv
import io

import pytest

from withhold.cases.models import Case
from withhold.detentions.models import Detention
from withhold.entities.models import Entity
from withhold.intake.models import Allegation
from withhold.operations.access import routes
from withhold.orders.models import Order

from ..factories import UserFactory
from .seed import seed_records

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Every CSV download: the list pages with ?format=csv and the routes ending in .csv.
EXPORTS = [
    "/cases/?format=csv",
    "/cases/{case}/audit.csv",
    "/cases/{case}/evidence/trade.csv",
    "/register/?format=csv",
    "/detentions/?format=csv",
    "/detentions/statistics/?format=csv",
    "/intake/?format=csv",
    "/uflpa-statistics/?format=csv",
    "/uflpa-statistics/?format=csv&breakdown=industry",
]


def test_every_csv_route_is_walked():
    csv_routes = {r.route for r in routes() if r.route.endswith(".csv")}
    walked = {e.lstrip("/").replace("{case}", "<str:number>") for e in EXPORTS}
    assert csv_routes <= walked


def test_no_export_cell_starts_a_formula(client):
    seeded = seed_records(suffix="x")
    Case.objects.update(title='=HYPERLINK("http://evil.example","open")')
    Order.objects.update(merchandise="+cmd|' /C calc'!A0", industry="@SUM(1+1)*cmd")
    Detention.objects.update(merchandise="-2+3+cmd|' /C calc'!A0", port_of_entry="\t=1+1")
    Allegation.objects.update(merchandise_description="@SUM(A1)", manufacturer_name="\r=1")
    Entity.objects.update(name="=1+2")
    client.force_login(UserFactory(username="export-walker", is_superuser=True))

    escaped_seen = 0
    for template in EXPORTS:
        url = template.format(case=seeded.case_number)
        response = client.get(url, **HOST)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("text/csv"), url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        assert rows, url
        for number, row in enumerate(rows, start=1):
            for cell in row:
                assert not cell.startswith(FORMULA_STARTS), f"{url} row {number}: {cell!r}"
                escaped_seen += cell.startswith("'") and cell[1:2] in FORMULA_STARTS
    assert escaped_seen >= 5  # the hostile values were exported, escaped
