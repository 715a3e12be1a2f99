"""The data-quality API: role × endpoint, the report's figures, drill-downs that respect who may
see which case (law-enforcement-sensitive ones never leak), snapshots, the review queue and the
legacy import runs."""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from withhold.accounts.roles import Role
from withhold.quality.models import LegacyRecord, QualitySnapshot
from withhold.quality.services import legacy_import

from ..factories import CaseFactory, UserFactory
from .conftest import MAPPING, workbook_bytes

pytestmark = pytest.mark.django_db
A = "Workers report their identity documents are withheld by the employer."
ROW = ["L-100", "Shirts", A, "Cotton", "CN", "ngo", "2019-03-15", "2019-04-01", "2",
       "", "Mill", "", "", ""]  # fmt: skip


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


COLUMNS = [
    ("report", "get", "/api/data-quality/"),
    ("field", "get", "/api/data-quality/fields/evidence_sources/"),
    ("rule", "get", "/api/data-quality/rules/QC-PHASE-TEXT/"),
    ("snapshots", "get", "/api/data-quality/snapshots/"),
    ("snap_new", "post", "/api/data-quality/snapshots/"),
    ("queue", "get", "/api/data-quality/legacy/"),
    ("review", "post", "/api/data-quality/legacy/{record}/review/"),
    ("runs", "get", "/api/data-quality/legacy/imports/"),
    ("run", "get", "/api/data-quality/legacy/imports/{run}/"),
]
#                         rep  fld  rule snap snew que  rev  runs run
MATRIX = {
    None:                   [403, 403, 403, 403, 403, 403, 403, 403, 403],
    Role.INTAKE_ANALYST:    [403, 403, 403, 403, 403, 403, 403, 403, 403],
    Role.CASE_ANALYST:      [200, 200, 200, 403, 403, 200, 403, 403, 403],
    Role.SUPERVISOR:        [200, 200, 200, 200, 201, 200, 200, 200, 200],
    Role.CHIEF_COUNSEL:     [403, 403, 403, 403, 403, 403, 403, 403, 403],
    Role.APPROVING_OFFICIAL:[403, 403, 403, 403, 403, 403, 403, 403, 403],
    Role.TARGETING_ANALYST: [403, 403, 403, 403, 403, 403, 403, 403, 403],
    Role.PORT_OFFICER:      [403, 403, 403, 403, 403, 403, 403, 403, 403],
    Role.HSI_LIAISON:       [403, 403, 403, 403, 403, 403, 403, 403, 403],
    Role.IMPORTER:          [403, 403, 403, 403, 403, 403, 403, 403, 403],
    Role.PUBLIC:            [403, 403, 403, 403, 403, 403, 403, 403, 403],
}  # fmt: skip


@pytest.mark.parametrize("role", list(MATRIX), ids=lambda r: r or "anonymous")
def test_quality_api_by_role(role, supervisor, commodity):
    report = legacy_import(
        actor=supervisor, data=workbook_bytes([ROW]), file_name="old.xlsx", mapping_text=MAPPING
    )
    record = LegacyRecord.objects.get()
    user = UserFactory(role=role, username=f"matrix-{role}") if role else None
    client = api(user)
    got = []
    for _name, method, template in COLUMNS:
        url = template.format(record=record.pk, run=report.run_id)
        response = getattr(client, method)(url, {}, format="json")
        got.append(response.status_code)
    assert dict(zip([c[0] for c in COLUMNS], got, strict=True)) == dict(
        zip([c[0] for c in COLUMNS], MATRIX[role], strict=True)
    )


def test_report_summary_counts_per_field_and_status(supervisor, commodity):
    CaseFactory(commodity=commodity, phase="investigation")  # no evidence sources
    CaseFactory(
        commodity=commodity,
        phase="investigation",
        status="suspended",
        suspension_reason="lack_of_personnel",
    )
    body = api(supervisor).get("/api/data-quality/").json()
    assert body["summary"].endswith(f"of {body['fields_total']} hold inconsistent values.")
    assert f"of {body['fields_total']} fields have missing entries" in body["summary"]
    assert body["case_counts"] == {"active": 1, "suspended": 1, "inactive": 0}
    sources = next(f for f in body["fields"] if f["name"] == "evidence_sources")
    assert sources["missing"] == {"active": 1, "suspended": 1, "inactive": 0}
    assert sources["required"] == "from Investigation"
    assert body["own_cases_only"] is False
    assert {r["code"] for r in body["rules"]} >= {"QC-VOCAB", "QC-PHASE-TEXT"}


def test_drill_down_names_the_analyst_and_only_own_cases(case_analyst, supervisor, commodity):
    mine = CaseFactory(commodity=commodity, phase="investigation", assigned_analyst=case_analyst)
    other = CaseFactory(commodity=commodity, phase="investigation")
    rows = results(api(case_analyst).get("/api/data-quality/fields/evidence_sources/"))
    assert [r["number"] for r in rows] == [mine.number]
    assert rows[0]["analyst"] == case_analyst.username
    assert rows[0]["problems"] == ["Evidence sources is missing (required from Investigation)."]
    assert api(case_analyst).get("/api/data-quality/").json()["own_cases_only"] is True
    everyone = results(api(supervisor).get("/api/data-quality/fields/evidence_sources/"))
    assert {r["number"] for r in everyone} == {mine.number, other.number}
    active_only = api(supervisor).get(
        "/api/data-quality/fields/evidence_sources/", {"status": "inactive"}
    )
    assert results(active_only) == []


