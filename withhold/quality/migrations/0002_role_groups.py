"""Give the roles their data-quality permissions (``withhold/quality/roles.py``)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from withhold.accounts.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("quality", "0001_initial"),
        ("cases", "0002_role_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
