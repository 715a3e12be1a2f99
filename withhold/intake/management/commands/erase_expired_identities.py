from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from withhold.intake.services import allegation_identities_erase, allegation_identity_erasure_due


class Command(BaseCommand):
    help = (
        "Erase the submitter's name, e-mail and phone from declined allegations older than the "
        "retention period (WITHHOLD_INTAKE_IDENTITY_RETENTION_DAYS), except those on litigation "
        "hold. Each erasure is audited. Runs daily on the Celery beat schedule too."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be erased."
        )

    def handle(self, *args, dry_run, **options):
        days = settings.WITHHOLD["INTAKE_IDENTITY_RETENTION_DAYS"]
        if dry_run:
            due = allegation_identity_erasure_due(now=timezone.now()).count()
            self.stdout.write(f"{due} submitter identities are due for erasure ({days} days).")
            return
        erased = allegation_identities_erase()
        self.stdout.write(f"Erased {erased} submitter identities (retention {days} days).")
