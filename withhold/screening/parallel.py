"""Screening a large CSV file of entry lines on several processes of one machine
(``withhold screen --jobs N``). Pure: no database.

Three steps, each name matched once for the whole file:

1. **Plan** (this process): read the file once with the csv module, note the byte offset where
   every record ends, and collect the distinct manufacturer and shipper names.
2. **Names** (a pool of ``jobs`` processes): the distinct names, in shards of
   ``NAMES_PER_SHARD`` handed over while step 1 reads on, are matched against the watch list
   (``Screener.name_matches``); the names that match something come back. This process's
   screener then knows the matches of every name of the file.
3. **Lines** (a second pool, forked after step 2, so every process inherits the screener with
   those matches): the file, split at record boundaries into about ``CHUNKS_PER_JOB`` chunks per
   process, is read, checked and screened chunk by chunk; each chunk's hits, bad rows and counts
   come back and are written in the order of the file.

The hits, their order, the summary and the bad rows are the same as ``engine.screen_file``'s
(``tests/screening/test_parallel.py`` compares them). The processes are started with ``fork``
(the compiled watch list is inherited, not sent); where ``fork`` is not available, and for
XLSX workbooks, files of fewer than ``PARALLEL_MIN_LINES`` lines, ``jobs=1``, or a CSV file whose
records the plan cannot find (lines ended by a lone carriage return), the file is screened in
this process by ``engine.screen_file``.
"""

import contextlib
import csv
import gc
import io
import multiprocessing
import os
import resource
import time
from array import array
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice

from withhold.core.csv_export import csv_safe

from .engine import HIT_COLUMNS, NameMatch, Screener, Summary, screen_file, screen_items
from .entry_lines import MAX_CELL, RowError, _decode, header_map, row_parser

PARALLEL_MIN_LINES = 20_000  # fewer lines than this: one process (starting a pool costs more)
CHUNKS_PER_JOB = 8  # chunks of the file per process: even load, steady progress
NAMES_PER_SHARD = 2000  # distinct names sent to a process at a time
MAX_ERRORS = 1000  # bad rows kept (all are counted), as engine.screen_items
SCREENED_NAMES = ("manufacturer_name", "shipper_name")  # the columns the screener matches

Progress = Callable[[str, int, int | None], None]  # (stage, rows or names done, stage total)


