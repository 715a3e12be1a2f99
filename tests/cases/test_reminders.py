import datetime as dt

import pytest
from django.core import mail

from withhold.cases.tasks import task_reminders_send

from ..factories import TaskFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 25)


def test_owners_of_due_and_overdue_tasks_get_one_reminder_a_day():
    due = TaskFactory(title="Call the NGO", due_on=TODAY)
    late = TaskFactory(title="Request trade data", due_on=TODAY - dt.timedelta(days=3))
    TaskFactory(title="Not yet", due_on=TODAY + dt.timedelta(days=1))
    TaskFactory(
        title="Done already",
        due_on=TODAY,
        state="done",
        completed_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
    )

    assert task_reminders_send.delay(TODAY.isoformat()).get() == 2
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == [
        f"[Withhold] {due.case.number}: Call the NGO is due today",
        f"[Withhold] {late.case.number}: Request trade data is 3 day(s) overdue",
    ]
    assert mail.outbox[0].to in ([due.owner.email], [late.owner.email])

    assert task_reminders_send.delay(TODAY.isoformat()).get() == 0
    assert len(mail.outbox) == 2
    assert task_reminders_send.delay((TODAY + dt.timedelta(days=1)).isoformat()).get() == 3
