from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from withhold.core.exceptions import ApplicationError
from withhold.quality.services import legacy_import


class Command(BaseCommand):
    help = (
        "Import cases from a legacy case-tracking spreadsheet (.xlsx or .csv) with a TOML mapping "
        "file (see docs/migration.md). Every row ends imported, imported needing review, or "
        "rejected with its reason; the report lists every normalisation and a count per outcome. "
        "A run is all or nothing; re-running the same file creates no duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The spreadsheet, .xlsx or .csv.")
        parser.add_argument("--mapping", required=True, help="The TOML mapping file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the report; write nothing."
        )
        parser.add_argument(
            "--as",
            dest="username",
            help="The supervisor importing (recorded in the audit log); optional with --dry-run.",
        )

    def handle(self, *args, file, mapping, dry_run, username, **opts):
        actor = None
        if username:
            actor = get_user_model().objects.filter(username=username, is_active=True).first()
            if actor is None:
                raise CommandError(f"No active user “{username}”.")
        elif not dry_run:
            raise CommandError(
                "Name the importing supervisor with --as USERNAME (or use --dry-run)."
            )
        path, mapping_path = Path(file), Path(mapping)
        if not path.is_file():
            raise CommandError(f"No file {file}.")
        if not mapping_path.is_file():
            raise CommandError(f"No mapping file {mapping}.")
        if path.stat().st_size > settings.UPLOAD_MAX_BYTES:
            raise CommandError(f"{file} is larger than {settings.UPLOAD_MAX_BYTES:,} bytes.")
        try:
            mapping_text = mapping_path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise CommandError(f"The mapping file {mapping} is not UTF-8 text.") from exc
        try:
            with tqdm(unit="row", file=self.stderr._out, desc="Rows") as bar:
                report = legacy_import(
                    actor=actor,
                    data=path.read_bytes(),
                    file_name=path.name,
                    mapping_text=mapping_text,
                    dry_run=dry_run,
                    progress=bar.update,
                )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        for line in report.lines():
            self.stdout.write(line)
        if not dry_run:
            self.stdout.write(self.style.SUCCESS(f"Import run {report.run_id} saved."))
