"""The roles of DOMAIN.md and what each may do.

Each role is a Django group; its permissions are listed here once, as ``app_label.codename``
strings, and written to the database by a migration (``sync_role_groups``). Pages and API calls
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


_CASE_READERS_ALL = [
    "cases.view_case",
    "cases.view_caseupdate",
    "cases.view_task",
    "cases.view_casedocument",
    "entities.view_entity",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.INTAKE_ANALYST: [
        *_CASE_READERS_ALL,
        "cases.add_case",
        "cases.export_case",
        "cases.add_caseupdate",
        "cases.change_task",
        "entities.add_entity",
        "entities.change_entity",
    ],
    Role.CASE_ANALYST: [
        *_CASE_READERS_ALL,
        "cases.add_case",
        "cases.change_case",
        "cases.view_sensitive_case",
        "cases.advance_phase",
        "cases.change_status",
        "cases.export_case",
        "cases.add_caseupdate",
        "cases.add_task",
        "cases.change_task",
        "cases.add_casedocument",
        "cases.record_hsi_referral",
        "entities.add_entity",
        "entities.change_entity",
        "audit.view_auditentry",
    ],
    Role.SUPERVISOR: [
        *_CASE_READERS_ALL,
        "cases.add_case",
        "cases.change_case",
        "cases.delete_case",
        "cases.view_sensitive_case",
        "cases.advance_phase",
        "cases.change_status",
        "cases.close_case",
        "cases.assign_case",
        "cases.export_case",
        "cases.add_caseupdate",
        "cases.add_task",
        "cases.change_task",
        "cases.manage_any_task",
        "cases.add_casedocument",
        "cases.record_hsi_referral",
        "entities.add_entity",
        "entities.change_entity",
        "entities.delete_entity",
        "audit.view_auditentry",
    ],
    Role.CHIEF_COUNSEL: [
        *_CASE_READERS_ALL,
        "cases.view_sensitive_case",
        "cases.export_case",
        "cases.add_caseupdate",
        "cases.change_task",
        "cases.add_casedocument",
        "cases.record_legal_opinion",
        "audit.view_auditentry",
    ],
    Role.APPROVING_OFFICIAL: [
        *_CASE_READERS_ALL,
        "cases.view_sensitive_case",
        "cases.approve_implementation",
        "cases.add_caseupdate",
        "cases.change_task",
        "audit.view_auditentry",
    ],
    Role.TARGETING_ANALYST: [
        *_CASE_READERS_ALL,
        "cases.add_caseupdate",
        "cases.change_task",
        "entities.add_entity",
        "entities.change_entity",
    ],
    Role.PORT_OFFICER: ["entities.view_entity"],
    Role.HSI_LIAISON: [
        "cases.view_hsi_case",
        "cases.view_caseupdate",
        "cases.view_task",
        "cases.view_casedocument",
        "cases.view_sensitive_case",
        "cases.add_caseupdate",
        "cases.change_task",
        "cases.record_hsi_referral",
        "entities.view_entity",
        "audit.view_auditentry",
    ],
    Role.IMPORTER: [],
    Role.PUBLIC: [],
}


def sync_role_groups(apps=None) -> None:
    """Create one group per role and give it exactly the permissions listed above.

    Called from a data migration (with the historical ``apps``) and by ``withhold sync-roles``.
    Missing permissions are created first, since Django only creates them after migrating.
    """
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    registry = apps or global_apps
    for app_config in registry.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=registry, verbosity=0)
    group_model = registry.get_model("auth", "Group")
    permission_model = registry.get_model("auth", "Permission")
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=Role(role).label)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.append(
                permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)
