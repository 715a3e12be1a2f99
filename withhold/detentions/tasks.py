"""Background jobs: fetch what they need and call the domain code; no logic here."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from .reminders import detention_reminders_send as send_reminders
from .services import detention_exclusions_propose as propose_exclusions


def _day(today: str | None) -> date:
    return date.fromisoformat(today) if today else timezone.localdate()


@shared_task(name="withhold.detentions.tasks.detention_reminders_send")
def detention_reminders_send(today: str | None = None) -> int:
    return send_reminders(today=_day(today))


@shared_task(name="withhold.detentions.tasks.detention_exclusions_propose")
def detention_exclusions_propose(today: str | None = None) -> int:
    return propose_exclusions(today=_day(today))
