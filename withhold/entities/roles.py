"""What each role may do with supply-chain entities (see ``withhold.accounts.roles``)."""

from withhold.accounts.roles import Role

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.INTAKE_ANALYST: [
        "entities.view_entity",
        "entities.add_entity",
        "entities.change_entity",
    ],
    Role.CASE_ANALYST: [
        "entities.view_entity",
        "entities.add_entity",
        "entities.change_entity",
    ],
    Role.SUPERVISOR: [
        "entities.view_entity",
        "entities.add_entity",
        "entities.change_entity",
        "entities.delete_entity",
    ],
    Role.CHIEF_COUNSEL: [
        "entities.view_entity",
    ],
    Role.APPROVING_OFFICIAL: [
        "entities.view_entity",
    ],
    Role.TARGETING_ANALYST: [
        "entities.view_entity",
        "entities.add_entity",
        "entities.change_entity",
    ],
    Role.PORT_OFFICER: [
        "entities.view_entity",
    ],
    Role.HSI_LIAISON: [
        "entities.view_entity",
    ],
}
