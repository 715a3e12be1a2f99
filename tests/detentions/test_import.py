"""Bulk import from a port's file: all rows or none, every error named by row and column."""

import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from withhold.core.exceptions import ApplicationError
from withhold.detentions import imports, services
from withhold.detentions.imports import read_rows, read_upload
from withhold.detentions.models import Detention

pytestmark = pytest.mark.django_db

HEADER = (
    "entry_number,entry_line,port_of_entry,imported_on,notice_on,importer,manufacturer,"
    "country_of_origin,merchandise,hts_code,quantity,quantity_unit,value_usd,orders,basis,officer"
)


def row(
    entry="ABC-1234567-8",
    imported="2026-01-31",
    country="CN",
    orders="WRO-2026-0001",
    importer="Acme Imports LLC",
    value="1000.00",
):
    return (
        f"{entry},1,2704 Los Angeles,{imported},2026-02-03,{importer},,{country},Shirts,6205.20,"
        f"10,pcs,{value},{orders},order,port_officer"
    )


def csv_bytes(*rows):
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def test_valid_file_stores_every_row(port_officer, acme, wro):
    rows = read_rows(csv_bytes(row(), row(entry="ABC-1234568-0")), "port.csv")
    stored = services.detentions_import(actor=port_officer, rows=rows, file_name="port.csv")
    assert len(stored) == 2
    assert Detention.objects.get(entry_number="ABC-1234568-0").orders.get() == wro


def test_one_bad_row_stores_nothing_and_names_every_error(port_officer, acme, wro):
    data = csv_bytes(
        row(),
        row(entry="BAD", country="XX"),
        row(
            entry="ABC-1234569-1", imported="31/01/2026", orders="WRO-1999-9999", importer="Nobody"
        ),
        row(),  # duplicate of row 2
    )
    with pytest.raises(services.ImportRefused) as exc:
        services.detentions_import(
            actor=port_officer, rows=read_rows(data, "port.csv"), file_name="port.csv"
        )
    named = {(r, c) for r, c, _m in exc.value.errors}
    assert {
        (3, "entry_number"),
        (3, "country_of_origin"),
        (4, "imported_on"),
        (4, "orders"),
        (4, "importer"),
        (5, "entry_number"),
    } <= named
    assert Detention.objects.count() == 0


def test_xlsx_file(port_officer, acme, wro):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append(row().split(","))
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = read_rows(buffer.getvalue(), "port.xlsx")
    services.detentions_import(actor=port_officer, rows=rows, file_name="port.xlsx")
    assert Detention.objects.get().entry_number == "ABC-1234567-8"


def test_command_imports_and_reports_errors(tmp_path, port_officer, acme, wro):
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(row()))
    out = io.StringIO()
    call_command(
        "import_detentions", str(good), "--as", "port_officer", stdout=out, stderr=io.StringIO()
    )
    assert "Imported 1 detention(s)." in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(row(entry="ABC-7654321-0", value="lots")))
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_detentions", str(bad), "--as", "port_officer", stderr=err)
    assert "row 2, value_usd" in err.getvalue()
    assert Detention.objects.count() == 1


def test_every_error_of_a_row_is_reported_at_once_by_column(port_officer, acme, wro):
    """A cell that cannot be read does not hide the row's other errors (no rounds of fixing),
    and no error is a whole-row one."""
    data = csv_bytes(
        row(imported="31/01/2026", country="XX", orders="WRO-1999-9999"),
        row(entry="ABC-1234568-0", value="lots", importer="Nobody", country="ZZ"),
    )
    with pytest.raises(services.ImportRefused) as exc:
        services.detentions_import(
            actor=port_officer, rows=read_rows(data, "port.csv"), file_name="port.csv"
        )
    named = {(r, c) for r, c, _m in exc.value.errors}
    assert named == {
        (2, "imported_on"),
        (2, "country_of_origin"),
        (2, "orders"),
        (3, "value_usd"),
        (3, "importer"),
        (3, "country_of_origin"),
    }
    assert Detention.objects.count() == 0


