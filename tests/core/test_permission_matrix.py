"""Role × the deadline rules page → allowed or refused, enforced by the server.

200 = allowed, 302 = sent to sign in. The rules are law and the agency's settings: every
signed-in user may read them and count a deadline."""

import pytest

from withhold.accounts.roles import Role

from ..factories import UserFactory

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}

COLUMNS = [
    ("deadlines", "/deadlines/"),
]

MATRIX = {
    None: [302],
    **{role: [200] for role in Role},
}


@pytest.mark.parametrize("role", list(MATRIX), ids=lambda r: r or "anonymous")
def test_deadline_pages_by_role(role, client):
    if role is not None:
        client.force_login(UserFactory(role=role, username=f"matrix-{role}"))
    got = [client.get(url, **HOST).status_code for _name, url in COLUMNS]
    assert got == MATRIX[role]
