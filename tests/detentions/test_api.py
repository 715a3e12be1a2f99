"""The detentions API: role × call, importer isolation (same 404 as missing), recording,
proof and the steps through to release, statistics."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from withhold.accounts.roles import Role
from withhold.detentions.models import Detention, ImporterAccount

from ..factories import UserFactory
from .conftest import pdf

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def detention(record, wro):
    return record(
        [wro], imported_on=TODAY - dt.timedelta(days=20), notice_on=TODAY - dt.timedelta(days=18)
    )


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def body(acme, **overrides):
    data = {
        "entry_number": "xyz 7654321 3",
        "port_of_entry": "1001 New York",
        "imported_on": str(TODAY - dt.timedelta(days=5)),
        "notice_on": str(TODAY),
        "importer": acme.pk,
        "country_of_origin": "CN",
        "merchandise": "Tomato paste",
        "hts_code": "2002.90",
        "quantity": "100",
        "quantity_unit": "kg",
        "value_usd": "9000",
        "orders": ["WRO-2026-0001"],
    }
    data.update(overrides)
    return data


#                         list stat get  create
MATRIX = {
    None:                   [403, 403, 403, 403],
    Role.INTAKE_ANALYST:    [403, 403, 403, 403],
    Role.CASE_ANALYST:      [200, 200, 200, 403],
    Role.SUPERVISOR:        [200, 200, 200, 403],
    Role.PORT_OFFICER:      [200, 200, 200, 201],
    Role.IMPORTER:          [200, 403, 200, 403],
    Role.PUBLIC:            [403, 403, 403, 403],
}  # fmt: skip


@pytest.mark.parametrize("role", list(MATRIX), ids=lambda r: r or "anonymous")
def test_api_by_role(role, detention, acme, wro):
    user = None
    if role is not None:
        user = UserFactory(role=role, username=f"api-{role}")
        if role == Role.IMPORTER:
            ImporterAccount.objects.create(user=user, entity=acme)
    client = api(user)
    got = [
        client.get("/api/detentions/").status_code,
        client.get("/api/detentions/statistics/").status_code,
        client.get(f"/api/detentions/{detention.pk}/").status_code,
        client.post("/api/detentions/", body(acme), format="json").status_code,
    ]
    assert got == MATRIX[role]


def test_another_importer_cannot_see_or_act_through_the_api(detention, globex_user):
    client = api(globex_user)
    assert client.get("/api/detentions/").json() == []
    missing = client.get("/api/detentions/999999/")
    other = client.get(f"/api/detentions/{detention.pk}/")
    assert other.status_code == missing.status_code == 404
    assert other.json() == {"detail": f"There is no detention {detention.pk} that you can see."}
    proof = client.post(
        f"/api/detentions/{detention.pk}/proof/",
        {"certificate_of_origin": pdf("a.pdf"), "detailed_statement": pdf("b.pdf")},
        format="multipart",
    )
    assert proof.status_code == 404
    detention.refresh_from_db()
    assert detention.status == Detention.Status.DETAINED


def test_record_prove_review_release_through_the_api(acme, acme_user, port_officer, wro):
    officer = api(port_officer)
    created = officer.post("/api/detentions/", body(acme), format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["entry_number"] == "XYZ-7654321-3"
    deadline = dt.date.fromisoformat(data["admissibility_deadline"])
    assert data["days_remaining"] == (deadline - TODAY).days > 80
    pk = data["id"]
    proof = api(acme_user).post(
        f"/api/detentions/{pk}/proof/",
        {"certificate_of_origin": pdf("a.pdf"), "detailed_statement": pdf("b.pdf")},
        format="multipart",
    )
    assert proof.json()["status"] == "proof_submitted"
    officer.post(f"/api/detentions/{pk}/steps/", {"step": "review_start"}, format="json")
    seize = officer.post(
        f"/api/detentions/{pk}/steps/",
        {"step": "seize", "on": str(TODAY), "reason": "x"},
        format="json",
    )
    assert seize.status_code == 400
    assert "Seizure needs a Finding" in seize.json()["detail"]
    released = officer.post(
        f"/api/detentions/{pk}/steps/",
        {"step": "release", "on": str(TODAY), "reason": "Admissible."},
        format="json",
    )
    assert released.json()["status"] == "released"
    stats = officer.get("/api/detentions/statistics/").json()
    assert {"key": "released", "label": "Released", "count": 1, "value_usd": "9000.00"} in stats[
        "by_outcome"
    ]


def test_bad_entry_number_names_the_field(acme, port_officer, wro):
    response = api(port_officer).post(
        "/api/detentions/", body(acme, entry_number="1-2"), format="json"
    )
    assert response.status_code == 400
    assert "entry_number" in response.json()
