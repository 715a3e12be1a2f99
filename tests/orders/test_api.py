"""The orders API: the public register without sign-in, and the approving official's decision and
issuance — refused for every other role."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from withhold.accounts.roles import Role

from ..factories import UserFactory
from .conftest import SENSITIVE, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_the_register_api_needs_no_sign_in_and_hides_sensitive_fields(issued, api):
    response = api.get("/api/register/")
    assert response.status_code == 200
    assert [o["number"] for o in response.json()] == [issued.number]
    text = response.content.decode()
    assert SENSITIVE not in text
    assert issued.cases.get().number not in text


def test_the_register_api_names_a_bad_parameter(api, db):
    response = api.get("/api/register/", {"year": "last"})
    assert response.status_code == 400
    assert "year" in response.json()


@pytest.mark.parametrize(
    ("role", "decide", "issue"),
    [
        (Role.APPROVING_OFFICIAL, 200, 200),
        (Role.CHIEF_COUNSEL, 403, 403),
        (Role.SUPERVISOR, 403, 403),
        (Role.CASE_ANALYST, 403, 403),
        (Role.IMPORTER, 403, 403),
        (None, 403, 403),
    ],
)
def test_only_the_approving_official_decides_and_issues_through_the_api(
    with_opinion, api, role, decide, issue
):
    if role:
        api.force_authenticate(UserFactory(role=role, username=f"api-{role}"))
    number = with_opinion.number
    got_decide = api.post(
        f"/api/orders/{number}/decision/",
        {
            "decision": "approved",
            "decided_on": today().isoformat(),
            "planned_issue_on": (today() + dt.timedelta(days=20)).isoformat(),
        },
        format="json",
    )
    got_issue = api.post(
        f"/api/orders/{number}/issue/", {"issued_on": today().isoformat()}, format="json"
    )
    assert (got_decide.status_code, got_issue.status_code) == (decide, issue)
    if issue == 200:
        body = got_issue.json()
        assert body["status"] == "issued"
        assert len(body["open_coordination"]) == 6


def test_issuing_before_approval_is_refused_with_the_reason(with_opinion, approving_official, api):
    api.force_authenticate(approving_official)
    response = api.post(
        f"/api/orders/{with_opinion.number}/issue/",
        {"issued_on": today().isoformat()},
        format="json",
    )
    assert response.status_code == 400
    assert "has not approved it" in response.json()["detail"]


def test_order_detail_api_is_for_staff_only(issued, api, importer, targeting_analyst):
    api.force_authenticate(importer)
    assert api.get(f"/api/orders/{issued.number}/").status_code == 403
    api.force_authenticate(targeting_analyst)
    body = api.get(f"/api/orders/{issued.number}/").json()
    assert body["scope_rules"][0]["entity"] == "Example Garment Factory"
    assert api.get("/api/orders/NOPE-1/").status_code == 404
