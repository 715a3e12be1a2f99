"""Reading a port's file of detentions (CSV or XLSX) into rows the import service checks.

The first row names the columns (``COLUMNS``; case and spaces ignored). Each cell is converted
here and every problem recorded by row and column, so a file is refused with all its errors at
once; ``services.detentions_import`` then checks the rows as it checks one detention and stores
all of them or none.

A file is checked before it is opened (``read_upload``: ``core.files.check_upload`` — size cap,
type by content, and for XLSX the zip-bomb check with a tighter cap on what it expands to), and
at most ``MAX_ROWS`` data rows and ``MAX_COLUMNS`` columns are read: a larger file is refused
with a clear error rather than read whole.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.files import File

from withhold.accounts.models import User
from withhold.core.exceptions import ApplicationError
from withhold.core.files import CSV, TEXT, XLSX, check_upload
from withhold.core.numbers import NumberError, parse_decimal, parse_int
from withhold.entities.models import Entity
from withhold.orders.models import Order

COLUMNS = {
    "entry_number": "Entry number, AB1-1234567-8",
    "entry_line": "Entry line (default 1)",
    "port_of_entry": "Port of entry",
    "imported_on": "Date of importation, YYYY-MM-DD",
    "notice_on": "Date of the detention notice, YYYY-MM-DD",
    "importer": "Importer of record, as named under Entities",
    "manufacturer": "Manufacturer, as named under Entities (optional)",
    "country_of_origin": "ISO 3166 alpha-2 country of origin",
    "merchandise": "Merchandise",
    "hts_code": "HTS code",
    "quantity": "Quantity",
    "quantity_unit": "Unit of quantity",
    "value_usd": "Value in US dollars",
    "orders": "Order numbers, separated by ; (e.g. WRO-2026-0001)",
    "basis": "order or caatsa (default order); record UFLPA detentions on the form or the API",
    "officer": "User name of the officer responsible",
}
MAX_LINE = 999  # an entry summary (CBP Form 7501) has at most 999 lines
REQUIRED = set(COLUMNS) - {"entry_line", "manufacturer", "orders", "basis"}

MAX_BYTES = 10 * 1024 * 1024  # the file as sent
MAX_EXPANDED = 25 * 1024 * 1024  # what an XLSX may expand to (its zip members, uncompressed)
MAX_ROWS = 5_000  # data rows, the header not counted
MAX_COLUMNS = 50  # columns read from each row; the rest are ignored
FILE_TYPES = frozenset({CSV, TEXT, XLSX})


@dataclass
class ImportRow:
    number: int
    fields: dict[str, Any] = field(default_factory=dict)
    orders: list[Order] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)


class TooManyRows(ApplicationError):
    def __init__(self):
        super().__init__(
            f"The file has more than {MAX_ROWS:,} rows of detentions; split it into files of at "
            f"most {MAX_ROWS:,} rows."
        )


def _blank(cells) -> bool:
    return all(_text(v) == "" for v in cells)


def _numbered(rows) -> list[tuple[int, list[Any]]]:
    """(row number, cells) of the rows that are not blank, each cut to ``MAX_COLUMNS``; refused
    as soon as a row beyond ``MAX_ROWS`` data rows holds anything."""
    table = []
    for number, cells in enumerate(rows, start=1):
        cells = list(cells[:MAX_COLUMNS])
        if cells.count(None) == len(cells) or _blank(cells):  # the first test is the quick one
            continue
        if number > MAX_ROWS + 1:
            raise TooManyRows()
        table.append((number, cells))
    return table


def _table(data: bytes, name: str) -> list[tuple[int, list[Any]]]:
    if name.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheet = workbook.worksheets[0]
                sheet.reset_dimensions()  # the size the file claims is not trusted
                # read_only streams the sheet; max_col keeps a sheet that claims 16,384 columns
                # from padding every row to that width.
                return _numbered(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True))
            finally:
                workbook.close()
        except TooManyRows:
            raise
        except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
            raise ApplicationError(f"“{name}” could not be read as an Excel workbook.") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    try:
        return _numbered(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise ApplicationError(f"“{name}” could not be read as CSV ({exc}).") from exc


def read_upload(uploaded: File) -> list["ImportRow"]:
    """Check a port's file before anything opens it (size, type by content, zip bomb), then
    read its rows (``read_rows``)."""
    check_upload(uploaded, allowed=FILE_TYPES, max_bytes=MAX_BYTES, max_expanded=MAX_EXPANDED)
    uploaded.seek(0)
    data = uploaded.read()
    return read_rows(data, uploaded.name or "upload")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()  # naive: spreadsheet cell
    if isinstance(value, date):
        return value
    return date.fromisoformat(_text(value))


def read_rows(data: bytes, name: str) -> list[ImportRow]:
    """The file's data rows, converted, each with its problems (row 1 is the header)."""
    table = _table(data, name)
    if not table:
        raise ApplicationError("The file is empty.")
    header = [_text(h).lower().replace(" ", "_") for h in table[0][1]]
    missing = sorted(REQUIRED - set(header))
    if missing:
        raise ApplicationError(
            f"The first row must name the columns; missing: {', '.join(missing)}."
        )
    entities = {e.name.casefold(): e for e in Entity.objects.all()}
    orders = {o.number.upper(): o for o in Order.objects.all()}
    officers = {u.username.casefold(): u for u in User.objects.filter(is_active=True)}
    rows = []
    for index, raw in table[1:]:
        cells = {h: raw[i] if i < len(raw) else None for i, h in enumerate(header) if h in COLUMNS}
        if _blank(cells.values()):
            continue
        row = ImportRow(number=index)
        for column in ("entry_number", "port_of_entry", "country_of_origin", "merchandise"):
            row.fields[column] = _text(cells.get(column))
        row.fields["hts_code"] = _text(cells.get("hts_code"))
        row.fields["quantity_unit"] = _text(cells.get("quantity_unit"))
        row.fields["basis"] = _text(cells.get("basis")).lower() or "order"
        line = cells.get("entry_line")
        try:
            row.fields["entry_line"] = (
                parse_int(line, field="entry_line", row=index, minimum=1, maximum=MAX_LINE)
                if _text(line)
                else 1
            )
        except NumberError as exc:
            row.errors.append(("entry_line", f"{exc.problem} Give the line number (1 or more)."))
        for column in ("imported_on", "notice_on"):
            try:
                row.fields[column] = _date(cells.get(column))
            except (TypeError, ValueError):
                row.errors.append(
                    (column, f"“{_text(cells.get(column))}” is not a YYYY-MM-DD date.")
                )
        for column in ("quantity", "value_usd"):
            try:
                row.fields[column] = parse_decimal(cells.get(column), field=column, row=index)
            except NumberError as exc:
                row.errors.append((column, exc.problem))
        for column, required in (("importer", True), ("manufacturer", False)):
            name_ = _text(cells.get(column))
            if not name_:
                if required:
                    row.errors.append((column, "Name the importer of record."))
                else:
                    row.fields[column] = None
                continue
            entity = entities.get(name_.casefold())
            if entity is None:
                row.errors.append(
                    (column, f"No entity is named “{name_}”; add it under Entities first.")
                )
            else:
                row.fields[column] = entity
        officer_name = _text(cells.get("officer"))
        officer = officers.get(officer_name.casefold())
        if officer is None:
            row.errors.append(("officer", f"No active user is named “{officer_name}”."))
        else:
            row.fields["officer"] = officer
        for number in filter(
            None, (n.strip().upper() for n in _text(cells.get("orders")).split(";"))
        ):
            order = orders.get(number)
            if order is None:
                row.errors.append(("orders", f"There is no order {number}."))
            else:
                row.orders.append(order)
        rows.append(row)
    return rows
