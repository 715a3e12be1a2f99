"""Every write of the screening app: loading entity lists, starting and running screening runs.

Pure work (parsing, matching) is in ``entry_lines.py``, ``entity_lists.py``, ``normalise.py`` and
``engine.py``; this module adds permissions, transactions, audit rows and progress.
"""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import islice

from django.conf import settings
from django.core.exceptions import ValidationError
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
from withhold.orders.models import Order, OrderModification

from .engine import Hit, Screener, Summary, WatchList, screen_items
from .entity_lists import ListProblems, diff_entries, parse_entity_list
from .entry_lines import EntryLine, RowError, UnreadableInput, count_entry_rows, read_entry_lines
from .models import (
    EntityList,
    HitJudgement,
    ListEntry,
    ListVersion,
    OrderScreeningState,
    ScreenedLine,
    ScreeningHit,
    ScreeningRun,
    WatchListStamp,
)
from .normalise import normalise_name
from .watchlist import (
    screener_current,
    thresholds,
    watch_list_for_entries,
    watch_list_for_order,
    watch_list_stamp_bump,
)

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
    *,
    actor,
    source: str,
    file_name: str,
    data: bytes,
    is_reference: bool = False,
    effective_on: date | None = None,
) -> EntityList:
    """Load the rows of ``data`` as the new version of list ``source``, all or nothing.

    A file that changes what screening sees of the entries (a name, alias, country, address or
    number; an entry added or removed) makes a new version, numbered one more, with its own
    entries; the old versions and their entries stay, so detentions keep pointing at the entry
    they relied on. A file that changes none of it keeps the current version (the load is still
    audited). ``effective_on`` is when the version's changes took effect (the Federal Register
    notice's effective date for the UFLPA list): the agency's day of the load unless given; a
    row's own ``effective_date`` wins for that row.

    ``actor`` is None for the command line and ``load-reference``; a signed-in user needs
    ``screening.add_entitylist``."""
    if actor is not None:
        require_perm(actor, "screening.add_entitylist")
    source = (source or "").strip()
    if not source or len(source) > 80:
        raise ApplicationError("Name the list's source in 1 to 80 characters (e.g. “uflpa”).")
    now = timezone.now()
    if effective_on is not None and effective_on > timezone.localdate(now):
        raise ApplicationError(
            f"The effective date ({effective_on:%Y-%m-%d}) is after today: load the list once "
            "its changes are in effect."
        )
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
    if not created and entity_list.sha256 == digest and entity_list.current_version_id:
        return entity_list
    old = list(entity_list.current_entries)
    before = {_entry_signature(e) for e in old}
    loaded_by = actor if getattr(actor, "pk", None) else None
    candidates = [
        ListEntry(entity_list=entity_list, row_number=r.row_number, number=r.number,
                  name=r.name[:400], aliases=list(r.aliases), country=r.country,
                  address=r.address, note=r.note, effective_on=r.effective_on)
        for r in rows
    ]  # fmt: skip
    new_version = (
        created
        or not entity_list.current_version_id
        or (before != {_entry_signature(e) for e in candidates} or len(old) != len(candidates))
    )
    changed: list[int] = []
    if new_version:
        number = 1 if created or not entity_list.current_version_id else entity_list.version + 1
        changes = diff_entries(old, candidates)
        version = ListVersion.objects.create(
            entity_list=entity_list,
            number=number,
            file_name=file_name[:255],
            sha256=digest,
            loaded_at=now,
            loaded_by=loaded_by,
            effective_on=effective_on or timezone.localdate(now),
            entry_count=len(candidates),
            added_count=sum(1 for c in changes if c.kind == "added"),
            removed_count=sum(1 for c in changes if c.kind == "removed"),
            changed_count=sum(1 for c in changes if c.kind == "changed"),
        )
        for entry in candidates:
            entry.list_version = version
            entry.effective_on = entry.effective_on or version.effective_on
        entries = ListEntry.objects.bulk_create(candidates, batch_size=HIT_BATCH)
        changed = [e.pk for e in entries if _entry_signature(e) not in before]
        entity_list.version = number
        entity_list.current_version = version
        entity_list.entry_count = len(entries)
    else:
        _entries_annotate(old, candidates)
    entity_list.file_name = file_name[:255]
    entity_list.sha256 = digest
    entity_list.is_reference = is_reference
    entity_list.loaded_by = loaded_by
    entity_list.save()
    audit_record(
        actor=actor,
        action=AuditAction.ENTITY_LIST_LOADED,
        target=entity_list,
        changes={"entry_count": (previous if not created else None, entity_list.entry_count)},
        data={"source": source, "file_name": file_name, "sha256": digest,
              "version": entity_list.version, "new_version": new_version,
              "effective_on": entity_list.current_version.effective_on.isoformat(),
              "entries_added_or_changed": len(changed)},
    )  # fmt: skip
    if not new_version:
        return entity_list
    watch_list_stamp_bump()
    if changed:
        trigger = ngettext(
            "List “%(source)s” version %(version)d loaded: %(n)d entry added or changed",
            "List “%(source)s” version %(version)d loaded: %(n)d entries added or changed",
            len(changed),
        ) % {"source": source, "version": entity_list.version, "n": len(changed)}
        actor_id = getattr(actor, "pk", None)
        from .tasks import entries_rescreen

        # robust: a re-screening that fails is logged, and never undoes the committed load.
        transaction.on_commit(
            lambda: entries_rescreen.delay(changed, trigger, actor_id), robust=True
        )
    return entity_list


