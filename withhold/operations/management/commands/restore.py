from pathlib import Path

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from tqdm import tqdm

from withhold.core.exceptions import ApplicationError
from withhold.operations.backup import DatabaseTarget, backup_restore, manifest_read


class Command(BaseCommand):
    help = (
        "Restore a backup folder (made by `withhold backup`) into an EMPTY database and an empty "
        "uploads folder, checking the SHA-256 of the dump, the archive and every file."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="The backup folder.")
        parser.add_argument(
            "--database-url",
            help="Restore into this database instead of the configured one (DATABASE_URL).",
        )
        parser.add_argument(
            "--media-root",
            help="Restore the uploaded files here instead of MEDIA_ROOT.",
        )

    def handle(self, *args, folder, database_url=None, media_root=None, **opts):
        if database_url:
            database = DatabaseTarget.from_settings(dj_database_url.parse(database_url))
        else:
            connections["default"].close()
            database = DatabaseTarget.from_settings(connections["default"].settings_dict)
        target_media = Path(media_root or settings.MEDIA_ROOT)
        try:
            files = len(manifest_read(Path(folder))["uploads"])
            with tqdm(total=files, unit="file", desc="checking", file=self.stderr._out) as bar:
                manifest = backup_restore(
                    folder=Path(folder),
                    database=database,
                    media_root=target_media,
                    progress=bar.update,
                )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Restored the {manifest['engine']} database of {manifest['created_at']} and "
            f"{len(manifest['uploads'])} uploaded file(s), every one matching its SHA-256."
        )
