"""The primary navigation (screening, and the Management menu) offers each role the areas it may open, and nothing else."""

import pytest
from django.urls import reverse

from withhold.accounts.roles import Role

pytestmark = pytest.mark.django_db

MANAGEMENT = {
    "performance": reverse("performance:dashboard"),
    "outreach": reverse("performance:outreach_list"),
    "quality": reverse("quality:report"),
    "workforce": reverse("workforce:assessment"),
    "skills": reverse("workforce:staff_competency_list"),
    "screening": reverse("screening:runs"),
    "judgements": reverse("screening:judgements"),
    "lists": reverse("screening:lists"),
}
SCREENING = {"screening", "judgements", "lists"}

EXPECTED = {
    Role.SUPERVISOR: {"performance", "outreach", "quality", "workforce", *SCREENING},
    Role.CASE_ANALYST: {"performance", "outreach", "quality", "skills"},
    Role.APPROVING_OFFICIAL: {"performance", "outreach"},
    Role.INTAKE_ANALYST: {"skills"},
    Role.TARGETING_ANALYST: {"skills", *SCREENING},
    Role.CHIEF_COUNSEL: set(),
    Role.PORT_OFFICER: SCREENING,
    Role.HSI_LIAISON: set(),
    Role.IMPORTER: set(),
    Role.PUBLIC: set(),
}


def nav_html(client, user) -> str:
    client.force_login(user)
    page = client.get(reverse("orders:register")).content.decode()
    start = page.index('aria-label="Primary navigation"')
    return page[start : page.index("</nav>", start)]


@pytest.mark.parametrize("role", list(EXPECTED))
def test_management_menu_lists_what_the_role_may_open(client, make_user, role):
    nav = nav_html(client, make_user(role))
    shown = {name for name, url in MANAGEMENT.items() if f'href="{url}"' in nav}
    assert shown == EXPECTED[role]
    assert ('id="nav-management"' in nav) == bool(EXPECTED[role] - SCREENING)
    assert ('id="nav-screening"' in nav) == bool(EXPECTED[role] & SCREENING)


@pytest.mark.parametrize("role", list(EXPECTED))
def test_every_management_link_opens_for_the_role(client, make_user, role):
    user = make_user(role)
    client.force_login(user)
    for name in EXPECTED[role]:
        assert client.get(MANAGEMENT[name]).status_code == 200, name
