"""Role × home page: every signed-in role has a home page (what is due for it); an anonymous
visitor is sent to sign in."""

import pytest

from withhold.accounts.roles import Role

from ..factories import UserFactory

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}

COLUMNS = [("home", "GET", "/")]

MATRIX = {role: [200] for role in Role}
MATRIX[None] = [302]


@pytest.mark.parametrize("role", list(MATRIX), ids=lambda r: r.value if r else "anonymous")
def test_permission_matrix(role, client):
    if role is not None:
        client.force_login(UserFactory(role=role))
    got = [client.get(url, **HOST).status_code for _, _, url in COLUMNS]
    assert got == MATRIX[role]
