"""Reading a port's file of detentions (CSV or XLSX) into rows the import service checks.

The first row names the columns (``COLUMNS``; case and spaces ignored). Each cell is converted
here and every problem recorded by row and column, so a file is refused with all its errors at
once; ``services.detentions_import`` then checks the rows as it checks one detention and stores
all of them or none.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from withhold.accounts.models import User
from withhold.core.exceptions import ApplicationError
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
    "basis": "order or caatsa (default order)",
    "officer": "User name of the officer responsible",
}
REQUIRED = set(COLUMNS) - {"entry_line", "manufacturer", "orders", "basis"}


@dataclass
class ImportRow:
    number: int
    fields: dict[str, Any] = field(default_factory=dict)
    orders: list[Order] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)


def _table(data: bytes, name: str) -> list[list[Any]]:
    if name.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
            return [list(row) for row in sheet.iter_rows(values_only=True)]
        except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
            raise ApplicationError(f"“{name}” could not be read as an Excel workbook.") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    try:
        return [row for row in csv.reader(io.StringIO(text))]
    except csv.Error as exc:
        raise ApplicationError(f"“{name}” could not be read as CSV ({exc}).") from exc


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
    header = [_text(h).lower().replace(" ", "_") for h in table[0]]
    missing = sorted(REQUIRED - set(header))
    if missing:
        raise ApplicationError(
            f"The first row must name the columns; missing: {', '.join(missing)}."
        )
    entities = {e.name.casefold(): e for e in Entity.objects.all()}
    orders = {o.number.upper(): o for o in Order.objects.all()}
    officers = {u.username.casefold(): u for u in User.objects.filter(is_active=True)}
    rows = []
    for index, raw in enumerate(table[1:], start=2):
        cells = {h: raw[i] if i < len(raw) else None for i, h in enumerate(header) if h in COLUMNS}
        if all(_text(v) == "" for v in cells.values()):
            continue
        row = ImportRow(number=index)
        for column in ("entry_number", "port_of_entry", "country_of_origin", "merchandise"):
            row.fields[column] = _text(cells.get(column))
        row.fields["hts_code"] = _text(cells.get("hts_code"))
        row.fields["quantity_unit"] = _text(cells.get("quantity_unit"))
        row.fields["basis"] = _text(cells.get("basis")).lower() or "order"
        line = _text(cells.get("entry_line")) or "1"
        if line.isdigit() and int(line) >= 1:
            row.fields["entry_line"] = int(line)
        else:
            row.errors.append(("entry_line", f"“{line}” is not a line number."))
        for column in ("imported_on", "notice_on"):
            try:
                row.fields[column] = _date(cells.get(column))
            except (TypeError, ValueError):
                row.errors.append(
                    (column, f"“{_text(cells.get(column))}” is not a YYYY-MM-DD date.")
                )
        for column in ("quantity", "value_usd"):
            try:
                row.fields[column] = Decimal(_text(cells.get(column)).replace(",", ""))
            except InvalidOperation:
                row.errors.append((column, f"“{_text(cells.get(column))}” is not a number."))
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
