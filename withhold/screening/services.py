"""Every write of the screening app: loading entity lists, starting and running screening runs.

Pure work (parsing, matching) is in ``entry_lines.py``, ``entity_lists.py``, ``normalise.py`` and
``engine.py``; this module adds permissions, transactions, audit rows and progress.
"""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import ngettext

from withhold.accounts.permissions import require_perm
from withhold.audit.models import AuditAction
from withhold.audit.services import audit_record
from withhold.core import files, jobs
from withhold.core.exceptions import ApplicationError

from .engine import Hit, Screener, Summary, screen_items
from .entity_lists import ListProblems, parse_entity_list
from .entry_lines import EntryLine, RowError, UnreadableInput, count_entry_rows, read_entry_lines
from .models import EntityList, ListEntry, ScreeningHit, ScreeningRun
from .watchlist import screener_current, watch_list_stamp_bump

SCREENING_TYPES = frozenset({files.CSV, files.TEXT, files.XLSX})
PROGRESS_EVERY = 2000
HIT_BATCH = 2000


class ListRefused(ApplicationError):
    """An entity list file was refused; ``problems`` names every bad row."""

    def __init__(self, problems: list[str]):
        super().__init__(
            ngettext(
                "The list was not loaded: %(n)d problem found.",
                "The list was not loaded: %(n)d problems found.",
                len(problems),
            )
            % {"n": len(problems)}
        )
        self.problems = problems


# Entity lists ------------------------------------------------------------------------------------


@transaction.atomic
def entity_list_load(
    *, actor, source: str, file_name: str, data: bytes, is_reference: bool = False
) -> EntityList:
    """Replace the entries of list ``source`` with the rows of ``data``, all or nothing.

    ``actor`` is None for the command line and ``load-reference``; a signed-in user needs
    ``screening.add_entitylist``."""
    if actor is not None:
        require_perm(actor, "screening.add_entitylist")
    source = (source or "").strip()
    if not source or len(source) > 80:
        raise ApplicationError("Name the list's source in 1 to 80 characters (e.g. “uflpa”).")
    try:
        rows = parse_entity_list(data)
    except ListProblems as exc:
        raise ListRefused(exc.problems) from exc
    digest = hashlib.sha256(data).hexdigest()
    entity_list, created = EntityList.objects.select_for_update().get_or_create(
        source=source,
        defaults={"file_name": file_name[:255], "sha256": digest, "is_reference": is_reference},
    )
    previous = entity_list.entry_count
    if not created and entity_list.sha256 == digest and entity_list.entries.exists():
        return entity_list
    entity_list.entries.all().delete()
    ListEntry.objects.bulk_create(
        ListEntry(entity_list=entity_list, row_number=r.row_number, name=r.name[:400],
                  aliases=list(r.aliases), country=r.country, address=r.address, note=r.note)
        for r in rows
    )  # fmt: skip
    entity_list.file_name = file_name[:255]
    entity_list.sha256 = digest
    entity_list.entry_count = len(rows)
    entity_list.is_reference = is_reference
    entity_list.loaded_by = actor if getattr(actor, "pk", None) else None
    entity_list.save()
    audit_record(
        actor=actor,
        action=AuditAction.ENTITY_LIST_LOADED,
        target=entity_list,
        changes={"entry_count": (previous if not created else None, len(rows))},
        data={"source": source, "file_name": file_name, "sha256": digest},
    )
    watch_list_stamp_bump()
    return entity_list


# Screening a stream ------------------------------------------------------------------------------


@dataclass
class ScreenResult:
    hits: list[tuple[EntryLine, Hit]]
    summary: Summary
    errors: list[RowError]


def screen_entry_lines(items, *, screener: Screener | None = None) -> ScreenResult:
    """Screen already-read lines (or row errors) against the current watch list."""
    screener = screener or screener_current()
    summary = Summary()
    errors: list[RowError] = []
    hits = list(screen_items(items, screener, summary=summary, errors=errors))
    return ScreenResult(hits, summary, errors)


def screen_lines_api(*, actor, lines: list[dict]) -> ScreenResult:
    """The API's synchronous screening of at most ``SCREENING_API_MAX_LINES`` lines."""
    from .entry_lines import COLUMNS, parse_row

    require_perm(actor, "screening.run_screening")
    limit = settings.WITHHOLD["SCREENING_API_MAX_LINES"]
    if len(lines) > limit:
        raise ApplicationError(
            f"{len(lines):,} lines sent; the API screens at most {limit:,} lines per request. "
            "Split the lines into several requests, or upload the file on the screening page."
        )
    positions = {name: i for i, name in enumerate(COLUMNS)}
    items = [
        parse_row(number, [line.get(name, "") for name in COLUMNS], positions)
        for number, line in enumerate(lines, start=1)
    ]
    return screen_entry_lines(items)


# Screening runs ----------------------------------------------------------------------------------