def default_jobs() -> int:
    """The CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


@dataclass
class Plan:
    """Where the data records of a CSV file end, and the names to match."""

    encoding: str
    positions: dict[str, int]
    header_end: int
    ends: array = field(default_factory=lambda: array("q"))  # byte offset after each record
    names: set[str] = field(default_factory=set)
    unsent: list[str] = field(default_factory=list)  # names not yet given to ``on_names``

    @property
    def records(self) -> int:
        return len(self.ends)

    def chunks(self, count: int) -> list[tuple[int, int, int]]:
        """``count`` or fewer (start byte, stop byte, row number of the first record) slices of
        about equal numbers of records."""
        total = self.records
        size = max(1, -(-total // max(1, count)))
        out = []
        for first in range(0, total, size):
            last = min(first + size, total) - 1
            start = self.header_end if first == 0 else self.ends[first - 1]
            out.append((start, self.ends[last], first + 2))  # the header is row 1
        return out


def plan_csv(
    path,
    *,
    on_rows: Callable[[int], None] | None = None,
    every: int = 20_000,
    on_names: Callable[[list[str]], None] | None = None,
    names_every: int = 2000,
):
    """Read the CSV file ``path`` once: its records' end offsets and distinct screened names.
    Once the file has ``PARALLEL_MIN_LINES`` records, every ``names_every`` names not seen before
    are given to ``on_names`` as they are found (so they can be matched while the reading goes
    on); the rest stay in ``Plan.unsent``.

    None when the file is not CSV text (an XLSX workbook, a binary file) or has no header row:
    ``engine.screen_file`` reads those, and reports what is wrong. Raises ``UnreadableInput``
    for a header without the required columns, and ``csv.Error`` when the records cannot be
    told apart line by line."""
    with open(path, "rb") as handle:
        head = handle.peek(65536)[:65536]
        if head[:2] == b"PK" or b"\x00" in head:
            return None
        encoding = _decode(head)
        line_encoding = "utf-8" if encoding == "utf-8-sig" else encoding
        offset = 0

        def lines():
            nonlocal offset
            first = True
            for raw in handle:
                offset += len(raw)
                yield raw.decode(encoding if first else line_encoding, errors="replace")
                first = False

        reader = csv.reader(lines())
        header = next(reader, None)
        if header is None:
            return None
        plan = Plan(line_encoding, header_map(header), offset)
        columns = [plan.positions[c] for c in SCREENED_NAMES if c in plan.positions]
        names, ends, fresh = plan.names, plan.ends, plan.unsent
        n = 0
        for cells in reader:
            ends.append(offset)
            size = len(cells)
            for i in columns:
                if i < size:
                    name = cells[i].strip()[:MAX_CELL]
                    if name and name not in names:
                        names.add(name)
                        fresh.append(name)
                        if len(fresh) >= names_every and on_names:
                            _hand_over(fresh, names_every, len(ends), on_names)
            n += 1
            if n == every:
                if on_rows:
                    on_rows(n)
                n = 0
        if on_rows:
            on_rows(n)
    return plan


def _hand_over(fresh: list[str], size: int, records: int, on_names) -> None:
    """Give ``fresh``'s names to ``on_names`` ``size`` at a time once the file is long enough to
    be screened in parallel, leaving the remainder in ``fresh``."""
    if records < PARALLEL_MIN_LINES:
        return
    whole = len(fresh) - len(fresh) % size
    for start in range(0, whole, size):
        on_names(fresh[start : start + size])
    del fresh[:whole]


# In the pools' processes -------------------------------------------------------------------------

_screener: Screener | None = None


def _start(screener: Screener) -> None:
    global _screener
    _screener = screener


def _match_names(names: list[str]) -> tuple[list[tuple[str, tuple[NameMatch, ...]]], int, int]:
    """The names of ``names`` that match the watch list, with their matches; how many names were
    looked at and how many scored."""
    screener = _screener
    before = screener.names_scored
    found = [(name, m) for name in names if (m := screener.name_matches(name))]
    return found, len(names), screener.names_scored - before


def _screen_chunk(path, encoding: str, positions: dict[str, int], start: int, stop: int,
                  first_row: int) -> tuple[int, list[list], dict, list[list[tuple]]]:  # fmt: skip
    """Read, check and screen the records between bytes ``start`` and ``stop``: (records read,
    hit rows, summary, the errors of the first bad rows, row by row)."""
    with open(path, "rb") as handle:
        handle.seek(start)
        text = handle.read(stop - start).decode(encoding, errors="replace")
    rows = 0
    items = []
    parse = row_parser(positions)
    for rows, cells in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
        if any(cells) and "".join(cells).strip():
            items.append(parse(first_row + rows - 1, cells))
    summary = Summary()
    errors: list[RowError] = []
    hits = [
        hit.as_row()
        for _line, hit in screen_items(
            items, _screener, summary=summary, errors=errors, max_errors=MAX_ERRORS
        )
    ]
    by_row: list[list[tuple]] = []  # a row's errors stay together, as screen_items keeps them
    for e in errors:
        if not by_row or by_row[-1][0][0] != e.row:
            by_row.append([])
        by_row[-1].append((e.row, e.column, e.message))
    return rows, hits, summary.as_dict(), by_row


# In this process ---------------------------------------------------------------------------------


@dataclass
class Outcome:
    summary: Summary
    errors: list[RowError]
    jobs: int  # processes used (1: screened in this process)
    distinct_names: int = 0
    names_scored: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # wall, by stage: read, names, screen
    cpu: dict[str, float] = field(default_factory=dict)  # CPU of every process, by stage


def _shards(items: list, count: int) -> Iterable[list]:
    size = max(1, -(-len(items) // max(1, count)))
    it = iter(items)
    while shard := list(islice(it, size)):
        yield shard


def screen_file_parallel(
    path,
    output: str,
    screener: Screener,
    *,
    jobs: int,
    progress: Progress | None = None,
) -> Outcome:
    """Screen the CSV file ``path`` on ``jobs`` processes and write the hits CSV to ``output``;
    ``progress(stage, n, total)`` reports "read" (rows), "names" (distinct names) and "screen"
    (rows) as they are done, ``total`` given with the stage's first report. Falls back to
    ``engine.screen_file`` in this process as the module says."""
    report = progress or (lambda stage, n, total: None)
    if jobs < 2 or not can_fork():
        return _one_process(path, output, screener, report)
    context = multiprocessing.get_context("fork")
    # The objects alive when the pools fork (the compiled watch list, the names' matches) are
    # left out of garbage collection until the end: a collection in a forked process would
    # otherwise walk them all, copying every page of the heap it inherited.
    gc.freeze()
    try:
        return _in_pools(path, output, screener, jobs, context, report)
    finally:
        gc.unfreeze()


def _in_pools(path, output: str, screener: Screener, jobs: int, context, report: Progress):
    clock = time.perf_counter()
    cpu_clock = _cpu()
    seconds, cpu = {}, {}
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_start,
                             initargs=(screener,)) as pool:  # fmt: skip
        # The names are matched as the reading finds them (the pool's processes start with the
        # first shard, once the file is known to be long enough).
        matching = []
        try:
            plan = plan_csv(
                path,
                on_rows=lambda n: report("read", n, None),
                on_names=lambda shard: matching.append(pool.submit(_match_names, shard)),
                names_every=NAMES_PER_SHARD,
            )
        except csv.Error:
            plan = None  # e.g. lone carriage returns: the text reader copes
        if plan is None or plan.records < PARALLEL_MIN_LINES:
            pool.shutdown(cancel_futures=True)
            return _one_process(path, output, screener, report)
        seconds["read"] = time.perf_counter() - clock
        clock = time.perf_counter()
        cpu["read"], cpu_clock = _cpu() - cpu_clock, _cpu()
        matching += [pool.submit(_match_names, shard) for shard in _shards(plan.unsent, jobs)]
        distinct = len(plan.names)
        report("names", 0, distinct)
        scored = 0
        for future in matching:
            found, looked_at, n_scored = future.result()
            scored += n_scored
            screener.add_known_matches(found)
            report("names", looked_at, None)
    screener.add_known_matches((), no_match=plan.names)
    plan.names = set()
    gc.freeze()  # and the matches the second pool inherits
    seconds["names"] = time.perf_counter() - clock
    clock = time.perf_counter()
    cpu["names"], cpu_clock = _cpu() - cpu_clock, _cpu()  # the pool's processes have ended

    summary = Summary()
    errors: list[RowError] = []
    report("screen", 0, plan.records)
    with contextlib.ExitStack() as stack:
        pool = stack.enter_context(
            ProcessPoolExecutor(jobs, mp_context=context, initializer=_start,
                                initargs=(screener,))
        )  # fmt: skip
        handle = stack.enter_context(open(output, "w", newline="", encoding="utf-8"))
        writer = csv.writer(handle)
        writer.writerow(HIT_COLUMNS)
        futures = [
            pool.submit(_screen_chunk, str(path), plan.encoding, plan.positions, *chunk)
            for chunk in plan.chunks(jobs * CHUNKS_PER_JOB)
        ]
        for future in futures:  # in the order of the file
            rows, hits, part, part_errors = future.result()
            summary.merge(Summary.from_dict(part))
            for row in hits:
                writer.writerow([csv_safe(v) for v in row])
            for row_errors in part_errors:
                if len(errors) < MAX_ERRORS:
                    errors.extend(RowError(*e) for e in row_errors)
            report("screen", rows, None)
    seconds["screen"] = time.perf_counter() - clock
    cpu["screen"] = _cpu() - cpu_clock
    return Outcome(summary, errors, jobs, distinct, scored, seconds, cpu)


def _cpu() -> float:
    """CPU seconds of this process and of its child processes that have ended."""
    mine = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime


def _one_process(path, output: str, screener: Screener, report: Progress) -> Outcome:
    before = screener.names_scored
    summary, errors = screen_file(
        str(path), output, screener, on_rows=lambda n: report("screen", n, None)
    )
    return Outcome(summary, errors, 1, names_scored=screener.names_scored - before)
