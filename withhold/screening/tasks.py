"""Background jobs for screening runs: fetch by id, call the services; no logic here.

Without a broker (``CELERY_TASK_ALWAYS_EAGER``) a run is screened in-process in one piece. With
workers, a file longer than ``SCREENING_CHUNK_LINES`` is split into chunks screened in parallel
(a Celery ``chord``), and the chunks' hits are merged in the order of the file.

Re-screenings (an order issued or changed, list entries added or changed) are queued after the
commit of the change and run on a worker, or in-process without a broker, like everything here.
"""

from celery import chord, shared_task
from django.conf import settings

from . import services
from .engine import Hit, Summary
from .entry_lines import EntryLine, RowError


@shared_task(name="withhold.screening.tasks.screening_run_start")
def screening_run_start(run_id: int) -> None:
    size = settings.WITHHOLD["SCREENING_CHUNK_LINES"]
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        services.screening_run_execute(run_id=run_id)
        return
    total = services.screening_run_begin(run_id=run_id)
    if total is None:
        return
    bounds = [(start, min(start + size, total)) for start in range(0, total, size)]
    if not bounds:
        bounds = [(0, 0)]
    chord(screening_run_chunk.s(run_id, start, stop) for start, stop in bounds)(
        screening_run_merge.s(run_id)
    )


@shared_task(name="withhold.screening.tasks.screening_run_chunk")
def screening_run_chunk(run_id: int, start: int, stop: int) -> dict:
    run = services.ScreeningRun.objects.get(pk=run_id)
    items = services.screening_run_items(run, start=start, stop=stop)
    hits, summary, errors = services.screening_chunk(items, run_id=run_id)
    return {
        "hits": [[line.as_dict(), list(hit.as_row()) + [hit.order_id]] for line, hit in hits],
        "summary": summary.as_dict(),
        "errors": [[e.row, e.column, e.message] for e in errors],
    }


@shared_task(name="withhold.screening.tasks.screening_run_merge")
def screening_run_merge(parts: list[dict], run_id: int) -> int:
    summary = Summary()
    hits: list[tuple[EntryLine, Hit]] = []
    errors: list[RowError] = []
    for part in parts:  # a chord gives the results in the order of its header
        summary.merge(Summary.from_dict(part["summary"]))
        hits.extend((EntryLine(**line), Hit(*hit)) for line, hit in part["hits"])
        errors.extend(RowError(*e) for e in part["errors"])
    run = services.screening_run_finish(run_id=run_id, hits=hits, summary=summary, errors=errors)
    return run.pk


def _actor(actor_id: int | None):
    from withhold.accounts.models import User

    return User.objects.filter(pk=actor_id).first() if actor_id else None


@shared_task(name="withhold.screening.tasks.order_rescreen")
def order_rescreen(order_id: int, actor_id: int | None = None) -> int | None:
    """Re-screen the stored lines against one order after it was issued or changed."""
    run = services.order_rescreen(order_id=order_id, actor=_actor(actor_id))
    return run.pk if run else None


@shared_task(name="withhold.screening.tasks.entries_rescreen")
def entries_rescreen(entry_ids: list[int], trigger: str, actor_id: int | None = None) -> int | None:
    """Re-screen the stored lines against the entries a list load added or changed."""
    run = services.entries_rescreen(entry_ids=entry_ids, trigger=trigger, actor=_actor(actor_id))
    return run.pk if run else None


@shared_task(name="withhold.screening.tasks.screened_lines_purge")
def screened_lines_purge() -> int:
    """Daily (``CELERY_BEAT_SCHEDULE``): drop lines kept longer than the retention period."""
    return services.screened_lines_purge()
