"""Any trade-data file: stored whole, or refused with our own errors and nothing stored."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from withhold.core.exceptions import ApplicationError
from withhold.evidence import services, tradefile
from withhold.evidence.models import TradeEntry, TradeUpload

from ..hostile import PARSER_SETTINGS, csv_bytes, table

pytestmark = pytest.mark.django_db


def _counts():
    return TradeUpload.objects.count(), TradeEntry.objects.count()


def _upload(case, actor, name, data):
    before = _counts()
    try:
        upload = services.trade_data_upload(
            case=case, actor=actor, uploaded_file=SimpleUploadedFile(name, data)
        )
    except (ValidationError, ApplicationError):
        assert _counts() == before  # refused: nothing of it stored
        return None
    assert _counts() == (before[0] + 1, before[1] + upload.row_count)
    return upload


@PARSER_SETTINGS
@given(table(tradefile.COLUMNS))
def test_any_csv_table_is_stored_whole_or_refused(case, case_analyst, drawn):
    header, rows = drawn
    _upload(case, case_analyst, "trade.csv", csv_bytes(header, rows))


@PARSER_SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes_are_refused_cleanly_or_read_as_text(case, case_analyst, data):
    _upload(case, case_analyst, "trade.csv", data)


@PARSER_SETTINGS
@given(st.binary(max_size=200))
def test_a_damaged_workbook_is_refused(case, case_analyst, junk):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", junk)
    assert _upload(case, case_analyst, "trade.xlsx", buffer.getvalue()) is None


@pytest.mark.parametrize("value", ["1e30", "123456789012345.5", "1E+400"])
def test_numbers_the_database_cannot_hold_are_named_not_crashed(case, case_analyst, value):
    data = (
        "date,importer,manufacturer,hts,quantity,value,port\n"
        f"2024-01-02,Importer Inc,Example,6109100012,{value},{value},Newark\n"
    ).encode()
    with pytest.raises(services.TradeDataRejected) as refused:
        services.trade_data_upload(
            case=case, actor=case_analyst, uploaded_file=SimpleUploadedFile("t.csv", data)
        )
    assert {e.column for e in refused.value.errors} <= {"quantity", "value"}
    assert _counts() == (0, 0)


def _xlsx(header, rows) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook()
    sheet = workbook.active
    for row in [header, *rows]:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", str(cell)) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@PARSER_SETTINGS
@given(table(tradefile.COLUMNS))
def test_any_workbook_table_is_stored_whole_or_refused(case, case_analyst, drawn):
    header, rows = drawn
    _upload(case, case_analyst, "trade.xlsx", _xlsx(header, rows))
