"""The beat schedule without Celery beat: run due scheduled jobs in this process.

In production Celery beat sends the jobs of ``CELERY_BEAT_SCHEDULE`` to the workers. Without a
broker (``make run``), ``withhold serve`` starts ``Scheduler``, a thread that every
``WITHHOLD_SCHEDULER_TICK_SECONDS`` runs each job whose interval has passed since it last started
(``ScheduledJobRun``, kept in the database so a restart does not run a daily job again); a job
never run is due at once. ``withhold run-scheduled-jobs`` runs every job once, due or not.

Every job is safe to run twice at once (each locks and re-checks its rows), so a scheduler and a
manual run, or two servers, do no harm.
"""

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, connections
from django.utils import timezone

from .models import ScheduledJobRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    task: str
    every: timedelta


@dataclass(frozen=True)
class Outcome:
    job: Job
    ok: bool
    result: str


def scheduled_jobs() -> list[Job]:
    """The beat schedule's jobs (interval schedules: seconds or a timedelta)."""
    jobs = []
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        every = entry["schedule"]
        if not isinstance(every, timedelta):
            every = timedelta(seconds=float(every))
        jobs.append(Job(name=name, task=entry["task"], every=every))
    return jobs


def _task(name: str):
    from withhold.celery import app

    app.loader.import_default_modules()  # the apps' tasks.py (autodiscovery)
    return app.tasks[name]


def run_job(job: Job, *, now: datetime | None = None) -> Outcome:
    """Run one job here and now, recording when it started, ended and what came of it."""
    started = now or timezone.now()
    record, _ = ScheduledJobRun.objects.get_or_create(name=job.name, defaults={"task": job.task})
    ScheduledJobRun.objects.filter(pk=record.pk).update(task=job.task, last_started_at=started)
    try:
        result = _task(job.task)()
    except Exception as exc:
        logger.exception("Scheduled job %s failed", job.name)
        outcome = Outcome(job, False, f"{type(exc).__name__}: {exc}"[:2000])
    else:
        outcome = Outcome(job, True, "" if result is None else str(result)[:2000])
    ScheduledJobRun.objects.filter(pk=record.pk).update(
        last_finished_at=timezone.now(),
        last_result=outcome.result if outcome.ok else "",
        last_error="" if outcome.ok else outcome.result,
        runs=record.runs + 1,
    )
    return outcome


def due_jobs(*, now: datetime) -> list[Job]:
    last = dict(ScheduledJobRun.objects.values_list("name", "last_started_at"))
    return [
        job
        for job in scheduled_jobs()
        if last.get(job.name) is None or last[job.name] + job.every <= now
    ]


def run_due(*, now: datetime | None = None) -> list[Outcome]:
    now = now or timezone.now()
    return [run_job(job, now=now) for job in due_jobs(now=now)]


def run_all() -> list[Outcome]:
    return [run_job(job) for job in scheduled_jobs()]


def should_run_in_process() -> bool:
    """Without a broker, and unless switched off (``WITHHOLD_SCHEDULER=false``)."""
    return bool(getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)) and bool(
        settings.WITHHOLD_SCHEDULER
    )


class Scheduler(threading.Thread):
    """A daemon thread running due jobs every ``tick`` seconds until ``stop()``."""

    def __init__(self, *, tick: float | None = None):
        super().__init__(name="withhold-scheduler", daemon=True)
        self.tick = settings.WITHHOLD_SCHEDULER_TICK_SECONDS if tick is None else tick
        self._stopped = threading.Event()

    def run(self) -> None:
        while not self._stopped.is_set():
            close_old_connections()
            try:
                for outcome in run_due():
                    logger.info(
                        "Scheduled job %s %s: %s",
                        outcome.job.name,
                        "done" if outcome.ok else "failed",
                        outcome.result,
                    )
            except Exception:  # the database was unreachable, say: try again next tick
                logger.exception("The scheduler could not run the due jobs")
            finally:
                connections.close_all()
            self._stopped.wait(self.tick)

    def stop(self) -> None:
        self._stopped.set()
