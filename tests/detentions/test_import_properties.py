"""Any port file: every detention stored, or refused with our own errors and nothing stored."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given
from hypothesis import strategies as st

from withhold.core.exceptions import ApplicationError
from withhold.detentions import services
from withhold.detentions.imports import COLUMNS, read_rows
from withhold.detentions.models import Detention, DetentionEvent

from ..hostile import PARSER_SETTINGS, csv_bytes, table

pytestmark = pytest.mark.django_db

# Failing examples found by exploration, kept as explicit examples (docs/ARCHITECTURE.md, Tests).
# A superscript digit: ``"²".isdigit()`` is true but ``int("²")`` raises ValueError.
SUPERSCRIPT_LINE = (list(COLUMNS), [["²" if c == "entry_line" else "" for c in COLUMNS]])
# A quantity of 29 digits: more than decimal arithmetic's 28-digit precision.
LONG_QUANTITY = (list(COLUMNS), [["1" * 29 if c == "quantity" else "" for c in COLUMNS]])


def _counts():
    return Detention.objects.count(), DetentionEvent.objects.count()


def _import(actor, name, data):
    before = _counts()
    try:
        rows = read_rows(data, name)
        stored = services.detentions_import(actor=actor, rows=rows, file_name=name)
    except (ValidationError, ApplicationError):
        assert _counts() == before
        return None
    assert _counts()[0] == before[0] + len(stored)
    return stored


@PARSER_SETTINGS
@given(table(list(COLUMNS)))
@example(SUPERSCRIPT_LINE)
@example(LONG_QUANTITY)
def test_any_csv_table_is_stored_whole_or_refused(port_officer, acme, wro, drawn):
    header, rows = drawn
    _import(port_officer, "port.csv", csv_bytes(header, rows))


@PARSER_SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes_are_refused_cleanly(port_officer, data):
    _import(port_officer, "port.csv", data)


@PARSER_SETTINGS
@given(st.binary(max_size=200))
def test_a_damaged_workbook_is_refused(port_officer, junk):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", junk)
    assert _import(port_officer, "port.xlsx", buffer.getvalue()) is None


@PARSER_SETTINGS
@given(table(list(COLUMNS)))
@example(SUPERSCRIPT_LINE)
@example(LONG_QUANTITY)
def test_any_workbook_table_is_stored_whole_or_refused(port_officer, acme, wro, drawn):
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    header, rows = drawn
    workbook = Workbook()
    for row in [header, *rows]:
        workbook.active.append([ILLEGAL_CHARACTERS_RE.sub("", str(cell)) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    _import(port_officer, "port.xlsx", buffer.getvalue())
