"""Backups: the database and the uploaded files in one folder, checked on restore.

A backup folder holds:

- ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``) or ``database.sqlite3`` (SQLite,
  through the sqlite3 online-backup API, a consistent copy while the site runs);
- ``uploads.tar``: every file under ``MEDIA_ROOT``;
- ``manifest.json``: the database engine, the SHA-256 of the database file and of the archive, and
  the SHA-256 of every uploaded file.

``restore_backup`` checks the two hashes first, refuses a target database that already has
tables and an uploads folder that already has files, restores (``pg_restore`` into the empty
database; a page copy for SQLite), extracts the archive (no path may leave the folder) and checks
every file against its hash. The audit log's append-only triggers are part of the schema, so they
come back with it.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from withhold.core.exceptions import ApplicationError

MANIFEST = "manifest.json"
UPLOADS_TAR = "uploads.tar"
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
FORMAT_VERSION = 1
CHUNK = 1024 * 1024


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _files_under(root: Path) -> Iterator[Path]:
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield path


@dataclass(frozen=True)
class DatabaseTarget:
    """Where a database is: the engine (``postgresql`` or ``sqlite``) and its settings."""

    vendor: str
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""

    @classmethod
    def from_settings(cls, settings_dict: dict) -> "DatabaseTarget":
        engine = settings_dict["ENGINE"]
        if engine.endswith("postgresql"):
            vendor = "postgresql"
        elif engine.endswith("sqlite3"):
            vendor = "sqlite"
        else:
            raise ApplicationError(f"Backups support PostgreSQL and SQLite, not {engine}.")
        return cls(
            vendor=vendor,
            name=str(settings_dict["NAME"]),
            user=settings_dict.get("USER") or "",
            password=settings_dict.get("PASSWORD") or "",
            host=settings_dict.get("HOST") or "",
            port=str(settings_dict.get("PORT") or ""),
        )

    def pg_env(self) -> dict[str, str]:
        """libpq's environment for the PostgreSQL tools: the password never on a command line."""
        env = dict(os.environ)
        for key, value in (
            ("PGHOST", self.host),
            ("PGPORT", self.port),
            ("PGUSER", self.user),
            ("PGPASSWORD", self.password),
            ("PGDATABASE", self.name),
        ):
            if value:
                env[key] = value
        return env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    if shutil.which(command[0]) is None:
        raise ApplicationError(f"{command[0]} is not installed: it is needed to {what}.")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode:
        raise ApplicationError(
            f"Could not {what}: {result.stderr.strip() or result.stdout.strip()}"
        )


# --- Backup ------------------------------------------------------------------------------------


