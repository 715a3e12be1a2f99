"""``withhold purge-screened-lines``: delete the stored entry lines older than
``WITHHOLD_SCREENING_RETENTION_DAYS`` (also run daily by the scheduler)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from withhold.screening.services import screened_lines_purge


class Command(BaseCommand):
    help = "Delete stored screened entry lines older than the retention period."

    def handle(self, *args, **options):
        deleted = screened_lines_purge()
        days = settings.WITHHOLD["SCREENING_RETENTION_DAYS"]
        self.stdout.write(f"{deleted} stored lines older than {days} days deleted.\n")
