"""Background jobs: fetch what they need and call the domain code; no logic here."""

from celery import shared_task
from django.utils import timezone

from .reminders import task_reminders_send as send_reminders


@shared_task(name="withhold.cases.tasks.task_reminders_send")
def task_reminders_send(today: str | None = None) -> int:
    from datetime import date

    day = date.fromisoformat(today) if today else timezone.localdate()
    return send_reminders(today=day)
