"""Reading a file of U.S. import entries (CSV or XLSX) into checked rows. No database.

Every row is checked and every problem is reported with its row number and column, so the analyst
can fix the file; the service stores the file only if no row has a problem (all or nothing).
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from withhold.core.numbers import NumberError, parse_decimal
from withhold.reference.hs import hs_code_problem, hs_normalise

COLUMNS = ["date", "importer", "manufacturer", "hts", "quantity", "value", "port"]
MAX_ROWS = 50_000
# What the database columns hold (TradeEntry.quantity: 16 digits, 3 decimals; value: 16, 2).
DECIMAL_PLACES = {"quantity": 3, "value": 2}
MAX_WHOLE_DIGITS = {"quantity": 13, "value": 14}


@dataclass(frozen=True)
class TradeRow:
    entry_date: date
    importer: str
    manufacturer: str
    hts_code: str
    quantity: Decimal
    value: Decimal
    port: str


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}, {self.column}: {self.message}"


class UnreadableFile(ValueError):
    """The file is not a table we can read (a damaged workbook, a broken CSV)."""


def rows_from_csv(data: bytes) -> list[list]:
    text = data.decode("utf-8-sig", errors="replace")
    try:
        return [row for row in csv.reader(io.StringIO(text))]
    except csv.Error as exc:
        raise UnreadableFile(f"The file could not be read as CSV ({exc}).") from exc


def rows_from_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        workbook.close()
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise UnreadableFile("The file could not be read as an Excel workbook.") from exc
    return rows


def _date(value) -> date:
    if isinstance(value, datetime):
        return value.date()  # naive: spreadsheet cell
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip())


def parse(rows: list[list], *, today: date) -> tuple[list[TradeRow], list[RowError]]:
    """Check a table whose first row names the columns (``COLUMNS``, any order, any case).
    Row numbers count the header as row 1, as a spreadsheet shows them."""
    rows = [r for r in rows if any(str(c).strip() for c in r if c is not None)]
    if not rows:
        return [], [RowError(1, "file", "The file is empty.")]
    header = [str(c or "").strip().lower() for c in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return [], [
            RowError(
                1,
                "header",
                f"Missing column(s): {', '.join(missing)}. Expected: {', '.join(COLUMNS)}.",
            )
        ]
    if len(rows) - 1 > MAX_ROWS:
        return [], [RowError(1, "file", f"At most {MAX_ROWS} rows per upload.")]
    index = {name: header.index(name) for name in COLUMNS}
    good: list[TradeRow] = []
    errors: list[RowError] = []
    for number, raw in enumerate(rows[1:], start=2):
        cell = {name: (raw[i] if i < len(raw) else None) for name, i in index.items()}
        text = {k: ("" if v is None else str(v).strip()) for k, v in cell.items()}
        row_errors: list[RowError] = []
        entry_date = None
        try:
            entry_date = _date(cell["date"]) if text["date"] else None
            if entry_date is None:
                row_errors.append(RowError(number, "date", "Enter the date of importation."))
            elif entry_date > today:
                row_errors.append(RowError(number, "date", "The date is in the future."))
        except ValueError:
            row_errors.append(
                RowError(number, "date", f"“{text['date']}” is not a YYYY-MM-DD date.")
            )
        for name in ("importer", "manufacturer", "port"):
            if not text[name]:
                row_errors.append(RowError(number, name, f"Enter the {name}."))
            elif len(text[name]) > (80 if name == "port" else 200):
                row_errors.append(RowError(number, name, "Too long."))
        hts = hs_normalise(text["hts"])
        if not hts:
            row_errors.append(RowError(number, "hts", "Enter the HTS number."))
        elif problem := hs_code_problem(hts):
            row_errors.append(RowError(number, "hts", problem))
        numbers: dict[str, Decimal] = {}
        for name in ("quantity", "value"):
            try:
                numbers[name] = parse_decimal(cell[name], field=name, row=number, currency=True)
            except NumberError as exc:
                row_errors.append(RowError(number, name, exc.problem))
                continue
            if numbers[name] < 0:
                row_errors.append(RowError(number, name, "Cannot be negative."))
            elif numbers[name] >= Decimal(10) ** MAX_WHOLE_DIGITS[name]:
                row_errors.append(
                    RowError(
                        number,
                        name,
                        f"Too large: at most {MAX_WHOLE_DIGITS[name]} digits before the point.",
                    )
                )
            else:
                numbers[name] = numbers[name].quantize(Decimal(1).scaleb(-DECIMAL_PLACES[name]))
        if row_errors:
            errors.extend(row_errors)
            continue
        good.append(
            TradeRow(
                entry_date=entry_date,
                importer=text["importer"],
                manufacturer=text["manufacturer"],
                hts_code=hts,
                quantity=numbers["quantity"],
                value=numbers["value"],
                port=text["port"],
            )
        )
    return good, errors
