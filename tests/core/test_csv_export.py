import csv
import io

from withhold.core.csv_export import csv_lines


def test_every_cell_that_a_spreadsheet_would_run_is_escaped():
    rows = [["name", "value"], ["=SUM(A1)", "+1"], ["-2", "@cmd"], ["plain", 3]]
    parsed = list(csv.reader(io.StringIO("".join(csv_lines(rows)))))
    assert parsed == [["name", "value"], ["'=SUM(A1)", "'+1"], ["'-2", "'@cmd"], ["plain", "3"]]


def test_rows_come_out_in_chunks_and_none_is_lost():
    rows = [["n"], *([i] for i in range(7))]
    chunks = list(csv_lines(rows, batch=3))
    assert len(chunks) == 3
    assert "".join(chunks).split() == ["n", *map(str, range(7))]


def test_an_instant_is_written_in_new_york_time_with_its_offset():
    import datetime as dt

    late = dt.datetime(2026, 12, 8, 4, 30, tzinfo=dt.UTC)
    text = "".join(csv_lines([["at"], [late], [dt.date(2026, 12, 7)]]))
    assert list(csv.reader(io.StringIO(text))) == [
        ["at"],
        ["2026-12-07T23:30:00-05:00"],
        ["2026-12-07"],
    ]
