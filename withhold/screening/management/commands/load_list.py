"""``withhold load-list FILE --source NAME``: load an entity list for screening.

The CSV has the columns name, aliases (separated by ";"), country, address and source. The file
replaces the source's previous entries, all or nothing: every bad row is printed and nothing is
stored when there is one.
"""

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

    def handle(self, *args, file, source, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        try:
            entity_list = entity_list_load(
                actor=None, source=source, file_name=path.name, data=path.read_bytes()
            )
        except ListRefused as exc:
            for problem in exc.problems:
                self.stderr.write(f"{path.name} {problem}")
            raise CommandError(exc.message) from exc
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"List “{entity_list.source}”: "
            f"{counted(entity_list.entry_count, 'entry', 'entries')} loaded from {path.name}."
        )
