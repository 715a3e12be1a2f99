"""Give the roles their screening permissions (``withhold/screening/roles.py``)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from withhold.accounts.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0001_initial"),
        ("detentions", "0002_role_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
