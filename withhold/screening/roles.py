"""What each role may do with screening.

Merged with every other app's ``roles.py`` by ``withhold.accounts.roles.sync_role_groups``.
Targeting analysts (the threat analysis centers) screen files and load entity lists; port
officers see runs and hits so they can turn a hit into a detention (which needs
``detentions.add_detention``, theirs already); supervisors see runs. Only targeting analysts judge a hit (true match or false positive); the
others read the judgements beside the hits.
"""

from withhold.accounts.roles import Role

_READ = [
    "screening.view_screeningrun",
    "screening.view_entitylist",
    "screening.view_hitjudgement",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.TARGETING_ANALYST: [
        *_READ,
        "screening.run_screening",
        "screening.add_entitylist",
        "screening.add_hitjudgement",
    ],
    Role.PORT_OFFICER: [*_READ],
    Role.SUPERVISOR: [*_READ],
}