def test_an_entry_already_recorded_is_named_by_column(port_officer, acme, wro):
    services.detentions_import(
        actor=port_officer, rows=read_rows(csv_bytes(row()), "a.csv"), file_name="a.csv"
    )
    with pytest.raises(services.ImportRefused) as exc:
        services.detentions_import(
            actor=port_officer, rows=read_rows(csv_bytes(row()), "b.csv"), file_name="b.csv"
        )
    assert [(r, c) for r, c, _m in exc.value.errors] == [(2, "entry_number")]
    assert "already recorded" in exc.value.errors[0][2]


def _bomb_xlsx() -> bytes:
    """A small workbook whose sheet expands a thousandfold: 4 MB of blanks in ~4 KB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            "<worksheet><sheetData>" + " " * 4_000_000 + "</sheetData></worksheet>",
        )
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_opened(port_officer, client):
    data = _bomb_xlsx()
    assert len(data) < 10_000
    started = time.monotonic()
    with pytest.raises(ApplicationError, match="zip bomb"):
        read_upload(SimpleUploadedFile("port.xlsx", data))
    client.force_login(port_officer)
    response = client.post(
        "/detentions/import/",
        {"file": SimpleUploadedFile("port.xlsx", data)},
        HTTP_HOST="127.0.0.1",
    )
    assert response.status_code == 400
    assert "zip bomb" in response.content.decode()
    assert time.monotonic() - started < 5


def test_a_file_over_the_size_cap_is_refused(monkeypatch, port_officer):
    monkeypatch.setattr(imports, "MAX_BYTES", 1000)
    with pytest.raises(ApplicationError, match="at most 1,000 bytes"):
        read_upload(SimpleUploadedFile("port.csv", csv_bytes(*[row()] * 20)))


def test_rows_beyond_the_maximum_are_refused_quickly(port_officer, acme, wro):
    """A sheet with a cell far down (and one claiming every column) is refused at the first row
    beyond the maximum, without reading a million rows into memory."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append(row().split(","))
    sheet.cell(row=1, column=16_384, value="wide")
    sheet.cell(row=1_048_576, column=1, value="ABC-7654321-0")
    buffer = io.BytesIO()
    workbook.save(buffer)
    started = time.monotonic()
    with pytest.raises(ApplicationError, match="more than 5,000 rows"):
        read_upload(SimpleUploadedFile("port.xlsx", buffer.getvalue()))
    assert time.monotonic() - started < 10


def test_a_csv_with_too_many_rows_is_refused(monkeypatch, port_officer, acme, wro):
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    rows = [row(entry=f"ABC-123456{n}-0") for n in range(4)]
    with pytest.raises(ApplicationError, match="more than 3 rows"):
        read_upload(SimpleUploadedFile("port.csv", csv_bytes(*rows)))
    assert len(read_upload(SimpleUploadedFile("port.csv", csv_bytes(*rows[:3])))) == 3


@pytest.mark.parametrize(
    ("column", "cell"),
    [
        ("entry_line", "²"),
        ("entry_line", "٣"),
        ("entry_line", "1000"),
        ("quantity", "1²"),
        ("quantity", "NaN"),
        ("value_usd", "Infinity"),
        ("value_usd", "1e3"),
    ],
)
def test_a_number_that_is_not_one_is_named_by_row_and_column(port_officer, acme, wro, column, cell):
    """``'²'.isdigit()`` is true and ``int('²')`` fails: the file is refused, not crashed on."""
    cells = dict(zip(HEADER.split(","), row().split(","), strict=True))
    cells[column] = cell
    data = csv_bytes(row(entry="ABC-1234568-0"), ",".join(cells.values()))
    with pytest.raises(services.ImportRefused) as exc:
        services.detentions_import(
            actor=port_officer, rows=read_rows(data, "port.csv"), file_name="port.csv"
        )
    [(number, named, message)] = exc.value.errors
    assert (number, named) == (3, column)
    assert cell in message
    assert Detention.objects.count() == 0


def test_an_entry_line_written_with_thousands_or_as_a_spreadsheet_number_is_read(
    port_officer, acme, wro
):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    cells = row().split(",")
    cells[1], cells[10], cells[12] = 2.0, 10, 1234.5  # numeric cells, as Excel stores them
    sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    services.detentions_import(
        actor=port_officer, rows=read_rows(buffer.getvalue(), "port.xlsx"), file_name="port.xlsx"
    )
    detention = Detention.objects.get()
    assert (detention.entry_line, str(detention.value_usd)) == (2, "1234.50")
