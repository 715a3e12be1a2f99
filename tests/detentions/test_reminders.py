"""The deadline job, run in-process (Celery eager, as without a broker)."""

import datetime as dt

import pytest
from django.core import mail

from withhold.detentions import tasks
from withhold.detentions.models import Detention

pytestmark = pytest.mark.django_db


def test_reminders_at_30_14_and_7_days_sent_once_each(detention, acme_user, port_officer):
    deadline = detention.admissibility_deadline
    sent_on = {}
    for offset in range(40, -3, -1):
        day = deadline - dt.timedelta(days=offset)
        for _ in range(2):  # the hourly job runs more than once a day
            if tasks.detention_reminders_send.delay(day.isoformat()).get():
                sent_on.setdefault(offset, 0)
                sent_on[offset] += 1
    assert sent_on == {30: 1, 14: 1, 7: 1}
    assert sorted(detention.reminders.values_list("days_before", flat=True)) == [7, 14, 30]
    # One message to CBP's officer and one to the importer's users each time: neither side
    # sees the other's addresses.
    assert len(mail.outbox) == 6
    assert [m.to for m in mail.outbox] == [[port_officer.email], [acme_user.email]] * 3
    assert "7 day(s) left" in mail.outbox[-1].subject
    assert "2026-04-30" in mail.outbox[-1].body


def test_no_reminders_for_a_disposed_detention(detention, port_officer):
    from withhold.detentions import services

    services.detention_release(
        detention=detention, actor=port_officer, on=dt.date(2026, 3, 2), reason="Order revoked."
    )
    day = detention.admissibility_deadline - dt.timedelta(days=7)
    assert tasks.detention_reminders_send.delay(day.isoformat()).get() == 0
    assert mail.outbox == []


def test_exclusion_job_proposes_only(detention):
    day = detention.admissibility_deadline + dt.timedelta(days=1)
    assert tasks.detention_exclusions_propose.delay(day.isoformat()).get() == 1
    detention.refresh_from_db()
    assert detention.status == Detention.Status.PROPOSED_EXCLUSION
