"""Reading an entity list file (CSV). Pure: no database.

Columns (header names without regard to case): ``name`` (required), ``aliases`` (several names
separated by ";"), ``country`` (ISO 3166 alpha-2), ``address``, ``source`` (the row's own citation),
``number`` (the entry's number in the list as published; without it, entries are numbered 1, 2, …
in the order of the file, so the third entry is #3 and not the file's row 4), ``effective_date``
(YYYY-MM-DD: when the entry took effect, as the Federal Register notice that added it says).
Other columns are ignored. The whole file is refused when any row is bad, and every bad row is
named: a list is loaded all or nothing.
"""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from withhold.reference.countries import is_country

from .entry_lines import MAX_CELL

LIST_COLUMNS = ("name", "aliases", "country", "address", "source", "number", "effective_date")
MAX_ROWS = 200_000


@dataclass(frozen=True)
class ListRow:
    row_number: int
    name: str
    number: int = 0
    aliases: tuple[str, ...] = ()
    country: str = ""
    address: str = ""
    note: str = ""
    effective_on: date | None = None


@dataclass
class ListProblems(Exception):
    """Why a list file was refused: every problem, each naming its row and column."""

    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(self.problems[:20]) + (
            f" … and {len(self.problems) - 20} more" if len(self.problems) > 20 else ""
        )


def split_aliases(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(a.strip() for a in (text or "").split(";") if a.strip()))


def parse_entity_list(data: bytes) -> list[ListRow]:
    """Every row of the file, or ``ListProblems`` naming each bad one (nothing half-read)."""
    if b"\x00" in data[:65536]:
        raise ListProblems(["The file is not CSV text."])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if not header:
            raise ListProblems(["The file is empty."])
        positions: dict[str, int] = {}
        for i, name in enumerate(header):
            key = "_".join(name.strip().lower().split())
            if key in LIST_COLUMNS and key not in positions:
                positions[key] = i
        if "name" not in positions:
            raise ListProblems(["The header has no name column."])
        rows: list[ListRow] = []
        problems: list[str] = []
        seen_numbers: dict[int, int] = {}
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise ListProblems([f"The file has more than {MAX_ROWS} rows."])
            values = {
                k: (cells[i].strip()[:MAX_CELL] if i < len(cells) else "")
                for k, i in positions.items()
            }
            country = values.get("country", "").upper()
            number_text = values.get("number", "")
            list_number = len(rows) + 1
            if number_text:
                if number_text.isdigit() and 0 < int(number_text) < 10_000_000:
                    list_number = int(number_text)
                else:
                    problems.append(
                        f"row {number}, column number: “{number_text[:20]}” is not a whole "
                        "number from 1."
                    )
                if list_number in seen_numbers:
                    problems.append(
                        f"row {number}, column number: {list_number} is also the number of row "
                        f"{seen_numbers[list_number]}."
                    )
                seen_numbers.setdefault(list_number, number)
            effective_on = None
            effective_text = values.get("effective_date", "")
            if effective_text:
                try:
                    effective_on = date.fromisoformat(effective_text)
                except ValueError:
                    problems.append(
                        f"row {number}, column effective_date: “{effective_text[:20]}” is not a "
                        "date written YYYY-MM-DD."
                    )
            if not values["name"]:
                problems.append(f"row {number}, column name: the name is empty.")
            if country and not (len(country) == 2 and is_country(country)):
                problems.append(
                    f"row {number}, column country: “{country[:20]}” is not an ISO 3166 "
                    "alpha-2 code."
                )
            rows.append(
                ListRow(
                    row_number=number,
                    name=values["name"],
                    number=list_number,
                    aliases=split_aliases(values.get("aliases", "")),
                    country=country,
                    address=values.get("address", ""),
                    note=values.get("source", "")[:400],
                    effective_on=effective_on,
                )
            )
    except csv.Error as exc:
        raise ListProblems([f"The CSV file cannot be read: {exc}."]) from exc
    if problems:
        raise ListProblems(problems)
    if not rows:
        raise ListProblems(["The file has no rows."])
    return rows


# Comparing two versions -------------------------------------------------------------------------


class Listed(Protocol):
    number: int
    name: str
    aliases: Sequence[str]
    country: str
    address: str


DIFF_FIELDS = ("name", "aliases", "country", "address", "number")


@dataclass(frozen=True)
class EntryChange:
    """One difference between two versions: ``kind`` "added" (``new`` only), "removed" (``old``
    only) or "changed" (both, with the fields that differ)."""

    kind: str
    old: Listed | None = None
    new: Listed | None = None
    fields: tuple[str, ...] = ()

    @property
    def number(self) -> int:
        return (self.new or self.old).number  # type: ignore[union-attr]


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _differing(old: Listed, new: Listed) -> tuple[str, ...]:
    def value(entry: Listed, name: str):
        got = getattr(entry, name)
        return tuple(got) if name == "aliases" else got

    return tuple(f for f in DIFF_FIELDS if value(old, f) != value(new, f))


def diff_entries(old: Sequence[Listed], new: Sequence[Listed]) -> list[EntryChange]:
    """What changed from the entries ``old`` to ``new``, in the new list's order (removals at
    the old number's place). An entry is the same party in both when it has the same name
    (without regard to case or spacing), or else the same number while its old name is gone
    from the new list and its new name was not in the old one (renamed). Entries the same in
    every field are left out."""
    by_name: dict[str, list[Listed]] = {}
    for entry in sorted(old, key=lambda e: e.number):
        by_name.setdefault(name_key(entry.name), []).append(entry)
    paired: list[tuple[Listed, Listed]] = []
    unpaired_new: list[Listed] = []
    for entry in sorted(new, key=lambda e: e.number):
        same = by_name.get(name_key(entry.name))
        if same:
            paired.append((same.pop(0), entry))
        else:
            unpaired_new.append(entry)
    unpaired_old = {e.number: e for group in by_name.values() for e in group}
    changes: list[EntryChange] = []
    for entry in unpaired_new:
        renamed = unpaired_old.pop(entry.number, None)
        if renamed is not None:
            paired.append((renamed, entry))
        else:
            changes.append(EntryChange("added", new=entry))
    changes.extend(EntryChange("removed", old=e) for e in unpaired_old.values())
    for before, after in paired:
        fields = _differing(before, after)
        if fields:
            changes.append(EntryChange("changed", old=before, new=after, fields=fields))
    kinds = {"added": 0, "changed": 1, "removed": 2}
    return sorted(changes, key=lambda c: (c.number, kinds[c.kind]))
