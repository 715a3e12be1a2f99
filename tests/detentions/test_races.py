"""The deadline jobs run twice at once (two workers, or beat firing while a run is still going),
on PostgreSQL with two real connections: each reminder goes out once and each detention is
proposed for exclusion once."""

import datetime as dt

import pytest
from django.core import mail

from withhold.detentions.models import Detention, DetentionEvent, DetentionReminder
from withhold.detentions.reminders import detention_reminders_send
from withhold.detentions.services import detention_exclusions_propose

from ..concurrency.test_races import together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def detentions(record, wro):
    # Same importer and officer for all: the rows a careless lock would also take.
    return [record([wro], entry_line=n) for n in range(1, 31)]


def test_two_reminder_runs_at_once_remind_each_detention_once(settings, detentions):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    day = detentions[0].admissibility_deadline - dt.timedelta(days=30)

    results = together(
        lambda: detention_reminders_send(today=day), lambda: detention_reminders_send(today=day)
    )

    assert all(isinstance(r, int) for r in results), results
    assert sum(results) == 30
    assert DetentionReminder.objects.filter(days_before=30).count() == 30
    assert len(mail.outbox) == 30
    assert detention_reminders_send(today=day) == 0


def test_two_exclusion_runs_at_once_propose_each_detention_once(detentions):
    day = detentions[0].admissibility_deadline + dt.timedelta(days=1)

    results = together(
        lambda: detention_exclusions_propose(today=day),
        lambda: detention_exclusions_propose(today=day),
    )

    assert all(isinstance(r, int) for r in results), results
    assert sum(results) == 30
    assert Detention.objects.filter(status=Detention.Status.PROPOSED_EXCLUSION).count() == 30
    proposed = DetentionEvent.objects.filter(kind=DetentionEvent.Kind.EXCLUSION_PROPOSED)
    assert proposed.count() == 30
