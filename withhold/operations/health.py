"""Health (the process answers) and readiness (it can serve: database, migrations, broker, cache).

Each check returns ``(ok, detail)``; the detail names what failed in plain words and never holds a
URL, a host name or a password.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2.0


def check_database() -> tuple[bool, str]:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Readiness: the database did not answer")
        return False, "the database did not answer"
    return True, "ok"


def check_migrations() -> tuple[bool, str]:
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:
        logger.exception("Readiness: could not read the migration state")
        return False, "could not read the migration state"
    if plan:
        return False, f"{len(plan)} migration(s) not applied"
    return True, "ok"


def check_cache() -> tuple[bool, str]:
    try:
        cache.set("withhold:readyz", "1", timeout=10)
        if cache.get("withhold:readyz") != "1":
            return False, "the cache did not keep a value"
    except Exception:
        logger.exception("Readiness: the cache did not answer")
        return False, "the cache did not answer"
    return True, "ok"


def check_broker() -> tuple[bool, str]:
    from withhold.celery import app

    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
    except Exception:
        logger.exception("Readiness: the Celery broker did not answer")
        return False, "the Celery broker did not answer"
    return True, "ok"


def readiness_checks() -> dict[str, tuple[bool, str]]:
    """The checks that apply to this configuration: the broker and a shared cache only when set."""
    checks = {"database": check_database}
    results: dict[str, tuple[bool, str]] = {}
    for name, check in checks.items():
        results[name] = check()
    if results["database"][0]:
        results["migrations"] = check_migrations()
    if not settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        results["cache"] = check_cache()
    if settings.CELERY_BROKER_URL and not settings.CELERY_TASK_ALWAYS_EAGER:
        results["broker"] = check_broker()
    return results