def _entries_annotate(current: list[ListEntry], loaded: list[ListEntry]) -> None:
    """A file the same as the current version in all that screening sees may still give the
    entries' own effective dates (the reference file gained the column): they are set on the
    current version's entries, which stay in their version."""
    dates = {e.number: e.effective_on for e in loaded if e.effective_on}
    updated = []
    for entry in current:
        if dates.get(entry.number, entry.effective_on) != entry.effective_on:
            entry.effective_on = dates[entry.number]
            updated.append(entry)
    ListEntry.objects.bulk_update(updated, ["effective_on"], batch_size=2000)


def _entry_signature(entry: ListEntry) -> tuple:
    """What screening sees of an entry: a load that changes none of it makes no new version and
    re-screens nothing."""
    return (entry.number, entry.name, tuple(entry.aliases), entry.country, entry.address)


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


def hit_party_name(line, hit: Hit | ScreeningHit) -> str:
    """The party of ``line`` the hit is about: the shipper when the shipper's name matched, the
    vessel for a vessel rule, else the manufacturer (the party the orders and lists name)."""
    if hit.reasons.startswith("shipper ") and line.shipper_name:
        return line.shipper_name
    if (
        hit.hit_kind == ScreeningHit.Kind.ORDER
        and line.vessel_name
        and (hit.reasons.startswith("vessel name") or hit.reasons.startswith("IMO "))
    ):
        return line.vessel_name
    return line.manufacturer_name or line.shipper_name or line.vessel_name or line.importer_name


def party_key(name: str) -> str:
    """A party's name as the screening normaliser writes it (token-sorted, legal forms set
    aside), so "HETIAN TAIDA APPAREL CO., LTD" and "Hetian Taida Apparel Co Ltd" share a key."""
    normal = normalise_name(name or "")
    return (normal.sorted_key or " ".join((name or "").casefold().split()))[:400]


class BasisVersions:
    """The version of each list and order hit, read once per batch of hits: a list's
    ``version``; for an order, how many times it was modified, partially revoked or revoked
    (periodic reviews change nothing screened)."""

    def __init__(self) -> None:
        self._lists = dict(EntityList.objects.values_list("source", "version"))
        self._orders: dict[int, str] = {}

    def of(self, hit: Hit | ScreeningHit) -> str:
        if hit.hit_kind == ScreeningHit.Kind.LIST:
            source = hit.hit_ref.rsplit(" #", 1)[0]
            return f"list v{self._lists.get(source, 1)}"
        if hit.hit_kind == ScreeningHit.Kind.ORDER and hit.order_id:
            if hit.order_id not in self._orders:
                self._orders[hit.order_id] = order_basis_version(hit.order_id)
            return self._orders[hit.order_id]
        return ""


def order_basis_version(order_id: int) -> str:
    changes = (
        OrderModification.objects.filter(order_id=order_id)
        .exclude(kind=OrderModification.Kind.REVIEW)
        .count()
    )
    return f"order change {changes}"