@transaction.atomic
def screening_run_create(*, actor, upload: UploadedFile, is_demo: bool = False) -> ScreeningRun:
    """Store an uploaded file of entry lines and queue its screening (after the commit)."""
    require_perm(actor, "screening.run_screening")
    checked = files.check_upload(
        upload,
        allowed=SCREENING_TYPES,
        max_bytes=settings.WITHHOLD["SCREENING_UPLOAD_MAX_BYTES"],
    )
    run = ScreeningRun(
        original_name=files.display_name(upload.name, "entry-lines"),
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        created_by=actor,
        is_demo=is_demo,
    )
    run.file.save(files.storage_name(upload.name, "entry-lines.csv"), upload, save=False)
    run.save()
    audit_record(
        actor=actor,
        action=AuditAction.SCREENING_RUN_STARTED,
        target=run,
        data={"file": run.original_name, "sha256": run.sha256, "size": run.size},
    )
    from .tasks import screening_run_start

    # On the workers with a broker; without one, on a thread of this process (core.jobs), so the
    # upload answers at once and the run page shows the progress.
    transaction.on_commit(lambda: jobs.enqueue(screening_run_start, run.pk))
    return run


def screening_run_items(run: ScreeningRun, *, start: int = 0, stop: int | None = None):
    """The run's lines and row errors, streamed from its file (raises ``UnreadableInput``)."""
    return read_entry_lines(run.file.path, start=start, stop=stop)


def _hit_row(run: ScreeningRun, position: int, line: EntryLine, hit: Hit) -> ScreeningHit:
    return ScreeningHit(
        run=run, position=position, row_number=line.row, line_id=line.line_id[:100],
        entry_number=line.entry_number[:40], entry_date=line.entry_date[:10],
        importer_name=line.importer_name[:400], manufacturer_name=line.manufacturer_name[:400],
        manufacturer_address=line.manufacturer_address, shipper_name=line.shipper_name[:400],
        country_of_origin=line.country_of_origin, hts_code=line.hts_code[:14],
        description=line.description, vessel_name=line.vessel_name[:200],
        hit_kind=hit.hit_kind, hit_ref=hit.hit_ref[:120], hit_name=hit.hit_name[:400],
        score=hit.score, action=hit.action, reasons=hit.reasons, order_id=hit.order_id,
    )  # fmt: skip


def screening_run_fail(*, run_id: int, message: str) -> None:
    ScreeningRun.objects.filter(pk=run_id).update(
        status=ScreeningRun.Status.FAILED, failure=message, finished_at=timezone.now()
    )


def screening_run_begin(*, run_id: int) -> int | None:
    """Check the run's file and count its rows; mark it running. Returns the number of rows, or
    None (and the run failed, with the reason) when the file cannot be read."""
    run = ScreeningRun.objects.get(pk=run_id)
    try:
        total = count_entry_rows(run.file.path)
    except UnreadableInput as exc:
        screening_run_fail(run_id=run_id, message=str(exc))
        return None
    screener = screener_current()
    ScreeningRun.objects.filter(pk=run_id).update(
        status=ScreeningRun.Status.RUNNING,
        total_lines=total,
        started_at=timezone.now(),
        watch_list_version=screener.watch_list.version,
    )
    return total


def screening_chunk(
    items: Iterable, *, run_id: int, progress: Callable[[int], None] | None = None
) -> tuple[list[tuple[EntryLine, Hit]], Summary, list[RowError]]:
    """Screen a stream of a run's lines, reporting progress every ``PROGRESS_EVERY`` lines."""
    screener = screener_current()
    summary = Summary()
    errors: list[RowError] = []
    hits: list[tuple[EntryLine, Hit]] = []
    stream = iter(items)
    while part := list(islice(stream, PROGRESS_EVERY)):
        hits.extend(screen_items(part, screener, summary=summary, errors=errors))
        ScreeningRun.objects.filter(pk=run_id).update(done_lines=F("done_lines") + len(part))
        if progress:
            progress(len(part))
    return hits, summary, errors


@transaction.atomic
def screening_run_finish(
    *,
    run_id: int,
    hits: list[tuple[EntryLine, Hit]],
    summary: Summary,
    errors: list[RowError],
) -> ScreeningRun:
    """Store a run's hits in order and its summary; mark it done."""
    run = ScreeningRun.objects.select_for_update().get(pk=run_id)
    run.hits.all().delete()
    batch: list[ScreeningHit] = []
    for position, (line, hit) in enumerate(hits, start=1):
        batch.append(_hit_row(run, position, line, hit))
        if len(batch) >= HIT_BATCH:
            ScreeningHit.objects.bulk_create(batch)
            batch = []
    ScreeningHit.objects.bulk_create(batch)
    run.summary = summary.as_dict()
    run.row_errors = [
        {"row": e.row, "column": e.column, "message": e.message} for e in errors[:1000]
    ]
    run.status = ScreeningRun.Status.DONE
    run.done_lines = run.total_lines
    run.finished_at = timezone.now()
    run.save()
    audit_record(
        actor=None,
        action=AuditAction.SCREENING_RUN_FINISHED,
        target=run,
        data=run.summary,
    )
    return run


def screening_run_execute(*, run_id: int) -> ScreeningRun | None:
    """Screen a whole run in this process (no broker, or a file of one chunk)."""
    if screening_run_begin(run_id=run_id) is None:
        return None
    run = ScreeningRun.objects.get(pk=run_id)
    try:
        hits, summary, errors = screening_chunk(screening_run_items(run), run_id=run_id)
        return screening_run_finish(run_id=run_id, hits=hits, summary=summary, errors=errors)
    except UnreadableInput as exc:  # damaged further down than the header
        screening_run_fail(run_id=run_id, message=str(exc))
        return None
    except Exception as exc:
        screening_run_fail(run_id=run_id, message=f"Screening stopped: {exc}")
        raise
