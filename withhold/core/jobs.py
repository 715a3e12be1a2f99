"""Background work without a broker: a small thread pool in the web process.

With ``CELERY_BROKER_URL`` set, ``enqueue`` hands a task to the Celery workers, as always. Without
a broker (``make run``), Celery runs a task in the caller (``task_always_eager``), which would
block the request; with ``WITHHOLD_BACKGROUND_THREADS`` on (the default without a broker) the task
runs on one of this process's worker threads instead and the request answers at once. The work
records its own progress in the database (a screening run's lines done, a notice's status), so
pages show it however it runs. The test settings switch the threads off: work runs in the caller.
"""

import logging
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_executor: ThreadPoolExecutor | None = None
_local = threading.local()


def uses_threads() -> bool:
    return (
        bool(getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False))
        and bool(getattr(settings, "WITHHOLD_BACKGROUND_THREADS", False))
        and not getattr(_local, "in_caller", False)
    )


@contextmanager
def in_caller() -> Iterator[None]:
    """Within the block, work ``enqueue`` would put on a thread runs in the caller instead: for a
    command whose later steps need that work done, and which must not exit before it is."""
    before = getattr(_local, "in_caller", False)
    _local.in_caller = True
    try:
        yield
    finally:
        _local.in_caller = before


def executor() -> ThreadPoolExecutor:
    global _executor
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(
                max_workers=settings.WITHHOLD_BACKGROUND_WORKERS, thread_name_prefix="withhold-job"
            )
        return _executor


def _run(func, args, kwargs):
    try:
        return func(*args, **kwargs)
    except Exception:
        logger.exception("Background job %s failed", getattr(func, "name", func))
        raise
    finally:
        # This thread's own connections: a pooled thread must not keep one open between jobs.
        connections.close_all()


def enqueue(task, *args, **kwargs) -> Future | None:
    """Run a Celery task in the background: on the workers with a broker, on a thread of this
    process without one (threads on), else right here. Returns the thread's Future, if any."""
    if not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        task.delay(*args, **kwargs)
        return None
    if uses_threads():
        return executor().submit(_run, task, args, kwargs)
    task(*args, **kwargs)
    return None
