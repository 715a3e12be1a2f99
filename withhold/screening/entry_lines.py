"""Reading a file of import entry lines (CSV or XLSX). Pure: no database.

Header names are matched without regard to case or surrounding spaces; unknown columns are
ignored. Only ``line_id`` and one of the name columns are required in the header. A row with a
bad value (no ``line_id``, a country that is not an ISO 3166 alpha-2 code, an HTS code that is not
4 to 10 digits, a date that is not YYYY-MM-DD) is reported with its row number (the header is row
1, as a spreadsheet counts) and column, and not screened; every other row is.
"""

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from withhold.reference.countries import is_country

COLUMNS = (
    "line_id",
    "entry_number",
    "entry_date",
    "importer_name",
    "manufacturer_name",
    "manufacturer_address",
    "shipper_name",
    "country_of_origin",
    "hts_code",
    "description",
    "vessel_name",
)
NAME_COLUMNS = ("importer_name", "manufacturer_name", "shipper_name", "vessel_name")
MAX_CELL = 1000  # characters kept of any cell
_HTS = re.compile(r"^[0-9]{4,10}$")


class UnreadableInput(Exception):
    """The file as a whole cannot be read (not CSV or XLSX, or no usable header)."""


@dataclass(slots=True)
class EntryLine:
    row: int
    line_id: str
    entry_number: str = ""
    entry_date: str = ""
    importer_name: str = ""
    manufacturer_name: str = ""
    manufacturer_address: str = ""
    shipper_name: str = ""
    country_of_origin: str = ""
    hts_code: str = ""
    description: str = ""
    vessel_name: str = ""

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in ("row", *COLUMNS)}


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@lru_cache(maxsize=4096)
def _date_ok(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


@lru_cache(maxsize=1024)
def _country_ok(code: str) -> bool:
    return len(code) == 2 and is_country(code)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()  # naive: spreadsheet cell
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()[:MAX_CELL]


def header_map(header: Iterable) -> dict[str, int]:
    """Known column name → position. Refuses a header without ``line_id`` or any name column."""
    positions: dict[str, int] = {}
    for i, name in enumerate(header):
        key = _cell(name).strip().lower().lstrip("\ufeff")
        if key in COLUMNS and key not in positions:
            positions[key] = i
    if "line_id" not in positions:
        raise UnreadableInput("The header has no line_id column.")
    if not any(c in positions for c in NAME_COLUMNS):
        raise UnreadableInput(
            "The header has none of the name columns (" + ", ".join(NAME_COLUMNS) + ")."
        )
    return positions


def row_parser(
    positions: dict[str, int],
) -> Callable[[int, list[str]], "EntryLine | list[RowError]"]:
    """``parse_row`` for the rows of one file, the header's positions worked out once (a million
    rows are parsed in a few seconds)."""
    index = tuple(positions.get(name, -1) for name in COLUMNS)
    widest = max(index) + 1

    def parse(row: int, cells: list[str]) -> EntryLine | list[RowError]:
        if len(cells) >= widest:
            values = [cells[i].strip()[:MAX_CELL] if i >= 0 else "" for i in index]
        else:
            size = len(cells)
            values = [cells[i].strip()[:MAX_CELL] if 0 <= i < size else "" for i in index]
        (line_id, entry_number, entry_date, importer_name, manufacturer_name,
         manufacturer_address, shipper_name, country, hts, description, vessel_name) = values  # fmt: skip
        errors = []
        if not line_id:
            errors.append(RowError(row, "line_id", "line_id is empty."))
        if country:
            country = country.upper()
            if not _country_ok(country):
                errors.append(
                    RowError(
                        row, "country_of_origin", f"“{country}” is not an ISO 3166 alpha-2 code."
                    )
                )
        if hts:
            hts = hts.replace(".", "").replace(" ", "")
            if hts and not _HTS.match(hts):
                errors.append(
                    RowError(row, "hts_code", f"“{hts[:20]}” is not an HTS code (4–10 digits).")
                )
        if entry_date and not _date_ok(entry_date):
            errors.append(
                RowError(row, "entry_date", f"“{entry_date[:20]}” is not a date (YYYY-MM-DD).")
            )
        if errors:
            return errors
        return EntryLine(row, line_id, entry_number, entry_date, importer_name, manufacturer_name,
                         manufacturer_address, shipper_name, country, hts, description,
                         vessel_name)  # fmt: skip

    return parse


def parse_row(row: int, cells: list[str], positions: dict[str, int]) -> EntryLine | list[RowError]:
    """One data row (cells as text): an ``EntryLine``, or every problem found in it."""
    return row_parser(positions)(row, cells)


def _decode(head: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError as exc:
            # A multi-byte character cut at the end of the sample is not a decoding error.
            if encoding == "utf-8-sig" and exc.start >= len(head) - 3:
                return encoding
            continue
        return encoding
    return "latin-1"


def _csv_rows(stream: io.BufferedIOBase) -> Iterator[list]:
    head = stream.peek(65536)[:65536] if hasattr(stream, "peek") else b""
    if b"\x00" in head:
        raise UnreadableInput("The file is neither CSV text nor an Excel workbook.")
    text = io.TextIOWrapper(stream, encoding=_decode(head), errors="replace", newline="")
    try:
        yield from csv.reader(text)
    except csv.Error as exc:
        raise UnreadableInput(f"The CSV file cannot be read: {exc}.") from exc


def _xlsx_rows(source) -> Iterator[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise UnreadableInput("The Excel workbook cannot be read.") from exc
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_cell(v) for v in values]
    finally:
        workbook.close()


def _raw_rows(source: bytes | str | Path) -> Iterator[list]:
    if isinstance(source, bytes):
        if source[:2] == b"PK":
            yield from _xlsx_rows(io.BytesIO(source))
        else:
            yield from _csv_rows(io.BufferedReader(io.BytesIO(source)))
        return
    with open(source, "rb") as handle:
        if handle.peek(2)[:2] == b"PK":
            yield from _xlsx_rows(handle)
        else:
            yield from _csv_rows(handle)


def _data_rows(source: bytes | str | Path) -> tuple[dict[str, int], Iterator[tuple[int, list]]]:
    rows = _raw_rows(source)
    try:
        header = next(rows)
    except StopIteration:
        raise UnreadableInput("The file is empty.") from None
    positions = header_map(header)

    def data() -> Iterator[tuple[int, list]]:
        for number, cells in enumerate(rows, start=2):
            if any(cells) and "".join(cells).strip():
                yield number, cells

    return positions, data()


def read_entry_lines(
    source: bytes | str | Path, *, start: int = 0, stop: int | None = None
) -> Iterator[EntryLine | list[RowError]]:
    """The data rows of the file (blank rows skipped), in order: an ``EntryLine`` or the row's
    errors. ``start``/``stop`` select a slice of the data rows; rows before it are read but not
    parsed, so a chunk of a large file costs little more than its own rows.

    Raises ``UnreadableInput`` when the header is unusable or the file is not readable at all."""
    positions, data = _data_rows(source)
    parse = row_parser(positions)
    for index, (number, cells) in enumerate(data):
        if index < start:
            continue
        if stop is not None and index >= stop:
            break
        yield parse(number, cells)


def count_entry_rows(source: bytes | str | Path) -> int:
    """How many data rows ``read_entry_lines`` would give (raises ``UnreadableInput``)."""
    _positions, data = _data_rows(source)
    return sum(1 for _ in data)
