"""``withhold screen`` and ``withhold load-list`` as a user runs them."""

import csv

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from withhold.screening.models import ListEntry

from .conftest import csv_file

pytestmark = pytest.mark.django_db


def run_screen(tmp_path, data: bytes, name="lines.csv"):
    source = tmp_path / name
    source.write_bytes(data)
    out = tmp_path / "hits.csv"
    from io import StringIO

    stdout, stderr = StringIO(), StringIO()
    call_command(
        "screen", str(source), "-o", str(out), "--no-progress", stdout=stdout, stderr=stderr
    )
    with out.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle)), stdout.getvalue(), stderr.getvalue()


def test_a_malformed_row_is_reported_and_the_rest_screened(tmp_path, taida_order):
    data = csv_file(
        "1,AB1-1234567-8,2026-01-05,Acme,HETIAN TAIDA APPAREL CO LTD,Hetian,,CN,6109,shirts,",
        "2,,2026-13-01,Acme,Hetian Taida Apparel,,,ZZ,61x,shirts,",
        "3,,2026-01-06,Acme,Unlisted Knitting Co,,,VN,6110,sweaters,",
        "4,,2026-01-06,Acme,Hetian Taida Apparel Company Limited,,,CN,6109,shirts,",
    )
    hits, stdout, stderr = run_screen(tmp_path, data)
    assert [(h["line_id"], h["hit_kind"], h["hit_ref"], h["action"]) for h in hits] == [
        ("1", "order", "WRO-2026-0001", "detain"),
        ("4", "order", "WRO-2026-0001", "detain"),
    ]
    assert hits[0]["reasons"] == "name 100; country CN agrees; address city agrees"
    assert "lines.csv row 3, column entry_date: “2026-13-01” is not a date" in stderr
    assert "lines.csv row 3, column country_of_origin: “ZZ”" in stderr
    assert (
        "3 lines screened, 2 with hits; hits: order 2, list 0, caatsa 0; 1 row with errors"
        in stdout
    )


def test_an_unreadable_file_exits_with_an_error(tmp_path):
    with pytest.raises(CommandError, match="no line_id column"):
        run_screen(tmp_path, b"name,country\nAcme,CN\n")
    with pytest.raises(CommandError, match="no such file"):
        call_command("screen", str(tmp_path / "missing.csv"), "-o", str(tmp_path / "o.csv"))


def test_formula_cells_in_names_are_escaped_in_the_output(tmp_path):
    data = csv_file("=1+1,,,,Acme,Pyongyang,,CN,,,")
    hits, _out, _err = run_screen(tmp_path, data)
    assert hits[0]["hit_kind"] == "caatsa"
    assert hits[0]["line_id"] == "'=1+1"


def test_load_list_reports_every_bad_row_and_loads_nothing(tmp_path):
    bad = tmp_path / "list.csv"
    bad.write_text("name,country\n,CN\nFine Ltd,XX\n", encoding="utf-8")
    from io import StringIO

    stderr = StringIO()
    with pytest.raises(CommandError, match="2 problem"):
        call_command("load_list", str(bad), "--source", "ngo", stderr=stderr)
    assert "list.csv row 2, column name: the name is empty." in stderr.getvalue()
    assert "list.csv row 3, column country" in stderr.getvalue()
    assert ListEntry.objects.count() == 0


def test_load_list_then_screen_finds_the_listed_name(tmp_path):
    good = tmp_path / "list.csv"
    good.write_text(
        "name,aliases,country\nNorthwind Textile Co Ltd,Northwind Tex,BD\n", encoding="utf-8"
    )
    from io import StringIO

    out = StringIO()
    call_command("load_list", str(good), "--source", "ngo", stdout=out)
    today = timezone.localdate()
    assert (
        f"List “ngo” version 1 (in effect from {today:%Y-%m-%d}): 1 entry, last loaded from "
        "list.csv." in out.getvalue()
    )
    hits, _o, _e = run_screen(tmp_path, csv_file("9,,,,NORTHWIND TEX,,,BD,,,"))
    assert [(h["hit_kind"], h["hit_ref"]) for h in hits] == [("list", "ngo #1")]