def test_rule_drill_down_and_bad_parameters(supervisor, commodity):
    case = CaseFactory(commodity=commodity, phase="investigation")
    case.updates.create(occurred_on=case.opened_on, text="Sent to Chief Counsel for review.")
    rows = results(api(supervisor).get("/api/data-quality/rules/QC-PHASE-TEXT/"))
    assert [r["number"] for r in rows] == [case.number]
    assert rows[0]["problems"][0].startswith("QC-PHASE-TEXT:")
    inconsistent = api(supervisor).get(
        "/api/data-quality/fields/updates/", {"kind": "inconsistent"}
    )
    assert [r["number"] for r in results(inconsistent)] == [case.number]
    assert api(supervisor).get("/api/data-quality/rules/QC-NOPE/").status_code == 404
    unknown = api(supervisor).get("/api/data-quality/fields/colour/")
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == "No such field in the data dictionary."
    bad = api(supervisor).get("/api/data-quality/fields/hts_code/", {"status": "closed"})
    assert bad.status_code == 400
    assert "status" in bad.json()


def test_sensitive_cases_never_leak(make_user, commodity):
    user = make_user(Role.SUPERVISOR, username="api-no-sensitive")
    user.groups.clear()
    for code in ("view_case", "view_quality_report", "view_all_quality"):
        user.user_permissions.add(Permission.objects.get(codename=code))
    hidden = CaseFactory(commodity=commodity, phase="investigation", law_enforcement_sensitive=True)
    shown = CaseFactory(commodity=commodity, phase="investigation")
    client = api(user)
    rows = results(client.get("/api/data-quality/fields/evidence_sources/"))
    assert [r["number"] for r in rows] == [shown.number]
    body = client.get("/api/data-quality/").json()
    assert body["case_counts"]["active"] == 1
    assert hidden.number not in client.get("/api/data-quality/").content.decode()


def test_snapshots_post_and_history(supervisor, commodity):
    CaseFactory(commodity=commodity)
    client = api(supervisor)
    created = client.post("/api/data-quality/snapshots/", {}, format="json")
    assert created.status_code == 201
    assert created.json()["taken_by"] == supervisor.username
    assert "fields have missing entries" in created.json()["summary"]
    client.post("/api/data-quality/snapshots/", {}, format="json")
    history = results(client.get("/api/data-quality/snapshots/"))
    assert len(history) == 2 == QualitySnapshot.objects.count()
    assert history[0]["id"] > history[1]["id"]
    refused = client.post("/api/data-quality/snapshots/", {"when": "now"}, format="json")
    assert refused.status_code == 400
    assert "when" in refused.json()


def test_review_queue_filter_by_run_and_mark_reviewed(supervisor, case_analyst, commodity):
    first = legacy_import(
        actor=supervisor, data=workbook_bytes([ROW]), file_name="one.xlsx", mapping_text=MAPPING
    )
    second_row = [*ROW]
    second_row[0], second_row[1], second_row[9] = "L-200", "Gloves", case_analyst.username
    second = legacy_import(
        actor=supervisor,
        data=workbook_bytes([second_row]),
        file_name="two.xlsx",
        mapping_text=MAPPING,
    )
    client = api(supervisor)
    everything = results(client.get("/api/data-quality/legacy/"))
    assert [r["title"] for r in everything] == ["Shirts", "Gloves"]
    only = results(client.get("/api/data-quality/legacy/", {"run": second.run_id}))
    assert [r["file_name"] for r in only] == ["two.xlsx"]
    assert "no evidence sources (required from Investigation)" in only[0]["issues"]
    mine = results(api(case_analyst).get("/api/data-quality/legacy/"))
    assert [r["title"] for r in mine] == ["Gloves"]
    record = LegacyRecord.objects.get(run_id=first.run_id)
    done = client.post(
        f"/api/data-quality/legacy/{record.pk}/review/", {"note": "Added."}, format="json"
    )
    assert done.status_code == 200
    assert done.json()["reviewed_by"] == supervisor.username
    assert done.json()["review_note"] == "Added."
    assert [r["title"] for r in results(client.get("/api/data-quality/legacy/"))] == ["Gloves"]
    again = client.post(f"/api/data-quality/legacy/{record.pk}/review/", {}, format="json")
    assert again.status_code == 404


def test_import_runs_list_and_detail(supervisor, commodity):
    bad = [*ROW]
    bad[0], bad[1] = "L-300", ""  # no title: rejected
    report = legacy_import(
        actor=supervisor,
        data=workbook_bytes([ROW, bad]),
        file_name="old.xlsx",
        mapping_text=MAPPING,
    )
    client = api(supervisor)
    runs = results(client.get("/api/data-quality/legacy/imports/"))
    assert [r["file_name"] for r in runs] == ["old.xlsx"]
    assert runs[0]["counts"]["needs_review"] == 1
    assert runs[0]["counts"]["rejected"] == 1
    assert runs[0]["rows"] == 2
    detail = client.get(f"/api/data-quality/legacy/imports/{report.run_id}/").json()
    assert detail["awaiting_review"] == 1
    assert detail["file_sha256"] == report.file_sha256
    assert "[columns]" in detail["mapping_text"]
    assert client.get("/api/data-quality/legacy/imports/999999/").status_code == 404
