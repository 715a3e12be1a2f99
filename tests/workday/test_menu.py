"""The menu offers each role exactly the pages it may open: every entry shown answers 200 for
that role, and agrees with the permission matrices of the apps (``*/test_permission_matrix.py``)
wherever a matrix has a column for the entry's address."""

import importlib
import re
from pathlib import Path

import pytest

from withhold.accounts.roles import Role
from withhold.workday.menu import MENU, menu_for

from ..factories import UserFactory

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}
MENU_LINK = re.compile(r'<a href="([^"]+)"[^>]*data-menu="')


def _matrix_statuses() -> dict[tuple[Role, str], int]:
    """(role, address) → the status the permission matrices expect, for plain GET columns."""
    found = {}
    for path in sorted(Path(__file__).resolve().parents[1].glob("*/test_permission_matrix.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.test_permission_matrix")
        for index, column in enumerate(module.COLUMNS):
            url = column[-1]
            method = column[1] if len(column) == 3 else "GET"
            if "{" in url or "?" in url or method != "GET":
                continue
            for role, statuses in module.MATRIX.items():
                if role is not None:
                    found[(role, url)] = statuses[index]
    return found


MATRICES = _matrix_statuses()


def _menu_urls(html: str) -> list[str]:
    start = html.index('aria-label="Primary navigation"')
    return MENU_LINK.findall(html[start : html.index("</nav>", start)])


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_every_menu_link_answers_200_and_agrees_with_the_matrices(client, role):
    user = UserFactory(role=role)
    client.force_login(user)
    html = client.get("/", **HOST).content.decode()
    shown = _menu_urls(html)
    assert sorted(shown) == sorted(entry.url() for entry in menu_for(user))
    for url in shown:
        assert client.get(url, **HOST).status_code == 200, (role, url)
        if (role, url) in MATRICES:
            assert MATRICES[(role, url)] == 200, (role, url)
    # A role-gated page (refused to some role) that a matrix opens to this role, and that has a
    # menu entry, is offered in the menu.
    gated = {url for (_, url), status in MATRICES.items() if status != 200}
    for entry in MENU:
        if entry.url() in gated and MATRICES.get((role, entry.url())) == 200:
            assert entry.url() in shown, (role, entry.url())


@pytest.mark.parametrize("role", [Role.PORT_OFFICER, Role.IMPORTER, Role.PUBLIC])
def test_roles_without_cases_are_not_offered_cases(client, role):
    client.force_login(UserFactory(role=role))
    html = client.get("/", **HOST).content.decode()
    assert _menu_urls(html)
    assert "/cases/" not in _menu_urls(html)
    assert "/cases/my-work/" not in _menu_urls(html)
    if role != Role.PORT_OFFICER:
        assert "/entities/" not in _menu_urls(html)
