from django.core.management.base import BaseCommand

from withhold.quality.services import quality_snapshot_take


class Command(BaseCommand):
    help = (
        "Save the data-quality report's figures (fields with missing entries, fields with "
        "inconsistent values, cases flagged) so the report's trend chart shows the history."
    )

    def handle(self, *args, **opts):
        snapshot = quality_snapshot_take(actor=None)
        self.stdout.write(
            self.style.SUCCESS(
                f"Snapshot saved: {snapshot.fields_missing} of {snapshot.fields_total} fields have "
                f"missing entries; {snapshot.fields_inconsistent} of {snapshot.fields_total} hold "
                f"inconsistent values; {snapshot.cases_flagged} of {snapshot.cases} cases flagged."
            )
        )
