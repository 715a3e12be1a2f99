"""Create one group per role with the permissions listed in ``withhold.accounts.roles``."""

from django.db import migrations


def forwards(apps, schema_editor):
    from withhold.accounts.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("audit", "0001_initial"),
        ("entities", "0001_initial"),
        ("reference", "0001_initial"),
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
