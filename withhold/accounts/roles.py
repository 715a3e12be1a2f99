"""The roles of DOMAIN.md and what each may do.

Each role is a Django group. What a role may do with an app's records is listed in that app's
``roles.py`` as ``app_label.codename`` strings, gathered by ``role_permissions`` and written to the
database by a migration (``sync_role_groups``). Pages and API calls
check permissions with ``user.has_perm``; object rules (law-enforcement-sensitive cases, HSI
nexus, task owners) live in the selectors' access functions.
"""

from django.db import models


class Role(models.TextChoices):
    INTAKE_ANALYST = "intake_analyst", "Intake analyst"
    CASE_ANALYST = "case_analyst", "Case analyst"
    SUPERVISOR = "supervisor", "Supervisor"
    CHIEF_COUNSEL = "chief_counsel", "Chief counsel attorney"
    APPROVING_OFFICIAL = "approving_official", "Approving official"
    TARGETING_ANALYST = "targeting_analyst", "Targeting analyst"
    PORT_OFFICER = "port_officer", "Port officer (CEE)"
    HSI_LIAISON = "hsi_liaison", "HSI liaison"
    IMPORTER = "importer", "Importer"
    PUBLIC = "public", "Public reader"


def role_permissions() -> dict[str, list[str]]:
    """Every role's permissions, as ``app_label.codename`` strings.

    Each app declares what each role may do with its own records in ``<app>/roles.py`` (a
    ``ROLE_PERMISSIONS`` dict); this gathers them, so the policy for an area lives beside it and
    ``accounts`` never imports the apps above it.
    """
    from withhold.core.discovery import app_modules

    merged: dict[str, list[str]] = {role: [] for role in Role}
    for module in app_modules("roles", exclude=("withhold.accounts",)):
        for role, perms in getattr(module, "ROLE_PERMISSIONS", {}).items():
            merged[role].extend(perms)
    return merged


def sync_role_groups(apps=None) -> None:
    """Create one group per role and give it exactly the permissions the apps' ``roles.py`` list.

    Runs after every ``migrate`` (``AccountsConfig.ready`` connects it to ``post_migrate``), so a
    change to any ``roles.py`` reaches the database the next time migrations run; apps also call it
    from a data migration so a fresh database has its groups at that point. With historical
    ``apps`` (inside a migration) permissions of apps not migrated yet are skipped; otherwise an
    unknown permission is an error.
    """
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    strict = apps is None
    registry = apps or global_apps
    for app_config in registry.get_app_configs():
        if not strict:
            app_config.models_module = True
        create_permissions(app_config, apps=registry, verbosity=0)
    group_model = registry.get_model("auth", "Group")
    permission_model = registry.get_model("auth", "Permission")
    for role, perms in role_permissions().items():
        group, _ = group_model.objects.get_or_create(name=Role(role).label)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            found = permission_model.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if found is None and strict:
                raise LookupError(f"Role {role} lists unknown permission {perm}.")
            if found is not None:
                wanted.append(found)
        group.permissions.set(wanted)
