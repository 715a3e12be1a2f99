import io

import pytest
from openpyxl import Workbook

from tests.factories import EntityFactory

MAPPING = """
[columns]
"Case #" = "legacy_number"
"Case Name" = "title"
"Allegation" = "allegation_summary"
"Commodity" = "commodity"
"Country" = "source_country"
"Source" = "referral_source"
"Date Received" = "received_on"
"Date Opened" = "opened_on"
"Status" = "stage"
"Analyst" = "assigned_analyst"
"Manufacturer" = "manufacturer"
"Evidence Sources" = "evidence_sources"
"Current Update" = "current_update"
"Notes" = "ignore"

[values.stage]
"On hold - staffing" = { phase = "investigation", status = "suspended", reason = "lack_of_personnel" }

[values.commodity]
"Cotton garments" = "Cotton"

[options]
date_formats = ["%m/%d/%Y"]
"""

HEADINGS = [
    "Case #",
    "Case Name",
    "Allegation",
    "Commodity",
    "Country",
    "Source",
    "Date Received",
    "Date Opened",
    "Status",
    "Analyst",
    "Manufacturer",
    "Evidence Sources",
    "Current Update",
    "Notes",
]


def workbook_bytes(rows, headings=HEADINGS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, headings=HEADINGS) -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headings)
    writer.writerows(rows)
    return out.getvalue().encode()


@pytest.fixture
def manufacturer(db):
    return EntityFactory(name="Hetian Taida Apparel Co.", country="CN")
