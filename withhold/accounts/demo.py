"""One made-up demo account per role, for trying Withhold locally."""

from django.contrib.auth.models import Group

from .models import User
from .roles import Role

DEMO_PASSWORD = "withhold-demo"  # noqa: S105 - printed by `make run`; demo accounts only

DEMO_USERS: list[tuple[str, str, str, Role]] = [
    ("intake", "Ines", "Intake", Role.INTAKE_ANALYST),
    ("analyst", "Ana", "Analyst", Role.CASE_ANALYST),
    ("analyst2", "Bo", "Researcher", Role.CASE_ANALYST),
    ("supervisor", "Sam", "Supervisor", Role.SUPERVISOR),
    ("counsel", "Cora", "Counsel", Role.CHIEF_COUNSEL),
    ("approver", "Avery", "Approver", Role.APPROVING_OFFICIAL),
    ("targeter", "Tariq", "Targeter", Role.TARGETING_ANALYST),
    ("port", "Pat", "Officer", Role.PORT_OFFICER),
    ("hsi", "Hana", "Liaison", Role.HSI_LIAISON),
    ("importer", "Ivan", "Importer", Role.IMPORTER),
    ("public", "Pia", "Reader", Role.PUBLIC),
]


def demo_users_ensure() -> list[User]:
    """Create (or reset) the demo accounts, each in exactly its role's group."""
    users = []
    for username, first, last, role in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, f"{last} (demo)"
        user.email = f"{username}@demo.withhold.invalid"
        user.job_title = Role(role).label
        user.is_demo = True
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([Group.objects.get(name=Role(role).label)])
        users.append(user)
    return users
