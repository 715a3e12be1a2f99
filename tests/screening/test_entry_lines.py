"""Reading entry-line files: bad rows named by row and column, good rows kept; never a crash."""

import contextlib
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from withhold.screening.entry_lines import (
    COLUMNS,
    EntryLine,
    RowError,
    UnreadableInput,
    count_entry_rows,
    read_entry_lines,
)


def csv_bytes(text: str) -> bytes:
    return text.encode("utf-8")


def test_headers_are_case_insensitive_and_unknown_columns_ignored():
    data = csv_bytes(" Line_ID ,MANUFACTURER_NAME,Colour\n7,Acme Ltd,red\n")
    [item] = list(read_entry_lines(data))
    assert isinstance(item, EntryLine)
    assert (item.row, item.line_id, item.manufacturer_name) == (2, "7", "Acme Ltd")


def test_only_line_id_and_one_name_are_required():
    with pytest.raises(UnreadableInput, match="line_id"):
        list(read_entry_lines(csv_bytes("manufacturer_name\nAcme\n")))
    with pytest.raises(UnreadableInput, match="name columns"):
        list(read_entry_lines(csv_bytes("line_id,country_of_origin\n1,CN\n")))
    with pytest.raises(UnreadableInput, match="empty"):
        list(read_entry_lines(b""))


def test_bad_rows_are_reported_by_row_and_column_and_good_rows_kept():
    data = csv_bytes(
        "line_id,manufacturer_name,country_of_origin,hts_code,entry_date\n"
        "1,Acme,cn,6109.10.0010,2026-01-05\n"
        ",Beta,XX,61x,2026-02-30\n"
        "3,Gamma,,,\n"
    )
    items = list(read_entry_lines(data))
    assert items[0].country_of_origin == "CN" and items[0].hts_code == "6109100010"
    assert items[1] == [
        RowError(3, "line_id", "line_id is empty."),
        RowError(3, "country_of_origin", "“XX” is not an ISO 3166 alpha-2 code."),
        RowError(3, "hts_code", "“61x” is not an HTS code (4–10 digits)."),
        RowError(3, "entry_date", "“2026-02-30” is not a date (YYYY-MM-DD)."),
    ]
    assert (
        str(items[1][1]) == "row 3, column country_of_origin: “XX” is not an ISO 3166 alpha-2 code."
    )
    assert items[2].line_id == "3"


def test_a_slice_of_the_rows_is_read_without_parsing_the_others():
    data = csv_bytes("line_id,manufacturer_name\n1,A\n\n2,B\n3,C\n4,D\n")
    assert count_entry_rows(data) == 4
    assert [i.line_id for i in read_entry_lines(data, start=1, stop=3)] == ["2", "3"]
    assert [i.row for i in read_entry_lines(data, start=3)] == [6]


def test_xlsx_is_read_like_csv():
    import datetime as dt

    book = Workbook()
    sheet = book.active
    sheet.append(["line_id", "manufacturer_name", "entry_date", "hts_code"])
    sheet.append([1, "Acme Ltd", dt.date(2026, 1, 5), 6109100010])
    buffer = io.BytesIO()
    book.save(buffer)
    [item] = list(read_entry_lines(buffer.getvalue()))
    assert (item.line_id, item.entry_date, item.hts_code) == ("1", "2026-01-05", "6109100010")


def test_a_binary_file_is_unreadable():
    with pytest.raises(UnreadableInput):
        list(read_entry_lines(b"\x00\x01\x02garbage"))


def test_windows_1252_text_is_read():
    data = "line_id,manufacturer_name\n1,Société Générale\n".encode("cp1252")
    [item] = list(read_entry_lines(data))
    assert item.manufacturer_name == "Société Générale"


cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    header=st.lists(st.sampled_from([*COLUMNS, "LINE_ID", "x", ""]), max_size=8),
    rows=st.lists(st.lists(cells, max_size=9), max_size=6),
)
def test_any_table_is_read_without_crashing(header, rows):
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    try:
        items = list(read_entry_lines(buffer.getvalue().encode("utf-8")))
    except UnreadableInput:
        return
    for item in items:
        assert isinstance(item, EntryLine | list)
        if isinstance(item, EntryLine):
            assert item.line_id


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_are_read_or_refused_cleanly(data):
    with contextlib.suppress(UnreadableInput):
        list(read_entry_lines(data))


@pytest.mark.parametrize("hts", ["٦١٠٩", "６１０９", "6109²"])
def test_an_hts_code_in_other_digits_is_named_by_row_and_column(hts):
    data = csv_bytes(f"line_id,manufacturer_name,hts_code\n1,Acme,{hts}\n2,Acme,6109\n")
    first, second = list(read_entry_lines(data))
    assert first == [RowError(2, "hts_code", f"“{hts}” is not an HTS code (4–10 digits).")]
    assert isinstance(second, EntryLine) and second.hts_code == "6109"
