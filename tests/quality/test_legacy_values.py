"""Legacy rows whose sensitivity or amount is unclear: never less protected, never a crash."""

from decimal import Decimal

import pytest

from withhold.cases.models import Case
from withhold.quality.models import LegacyRecord
from withhold.quality.services import legacy_import

from .conftest import HEADINGS, MAPPING, workbook_bytes

pytestmark = pytest.mark.django_db

EXTRA = ["LES", "Import Value"]
EXTRA_MAPPING = MAPPING.replace(
    "[columns]\n",
    '[columns]\n"LES" = "law_enforcement_sensitive"\n'
    '"Import Value" = "estimated_annual_import_value"\n',
)


def _row(number: str, sensitive, value) -> list:
    return [
        number,
        f"Cotton shirts, {number}",
        "Workers report their identity documents are withheld by the employer.",
        "Cotton",
        "China",
        "NGO",
        "03/15/2019",
        "04/01/2019",
        "Investigation (2)",
        "case_analyst",
        "Mill One Textiles",
        "NGO; Media",
        "Site visit arranged with the embassy staff.",
        "",
        sensitive,
        value,
    ]


def _import(supervisor, *rows):
    return legacy_import(
        actor=supervisor,
        data=workbook_bytes(list(rows), headings=[*HEADINGS, *EXTRA]),
        file_name="tracker.xlsx",
        mapping_text=EXTRA_MAPPING,
    )


def _outcome(report, row_number):
    item = next(r for r in report.rows if r.row.number == row_number)
    record = LegacyRecord.objects.get(row_number=row_number)
    return item, record, Case.objects.get(pk=record.case_id)


@pytest.mark.parametrize("cell", ["maybe", "?", "TBD", "partly", "yes?", "2"])
def test_an_unclear_sensitivity_is_stored_as_sensitive_and_sent_to_review(
    supervisor, case_analyst, commodity, cell
):
    report = _import(supervisor, _row("L-1", cell, ""))
    item, record, case = _outcome(report, 2)
    assert case.law_enforcement_sensitive is True
    assert item.outcome == record.outcome == "needs_review"
    assert (
        f"row 2, column “LES” (law_enforcement_sensitive): “{cell}” is neither yes nor no; "
        "recorded as sensitive until reviewed"
    ) in record.issues


@pytest.mark.parametrize(
    ("cell", "expected"), [("Yes", True), ("x", True), ("no", False), ("", False)]
)
def test_a_clear_sensitivity_is_stored_as_written(
    supervisor, case_analyst, commodity, cell, expected
):
    report = _import(supervisor, _row("L-1", cell, ""))
    item, record, case = _outcome(report, 2)
    assert case.law_enforcement_sensitive is expected
    assert item.outcome == "imported" and record.issues == []


@pytest.mark.parametrize("cell", ["²", "1²", "٣٠٠", "NaN", "Infinity", "1e6", "-5", "lots"])
def test_an_import_value_that_is_not_an_amount_is_left_empty_and_named(
    supervisor, case_analyst, commodity, cell
):
    report = _import(supervisor, _row("L-1", "no", cell))
    item, record, case = _outcome(report, 2)
    assert case.estimated_annual_import_value is None
    assert item.outcome == "needs_review"
    [issue] = record.issues
    assert issue.startswith(f"import value “{cell}” is not an amount (")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("$1,250,000", "1250000.00"), ("12 USD", "12.00"), ("99.995", "100.00"), (1500.5, "1500.50")],
)
def test_an_import_value_as_people_write_it_is_read(
    supervisor, case_analyst, commodity, cell, expected
):
    report = _import(supervisor, _row("L-1", "no", cell))
    item, _record, case = _outcome(report, 2)
    assert case.estimated_annual_import_value == Decimal(expected)
    assert item.outcome == "imported"
