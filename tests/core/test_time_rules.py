"""One way to turn an instant into the agency's day: ``timezone.localdate`` / ``timezone.localtime``.

Instants are stored in UTC. ``instant.date()``, ``instant.year`` or ``f"{instant:%Y-%m-%d}"`` on an
aware datetime give the *UTC* day, which after 19:00 in New York is already tomorrow. This test reads
every module of ``withhold/`` and refuses:

- ``.date()`` on anything, unless the line says why the value is naive with a ``# naive: ...``
  comment (a spreadsheet cell, a parsed string);
- ``date.today()``, ``datetime.today()``, ``datetime.now()`` without a time zone and
  ``datetime.utcnow()`` / ``utcfromtimestamp()`` (the machine's day, not the agency's);
- a model's ``DateTimeField`` read as a calendar value without ``timezone.localtime`` /
  ``localdate`` first: ``obj.<field>.strftime(...)``, ``.isoformat()``, ``.year``, ``.month``,
  ``.day``, ``.hour``, ``.time()``, or ``f"{obj.<field>:%Y-%m-%d}"``.

ruff's flake8-datetimez rules (``DTZ`` in ``pyproject.toml``) catch the naive constructors too.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

ROOT = Path(__file__).resolve().parents[2] / "withhold"
NAIVE_MARKER = "# naive:"
CALENDAR_READS = {
    "strftime",
    "isoformat",
    "year",
    "month",
    "day",
    "hour",
    "minute",
    "date",
    "time",
    "timetuple",
    "weekday",
    "isoweekday",
}


def _datetime_field_names() -> set[str]:
    """Names that are a ``DateTimeField`` on some model of the project and never a plain date."""
    instants, days = set(), set()
    for model in apps.get_models():
        if not model.__module__.startswith("withhold."):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateTimeField):
                instants.add(field.name)
            elif isinstance(field, models.DateField):
                days.add(field.name)
    return instants - days


def _is_name(node: ast.AST, *names: str) -> bool:
    """``node`` is ``name`` or ``something.name`` for one of ``names``."""
    if isinstance(node, ast.Name):
        return node.id in names
    return isinstance(node, ast.Attribute) and node.attr in names


def _has_tz_argument(call: ast.Call) -> bool:
    if call.args:
        return not (isinstance(call.args[0], ast.Constant) and call.args[0].value is None)
    return any(k.arg == "tz" for k in call.keywords)


def problems_in(source: str, instant_fields: set[str]) -> list[tuple[int, str]]:
    """Each (line, message) that breaks one of the rules above in ``source``."""
    lines = source.splitlines()
    found = []

    def marked(node: ast.AST) -> bool:
        return NAIVE_MARKER in lines[node.lineno - 1]

    def instant(node: ast.AST) -> bool:
        return isinstance(node, ast.Attribute) and node.attr in instant_fields

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            func, attr = node.func, node.func.attr
            if attr == "date" and not node.args and not node.keywords and not marked(node):
                found.append(
                    (
                        node.lineno,
                        ".date() gives the UTC day of an instant: use timezone.localdate(value), "
                        f"or say why the value is naive with '{NAIVE_MARKER} ...'",
                    )
                )
            elif attr == "today" and _is_name(func.value, "date", "datetime"):
                found.append((node.lineno, f"{attr}() is the machine's day: timezone.localdate()"))
            elif attr in ("utcnow", "utcfromtimestamp") and _is_name(func.value, "datetime"):
                found.append((node.lineno, f"datetime.{attr}() is naive: use timezone.now()"))
            elif attr == "now" and _is_name(func.value, "datetime") and not _has_tz_argument(node):
                found.append((node.lineno, "datetime.now() without tz: use timezone.now()"))
        if (
            isinstance(node, ast.Attribute)
            and node.attr in CALENDAR_READS
            and instant(node.value)
            and not marked(node)
        ):
            found.append(
                (
                    node.lineno,
                    f".{node.value.attr}.{node.attr} reads the UTC calendar: "
                    "use timezone.localtime()/localdate() first",
                )
            )
        if (
            isinstance(node, ast.FormattedValue)
            and node.format_spec is not None
            and instant(node.value)
            and not marked(node)
        ):
            found.append(
                (
                    node.lineno,
                    f"f-string formats .{node.value.attr} in UTC: format "
                    "timezone.localtime(...) instead",
                )
            )
    return found


@pytest.fixture(scope="module")
def instant_fields() -> set[str]:
    names = _datetime_field_names()
    assert {"at", "created_at"} <= names, "the model scan found no DateTimeField names"
    return names


def test_no_module_takes_the_utc_day_of_an_instant(instant_fields):
    failures = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for line, message in problems_in(path.read_text(encoding="utf-8"), instant_fields):
            failures.append(f"{path.relative_to(ROOT.parent)}:{line}: {message}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "source",
    [
        "day = t.at.date()",
        "day = timezone.now().date()",
        "day = date.today()",
        "day = dt.date.today()",
        "moment = datetime.now()",
        "moment = dt.datetime.now(None)",
        "moment = datetime.utcnow()",
        "label = order.created_at.strftime('%Y-%m-%d')",
        "label = f'{order.created_at:%Y-%m-%d}'",
        "fy = entry.at.year",
        "text = snapshot.created_at.isoformat()",
    ],
)
def test_each_way_of_taking_the_utc_day_is_caught(source):
    assert problems_in(source, {"at", "created_at"}), source


@pytest.mark.parametrize(
    "source",
    [
        "day = timezone.localdate(t.at)",
        "label = f'{timezone.localtime(order.created_at):%Y-%m-%d %H:%M}'",
        "moment = datetime.now(UTC)",
        "moment = datetime.now(tz=UTC)",
        "moment = timezone.now()",
        "day = value.date()  # naive: spreadsheet cell",
        "label = order.issued_on.strftime('%Y-%m')",
        "label = f'{order.created_at}'",
    ],
)
def test_the_agency_day_and_marked_naive_values_pass(source):
    assert not problems_in(source, {"at", "created_at"}), source
