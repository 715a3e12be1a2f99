"""The KPI and outreach API answers the same figures and refusals as the pages."""

import datetime as dt

import pytest

from withhold.audit.models import AuditAction, AuditEntry

from .conftest import outreach

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}


@pytest.fixture
def api(client, supervisor):
    client.force_login(supervisor)
    return client


def test_kpis_for_a_month_with_baseline_target_and_variance(kpi_data, api):
    api.post(
        "/api/kpis/targets/",
        {"indicator": "detentions", "fiscal_year": 2027, "target": 12, "reason": "Plan."},
        content_type="application/json",
        **HOST,
    )
    body = api.get("/api/kpis/?month=2026-10", **HOST).json()
    assert (body["fiscal_year"], body["fytd_start"], body["fytd_end"]) == (
        2027,
        "2026-10-01",
        "2026-10-31",
    )
    by = {k["indicator"]: k for k in body["indicators"]}
    assert len(by) == 18  # GAO-21-106's eight; detentions and reviews by basis; UFLPA requests
    assert by["detentions_uflpa"]["part_of"] == "detentions"
    d = by["detentions"]
    assert (d["month_value"], d["fytd_value"], d["baseline"], d["baseline_source"]) == (
        2, 2, 1, "computed",
    )  # fmt: skip
    assert (d["target"], d["target_to_date"], d["variance"], d["variance_percent"]) == (
        12, "1.0", "1.0", "100.0",
    )  # fmt: skip
    assert by["investigations_closed"]["trend"] == [{"month": "2026-10", "value": 2}]


def test_a_bad_month_is_a_400_naming_the_parameter(api):
    response = api.get("/api/kpis/?month=2026-13", **HOST)
    assert response.status_code == 400
    assert "month" in response.json()


def test_setting_a_target_refuses_bad_fields_by_name(api):
    response = api.post(
        "/api/kpis/targets/",
        {"indicator": "arrests", "fiscal_year": 2027, "target": -1, "reason": "", "extra": 1},
        content_type="application/json",
        **HOST,
    )
    assert response.status_code == 400
    assert {"indicator", "target", "reason", "extra"} <= set(response.json())


def test_target_history_lists_every_setting(api):
    for target in (4, 5):
        api.post(
            "/api/kpis/targets/",
            {"indicator": "penalties", "fiscal_year": 2027, "target": target, "reason": "r"},
            content_type="application/json",
            **HOST,
        )
    results = api.get("/api/kpis/targets/", **HOST).json()["results"]
    assert [r["target"] for r in results] == [5, 4]


def test_outreach_create_list_change_and_delete(api):
    created = api.post(
        "/api/outreach/",
        {"held_on": "2026-10-06", "title": "Cocoa traceability webinar", "kind": "webinar",
         "audience": "industry", "country": "ci", "participants": 120,
         "organisations": ["World Cocoa Council", "Chocolate Makers Guild"]},
        content_type="application/json",
        **HOST,
    )  # fmt: skip
    assert created.status_code == 201
    body = created.json()
    assert body["country"] == "CI"
    assert body["organisations"] == ["World Cocoa Council", "Chocolate Makers Guild"]
    listed = api.get("/api/outreach/?kind=webinar", **HOST).json()
    assert [r["title"] for r in listed["results"]] == ["Cocoa traceability webinar"]
    patched = api.patch(
        f"/api/outreach/{body['id']}/", {"participants": 130}, content_type="application/json",
        **HOST,
    )  # fmt: skip
    assert patched.json()["participants"] == 130
    assert AuditEntry.objects.filter(action=AuditAction.OUTREACH_CHANGED).count() == 1
    assert api.delete(f"/api/outreach/{body['id']}/", **HOST).status_code == 204
    assert api.get(f"/api/outreach/{body['id']}/", **HOST).status_code == 404


def test_outreach_refuses_unknown_fields_and_bad_values(api):
    response = api.post(
        "/api/outreach/",
        {"held_on": "2026-10-06", "title": "x", "kind": "party", "audience": "industry",
         "country": "ZZ", "participants": 3, "is_demo": True},
        content_type="application/json",
        **HOST,
    )  # fmt: skip
    assert response.status_code == 400
    assert {"kind", "country", "is_demo"} <= set(response.json())


def test_outreach_list_is_paginated(api):
    for i in range(3):
        outreach(dt.date(2026, 10, 1 + i), f"Event {i}")
    body = api.get("/api/outreach/?sort=held_on", **HOST).json()
    assert body["count"] == 3
    assert [r["title"] for r in body["results"]] == ["Event 0", "Event 1", "Event 2"]
