from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from withhold.core.exceptions import ApplicationError
from withhold.detentions import services
from withhold.detentions.imports import COLUMNS, read_upload


class Command(BaseCommand):
    help = (
        "Import detentions from a port's CSV or XLSX file, as a named port officer: every row "
        "is stored or none, and each error is named by row and column. Columns: "
        + ", ".join(COLUMNS)
        + "."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the .csv or .xlsx file.")
        parser.add_argument("--as", dest="username", required=True, help="Acting user's username.")

    def handle(self, *args, file, username, **opts):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user “{username}”.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file {file}.")
        try:
            with path.open("rb") as handle:
                rows = read_upload(File(handle, name=path.name))
            with tqdm(total=len(rows), unit="row", file=self.stderr._out) as bar:
                stored = services.detentions_import(
                    actor=user, rows=rows, file_name=path.name, progress=bar.update
                )
        except services.ImportRefused as exc:
            for row, column, message in exc.errors:
                self.stderr.write(f"row {row}, {column}: {message}")
            raise CommandError(exc.message) from exc
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"Imported {len(stored)} detention(s)."))
