"""Role × KPI and outreach page (and API call) → allowed or refused, enforced by the server.

200 = allowed, 403 = refused, 302 = sent to sign in. Importers and the public never read KPIs.
"""

import datetime as dt

import pytest

from withhold.accounts.roles import Role

from ..factories import UserFactory
from .conftest import outreach

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}

COLUMNS = [
    ("dashboard", "/performance/"),
    ("drilldown", "/performance/kpis/outreach/?month=2026-10"),
    ("targets", "/performance/targets/"),
    ("target_set", "/performance/targets/new/"),
    ("outreach_list", "/performance/outreach/"),
    ("outreach_new", "/performance/outreach/new/"),
    ("outreach_detail", "/performance/outreach/{id}/"),
    ("outreach_edit", "/performance/outreach/{id}/edit/"),
]

#                         dash drill tgts tset list new  det  edit
MATRIX = {
    None:                   [302, 302, 302, 302, 302, 302, 302, 302],
    Role.INTAKE_ANALYST:    [403, 403, 403, 403, 403, 403, 403, 403],
    Role.CASE_ANALYST:      [200, 200, 200, 403, 200, 200, 200, 200],
    Role.SUPERVISOR:        [200, 200, 200, 200, 200, 200, 200, 200],
    Role.CHIEF_COUNSEL:     [403, 403, 403, 403, 403, 403, 403, 403],
    Role.APPROVING_OFFICIAL:[200, 200, 200, 403, 200, 403, 200, 403],
    Role.TARGETING_ANALYST: [403, 403, 403, 403, 403, 403, 403, 403],
    Role.PORT_OFFICER:      [403, 403, 403, 403, 403, 403, 403, 403],
    Role.HSI_LIAISON:       [403, 403, 403, 403, 403, 403, 403, 403],
    Role.IMPORTER:          [403, 403, 403, 403, 403, 403, 403, 403],
    Role.PUBLIC:            [403, 403, 403, 403, 403, 403, 403, 403],
}  # fmt: skip


@pytest.mark.parametrize("role", list(MATRIX), ids=lambda r: r or "anonymous")
def test_performance_pages_by_role(role, client):
    activity = outreach(dt.date(2026, 10, 2))
    if role is not None:
        client.force_login(UserFactory(role=role, username=f"matrix-{role}"))
    got = [
        client.get(template.format(id=activity.pk), **HOST).status_code for _n, template in COLUMNS
    ]
    names = [name for name, _t in COLUMNS]
    assert dict(zip(names, got, strict=True)) == dict(zip(names, MATRIX[role], strict=True))


#                         kpis tgt+ outr out+ del
API_MATRIX = {
    None:                   [403, 403, 403, 403, 403],
    Role.INTAKE_ANALYST:    [403, 403, 403, 403, 403],
    Role.CASE_ANALYST:      [200, 403, 200, 201, 403],
    Role.SUPERVISOR:        [200, 201, 200, 201, 204],
    Role.CHIEF_COUNSEL:     [403, 403, 403, 403, 403],
    Role.APPROVING_OFFICIAL:[200, 403, 200, 403, 403],
    Role.TARGETING_ANALYST: [403, 403, 403, 403, 403],
    Role.PORT_OFFICER:      [403, 403, 403, 403, 403],
    Role.HSI_LIAISON:       [403, 403, 403, 403, 403],
    Role.IMPORTER:          [403, 403, 403, 403, 403],
    Role.PUBLIC:            [403, 403, 403, 403, 403],
}  # fmt: skip


@pytest.mark.parametrize("role", list(API_MATRIX), ids=lambda r: r or "anonymous")
def test_performance_api_by_role(role, client):
    activity = outreach(dt.date(2026, 10, 2))
    if role is not None:
        client.force_login(UserFactory(role=role, username=f"api-matrix-{role}"))
    new_activity = {
        "held_on": "2026-10-03",
        "title": "Matrix meeting",
        "kind": "meeting",
        "audience": "ngo",
        "country": "MY",
        "participants": 4,
    }
    target = {"indicator": "wros", "fiscal_year": 2027, "target": 5, "reason": "Plan."}
    got = [
        client.get("/api/kpis/?month=2026-10", **HOST).status_code,
        client.post(
            "/api/kpis/targets/", target, content_type="application/json", **HOST
        ).status_code,
        client.get("/api/outreach/", **HOST).status_code,
        client.post(
            "/api/outreach/", new_activity, content_type="application/json", **HOST
        ).status_code,
        client.delete(f"/api/outreach/{activity.pk}/", **HOST).status_code,
    ]
    assert got == API_MATRIX[role]
