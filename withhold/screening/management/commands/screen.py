"""``withhold screen INPUT -o HITS.csv [--jobs N]``: screen a CSV or XLSX file of entry lines.

Writes one row per hit (line_id, hit_kind, hit_ref, hit_name, score, action, reasons), prints the
rows it could not screen (row and column) and a summary. Exits non-zero only when the file cannot
be read at all; bad rows are reported and the others screened.

A CSV file of ``parallel.PARALLEL_MIN_LINES`` lines or more is screened on ``--jobs`` processes
(default: one per CPU): each distinct name is matched once, then the lines are screened in
chunks; the hits come out in the order of the file, as with one process (``parallel.py``).
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from withhold.screening.engine import counted
from withhold.screening.entry_lines import UnreadableInput
from withhold.screening.parallel import default_jobs, screen_file_parallel
from withhold.screening.watchlist import screener_current

SHOWN_ERRORS = 50
STAGES = {
    "read": ("reading", " lines"),
    "names": ("matching names", " names"),
    "screen": ("screening", " lines"),
}


def _count_rows(path: Path) -> int | None:
    if path.suffix.lower() == ".xlsx":
        return None
    with path.open("rb") as handle:
        return max(
            0, sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) - 1
        )


class ProgressBars:
    """One tqdm bar per stage of the screening, each closed when the next starts. A stage's
    total may be a guess (the file's lines, where a quoted cell may hold several): a finished
    stage shows what it counted."""

    def __init__(self, rows: int | None, stream, disable: bool):
        self.rows, self.stream, self.disable = rows, stream, disable
        self.stage = None
        self.bar = None

    def __call__(self, stage: str, n: int, total: int | None) -> None:
        if stage != self.stage:
            self.finish()
            desc, unit = STAGES[stage]
            self.stage = stage
            self.bar = tqdm(
                total=total if total is not None else self.rows, desc=desc, unit=unit,
                disable=self.disable, file=self.stream, mininterval=0.5,
            )  # fmt: skip
        self.bar.update(n)

    def finish(self) -> None:
        if self.bar is not None and self.bar.total != self.bar.n:
            self.bar.total = self.bar.n
            self.bar.refresh()
        self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class Command(BaseCommand):
    help = "Screen a CSV or XLSX file of import entry lines against the watch list."

    def add_arguments(self, parser):
        parser.add_argument("input", help="CSV or XLSX file of entry lines")
        parser.add_argument("-o", "--output", required=True, help="CSV file to write hits to")
        parser.add_argument(
            "--jobs", type=int, default=None,
            help=f"processes to screen a large CSV file on (default: one per CPU, {default_jobs()} "
            "here); 1 screens in this process",
        )  # fmt: skip
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, input, output, jobs=None, no_progress=False, **options):
        path = Path(input)
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        jobs = default_jobs() if jobs is None else jobs
        if jobs < 1:
            raise CommandError(f"--jobs {jobs}: give 1 or more processes.")
        screener = screener_current()
        bars = ProgressBars(
            _count_rows(path), getattr(self.stderr, "_out", sys.stderr), no_progress
        )
        try:
            outcome = screen_file_parallel(path, str(output), screener, jobs=jobs, progress=bars)
            bars.finish()
        except UnreadableInput as exc:
            raise CommandError(f"{path}: {exc}") from exc
        finally:
            bars.close()
        errors = outcome.errors
        for error in errors[:SHOWN_ERRORS]:
            self.stderr.write(f"{path.name} {error}")
        if len(errors) > SHOWN_ERRORS:
            more = len(errors) - SHOWN_ERRORS
            self.stderr.write(f"… and {counted(more, 'more problem', 'more problems')}.")
        self.stdout.write(str(outcome.summary))
        if outcome.jobs > 1:
            took, cpu = outcome.seconds, outcome.cpu
            self.stdout.write(
                f"Screened on {outcome.jobs} processes; "
                f"{counted(outcome.distinct_names, 'distinct name', 'distinct names')} "
                f"matched once each. Wall time: reading {took['read']:.1f} s, then matching "
                f"names {took['names']:.1f} s, screening lines {took['screen']:.1f} s; CPU time "
                f"of all processes: {cpu['read']:.1f} s, {cpu['names']:.1f} s, "
                f"{cpu['screen']:.1f} s."
            )
        self.stdout.write(f"Hits written to {output}.")
