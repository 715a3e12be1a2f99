"""``withhold screen --jobs 2``: the file split across processes gives exactly what one process
gives — the same hits in the same order, the same summary, the same bad rows with their row
numbers — and shows its progress."""

import csv
import gc
from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import CommandError, call_command

from withhold.screening import parallel

from .conftest import HEADER

pytestmark = pytest.mark.django_db

NAMES = [
    "HETIAN TAIDA APPAREL CO LTD",  # the listed name, upper case
    "Hetian Taida Apparel Company Limited",
    "Hetian TEDA Garment",  # its alias
    "Unlisted Knitting Co",
    "Example Glove Sdn Bhd",  # listed, but not when Glove Buyers imports it
    "Ningbo Huaxin Textile Co., Ltd.",
    "Sunrise, Moon & Stars Garment Co., Ltd.",  # a comma inside quotes
]


def entry_file(tmp_path, lines: int = 240, newline: str = "\n"):
    """A CSV file of ``lines`` entry lines naming the same few makers again and again, with a
    bad row every 37 lines (country, HTS code and date), a blank row every 50 and a quoted
    address over two lines every 11."""
    rows = []
    for i in range(1, lines + 1):
        name = NAMES[i % len(NAMES)]
        country = "ZZ" if i % 37 == 0 else ("MY" if "Glove" in name else "CN")
        importer = "Glove Buyers of America Inc" if i % 4 == 0 else "Acme Imports LLC"
        address = '"No. 5 Road,\nHetian, Xinjiang"' if i % 11 == 0 else "Hetian"
        shipper = NAMES[(i * 3) % len(NAMES)] if i % 5 == 0 else ""
        hts, entry_date = ("61x", "2026-13-01") if i % 37 == 0 else ("6109", "2026-05-01")
        cells = [f"L{i}", f"AB1-{i:07d}-0", entry_date, importer, f'"{name}"', address,
                 f'"{shipper}"', country, hts, "cotton shirts", ""]  # fmt: skip
        rows.append(",".join(cells))
        if i % 50 == 0:
            rows.append(",,,,,,,,,,")
    path = tmp_path / "lines.csv"
    path.write_bytes((HEADER + "".join(r + "\n" for r in rows)).replace("\n", newline).encode())
    return path


def screen(path, *options):
    out = path.with_name(f"hits-{'-'.join(options) or 'default'}.csv")
    stdout, stderr = StringIO(), StringIO()
    call_command("screen", str(path), "-o", str(out), *options, stdout=stdout, stderr=stderr)
    return out.read_bytes(), stdout.getvalue(), stderr.getvalue()


@pytest.fixture
def small_files_in_parallel(monkeypatch):
    """Files of a few hundred lines screened as a large one is: in parallel, the names sent to
    be matched while the file is being read."""
    monkeypatch.setattr(parallel, "PARALLEL_MIN_LINES", 1)
    monkeypatch.setattr(parallel, "NAMES_PER_SHARD", 2)


def test_two_processes_give_exactly_the_hits_of_one(
    tmp_path, taida_order, glove_order, small_files_in_parallel
):
    path = entry_file(tmp_path)
    one, one_out, one_err = screen(path, "--jobs", "1", "--no-progress")
    two, two_out, two_err = screen(path, "--jobs", "2", "--no-progress")
    assert two == one
    assert two_err == one_err
    hits = list(csv.DictReader(StringIO(two.decode())))
    # Taida (3 of 7 names) and the glove maker not imported by Glove Buyers, on good rows only
    assert len({h["line_id"] for h in hits}) > 100
    assert {h["hit_ref"] for h in hits} == {"WRO-2026-0001", "WRO-2026-0002"}
    assert [h["line_id"] for h in hits[:3]] == ["L1", "L2", "L5"]
    assert hits[2]["reasons"].startswith("shipper name")  # L5's shipper is Taida
    assert not any(h["line_id"] == "L4" for h in hits)  # Glove Buyers' import: excluded
    line_numbers = [int(h["line_id"][1:]) for h in hits]
    assert line_numbers == sorted(line_numbers)  # the order of the file
    assert "hits: order" in one_out and one_out.splitlines()[0] == two_out.splitlines()[0]
    assert "Screened on 2 processes; 7 distinct names matched once each. Wall time: reading " in (
        two_out
    )
    assert "; CPU time of all processes: " in two_out
    assert "Screened on" not in one_out
    # the heap frozen for the forked processes is given back to garbage collection
    assert gc.get_freeze_count() == 0


