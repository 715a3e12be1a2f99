"""``withhold screen INPUT -o HITS.csv``: screen a CSV or XLSX file of entry lines.

Writes one row per hit (line_id, hit_kind, hit_ref, hit_name, score, action, reasons), prints the
rows it could not screen (row and column) and a summary. Exits non-zero only when the file cannot
be read at all; bad rows are reported and the others screened.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from withhold.screening.engine import counted, screen_file
from withhold.screening.entry_lines import UnreadableInput
from withhold.screening.watchlist import screener_current

SHOWN_ERRORS = 50


def _count_rows(path: Path) -> int | None:
    if path.suffix.lower() == ".xlsx":
        return None
    with path.open("rb") as handle:
        return max(
            0, sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) - 1
        )


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
        bar = tqdm(
            total=_count_rows(path), unit=" lines", disable=no_progress, file=sys.stderr,
            mininterval=0.5,
        )  # fmt: skip
        try:
            summary, errors = screen_file(path, str(output), screener, on_rows=bar.update)
        except UnreadableInput as exc:
            raise CommandError(f"{path}: {exc}") from exc
        finally:
            bar.close()
        for error in errors[:SHOWN_ERRORS]:
            self.stderr.write(f"{path.name} {error}")
        if len(errors) > SHOWN_ERRORS:
            more = len(errors) - SHOWN_ERRORS
            self.stderr.write(f"… and {counted(more, 'more problem', 'more problems')}.")
        self.stdout.write(str(summary))
        self.stdout.write(f"Hits written to {output}.")
