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