def backup_create(
    *,
    output: Path,
    database: DatabaseTarget,
    media_root: Path,
    sqlite_connection: sqlite3.Connection | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict:
    """Write a backup into ``output`` (new or empty) and return its manifest.

    For SQLite, ``sqlite_connection`` is the live connection to copy from (so the copy is the
    database as that connection sees it); without it the file ``database.name`` is opened.
    """
    output.mkdir(parents=True, exist_ok=True)
    if any(output.iterdir()):
        raise ApplicationError(f"{output} is not empty: back up into a new folder.")
    db_file = output / DATABASE_FILES[database.vendor]
    if database.vendor == "postgresql":
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={db_file}"],
            database.pg_env(),
            "dump the PostgreSQL database",
        )
    else:
        source = sqlite_connection or sqlite3.connect(database.name)
        destination = sqlite3.connect(db_file)
        try:
            source.backup(destination)
        finally:
            destination.close()
            if sqlite_connection is None:
                source.close()

    uploads: dict[str, str] = {}
    with tarfile.open(output / UPLOADS_TAR, "w") as archive:
        for path in _files_under(media_root):
            relative = path.relative_to(media_root).as_posix()
            uploads[relative] = sha256_file(path)
            archive.add(path, arcname=relative, recursive=False)
            if progress:
                progress(1)

    manifest = {
        "format": FORMAT_VERSION,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "engine": database.vendor,
        "database_file": db_file.name,
        "database_sha256": sha256_file(db_file),
        "uploads_file": UPLOADS_TAR,
        "uploads_sha256": sha256_file(output / UPLOADS_TAR),
        "uploads": uploads,
    }
    (output / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


# --- Restore -----------------------------------------------------------------------------------


def manifest_read(folder: Path) -> dict:
    path = folder / MANIFEST
    if not path.is_file():
        raise ApplicationError(f"{folder} has no {MANIFEST}: it is not a Withhold backup.")
    try:
        manifest = json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise ApplicationError(f"{path} is not valid JSON (line {exc.lineno}).") from exc
    if manifest.get("format") != FORMAT_VERSION:
        raise ApplicationError(f"{path}: unknown backup format {manifest.get('format')!r}.")
    for key in ("engine", "database_file", "database_sha256", "uploads_sha256", "uploads"):
        if key not in manifest:
            raise ApplicationError(f"{path} lacks “{key}”.")
    return manifest


def backup_verify(folder: Path, manifest: dict) -> None:
    """The database file and the archive are the ones the manifest describes."""
    for file_key, hash_key in (
        ("database_file", "database_sha256"),
        ("uploads_file", "uploads_sha256"),
    ):
        path = folder / manifest.get(file_key, UPLOADS_TAR)
        if not path.is_file():
            raise ApplicationError(f"The backup lacks {path.name}.")
        if sha256_file(path) != manifest[hash_key]:
            raise ApplicationError(f"{path.name} does not match its SHA-256 in the manifest.")


def _pg_table_count(database: DatabaseTarget) -> int:
    import psycopg

    kwargs = {
        key: value
        for key, value in (
            ("dbname", database.name),
            ("user", database.user),
            ("password", database.password),
            ("host", database.host),
            ("port", database.port),
        )
        if value
    }
    try:
        with psycopg.connect(**kwargs, connect_timeout=10) as connection:
            row = connection.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', "
                "'information_schema')"
            ).fetchone()
    except psycopg.OperationalError as exc:
        raise ApplicationError(
            f"Could not connect to the target database “{database.name}”: create it empty first "
            "(createdb)."
        ) from exc
    return row[0]


def _sqlite_table_count(path: Path) -> int:
    if not path.exists():
        return 0
    with sqlite3.connect(path) as connection:
        return connection.execute(
            "SELECT count(*) FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        ).fetchone()[0]


def _extract(archive_path: Path, media_root: Path, uploads: dict[str, str]) -> None:
    with tarfile.open(archive_path, "r") as archive:
        members = archive.getmembers()
        names = {m.name for m in members}
        unexpected = sorted(names - set(uploads))
        if unexpected:
            raise ApplicationError(
                f"The archive holds files the manifest does not list: {unexpected[:5]}"
            )
        # The "data" filter refuses absolute paths, "..", links out of the folder and devices.
        archive.extractall(media_root, members=members, filter="data")


def backup_restore(
    *,
    folder: Path,
    database: DatabaseTarget,
    media_root: Path,
    progress: Callable[[int], None] | None = None,
) -> dict:
    """Restore ``folder`` into an EMPTY ``database`` and an empty ``media_root``; return the
    manifest. Every uploaded file is checked against its SHA-256 afterwards."""
    manifest = manifest_read(folder)
    if manifest["engine"] != database.vendor:
        raise ApplicationError(
            f"This backup is of a {manifest['engine']} database; the target is {database.vendor}."
        )
    backup_verify(folder, manifest)
    if media_root.exists() and any(media_root.iterdir()):
        raise ApplicationError(f"The uploads folder {media_root} is not empty.")

    db_file = folder / manifest["database_file"]
    if database.vendor == "postgresql":
        if _pg_table_count(database):
            raise ApplicationError(
                f"The target database “{database.name}” already has tables: restore into an "
                "empty database."
            )
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                f"--dbname={database.name}",
                str(db_file),
            ],
            database.pg_env(),
            "restore the PostgreSQL database",
        )
    else:
        target = Path(database.name)
        if _sqlite_table_count(target):
            raise ApplicationError(
                f"The target database {target} already has tables: restore into an empty one."
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(db_file)
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
            source.close()

    media_root.mkdir(parents=True, exist_ok=True)
    _extract(folder / manifest.get("uploads_file", UPLOADS_TAR), media_root, manifest["uploads"])
    bad = []
    for relative, expected in manifest["uploads"].items():
        path = media_root / relative
        if not path.is_file() or sha256_file(path) != expected:
            bad.append(relative)
        if progress:
            progress(1)
    if bad:
        raise ApplicationError(
            f"{len(bad)} uploaded file(s) missing or not matching their SHA-256: {bad[:5]}"
        )
    return manifest
