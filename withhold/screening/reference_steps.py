"""Loading the UFLPA Entity List (``reference/data/``) as the entity list ``uflpa``.

Run by ``withhold load-reference``. The file's own columns (``entity_name``, ``also_known_as``,
``formerly_known_as``) become a list's name and aliases, and its ``row`` column the entry's number
(the list's own count, so “uflpa #3” is the list's third entry), its ``effective_date`` each entry's
effective date; the version takes effect on the latest of them (the last Federal Register notice the
file holds). The page gives no country or address. Loading the same file again changes nothing; a
newer file makes the list's next version.
"""

import csv
import io
from datetime import date
from pathlib import Path

from django.utils import timezone

from withhold.reference.lists import UFLPA_SOURCE
from withhold.reference.services import LoaderStep, clean_cell, read_csv

from .services import entity_list_load

UFLPA_FILE = "uflpa_entity_list_2026-07-09.csv"


def uflpa_read(path: Path) -> tuple[list[dict], list[str]]:
    rows, problems = read_csv(path, required=["entity_name", "also_known_as", "formerly_known_as"])
    if problems:
        return [], problems
    out = []
    for number, row in rows:
        name = clean_cell(row["entity_name"])
        if not name:
            problems.append(f"{path.name} row {number}, column entity_name: the name is empty")
            continue
        aliases = "; ".join(
            a for a in (clean_cell(row["also_known_as"]), clean_cell(row["formerly_known_as"])) if a
        )
        out.append({"row": number, "number": clean_cell(row.get("row")) or "", "name": name,
                    "aliases": aliases, "effective_date": clean_cell(row.get("effective_date")),
                    "source": f"UFLPA Entity List {clean_cell(row.get('uflpa_section'))}"})  # fmt: skip
    return out, problems


def uflpa_store(rows: list[dict]) -> dict[str, int]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["number", "name", "aliases", "country", "address", "source", "effective_date"])
    for row in rows:
        writer.writerow([row["number"], row["name"], row["aliases"], "", "", row["source"],
                         row.get("effective_date", "")])  # fmt: skip
    entity_list = entity_list_load(
        actor=None,
        source=UFLPA_SOURCE,
        file_name=UFLPA_FILE,
        data=buffer.getvalue().encode(),
        is_reference=True,
        effective_on=_latest_effective(rows),
    )
    return {"entries": entity_list.entry_count}


def _latest_effective(rows: list[dict]) -> date | None:
    """The latest entry's effective date (not after today), or None for the day of the load."""
    dates = []
    for row in rows:
        try:
            dates.append(date.fromisoformat(row.get("effective_date") or ""))
        except ValueError:
            continue
    latest = max(dates, default=None)
    return latest if latest and latest <= timezone.localdate() else None


REFERENCE_STEPS = [
    LoaderStep(
        filename=UFLPA_FILE,
        read=uflpa_read,
        store=uflpa_store,
        summary=lambda counts: f"UFLPA Entity List: {counts['entries']} entries for screening",
    ),
]
