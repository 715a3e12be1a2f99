"""Backup and restore: a database with cases, orders, detentions, audit entries and uploaded
files is backed up with ``withhold backup``, restored with ``withhold restore`` into an EMPTY
database and an empty uploads folder, and everything is found again — each file by its SHA-256 —
with the audit log still append-only.

On SQLite the site runs as separate ``withhold`` processes on a database file, as in use. On PostgreSQL
(the CI's second pass) ``pg_dump`` is another process: the rows are committed
(``transaction=True``) and the restore goes into a new empty database beside the test one.
"""

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from withhold.audit.models import AuditEntry
from withhold.cases.models import Case
from withhold.detentions.models import Detention
from withhold.intake.models import AllegationAttachment
from withhold.orders.models import Order

from .seed import seed_records

TABLES = {
    "cases": (Case._meta.db_table, "number"),
    "orders": (Order._meta.db_table, "number"),
    "detentions": (Detention._meta.db_table, "id"),
    "audit": (AuditEntry._meta.db_table, "id"),
}


def _source_state() -> tuple[dict[str, set], dict[str, str]]:
    rows = {
        "cases": set(Case.objects.values_list("number", flat=True)),
        "orders": set(Order.objects.values_list("number", flat=True)),
        "detentions": set(Detention.objects.values_list("id", flat=True)),
        "audit": set(AuditEntry.objects.values_list("id", flat=True)),
    }
    files = {a.file.name: a.sha256 for a in AllegationAttachment.objects.all()}
    return rows, files


def _seed() -> None:
    seed_records(suffix="1")
    seed_records(suffix="2")


def _check_restored(query, media_root: Path, rows: dict[str, set], files: dict[str, str]):
    for kind, (table, column) in TABLES.items():
        restored = {r[0] for r in query(f"SELECT {column} FROM {table}")}  # noqa: S608
        assert restored == rows[kind], kind
        assert rows[kind], f"the test made no {kind}"
    assert files
    for name, sha in files.items():
        assert hashlib.sha256((media_root / name).read_bytes()).hexdigest() == sha


PROJECT_DIR = Path(__file__).resolve().parents[2]
SEED = "from tests.operations.seed import seed_records; seed_records(suffix='1'); seed_records(suffix='2')"


