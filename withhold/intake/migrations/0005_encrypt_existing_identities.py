"""Encrypt the submitter identities already on file (migration 0004 changed the columns to
encrypted text; their values are still plain). Read and written with SQL, not the model, whose
field would try to decrypt the plain values. Backwards: decrypt them again."""

from django.db import migrations

COLUMNS = ("contact_name", "contact_email", "contact_phone")


def _rewrite(schema_editor, convert):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in COLUMNS)
    assign = ", ".join(f"{quote(c)} = %s" for c in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {columns} FROM intake_allegation")  # noqa: S608
        rows = cursor.fetchall()
        for row_id, *values in rows:
            if any(values):
                cursor.execute(
                    f"UPDATE intake_allegation SET {assign} WHERE id = %s",  # noqa: S608
                    [*(convert(v) for v in values), row_id],
                )


def forwards(apps, schema_editor):
    from withhold.core.crypto import encrypt

    _rewrite(schema_editor, encrypt)


def backwards(apps, schema_editor):
    from withhold.core.crypto import decrypt

    _rewrite(schema_editor, decrypt)


class Migration(migrations.Migration):
    dependencies = [("intake", "0004_informant_identity_encrypted_and_retention")]
    operations = [migrations.RunPython(forwards, backwards)]
