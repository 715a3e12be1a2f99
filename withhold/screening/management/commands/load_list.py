"""``withhold load-list FILE --source NAME [--effective-date YYYY-MM-DD]``: load an entity list
for screening.

The CSV has the columns name, aliases (separated by ";"), country, address, source, number and
effective_date. A file that changes the entries becomes the source's next version (the earlier
versions and their entries are kept), all or nothing: every bad row is printed and nothing is
stored when there is one. ``--effective-date`` is when the version's changes took effect (the
Federal Register notice's effective date); today without it.
"""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from withhold.core.exceptions import ApplicationError
from withhold.screening.engine import counted
from withhold.screening.services import ListRefused, entity_list_load


class Command(BaseCommand):
    help = "Load a CSV entity list (name, aliases, country, address, source) for screening."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file")
        parser.add_argument("--source", required=True, help="short name of the list, e.g. uflpa")
        parser.add_argument(
            "--effective-date",
            dest="effective_date",
            default="",
            help="YYYY-MM-DD: when this version's changes took effect (default: today)",
        )

    def handle(self, *args, file, source, effective_date="", **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        try:
            effective_on = date.fromisoformat(effective_date) if effective_date else None
        except ValueError as exc:
            raise CommandError(
                f"--effective-date “{effective_date}” is not a date written YYYY-MM-DD."
            ) from exc
        try:
            entity_list = entity_list_load(
                actor=None,
                source=source,
                file_name=path.name,
                data=path.read_bytes(),
                effective_on=effective_on,
            )
        except ListRefused as exc:
            for problem in exc.problems:
                self.stderr.write(f"{path.name} {problem}")
            raise CommandError(exc.message) from exc
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        version = entity_list.current_version
        self.stdout.write(
            f"List “{entity_list.source}” version {version.number} "
            f"(in effect from {version.effective_on:%Y-%m-%d}): "
            f"{counted(entity_list.entry_count, 'entry', 'entries')}, last loaded from {path.name}."
        )