def _withhold(env: dict, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "withhold.cli", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    return result


@pytest.fixture
def sqlite_site(tmp_path) -> dict:
    """A migrated SQLite site in its own folder, filled by the seed, run as separate processes
    (the test database lives in memory inside a transaction, which the backup cannot copy)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    env.update(
        WITHHOLD_VAR_DIR=str(tmp_path / "site"),
        WITHHOLD_MEDIA_ROOT=str(tmp_path / "site" / "uploads"),
        DJANGO_SETTINGS_MODULE="withhold.settings.local",
        PYTHONPATH=str(PROJECT_DIR),
    )
    for command in (["migrate", "--noinput"], ["shell", "-c", SEED]):
        result = _withhold(env, *command)
        assert result.returncode == 0, result.stderr
    return env


def test_backup_and_restore_on_sqlite(sqlite_site, tmp_path):
    source = sqlite3.connect(tmp_path / "site" / "withhold.sqlite3")
    try:
        rows = {
            kind: {r[0] for r in source.execute(f"SELECT {column} FROM {table}")}  # noqa: S608
            for kind, (table, column) in TABLES.items()
        }
        files = dict(
            source.execute(
                f"SELECT file, sha256 FROM {AllegationAttachment._meta.db_table}"  # noqa: S608
            ).fetchall()
        )
    finally:
        source.close()
    assert len(rows["cases"]) == 2 and len(rows["detentions"]) == 2

    result = _withhold(sqlite_site, "backup", "--output", str(tmp_path / "backup"))
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["engine"] == "sqlite"
    assert set(files) <= set(manifest["uploads"])

    target = tmp_path / "restored.sqlite3"
    media = tmp_path / "media"
    result = _withhold(
        sqlite_site,
        "restore",
        str(tmp_path / "backup"),
        "--database-url",
        f"sqlite:///{target}",
        "--media-root",
        str(media),
    )
    assert result.returncode == 0, result.stderr
    assert "every one matching its SHA-256" in result.stdout
    restored = sqlite3.connect(target)
    try:
        _check_restored(lambda sql: restored.execute(sql).fetchall(), media, rows, files)
        # Append-only still holds in the restored database.
        for statement in (
            f"UPDATE {AuditEntry._meta.db_table} SET object_repr = 'changed'",  # noqa: S608
            f"DELETE FROM {AuditEntry._meta.db_table}",  # noqa: S608
        ):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                restored.execute(statement)
    finally:
        restored.close()

    # Into the same (now full) database: refused, naming why.
    result = _withhold(
        sqlite_site,
        "restore",
        str(tmp_path / "backup"),
        "--database-url",
        f"sqlite:///{target}",
        "--media-root",
        str(tmp_path / "media2"),
    )
    assert result.returncode != 0
    assert "already has tables" in result.stderr

    # A tampered archive, and a folder that is not empty: refused.
    with (tmp_path / "backup" / "uploads.tar").open("ab") as archive:
        archive.write(b"\0" * 512)
    result = _withhold(
        sqlite_site,
        "restore",
        str(tmp_path / "backup"),
        "--database-url",
        f"sqlite:///{tmp_path / 'other.sqlite3'}",
        "--media-root",
        str(tmp_path / "media3"),
    )
    assert "uploads.tar does not match its SHA-256" in result.stderr
    result = _withhold(sqlite_site, "backup", "--output", str(tmp_path / "backup"))
    assert "is not empty" in result.stderr


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL pass")
def test_backup_and_restore_on_postgresql(tmp_path):
    import psycopg

    _seed()
    rows, files = _source_state()
    call_command("backup", output=str(tmp_path / "backup"))
    assert (tmp_path / "backup" / "database.dump").is_file()

    source = connection.settings_dict
    target_name = f"{source['NAME']}_restore"
    params = {
        k: v
        for k, v in (
            ("user", source.get("USER")),
            ("password", source.get("PASSWORD")),
            ("host", source.get("HOST")),
            ("port", source.get("PORT")),
        )
        if v
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{target_name}"')
        admin.execute(f'CREATE DATABASE "{target_name}"')
    try:
        auth = f"{source.get('USER') or ''}" + (
            f":{source['PASSWORD']}" if source.get("PASSWORD") else ""
        )
        url = f"postgres://{auth}@{source.get('HOST') or '127.0.0.1'}:{source.get('PORT') or 5432}/{target_name}"
        media = tmp_path / "media"
        call_command("restore", str(tmp_path / "backup"), database_url=url, media_root=str(media))
        with psycopg.connect(dbname=target_name, autocommit=True, **params) as restored:
            _check_restored(lambda sql: restored.execute(sql).fetchall(), media, rows, files)
            for statement in (
                f"UPDATE {AuditEntry._meta.db_table} SET object_repr = 'changed'",  # noqa: S608
                f"DELETE FROM {AuditEntry._meta.db_table}",  # noqa: S608
            ):
                with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                    restored.execute(statement)
        # The restored database is now full: a second restore is refused.
        with pytest.raises(CommandError, match="already has tables"):
            call_command(
                "restore",
                str(tmp_path / "backup"),
                database_url=url,
                media_root=str(tmp_path / "m2"),
            )
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{target_name}" WITH (FORCE)')


def test_backup_tools_exist_where_ci_needs_them():
    """The PostgreSQL pass needs pg_dump and pg_restore on the PATH."""
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        pytest.skip("the PostgreSQL pass")
    for tool in ("pg_dump", "pg_restore"):
        assert subprocess.run([tool, "--version"], capture_output=True, check=False).returncode == 0
