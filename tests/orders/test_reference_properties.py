"""The loader of the public lists of orders on any GAO file: specs, or our own problems (each
naming the file, row and column) and no specs — so nothing is stored from a bad file."""

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from withhold.orders.models import Order
from withhold.orders.reference_steps import (
    CBP_FILE,
    GAO_COLUMNS,
    GAO_FILE,
    orders_reference_read,
    orders_reference_store,
)

from ..hostile import PARSER_SETTINGS, csv_bytes, table

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "withhold" / "reference" / "data"


def _read(gao: bytes):
    with tempfile.TemporaryDirectory() as folder:
        shutil.copy(DATA / CBP_FILE, Path(folder) / CBP_FILE)
        (Path(folder) / GAO_FILE).write_bytes(gao)
        return orders_reference_read(Path(folder) / GAO_FILE)


@PARSER_SETTINGS
@given(table(GAO_COLUMNS))
def test_any_gao_table_gives_specs_or_problems(drawn):
    header, rows = drawn
    specs, problems = _read(csv_bytes(header, rows))
    assert not (specs and problems)
    assert all(GAO_FILE in p or CBP_FILE in p for p in problems)


@PARSER_SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes_give_specs_or_problems(data):
    specs, problems = _read(data)
    assert not (specs and problems)


def test_a_bad_row_stores_nothing():
    good = (DATA / GAO_FILE).read_bytes()
    bad = good.rstrip(b"\n") + b"\nX99,Nonsense,2026-13,,,,,,,,,\n"
    specs, problems = _read(bad)
    assert specs == [] and problems
    before = Order.objects.count()
    orders_reference_store(specs)
    assert Order.objects.count() == before


@pytest.mark.parametrize("cell", ["²", "٣", "0", "1.5", "x"])
def test_a_cbp_row_number_that_is_not_one_is_named_not_crashed_on(cell):
    lines = (DATA / CBP_FILE).read_text(encoding="utf-8").splitlines(keepends=True)
    header, first = lines[0], lines[1]
    broken = cell + first[first.index(",") :]
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / CBP_FILE).write_text(header + broken + "".join(lines[2:]), "utf-8")
        shutil.copy(DATA / GAO_FILE, Path(folder) / GAO_FILE)
        specs, problems = orders_reference_read(Path(folder) / GAO_FILE)
    assert specs == []
    assert [p for p in problems if f"{CBP_FILE} row 2, column row: " in p] == problems
    assert f"“{cell}”" in problems[0] or "less than 1" in problems[0]
