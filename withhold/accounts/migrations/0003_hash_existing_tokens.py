"""Move the keys of DRF's plain-text token table (``authtoken_token``, from before hashed tokens)
into ``ApiToken``, hashed in place so that they keep working, then drop the old table so no
plain-text key stays in the database. Moved keys keep read-and-write access (what they had) and
expire ``WITHHOLD_API_TOKEN_DAYS`` after this migration."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone

OLD_TABLE = "authtoken_token"


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("accounts", "ApiToken")
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id, created FROM {OLD_TABLE}")  # noqa: S608
        rows = cursor.fetchall()
    ApiToken.objects.bulk_create(
        ApiToken(
            user_id=user_id,
            name="Moved from the plain-text token table",
            key_prefix=key[:8],
            key_hash=hashlib.sha256(key.encode()).hexdigest(),
            scope="write",
            created_at=created or now,
            expires_at=now + timedelta(days=settings.WITHHOLD_API_TOKEN_DAYS),
        )
        for key, user_id, created in rows
    )
    schema_editor.execute(f"DROP TABLE {OLD_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_api_tokens")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
