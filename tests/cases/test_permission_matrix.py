"""Role × page → allowed or refused, enforced by the server.

Read the table as the policy: 200 = allowed, 403 = refused, 404 = the case is hidden from the
role (law-enforcement-sensitive, or not an HSI case for the HSI liaison) and looks exactly like a
case that does not exist.
"""

import pytest
from django.utils import timezone

from withhold.accounts.roles import Role

from ..factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}

COLUMNS = [
    ("list", "GET", "/cases/"),
    ("detail_plain", "GET", "/cases/{plain}/"),
    ("detail_sensitive", "GET", "/cases/{sensitive}/"),
    ("detail_hsi", "GET", "/cases/{hsi}/"),
    ("create", "GET", "/cases/new/"),
    ("edit", "GET", "/cases/{hsi}/edit/"),
    ("advance", "GET", "/cases/{hsi}/transition/?to_phase=investigation"),
    ("close", "GET", "/cases/{hsi}/transition/?to_status=closed"),
    ("suspend", "GET", "/cases/{hsi}/transition/?to_status=suspended"),
    ("export", "GET", "/cases/?format=csv"),
    ("audit", "GET", "/cases/{hsi}/audit.csv"),
    ("timeline", "POST", "/cases/{hsi}/updates/"),
    ("delete", "GET", "/cases/{hsi}/delete/"),
    ("entities", "GET", "/entities/"),
    ("entity_new", "GET", "/entities/new/"),
    ("my_work", "GET", "/cases/my-work/"),
]

# 302 for the timeline POST means "accepted and sent back to the case page".
MATRIX = {
    #                      list det  sens  hsi  new  edit adv  close susp exp  aud  tl   del  ent  entn work
    Role.INTAKE_ANALYST: [
        200,
        200,
        404,
        200,
        200,
        403,
        403,
        403,
        403,
        200,
        403,
        302,
        403,
        200,
        200,
        200,
    ],
    Role.CASE_ANALYST: [
        200,
        200,
        200,
        200,
        200,
        200,
        200,
        403,
        200,
        200,
        200,
        302,
        403,
        200,
        200,
        200,
    ],
    Role.SUPERVISOR: [
        200,
        200,
        200,
        200,
        200,
        200,
        200,
        200,
        200,
        200,
        200,
        302,
        200,
        200,
        200,
        200,
    ],
    Role.CHIEF_COUNSEL: [
        200,
        200,
        200,
        200,
        403,
        403,
        403,
        403,
        403,
        200,
        200,
        302,
        403,
        200,
        403,
        200,
    ],
    Role.APPROVING_OFFICIAL: [
        200,
        200,
        200,
        200,
        403,
        403,
        403,
        403,
        403,
        403,
        200,
        302,
        403,
        200,
        403,
        200,
    ],
    Role.TARGETING_ANALYST: [
        200,
        200,
        404,
        200,
        403,
        403,
        403,
        403,
        403,
        403,
        403,
        302,
        403,
        200,
        200,
        200,
    ],
    Role.PORT_OFFICER: [
        403,
        403,
        403,
        403,
        403,
        403,
        403,
        403,
        403,
        403,
        403,
        403,
        403,
        200,
        403,
        200,
    ],
    Role.HSI_LIAISON: [
        200,
        404,
        200,
        200,
        403,
        403,
        403,
        403,
        403,
        403,
        200,
        302,
        403,
        200,
        403,
        200,
    ],
    Role.IMPORTER: [403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200],
    Role.PUBLIC: [403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200],
}

CASES = [
    (role, name, method, path, expected)
    for role, row in MATRIX.items()
    for (name, method, path), expected in zip(COLUMNS, row, strict=True)
]


@pytest.fixture
def numbers(db):
    today = timezone.localdate()
    return {
        "plain": CaseFactory(number="FL-2026-0101").number,
        "sensitive": CaseFactory(
            number="FL-2026-0102", law_enforcement_sensitive=True, hsi_notified_on=today
        ).number,
        "hsi": CaseFactory(number="FL-2026-0103", hsi_notified_on=today).number,
    }


@pytest.mark.parametrize(("role", "name", "method", "path", "expected"), CASES)
def test_role_page_matrix(client, numbers, role, name, method, path, expected):
    user = UserFactory(username=f"matrix_{role}", role=role)
    client.force_login(user)
    url = path.format(**numbers)
    if method == "POST":
        data = {
            "occurred_on": timezone.localdate().isoformat(),
            "text": "Met the reporting NGO to go through the worker interviews.",
        }
        response = client.post(url, data, **HOST)
    else:
        response = client.get(url, **HOST)
    assert response.status_code == expected, f"{role} {name}: {response.status_code}"


@pytest.mark.parametrize(("name", "method", "path"), COLUMNS)
def test_signed_out_visitors_are_sent_to_sign_in(client, numbers, name, method, path):
    url = path.format(**numbers)
    response = client.post(url, **HOST) if method == "POST" else client.get(url, **HOST)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_every_role_has_a_row_in_the_matrix():
    assert set(MATRIX) == set(Role)


def test_hidden_case_and_missing_case_look_the_same(client, numbers):
    client.force_login(UserFactory(username="targeter", role=Role.TARGETING_ANALYST))
    hidden = client.get(f"/cases/{numbers['sensitive']}/", **HOST)
    missing = client.get("/cases/FL-2026-9999/", **HOST)
    assert hidden.status_code == missing.status_code == 404
    assert numbers["sensitive"] not in client.get("/cases/", **HOST).content.decode()


def test_hsi_case_reference_is_shown_only_to_roles_cleared_for_sensitive_data(client, db):
    case = CaseFactory(hsi_notified_on=timezone.localdate(), hsi_case_reference="HSI-NY-0042")
    client.force_login(UserFactory(username="t1", role=Role.TARGETING_ANALYST))
    assert "HSI-NY-0042" not in client.get(f"/cases/{case.number}/", **HOST).content.decode()
    client.force_login(UserFactory(username="a1", role=Role.CASE_ANALYST))
    assert "HSI-NY-0042" in client.get(f"/cases/{case.number}/", **HOST).content.decode()
