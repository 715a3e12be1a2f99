from django.core.management.base import BaseCommand
from django.utils import timezone

from withhold.cases.tasks import task_reminders_send


class Command(BaseCommand):
    help = "Queue the task-reminder job (runs in-process when no Celery broker is configured)."

    def handle(self, *args, **options):
        result = task_reminders_send.delay(timezone.localdate().isoformat())
        sent = result.get(timeout=120)
        self.stdout.write(f"Sent {sent} reminder(s).")
