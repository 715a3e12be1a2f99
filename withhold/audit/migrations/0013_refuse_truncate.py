"""Refuse TRUNCATE of the audit table on PostgreSQL.

Row triggers (migration 0002) do not fire on ``TRUNCATE``, so without this a single statement
emptied the "append-only" log. The statement trigger refuses it unless the session has set
``withhold.allow_audit_truncate`` to ``on``. Only the test settings set it (on their own
connections), because the test runner empties every table between transactional tests with
``TRUNCATE``; production connections never do (docs/security-hardening.md). SQLite has no
``TRUNCATE``: its ``DELETE FROM`` is refused by the row trigger.
"""

from django.db import migrations

POSTGRES_UP = [
    """CREATE OR REPLACE FUNCTION audit_auditentry_refuse_truncate() RETURNS trigger AS $$
       BEGIN
         IF coalesce(current_setting('withhold.allow_audit_truncate', true), '') = 'on' THEN
           RETURN NULL;
         END IF;
         RAISE EXCEPTION 'audit log is append-only: TRUNCATE refused';
       END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER audit_auditentry_no_truncate BEFORE TRUNCATE ON audit_auditentry
       FOR EACH STATEMENT EXECUTE FUNCTION audit_auditentry_refuse_truncate();""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS audit_auditentry_no_truncate ON audit_auditentry;",
    "DROP FUNCTION IF EXISTS audit_auditentry_refuse_truncate();",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_UP:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_DOWN:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0012_security_audit_actions")]
    operations = [migrations.RunPython(forwards, backwards)]
