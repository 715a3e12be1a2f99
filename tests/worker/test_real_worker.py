"""Background work on a real Celery worker with Redis, as production runs it.

Runs when ``WITHHOLD_TEST_BROKER`` names a Redis URL and the database is PostgreSQL (the worker
is a separate process, so it must see committed rows in a shared database); ``.ci/run`` sets it
for the PostgreSQL pass.
"""

import datetime as dt
import os
import subprocess
import sys
import time

import pytest
from celery import Celery
from django.db import connection

from ..factories import TaskFactory

BROKER = os.environ.get("WITHHOLD_TEST_BROKER", "")
REMINDER_TASK = "withhold.cases.tasks.task_reminders_send"
pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not BROKER, reason="WITHHOLD_TEST_BROKER is not set (no Redis for a real worker)"
    ),
]


@pytest.fixture
def worker(tmp_path, settings):
    if connection.vendor != "postgresql":
        pytest.skip("the real-worker test needs PostgreSQL shared between processes")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "withhold.settings.local",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": BROKER,
        "CELERY_RESULT_BACKEND": BROKER,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "withhold",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    # A client app of its own: the project's app may already hold an in-process (eager)
    # configuration and connection pool from earlier tests.
    client = Celery("withhold-test-client", broker=BROKER, backend=BROKER)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if client.control.ping(timeout=1):
                break
            if proc.poll() is not None:
                pytest.fail(f"worker exited: {proc.stdout.read().decode()}")
        else:
            pytest.fail("the Celery worker did not answer within 60 s")
        yield client, tmp_path / "mail"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        client.close()


def test_reminder_job_runs_on_the_real_worker(worker):
    client, mail_dir = worker

    def send(day: dt.date) -> int:
        return client.send_task(REMINDER_TASK, args=[day.isoformat()]).get(timeout=60)

    today = dt.date(2026, 11, 25)
    task = TaskFactory(title="Request trade data", due_on=today - dt.timedelta(days=1))
    assert send(today) == 1
    task.refresh_from_db()
    assert task.reminded_on == today
    sent = "".join(p.read_text() for p in mail_dir.iterdir())
    assert f"{task.case.number}: Request trade data is 1 day(s) overdue" in sent
    assert send(today) == 0
