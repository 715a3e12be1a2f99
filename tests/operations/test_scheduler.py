"""Scheduled jobs without a broker: ``withhold serve`` runs the beat schedule itself, and
``withhold run-scheduled-jobs`` runs every job once."""

import datetime as dt
import os
import sqlite3
import subprocess
import time

import pytest
from django.core.management import call_command
from django.utils import timezone

from withhold.operations import scheduler
from withhold.operations.models import ScheduledJobRun

from ..browser.conftest import PROJECT_DIR, _withhold, running_server

SETUP = """
import datetime as dt
from django.utils import timezone
from withhold.accounts.models import User
from withhold.accounts.roles import Role
from withhold.detentions import services
from withhold.detentions.models import ImporterAccount
from withhold.entities.models import Entity
from withhold.orders.models import Order
from django.contrib.auth.models import Group

officer = User.objects.create_user("officer", email="officer@cbp.example")
officer.groups.set([Group.objects.get(name=Role.PORT_OFFICER.label)])
importer = Entity.objects.create(name="Scheduler Imports LLC (made up)", country="US")
buyer = User.objects.create_user("importer", email="customs@importer.example")
buyer.groups.set([Group.objects.get(name=Role.IMPORTER.label)])
ImporterAccount.objects.create(user=buyer, entity=importer)
order = Order.objects.create(
    number="WRO-2026-0777", kind="wro", status="issued", issued_on=dt.date(2026, 1, 5),
    merchandise="Made-up garments", country="CN", industry="Apparel",
)
today = timezone.localdate()
services.detention_record(
    actor=officer, orders=[order], entry_number="SCH-1234567-0", entry_line=1,
    port_of_entry="2704 Los Angeles, CA", imported_on=today - dt.timedelta(days=80),
    notice_on=today - dt.timedelta(days=78), importer=importer, manufacturer=None,
    country_of_origin="CN", merchandise="Made-up cotton shirts", hts_code="6205.20",
    quantity=1200, quantity_unit="pcs", value_usd=48000,
    officer=officer,
)
"""


def test_serve_runs_a_due_reminder_without_a_broker(tmp_path):
    """`make run`'s process: a real `withhold serve` on its own SQLite file, no broker and no
    other service; a detention 14 days or less from its deadline is reminded by the server."""
    env = dict(os.environ)
    for name in ("DATABASE_URL", "WITHHOLD_MEDIA_ROOT", "CELERY_BROKER_URL", "EMAIL_BACKEND"):
        env.pop(name, None)
    env.update(
        WITHHOLD_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="withhold.settings.local",
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        PYTHONUNBUFFERED="1",
    )
    for command in (["migrate", "--noinput"], ["load-reference"], ["shell", "-c", SETUP]):
        result = subprocess.run(
            _withhold(*command),
            cwd=PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert result.returncode == 0, f"{command}: {result.stdout}\n{result.stderr}"
    database = tmp_path / "withhold.sqlite3"
    mail_dir = tmp_path / "mail"

    def reminders() -> list[tuple]:
        with sqlite3.connect(database) as db:
            return db.execute(
                "SELECT days_before, recipients FROM detentions_detentionreminder"
            ).fetchall()

    assert reminders() == []
    with running_server(env, log_name="scheduler-server.log"):
        deadline = time.monotonic() + 60
        while not reminders() and time.monotonic() < deadline:
            time.sleep(0.5)
        found = reminders()
        assert found and found[0][0] == 14, found
        # ...and sent: the local settings write each e-mail to a file in var/mail.
        deadline = time.monotonic() + 30
        texts: list[str] = []
        while time.monotonic() < deadline:
            texts = [p.read_text() for p in mail_dir.glob("*.log")] if mail_dir.exists() else []
            if any("day(s) left to prove" in text for text in texts):
                break
            time.sleep(0.5)
        sent = "\n".join(texts)
        assert "day(s) left to prove" in sent
        assert "To: customs@importer.example" in sent and "To: officer@cbp.example" in sent
    with sqlite3.connect(database) as db:
        jobs = dict(db.execute("SELECT name, runs FROM operations_scheduledjobrun").fetchall())
    assert jobs["detention-deadline-reminders"] == 1


def scheduler_names() -> list[str]:
    return [job.name for job in scheduler.scheduled_jobs()]


@pytest.mark.django_db
def test_due_jobs_run_once_per_interval():
    now = timezone.now()
    first = scheduler.run_due(now=now)
    assert {o.job.name for o in first} == set(scheduler_names())
    assert all(o.ok for o in first), [o.result for o in first if not o.ok]
    # Nothing is due a minute later but the notice retries (every 60 s)...
    later = scheduler.due_jobs(now=now + dt.timedelta(seconds=61))
    assert [job.name for job in later] == ["notice-retries"]
    # ...and the hourly ones an hour later, not the daily ones.
    hourly = {job.name for job in scheduler.due_jobs(now=now + dt.timedelta(hours=1))}
    assert "detention-deadline-reminders" in hourly and "quality-snapshot" not in hourly


@pytest.mark.django_db
def test_run_scheduled_jobs_runs_every_job_once(capsys):
    call_command("run_scheduled_jobs")
    out = capsys.readouterr().out
    for name in scheduler_names():
        assert f"{name}:" in out
    assert ScheduledJobRun.objects.count() == len(scheduler_names())
    assert set(ScheduledJobRun.objects.values_list("runs", flat=True)) == {1}