def _hit_row(
    run: ScreeningRun,
    position: int,
    line: EntryLine,
    hit: Hit,
    *,
    versions: BasisVersions,
    line_pk: int | None = None,
) -> ScreeningHit:
    return ScreeningHit(
        screened_line_id=line_pk, party_key=party_key(hit_party_name(line, hit)),
        basis_version=versions.of(hit),
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
    run.lines.all().delete()
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
        _lines_store(run_id, [item for item in part if isinstance(item, EntryLine)])
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
    versions = BasisVersions()
    stored = dict(
        run.lines.filter(row_number__in={line.row for line, _hit in hits}).values_list(
            "row_number", "pk"
        )
    )
    batch: list[ScreeningHit] = []
    for position, (line, hit) in enumerate(hits, start=1):
        batch.append(
            _hit_row(run, position, line, hit, versions=versions, line_pk=stored.get(line.row))
        )
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


def _lines_store(run_id: int, lines: list[EntryLine]) -> None:
    """Keep a run's screened lines for re-screening (``SCREENING_RETENTION_DAYS``)."""
    if not lines:
        return
    rows = [line.row for line in lines]
    ScreenedLine.objects.filter(
        run_id=run_id, row_number__gte=min(rows), row_number__lte=max(rows)
    ).delete()  # a chunk screened again replaces its lines
    now = timezone.now()
    ScreenedLine.objects.bulk_create(
        [ScreenedLine(run_id=run_id, screened_at=now, row_number=line.row,
                      **{name: _cut(name, getattr(line, name)) for name in LINE_FIELDS})
         for line in lines],
        batch_size=HIT_BATCH,
    )  # fmt: skip


LINE_FIELDS = (
    "line_id", "entry_number", "entry_date", "importer_name", "manufacturer_name",
    "manufacturer_address", "shipper_name", "country_of_origin", "hts_code", "description",
    "vessel_name",
)  # fmt: skip


def _cut(name: str, value: str) -> str:
    size = ScreenedLine._meta.get_field(name).max_length
    return value[:size] if size else value


def screened_line_entry(stored: ScreenedLine) -> EntryLine:
    return EntryLine(row=stored.row_number, **{n: getattr(stored, n) for n in LINE_FIELDS})


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


# Re-screening the stored lines ----------------------------------------------------------------


def _retention_cutoff(now=None):
    days = int(settings.WITHHOLD["SCREENING_RETENTION_DAYS"])
    return (now or timezone.now()) - timedelta(days=days)


@transaction.atomic
def rescreen_stored_lines(
    *, watch_list: WatchList, trigger: str, actor=None
) -> ScreeningRun | None:
    """Screen every stored line (within the retention period) against ``watch_list`` — only
    what changed — and keep the hits no earlier screening found: same line, same reference, same
    version of the list or order. The result is a run whose ``trigger`` names the change; None
    when the change leaves nothing to screen or no line is stored."""
    if not len(watch_list):
        return None
    lines = ScreenedLine.objects.filter(screened_at__gte=_retention_cutoff()).order_by("pk")
    if not lines.exists():
        return None
    detain_at, review_at = thresholds()
    screener = Screener(watch_list, detain_at=detain_at, review_at=review_at)
    versions = BasisVersions()
    started = timezone.now()
    found: list[tuple[ScreenedLine, EntryLine, Hit, str]] = []
    screened = 0
    summary = Summary()
    for stored in lines.iterator(chunk_size=HIT_BATCH):
        screened += 1
        line = screened_line_entry(stored)
        for hit in screener.screen_line(line):
            found.append((stored, line, hit, versions.of(hit)))
    earlier = set(
        ScreeningHit.objects.filter(
            screened_line_id__in={stored.pk for stored, *_ in found},
            hit_ref__in={hit.hit_ref for _s, _l, hit, _v in found},
        ).values_list("screened_line_id", "hit_ref", "basis_version")
    )
    new = [f for f in found if (f[0].pk, f[2].hit_ref, f[3]) not in earlier]
    demo_runs = set(ScreeningRun.objects.filter(is_demo=True).values_list("pk", flat=True))
    summary.lines = screened
    by_line: dict[int, list[Hit]] = {}
    for stored, _line, hit, _version in new:
        by_line.setdefault(stored.pk, []).append(hit)
    for hits in by_line.values():
        summary.add_hits(hits)
    run = ScreeningRun.objects.create(
        trigger=trigger[:300],
        original_name=trigger[:255],
        content_type="",
        size=0,
        sha256="",
        status=ScreeningRun.Status.DONE,
        total_lines=screened,
        done_lines=screened,
        summary=summary.as_dict(),
        watch_list_version=WatchListStamp.objects.values_list("version", flat=True).first(),
        started_at=started,
        finished_at=timezone.now(),
        created_by=actor if getattr(actor, "pk", None) else None,
        is_demo=bool(new) and all(stored.run_id in demo_runs for stored, *_ in new),
    )
    ScreeningHit.objects.bulk_create(
        [
            _hit_row(run, position, line, hit, versions=versions, line_pk=stored.pk)
            for position, (stored, line, hit, _version) in enumerate(new, start=1)
        ],
        batch_size=HIT_BATCH,
    )
    audit_record(
        actor=actor,
        action=AuditAction.SCREENING_RUN_FINISHED,
        target=run,
        data={"trigger": run.trigger, **run.summary},
    )
    return run


def _watch_list_fingerprint(watch_list: WatchList) -> str:
    parts = repr(
        (
            sorted(map(repr, watch_list.parties)),
            sorted(map(repr, watch_list.commodity_rules)),
            sorted(map(repr, watch_list.vessel_rules)),
            sorted((k, repr(v)) for k, v in watch_list.exclusions.items()),
        )
    )
    return hashlib.sha256(parts.encode()).hexdigest()


def order_rescreen(*, order_id: int, actor=None) -> ScreeningRun | None:
    """Re-screen the stored lines against one order, when what the watch list holds of it has
    changed since last time (it was issued, modified, its scope rules changed)."""
    order = Order.objects.filter(pk=order_id).first()
    if order is None:
        return None
    watch_list = watch_list_for_order(order)
    fingerprint = _watch_list_fingerprint(watch_list)
    basis = order_basis_version(order.pk)
    with transaction.atomic():
        # get_or_create survives two workers creating the row at once; the lock then makes
        # the second wait and find the first one's fingerprint.
        state, _ = OrderScreeningState.objects.get_or_create(
            order=order, defaults={"fingerprint": "", "basis_version": ""}
        )
        state = OrderScreeningState.objects.select_for_update().get(pk=state.pk)
        if state.fingerprint == fingerprint and state.basis_version == basis:
            return None
        state.fingerprint, state.basis_version = fingerprint, basis
        state.save()
        if not len(watch_list):
            return None
        changed = basis != "order change 0"
        trigger = f"{order.get_kind_display()} {order.number} {'modified' if changed else 'issued'}"
        return rescreen_stored_lines(watch_list=watch_list, trigger=trigger, actor=actor)


def entries_rescreen(*, entry_ids: list[int], trigger: str, actor=None) -> ScreeningRun | None:
    """Re-screen the stored lines against the list entries a load added or changed."""
    entries = list(ListEntry.objects.filter(pk__in=entry_ids).select_related("entity_list"))
    return rescreen_stored_lines(
        watch_list=watch_list_for_entries(entries), trigger=trigger, actor=actor
    )


@transaction.atomic
def screened_lines_purge(*, now=None) -> int:
    """Delete the stored lines older than ``SCREENING_RETENTION_DAYS`` (their hits stay, without
    the link to the line). Returns how many were deleted."""
    cutoff = _retention_cutoff(now)
    deleted, _ = ScreenedLine.objects.filter(screened_at__lt=cutoff).delete()
    if deleted:
        stamp, _ = WatchListStamp.objects.get_or_create(pk=1)
        audit_record(
            actor=None,
            action=AuditAction.SCREENED_LINES_PURGED,
            target=stamp,
            data={
                "lines": deleted,
                "older_than": cutoff.isoformat(),
                "retention_days": settings.WITHHOLD["SCREENING_RETENTION_DAYS"],
            },
        )
    return deleted


# Judgements -------------------------------------------------------------------------------------


def hit_key(hit: ScreeningHit) -> tuple[str, str, str, str]:
    """The key a judgement of ``hit`` is stored under (older hits get theirs computed)."""
    key = hit.party_key or party_key(hit_party_name(hit, hit))
    return key, hit.hit_kind, hit.hit_ref, hit.basis_version


@transaction.atomic
def hit_judge(*, actor, hit: ScreeningHit, verdict: str, note: str) -> HitJudgement:
    """Record (or change) a targeting analyst's judgement of a hit. It applies to every hit with
    the same key — the party's normalised name, the listed entry, the list or order version —
    in this run and later ones."""
    require_perm(actor, "screening.add_hitjudgement", "Only a targeting analyst judges hits.")
    errors = {}
    if verdict not in HitJudgement.Verdict.values:
        errors["verdict"] = "Choose true match or false positive."
    note = (note or "").strip()
    if not note:
        errors["note"] = "Say what you checked: the note is kept with the judgement."
    if errors:
        raise ValidationError(errors)
    key, kind, ref, basis = hit_key(hit)
    judgement = (
        HitJudgement.objects.select_for_update()
        .filter(party_key=key, hit_kind=kind, hit_ref=ref, basis_version=basis)
        .first()
    )
    before = (judgement.verdict, judgement.note) if judgement else (None, None)
    if judgement is None:
        judgement = HitJudgement(party_key=key, hit_kind=kind, hit_ref=ref, basis_version=basis)
    judgement.party_name = hit_party_name(hit, hit)[:400]
    judgement.hit_name = hit.hit_name[:400]
    judgement.verdict = verdict
    judgement.note = note
    judgement.hit = hit
    judgement.judged_by = actor
    judgement.full_clean()
    judgement.save()
    audit_record(
        actor=actor,
        action=AuditAction.SCREENING_HIT_JUDGED,
        target=judgement,
        changes={"verdict": (before[0], verdict), "note": (before[1], note)},
        data={"hit": hit.pk, "run": hit.run_id, "party_key": key, "hit_ref": ref,
              "basis_version": basis},
    )  # fmt: skip
    return judgement
