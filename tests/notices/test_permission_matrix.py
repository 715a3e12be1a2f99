"""Role × notice page → allowed or refused, enforced by the server.

Every signed-in user has a notice list of their own and may mark their own notices read; nobody
reaches another user's notice (404, as if it did not exist). 200 = allowed, 302 = done and sent
back to the list (or, signed out, sent to sign in), 404 = not theirs.
"""

import pytest

from withhold.accounts.roles import Role
from withhold.notices.models import Kind
from withhold.notices.services import notice_create

from ..factories import UserFactory

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}

COLUMNS = [
    ("list", "GET", "/notices/"),
    ("unread", "GET", "/notices/?state=unread"),
    ("read_own", "POST", "/notices/{own}/read/"),
    ("read_other", "POST", "/notices/{other}/read/"),
    ("read_all", "POST", "/notices/read/"),
]

#                          list unrd own  othr all
MATRIX = {
    None:                   [302, 302, 302, 302, 302],
    Role.INTAKE_ANALYST:    [200, 200, 302, 404, 302],
    Role.CASE_ANALYST:      [200, 200, 302, 404, 302],
    Role.SUPERVISOR:        [200, 200, 302, 404, 302],
    Role.CHIEF_COUNSEL:     [200, 200, 302, 404, 302],
    Role.APPROVING_OFFICIAL:[200, 200, 302, 404, 302],
    Role.TARGETING_ANALYST: [200, 200, 302, 404, 302],
    Role.PORT_OFFICER:      [200, 200, 302, 404, 302],
    Role.HSI_LIAISON:       [200, 200, 302, 404, 302],
    Role.IMPORTER:          [200, 200, 302, 404, 302],
    Role.PUBLIC:            [200, 200, 302, 404, 302],
}  # fmt: skip


def _notice(user):
    return notice_create(
        recipient=user, kind=Kind.TASK_DUE, subject="Due", body="Due.", send_on_commit=False
    )


@pytest.mark.parametrize("role", list(MATRIX), ids=lambda r: r or "anonymous")
def test_notice_pages_by_role(role, client):
    user = UserFactory(role=role or Role.PUBLIC, username=f"matrix-{role}")
    other = UserFactory(role=Role.CASE_ANALYST, username="matrix-other")
    ids = {"own": _notice(user).pk, "other": _notice(other).pk}
    if role is not None:
        client.force_login(user)
    got = []
    for _name, method, template in COLUMNS:
        call = client.get if method == "GET" else client.post
        got.append(call(template.format(**ids), **HOST).status_code)
    names = [name for name, _m, _t in COLUMNS]
    assert dict(zip(names, got, strict=True)) == dict(zip(names, MATRIX[role], strict=True))
