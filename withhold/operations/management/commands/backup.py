from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from tqdm import tqdm

from withhold.core.exceptions import ApplicationError
from withhold.operations.backup import DatabaseTarget, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump -Fc on PostgreSQL, the sqlite3 backup API on SQLite) and "
        "the uploaded files (a tar with each file's SHA-256 in manifest.json) into a new folder."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="A new (or empty) folder.")

    def handle(self, *args, output, **opts):
        connection = connections["default"]
        database = DatabaseTarget.from_settings(connection.settings_dict)
        sqlite_connection = None
        if database.vendor == "sqlite":
            connection.ensure_connection()
            sqlite_connection = connection.connection
        media_root = Path(settings.MEDIA_ROOT)
        total = sum(1 for p in media_root.rglob("*") if p.is_file()) if media_root.is_dir() else 0
        try:
            with tqdm(total=total, unit="file", desc="uploads", file=self.stderr._out) as bar:
                manifest = backup_create(
                    output=Path(output),
                    database=database,
                    media_root=media_root,
                    sqlite_connection=sqlite_connection,
                    progress=bar.update,
                )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Backed up the {manifest['engine']} database and {len(manifest['uploads'])} "
            f"uploaded file(s) to {output}."
        )
