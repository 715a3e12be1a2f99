"""``withhold load-reference``: load the reference data shipped with Withhold."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from withhold.reference.services import DATA_DIR, ReferenceDataError, reference_load


class Command(BaseCommand):
    help = (
        "Load the reference data files (commodities, and a check of the ILO indicators) into the "
        "database. All or nothing: if any row is wrong, every problem is listed and nothing is "
        "stored. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help=f"Folder holding the reference files (default: {DATA_DIR}).",
        )

    def handle(self, *args, data_dir: Path | None, **options):
        try:
            reference_load(data_dir=data_dir, stdout=self.stdout)
        except ReferenceDataError as error:
            raise CommandError(
                "Reference data not loaded; nothing was stored. Fix these and run again:\n"
                + "\n".join(error.problems)
            ) from error
