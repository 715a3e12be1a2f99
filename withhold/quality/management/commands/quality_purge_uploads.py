from django.core.management.base import BaseCommand

from withhold.quality.services import legacy_uploads_purge


class Command(BaseCommand):
    help = (
        "Delete legacy spreadsheets kept after a dry run on the upload page and never imported, "
        "a day or more after upload (the daily snapshot task does the same)."
    )

    def handle(self, *args, **opts):
        deleted = legacy_uploads_purge()
        self.stdout.write(self.style.SUCCESS(f"Deleted {deleted} stale stored upload(s)."))
