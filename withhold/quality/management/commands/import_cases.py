from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from withhold.core.exceptions import ApplicationError
from withhold.quality.services import legacy_import, legacy_mapping_suggest
from withhold.quality.suggest import profile_lines


class Command(BaseCommand):
    help = (
        "Import cases from a legacy case-tracking spreadsheet (.xlsx or .csv) with a TOML mapping "
        "file (see docs/migration.md). Every row ends imported, imported needing review, or "
        "rejected with its reason; the report lists every normalisation and a count per outcome. "
        "A run is all or nothing; re-running the same file creates no duplicates. "
        "--suggest-mapping reads the sheet and prints a proposed mapping file to edit."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The spreadsheet, .xlsx or .csv.")
        parser.add_argument("--mapping", help="The TOML mapping file.")
        parser.add_argument(
            "--suggest-mapping",
            action="store_true",
            help="Read the sheet and print a proposed mapping file (TOML) on standard output, "
            "and each column's values with counts on standard error; imports nothing. E.g. "
            "withhold import-cases tracker.xlsx --suggest-mapping > mapping.toml",
        )
        parser.add_argument("--sheet", default="", help="With --suggest-mapping: the sheet.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the report; write nothing."
        )
        parser.add_argument(
            "--as",
            dest="username",
            help="The supervisor importing (recorded in the audit log); optional with --dry-run.",
        )

    def handle(self, *args, file, mapping, dry_run, username, suggest_mapping, sheet, **opts):
        if suggest_mapping:
            return self._suggest(file, sheet)
        if not mapping:
            raise CommandError("Give the mapping file with --mapping (or use --suggest-mapping).")
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

    def _suggest(self, file: str, sheet: str) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file {file}.")
        if path.stat().st_size > settings.UPLOAD_MAX_BYTES:
            raise CommandError(f"{file} is larger than {settings.UPLOAD_MAX_BYTES:,} bytes.")
        try:
            proposal, text = legacy_mapping_suggest(
                data=path.read_bytes(), file_name=path.name, sheet=sheet
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        for line in profile_lines(proposal):
            self.stderr.write(line)
        self.stdout.write(text, ending="")
