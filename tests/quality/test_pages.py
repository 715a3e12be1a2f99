"""The data-quality pages: role × page, drill-downs that respect visibility, the snapshot button,
the review queue, the upload page with its dry run, and the case-page panel."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from withhold.accounts.roles import Role
from withhold.cases.models import Case
from withhold.quality.models import LegacyRecord, QualitySnapshot
from withhold.quality.services import legacy_import

from ..factories import CaseFactory, UserFactory
from .conftest import MAPPING, workbook_bytes

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}
A = "Workers report their identity documents are withheld by the employer."
ROW = ["L-100", "Shirts", A, "Cotton", "CN", "ngo", "2019-03-15", "2019-04-01", "2",
       "", "Mill", "", "", ""]  # fmt: skip

COLUMNS = [
    ("report", "/data-quality/"),
    ("field", "/data-quality/fields/evidence_sources/"),
    ("rule", "/data-quality/rules/QC-PHASE-TEXT/"),
    ("queue", "/data-quality/legacy/"),
    ("upload", "/data-quality/legacy/import/"),
    ("panel", "/data-quality/cases/{case}/legacy/"),
]
#                          rep  fld  rule que  upl  panel
MATRIX = {
    None:                   [302, 302, 302, 302, 302, 302],
    Role.INTAKE_ANALYST:    [403, 403, 403, 403, 403, 403],
    Role.CASE_ANALYST:      [200, 200, 200, 200, 403, 200],
    Role.SUPERVISOR:        [200, 200, 200, 200, 200, 200],
    Role.CHIEF_COUNSEL:     [403, 403, 403, 403, 403, 403],
    Role.APPROVING_OFFICIAL:[403, 403, 403, 403, 403, 403],
    Role.TARGETING_ANALYST: [403, 403, 403, 403, 403, 403],
    Role.PORT_OFFICER:      [403, 403, 403, 403, 403, 403],
    Role.HSI_LIAISON:       [403, 403, 403, 403, 403, 403],
    Role.IMPORTER:          [403, 403, 403, 403, 403, 403],
    Role.PUBLIC:            [403, 403, 403, 403, 403, 403],
}  # fmt: skip


@pytest.mark.parametrize("role", list(MATRIX), ids=lambda r: r or "anonymous")
def test_quality_pages_by_role(role, client, commodity):
    case = CaseFactory(commodity=commodity)
    if role is not None:
        client.force_login(UserFactory(role=role, username=f"matrix-{role}"))
    got = [client.get(t.format(case=case.number), **HOST).status_code for _, t in COLUMNS]
    assert dict(zip([c[0] for c in COLUMNS], got, strict=True)) == dict(
        zip([c[0] for c in COLUMNS], MATRIX[role], strict=True)
    )


def test_snapshot_needs_a_supervisor(client, case_analyst, supervisor):
    client.force_login(case_analyst)
    assert client.post("/data-quality/snapshots/", **HOST).status_code == 403
    client.force_login(supervisor)
    response = client.post("/data-quality/snapshots/", **HOST)
    assert response.status_code == 302
    assert QualitySnapshot.objects.count() == 1


def test_report_shows_gao_summary_and_trend(client, supervisor, commodity):
    CaseFactory(commodity=commodity, phase="investigation")  # no analyst, no evidence sources
    client.force_login(supervisor)
    client.post("/data-quality/snapshots/", **HOST)
    client.post("/data-quality/snapshots/", **HOST)
    page = client.get("/data-quality/", **HOST).content.decode()
    assert "fields have missing entries" in page
    assert "Active cases (1):" in page
    assert 'id="quality-trend"' in page
    drill = client.get("/data-quality/fields/evidence_sources/?status=active", **HOST)
    assert drill.status_code == 200
    assert Case.objects.get().number in drill.content.decode()
    csv = client.get("/data-quality/fields/evidence_sources/?format=csv", **HOST)
    assert csv["Content-Type"].startswith("text/csv")
    assert Case.objects.get().number in b"".join(csv.streaming_content).decode()
    report_csv = b"".join(client.get("/data-quality/?format=csv", **HOST).streaming_content)
    assert b"evidence_sources,from Investigation" in report_csv


def test_analyst_sees_only_own_cases(client, case_analyst, commodity):
    mine = CaseFactory(commodity=commodity, phase="investigation", assigned_analyst=case_analyst)
    other = CaseFactory(commodity=commodity, phase="investigation")
    client.force_login(case_analyst)
    page = client.get("/data-quality/fields/evidence_sources/", **HOST).content.decode()
    assert mine.number in page
    assert other.number not in page
    assert "Your cases only" in client.get("/data-quality/", **HOST).content.decode()


def test_sensitive_cases_hidden_from_drill_down(client, make_user, commodity):
    user = make_user(Role.SUPERVISOR, username="no-sensitive")
    from django.contrib.auth.models import Permission

    user.groups.clear()
    for code in ("view_case", "view_quality_report", "view_all_quality"):
        user.user_permissions.add(Permission.objects.get(codename=code))
    hidden = CaseFactory(commodity=commodity, phase="investigation", law_enforcement_sensitive=True)
    shown = CaseFactory(commodity=commodity, phase="investigation")
    client.force_login(user)
    page = client.get("/data-quality/fields/evidence_sources/", **HOST).content.decode()
    assert shown.number in page
    assert hidden.number not in page


def test_review_queue_and_case_panel(client, supervisor, commodity):
    legacy_import(
        actor=supervisor,
        data=workbook_bytes([ROW]),
        file_name="old.xlsx",
        mapping_text=MAPPING,
    )
    record = LegacyRecord.objects.get()
    assert record.outcome == "needs_review"
    client.force_login(supervisor)
    queue = client.get("/data-quality/legacy/", **HOST).content.decode()
    assert record.case.number in queue
    assert "no evidence sources (required from Investigation)" in queue
    panel = client.get(f"/data-quality/cases/{record.case.number}/legacy/", **HOST)
    assert "old.xlsx, row 2" in panel.content.decode()
    assert "Needs review" in panel.content.decode()
    response = client.post(
        f"/data-quality/legacy/{record.pk}/review/", {"note": "Sources added."}, **HOST
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.reviewed_by == supervisor
    # The run's outcomes by their labels, not their keys.
    assert "Imported, needs review: 1" in queue and "needs_review" not in queue
    after = client.get("/data-quality/legacy/", **HOST).content.decode()
    assert "marked reviewed" in after
    assert 'id="review-queue"' not in after


def test_upload_page_dry_run_then_import(client, supervisor, commodity):
    client.force_login(supervisor)

    def send(dry_run):
        data = {
            "file": SimpleUploadedFile("old.xlsx", workbook_bytes([ROW])),
            "mapping": SimpleUploadedFile("map.toml", MAPPING.encode()),
        }
        if dry_run:
            data["dry_run"] = "on"
        return client.post("/data-quality/legacy/import/", data, **HOST)

    page = send(True).content.decode()
    assert "Dry run: nothing was written" in page
    assert "row 2: imported, needs review" in page
    assert Case.objects.count() == 0
    send(False)
    assert Case.objects.count() == 1


def test_upload_page_names_a_bad_mapping_key(client, supervisor, commodity):
    client.force_login(supervisor)
    response = client.post(
        "/data-quality/legacy/import/",
        {
            "file": SimpleUploadedFile("old.csv", b"a,b\n1,2\n"),
            "mapping": SimpleUploadedFile("map.toml", b'[columns]\n"A" = "titel"\n'),
            "dry_run": "on",
        },
        **HOST,
    )
    assert response.status_code == 400
    assert "columns.“A”: “titel” is not a field" in response.content.decode()


def test_review_queue_search_and_csv(client, supervisor, commodity):
    second = [*ROW]
    second[0], second[1] = "L-200", "Gloves"
    legacy_import(
        actor=supervisor,
        data=workbook_bytes([ROW, second]),
        file_name="old.xlsx",
        mapping_text=MAPPING,
    )
    client.force_login(supervisor)
    page = client.get("/data-quality/legacy/?q=L-200", **HOST).content.decode()
    assert "Gloves" in page
    assert "Shirts" not in page
    csv = b"".join(client.get("/data-quality/legacy/?q=L-200&format=csv", **HOST).streaming_content)
    assert b"Gloves" in csv and b"Shirts" not in csv


def test_an_analyst_cannot_clear_a_flag(client, supervisor, case_analyst, commodity):
    row = [*ROW]
    row[9] = case_analyst.username
    legacy_import(
        actor=supervisor, data=workbook_bytes([row]), file_name="old.xlsx", mapping_text=MAPPING
    )
    record = LegacyRecord.objects.get()
    client.force_login(case_analyst)
    assert record.case.number in client.get("/data-quality/legacy/", **HOST).content.decode()
    assert client.post(f"/data-quality/legacy/{record.pk}/review/", **HOST).status_code == 403
    record.refresh_from_db()
    assert record.reviewed_at is None


@pytest.mark.parametrize(
    ("role", "shown"),
    [(Role.SUPERVISOR, True), (Role.CASE_ANALYST, True), (Role.INTAKE_ANALYST, False)],
)
def test_case_page_loads_the_legacy_panel(client, commodity, role, shown):
    case = CaseFactory(commodity=commodity)
    user = UserFactory(role=role, username=f"panel-{role}")
    client.force_login(user)
    response = client.get(f"/cases/{case.number}/", **HOST)
    if response.status_code == 200:
        assert (f"/data-quality/cases/{case.number}/legacy/" in response.content.decode()) == shown
    else:
        assert not shown


def test_report_queries_do_not_grow_with_the_cases(client, supervisor, commodity):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(supervisor)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/data-quality/", **HOST).status_code == 200
            assert client.get("/data-quality/rules/QC-PHASE-TEXT/", **HOST).status_code == 200
            assert client.get("/data-quality/fields/entities/", **HOST).status_code == 200
        return len(queries)

    first = CaseFactory(commodity=commodity, phase="investigation")
    first.updates.create(occurred_on=first.opened_on, text="Sent to Chief Counsel.")
    few = count()
    for _ in range(8):
        case = CaseFactory(commodity=commodity, phase="investigation")
        case.updates.create(occurred_on=case.opened_on, text="Sent to Chief Counsel.")
    assert count() == few
