"""``withhold screen INPUT -o HITS.csv``: screen a CSV or XLSX file of entry lines.

Writes one row per hit (line_id, hit_kind, hit_ref, hit_name, score, action, reasons), prints the
rows it could not screen (row and column) and a summary. Exits non-zero only when the file cannot
be read at all; bad rows are reported and the others screened.
"""

import csv
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from withhold.core.csv_export import csv_safe
from withhold.screening.engine import HIT_COLUMNS, Summary, screen_items
from withhold.screening.entry_lines import RowError, UnreadableInput, read_entry_lines
from withhold.screening.watchlist import screener_current

SHOWN_ERRORS = 50


def _count_rows(path: Path) -> int | None:
    if path.suffix.lower() == ".xlsx":
        return None
    with path.open("rb") as handle:
        return max(0, sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) - 1)


class Command(BaseCommand):
    help = "Screen a CSV or XLSX file of import entry lines against the watch list."

    def add_arguments(self, parser):
        parser.add_argument("input", help="CSV or XLSX file of entry lines")
        parser.add_argument("-o", "--output", required=True, help="CSV file to write hits to")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, input, output, no_progress=False, **options):
        path = Path(input)
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        screener = screener_current()
        summary = Summary()
        errors: list[RowError] = []
        bar = tqdm(
            total=_count_rows(path), unit=" lines", disable=no_progress, file=sys.stderr,
            mininterval=0.5,
        )  # fmt: skip
        try:
            items = read_entry_lines(path)
            with open(output, "w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(HIT_COLUMNS)
                for _line, hit in screen_items(
                    _counted(items, bar), screener, summary=summary, errors=errors
                ):
                    writer.writerow([csv_safe(v) for v in hit.as_row()])
        except UnreadableInput as exc:
            raise CommandError(f"{path}: {exc}") from exc
        finally:
            bar.close()
        for error in errors[:SHOWN_ERRORS]:
            self.stderr.write(f"{path.name} {error}")
        if len(errors) > SHOWN_ERRORS:
            self.stderr.write(f"… and {len(errors) - SHOWN_ERRORS} more problems.")
        self.stdout.write(str(summary))
        self.stdout.write(f"Hits written to {output}.")


def _counted(items, bar, every: int = 5000):
    n = 0
    for item in items:
        yield item
        n += 1
        if n == every:
            bar.update(n)
            n = 0
    bar.update(n)
