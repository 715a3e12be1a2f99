"""The detention deadline reminders on a real Celery worker (see ``test_real_worker.py``)."""

import datetime as dt

import pytest

from ..detentions.conftest import detention_fields, make_order
from ..factories import EntityFactory, UserFactory
from .test_real_worker import BROKER, worker  # noqa: F401 - fixture

REMINDER_TASK = "withhold.detentions.tasks.detention_reminders_send"
pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not BROKER, reason="WITHHOLD_TEST_BROKER is not set (no Redis for a real worker)"
    ),
]


def test_detention_reminders_run_once_each_on_the_real_worker(worker):  # noqa: F811
    from withhold.accounts.roles import Role
    from withhold.detentions import services
    from withhold.detentions.models import DetentionReminder, ImporterAccount

    client, mail_dir = worker
    officer = UserFactory(username="worker-officer", role=Role.PORT_OFFICER)
    importer = EntityFactory(name="Worker Imports LLC")
    importer_user = UserFactory(username="worker-importer", role=Role.IMPORTER)
    ImporterAccount.objects.create(user=importer_user, entity=importer)
    detention = services.detention_record(
        actor=officer,
        orders=[make_order("wro", "WRO-2026-0101")],
        **detention_fields(officer, importer, entry_number="WRK-7654321-0"),
    )
    deadline = detention.admissibility_deadline

    def send(days_before: int) -> int:
        day = deadline - dt.timedelta(days=days_before)
        return client.send_task(REMINDER_TASK, args=[day.isoformat()]).get(timeout=60)

    assert [send(d) for d in (31, 30, 30, 20, 14, 14, 8, 7, 7, 1)] == [0, 1, 0, 0, 1, 0, 0, 1, 0, 0]
    assert sorted(
        DetentionReminder.objects.filter(detention=detention).values_list("days_before", flat=True)
    ) == [7, 14, 30]
    sent = "".join(p.read_text() for p in mail_dir.iterdir())
    # Three reminders, each sent as two messages: one to the officer, one to the importer's users
    # (neither sees the other's address).
    assert sent.count("Entry WRK-7654321-0, line 1") == 6
    assert importer_user.email in sent and officer.email in sent
