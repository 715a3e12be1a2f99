"""Role × workforce page → allowed or refused, enforced by the server.

200 = allowed, 403 = refused, 302 = sent to sign in. Supervisors manage everything; analysts see
their own competencies and training; every other role sees nothing.
"""

import pytest

from withhold.accounts.roles import Role

from ..factories import UserFactory

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}

COLUMNS = [
    ("assessment", "/workforce/"),
    ("scenarios", "/workforce/scenarios/"),
    ("competencies", "/workforce/competencies/"),
    ("competency_new", "/workforce/competencies/new/"),
    ("skills", "/workforce/skills/"),
    ("skills_record", "/workforce/skills/record/"),
    ("gaps", "/workforce/skills/gaps/"),
    ("training", "/workforce/training/"),
    ("training_new", "/workforce/training/new/"),
    ("report", "/workforce/report/"),
    ("api_assessment", "/api/workforce/assessment/"),
]

#                         asmt scen comp cnew skil srec gaps trng tnew rept api
MATRIX = {
    None:                   [302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 403],
    Role.INTAKE_ANALYST:    [403, 403, 403, 403, 200, 403, 403, 200, 403, 403, 403],
    Role.CASE_ANALYST:      [403, 403, 403, 403, 200, 403, 403, 200, 403, 403, 403],
    Role.SUPERVISOR:        [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    Role.CHIEF_COUNSEL:     [403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
    Role.APPROVING_OFFICIAL:[403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
    Role.TARGETING_ANALYST: [403, 403, 403, 403, 200, 403, 403, 200, 403, 403, 403],
    Role.PORT_OFFICER:      [403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
    Role.HSI_LIAISON:       [403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
    Role.IMPORTER:          [403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
    Role.PUBLIC:            [403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
}  # fmt: skip


@pytest.mark.parametrize("role", list(MATRIX), ids=lambda r: r or "anonymous")
def test_workforce_pages_by_role(role, client):
    if role is not None:
        client.force_login(UserFactory(role=role, username=f"matrix-{role}"))
    got = [client.get(url, **HOST).status_code for _name, url in COLUMNS]
    names = [c[0] for c in COLUMNS]
    assert dict(zip(names, got, strict=True)) == dict(zip(names, MATRIX[role], strict=True))


@pytest.mark.parametrize("role", [r for r in MATRIX if r != Role.SUPERVISOR])
def test_only_supervisors_compute_scenarios_through_the_api(role, client):
    if role is not None:
        client.force_login(UserFactory(role=role, username=f"matrix-{role}"))
    response = client.post(
        "/api/workforce/scenarios/compute/", {}, content_type="application/json", **HOST
    )
    assert response.status_code == 403


POSTS = [
    "/workforce/scenario/compute/",
    "/workforce/competencies/new/",
    "/workforce/skills/record/",
    "/workforce/training/new/",
]


@pytest.mark.parametrize("role", [r for r in MATRIX if r not in (None, Role.SUPERVISOR)])
def test_only_supervisors_post_to_workforce_pages(role, client):
    client.force_login(UserFactory(role=role, username=f"matrix-{role}"))
    assert [client.post(url, {}, **HOST).status_code for url in POSTS] == [403] * len(POSTS)