def test_bad_rows_are_named_by_row_and_column_across_chunks(
    tmp_path, taida_order, small_files_in_parallel
):
    path = entry_file(tmp_path)
    _hits, stdout, stderr = screen(path, "--jobs", "2", "--no-progress")
    # Line L37 is row 38 (header row 1); L74 is row 75 plus the blank row after L50: 76.
    assert stderr.splitlines()[:4] == [
        "lines.csv row 38, column country_of_origin: “ZZ” is not an ISO 3166 alpha-2 code.",
        "lines.csv row 38, column hts_code: “61x” is not an HTS code (4–10 digits).",
        "lines.csv row 38, column entry_date: “2026-13-01” is not a date (YYYY-MM-DD).",
        "lines.csv row 76, column country_of_origin: “ZZ” is not an ISO 3166 alpha-2 code.",
    ]
    assert stderr.count("column hts_code") == stderr.count("column entry_date") == 6  # L37 … L222
    assert "lines.csv row 227, column entry_date" in stderr  # L222: + the header, 4 blank rows
    assert "234 lines screened" in stdout and "6 rows with errors" in stdout


def test_windows_and_old_mac_line_ends_give_the_same_hits(
    tmp_path, taida_order, small_files_in_parallel
):
    expected, _o, _e = screen(entry_file(tmp_path), "--jobs", "1", "--no-progress")
    for newline in ("\r\n", "\r"):
        folder = tmp_path / repr(newline)[1:-1].replace("\\", "")
        folder.mkdir()
        hits, stdout, _e = screen(entry_file(folder, newline=newline), "--jobs", "2",
                                  "--no-progress")  # fmt: skip
        assert hits == expected
        assert "234 lines screened" in stdout


def test_progress_shows_each_stage(tmp_path, taida_order, small_files_in_parallel):
    _hits, _out, stderr = screen(entry_file(tmp_path), "--jobs", "2")
    # the reading's total guessed from the file's 265 lines, put right to its 244 records
    assert "reading: 100%|##########| 244/244 [" in stderr
    assert "matching names: 100%|##########| 7/7 [" in stderr
    assert "screening: 100%|##########| 244/244 [" in stderr


def test_one_process_shows_its_progress_too(tmp_path, taida_order):
    _hits, _out, stderr = screen(entry_file(tmp_path, lines=30), "--jobs", "2")
    assert "screening: 100%|##########| 30/30 [" in stderr
    assert "matching names" not in stderr  # under PARALLEL_MIN_LINES: one process


def test_a_header_without_line_id_is_refused_before_any_process_starts(
    tmp_path, small_files_in_parallel
):
    path = tmp_path / "lines.csv"
    path.write_text("id,manufacturer_name\n1,Acme\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"lines\.csv: The header has no line_id column\."):
        screen(path, "--jobs", "2")


def test_jobs_must_be_one_or_more(tmp_path):
    path = tmp_path / "lines.csv"
    path.write_text(HEADER, encoding="utf-8")
    with pytest.raises(CommandError, match=r"--jobs 0: give 1 or more processes\."):
        screen(path, "--jobs", "0")


def test_the_plan_hands_over_each_name_once_and_cuts_at_record_boundaries(
    tmp_path, small_files_in_parallel
):
    path = entry_file(tmp_path)
    shards = []
    plan = parallel.plan_csv(path, on_names=shards.append, names_every=2)
    assert [len(s) for s in shards] == [2, 2, 2]  # handed over while reading; 1 left
    handed = [name for shard in shards for name in shard] + plan.unsent
    assert sorted(handed) == sorted(set(NAMES)) == sorted(plan.names)
    assert plan.records == 244  # 240 lines and 4 blank rows; 22 addresses over two lines
    data = path.read_bytes()
    chunks = plan.chunks(5)
    assert chunks[0][0] == len(HEADER.encode()) and chunks[-1][1] == len(data)
    assert all(a[1] == b[0] for a, b in pairwise(chunks))
    assert [c[2] for c in chunks] == [2, 51, 100, 149, 198]  # row numbers of their first records
    for start, _stop, _row in chunks[1:]:
        assert data[start - 1 : start] == b"\n" and data[start : start + 1] in (b"L", b",")
