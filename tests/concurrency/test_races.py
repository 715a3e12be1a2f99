"""Two people (or two job runs) at the same moment, on PostgreSQL with two real connections.

Each test holds the row lock in the main thread, starts two threads that run the same service
and waits until both are blocked on that lock (``pg_stat_activity``), then lets them go: the
two really do run at once. Skipped on SQLite, which has no row locks."""

import threading
import time
from collections.abc import Callable

import pytest
from django.core import mail
from django.db import connection, connections, transaction
from django.utils import timezone

from withhold.cases import phases
from withhold.cases import services as case_services
from withhold.cases.models import Case, CaseTransition, Task
from withhold.cases.reminders import task_reminders_send
from withhold.core.concurrency import StaleVersionError
from withhold.core.exceptions import ApplicationError

from ..cases.conftest import new_case, ready_for_investigation  # noqa: F401 - fixtures
from ..factories import CaseFactory, TaskFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(lock_rows: Callable[[], object], *calls: Callable[[], object]) -> list:
    """Run ``calls`` in threads that all start while ``lock_rows`` holds the rows they need;
    returns each call's result or the exception it raised, in order."""
    results: list = [None] * len(calls)

    def run(i: int, call: Callable[[], object]) -> None:
        try:
            results[i] = call()
        except Exception as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    with transaction.atomic():
        lock_rows()
        for t in threads:
            t.start()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_stat_clear_snapshot()")  # else frozen for the transaction
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'"
                )
                if cursor.fetchone()[0] >= len(calls):
                    break
            time.sleep(0.02)
        else:
            pytest.fail("the threads never waited on the lock")
    for t in threads:
        t.join(timeout=30)
    return results


@pytest.fixture(autouse=True)
def vocabularies():
    """The ILO indicators and evidence-source kinds a data migration creates: a transactional
    test before this one ends with a flush that empties them, and an evidence item needs its
    source kind."""
    import importlib

    from django.apps import apps

    importlib.import_module("withhold.reference.migrations.0002_vocabularies").forwards(apps, None)


def _lock_case(case: Case):
    return lambda: Case.objects.select_for_update().get(pk=case.pk)


def test_two_phase_changes_at_once_one_applied_one_refused(
    ready_for_investigation,  # noqa: F811 - the fixture
    case_analyst,
):
    case = ready_for_investigation
    to_phase = phases.adjacent_phases(case.phase)[0]

    results = race(
        _lock_case(case),
        lambda: case_services.case_phase_change(case=case, to_phase=to_phase, actor=case_analyst),
        lambda: case_services.case_phase_change(case=case, to_phase=to_phase, actor=case_analyst),
    )

    applied = [r for r in results if isinstance(r, Case)]
    refused = [r for r in results if isinstance(r, ApplicationError)]
    assert (len(applied), len(refused)) == (1, 1), results
    assert "already in" in refused[0].message
    assert Case.objects.get(pk=case.pk).phase == to_phase
    assert CaseTransition.objects.filter(case=case, kind=CaseTransition.Kind.PHASE).count() == 1


def test_two_suspensions_at_once_one_applied_one_refused(supervisor):
    case = CaseFactory()

    def suspend():
        return case_services.case_status_change(
            case=case, to_status="suspended", actor=supervisor, reason_code="lack_of_personnel"
        )

    results = race(_lock_case(case), suspend, suspend)

    assert sum(isinstance(r, Case) for r in results) == 1, results
    assert sum(isinstance(r, ApplicationError) for r in results) == 1, results
    assert CaseTransition.objects.filter(case=case, to_status="suspended").count() == 1


def test_two_stale_edits_at_once_the_second_gets_the_conflict(case_analyst, supervisor):
    case = CaseFactory(priority="medium")
    opened = Case.objects.get(pk=case.pk).version  # both opened the same version

    results = race(
        _lock_case(case),
        lambda: case_services.case_update(
            case=case, actor=case_analyst, priority="high", version=opened
        ),
        lambda: case_services.case_update(
            case=case, actor=supervisor, priority="low", version=opened
        ),
    )

    saved = [r for r in results if isinstance(r, Case)]
    conflicts = [r for r in results if isinstance(r, StaleVersionError)]
    assert (len(saved), len(conflicts)) == (1, 1), results
    assert "your changes were not saved — reload to see theirs" in conflicts[0].message
    final = Case.objects.get(pk=case.pk)
    assert final.priority == saved[0].priority
    assert final.version == opened + 1


def together(*calls: Callable[[], object]) -> list:
    """Run ``calls`` in threads released at the same instant (no lock to hold: the reminder
    jobs skip rows another run has locked rather than wait for them)."""
    results: list = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(i: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_two_reminder_runs_at_once_send_each_reminder_once(settings, case_analyst):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    today = timezone.localdate()
    case = CaseFactory()
    tasks = [
        TaskFactory(case=case, owner=case_analyst, due_on=today, title=f"Task {n}")
        for n in range(40)
    ]

    results = together(
        lambda: task_reminders_send(today=today), lambda: task_reminders_send(today=today)
    )

    assert all(isinstance(r, int) for r in results), results
    assert sum(results) == 40
    subjects = [m.subject for m in mail.outbox]
    assert len(subjects) == 40
    assert len(set(subjects)) == 40
    assert Task.objects.filter(pk__in=[t.pk for t in tasks], reminded_on=today).count() == 40
    # A third run the same day sends nothing.
    assert task_reminders_send(today=today) == 0
