"""The evidence API under /api/: the same rules as the evidence pages, as a client program sees
them — evidence with files and custody, the indicator matrix, supply links and the graph, trade
data, the allegation report, duplicate entities, and the demo data."""

import datetime as dt
import hashlib
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from withhold.accounts.models import User
from withhold.accounts.roles import Role
from withhold.audit.models import AuditEntry
from withhold.cases import services as case_services
from withhold.cases.models import Case, CaseDocument, CaseEntity, Phase
from withhold.entities.models import Entity
from withhold.evidence.models import EvidenceItem, SupplyLink, TradeEntry, TradeUpload
from withhold.reference.models import IloIndicator

from ..factories import EntityFactory, UserFactory
from .conftest import PDF_BYTES, add_evidence, csv_file, pdf

pytestmark = pytest.mark.django_db

GOOD_CSV = (
    "date,importer,manufacturer,hts,quantity,value,port\n"
    "2025-03-01,Example Imports LLC,Example Spinning Mill,5201,100,2500.00,Los Angeles\n"
    "2025-07-15,Example Imports LLC,Example Spinning Mill,5201,50,1250.50,Los Angeles\n"
    "2026-01-10,Other Importer Inc,Example Spinning Mill,5201,10,300.00,Savannah\n"
)


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def url(case: Case, suffix: str = "") -> str:
    return f"/api/cases/{case.number}/{suffix}"


def evidence_body(**overrides) -> dict:
    body = {
        "kind": "audit_report",
        "source": "social_audit",
        "obtained_on": (timezone.localdate() - dt.timedelta(days=2)).isoformat(),
        "description": "The audit found recruitment fees deducted from wages.",
        "language": "English",
        "source_reliability": "A",
        "information_credibility": "2",
        "indicators": [IloIndicator.objects.get(number=8).pk],
    }
    body.update(overrides)
    return body


@pytest.fixture
def chain(case, case_analyst):
    """The case's supplier plus a buyer, so a link can be drawn between them."""
    supplier = case.case_entities.get().entity
    buyer = EntityFactory(name="Example Garment Factory", country="CN")
    case_services.case_entity_link(case=case, entity=buyer, role="manufacturer", actor=case_analyst)
    return supplier, buyer


# --- Evidence items ------------------------------------------------------------------------------


def test_adding_evidence_with_a_file_lists_it_and_derives_the_case_sources(case, case_analyst):
    body = evidence_body(file=pdf("audit-2026.pdf"))

    response = api(case_analyst).post(url(case, "evidence/"), body, format="multipart")

    assert response.status_code == 201, response.json()
    added = response.json()
    assert added["file"]["name"] == "audit-2026.pdf"
    assert added["file"]["sha256"] == hashlib.sha256(PDF_BYTES).hexdigest()
    assert added["grade"] == "A2"
    assert [i["number"] for i in added["indicators"]] == [8]
    listed = api(case_analyst).get(url(case, "evidence/")).json()
    assert [i["description"] for i in listed] == [body["description"]]
    assert api(case_analyst).get(url(case)).json()["evidence_sources"] == ["social_audit"]


def test_bad_evidence_is_refused_naming_the_field_and_nothing_is_stored(case, case_analyst):
    future = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    response = api(case_analyst).post(
        url(case, "evidence/"), evidence_body(obtained_on=future, source="rumour"), format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"obtained_on", "source"}
    assert not EvidenceItem.objects.exists()


def test_a_file_that_is_not_what_it_claims_is_refused(case, case_analyst):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = api(case_analyst).post(
        url(case, "evidence/"), evidence_body(file=fake), format="multipart"
    )
    assert response.status_code == 400
    assert "file" in response.json()
    assert not EvidenceItem.objects.exists()


def test_download_returns_the_file_and_the_custody_shows_who_downloaded_it(
    case, case_analyst, chief_counsel
):
    item = add_evidence(case, case_analyst, uploaded_file=pdf())

    response = api(chief_counsel).get(url(case, f"evidence/{item.pk}/file/"))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    detail = api(chief_counsel).get(url(case, f"evidence/{item.pk}/")).json()
    assert [(c["action"], c["actor"]) for c in detail["custody"]] == [
        ("EVIDENCE_ADDED", "case_analyst"),
        ("EVIDENCE_DOWNLOADED", "chief_counsel"),
        ("EVIDENCE_VIEWED", "chief_counsel"),
    ]


def test_removing_evidence_needs_a_reason_and_leaves_the_list(case, case_analyst):
    item = add_evidence(case, case_analyst)
    client = api(case_analyst)

    refused = client.delete(url(case, f"evidence/{item.pk}/"), {}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()

    done = client.delete(
        url(case, f"evidence/{item.pk}/"), {"reason": "Wrong case."}, format="json"
    )
    assert done.status_code == 204
    assert client.get(url(case, "evidence/")).json() == []
    removed = AuditEntry.objects.get(action="EVIDENCE_REMOVED")
    assert removed.data["reason"] == "Wrong case."


def test_indicator_matrix_counts_items_by_source_grade(case, case_analyst):
    seven = IloIndicator.objects.get(number=7).pk
    add_evidence(case, case_analyst, indicators=[seven], source_reliability="B")
    add_evidence(case, case_analyst, indicators=[seven], source_reliability="A")

    rows = api(case_analyst).get(url(case, "indicator-matrix/")).json()

    assert len(rows) == 11
    row = next(r for r in rows if r["number"] == 7)
    assert (row["total"], row["counts"], row["best_grade"]) == (2, {"A": 1, "B": 1}, "A")
    assert all(r["total"] == 0 for r in rows if r["number"] != 7)


def test_evidence_list_queries_do_not_grow_with_items(case, case_analyst):
    add_evidence(case, case_analyst)
    client = api(case_analyst)
    with CaptureQueriesContext(connection) as one:
        client.get(url(case, "evidence/"))
    for _ in range(4):
        add_evidence(case, case_analyst, uploaded_file=pdf())
    with CaptureQueriesContext(connection) as five:
        assert len(client.get(url(case, "evidence/")).json()) == 5
    assert len(five) == len(one)


# --- Supply links and the graph ------------------------------------------------------------------


def test_supply_link_appears_in_the_list_graph_and_svg_and_can_be_removed(
    case, case_analyst, chain
):
    supplier, buyer = chain
    item = add_evidence(case, case_analyst)
    client = api(case_analyst)

    response = client.post(
        url(case, "supply-links/"),
        {"supplier": supplier.pk, "buyer": buyer.pk, "goods": "Cotton yarn", "evidence": [item.pk]},
        format="json",
    )

    assert response.status_code == 201, response.json()
    link_id = response.json()["id"]
    listed = client.get(url(case, "supply-links/")).json()
    assert [(ln["supplier"]["name"], ln["buyer"]["name"], ln["goods"]) for ln in listed] == [
        ("Example Spinning Mill", "Example Garment Factory", "Cotton yarn")
    ]
    graph = client.get(url(case, "supply-chain/")).json()
    assert {n["label"] for n in graph["nodes"]} == {
        "Example Spinning Mill",
        "Example Garment Factory",
    }
    assert [(e["supplier_id"], e["buyer_id"], e["evidence_count"]) for e in graph["edges"]] == [
        (supplier.pk, buyer.pk, 1)
    ]
    svg = client.get(url(case, "supply-chain.svg"))
    assert svg["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in svg.content and b"Cotton yarn" in svg.content

    assert client.delete(url(case, f"supply-links/{link_id}/")).status_code == 204
    assert client.get(url(case, "supply-chain/")).json()["edges"] == []


def test_supply_link_to_an_entity_outside_the_case_names_the_field(case, case_analyst):
    supplier = case.case_entities.get().entity
    stranger = EntityFactory(name="Unrelated Co", country="CN")
    response = api(case_analyst).post(
        url(case, "supply-links/"),
        {"supplier": supplier.pk, "buyer": stranger.pk, "goods": "Yarn"},
        format="json",
    )
    assert response.status_code == 400
    assert "not in this case's supply chain" in response.json()["buyer"][0]
    assert not SupplyLink.objects.exists()


# --- Trade data ----------------------------------------------------------------------------------


def test_trade_upload_stores_the_rows_and_summarises_them(case, case_analyst, targeting_analyst):
    response = api(case_analyst).post(
        url(case, "trade-data/"), {"file": csv_file(GOOD_CSV)}, format="multipart"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["row_count"] == 3
    summary = api(targeting_analyst).get(url(case, "trade-data/")).json()
    assert summary["entries"] == 3
    assert summary["total_value"] == "4050.50"
    assert [(r["year"], r["entries"]) for r in summary["by_year"]] == [(2025, 2), (2026, 1)]
    assert summary["by_importer"][0]["importer"] == "Example Imports LLC"
    assert [r["hts_code"] for r in summary["by_hts"]] == ["5201"]
    assert [u["original_name"] for u in summary["uploads"]] == ["entries.csv"]


def test_bad_trade_row_is_reported_by_row_and_field_and_nothing_is_stored(case, case_analyst):
    bad = GOOD_CSV + "2025-08-01,Example Imports LLC,Example Spinning Mill,5201,lots,99.00,LA\n"

    response = api(case_analyst).post(
        url(case, "trade-data/"), {"file": csv_file(bad)}, format="multipart"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "row": 5,
            "column": "quantity",
            "message": "“lots” is not a number (use the digits 0-9 and one “.”).",
        }
    ]
    assert "not stored" in response.json()["detail"]
    assert TradeUpload.objects.count() == 0 and TradeEntry.objects.count() == 0


# --- Allegation report ---------------------------------------------------------------------------


def test_generating_the_report_attaches_the_pdf_to_the_case(case, case_analyst):
    add_evidence(case, case_analyst)

    response = api(case_analyst).post(url(case, "allegation-report/"))

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kind"] == "allegation_report" and body["content_type"] == "application/pdf"
    document = CaseDocument.objects.get(case=case)
    assert document.kind == "allegation_report" and document.sha256 == body["sha256"]
    assert document.file.read().startswith(b"%PDF")


# --- Duplicate entities --------------------------------------------------------------------------


def test_same_manufacturer_in_two_cases_becomes_one_entity_through_the_api(
    case, case_analyst, supervisor, commodity
):
    first = EntityFactory(name="Xinjiang Example Textile Co., Ltd.", country="CN")
    case_services.case_entity_link(case=case, entity=first, role="manufacturer", actor=case_analyst)
    other_case = case_services.case_create(
        actor=supervisor,
        title="Garments",
        allegation_summary="Second allegation.",
        commodity=commodity,
        source_country="CN",
        referral_source="media",
        received_on=timezone.localdate() - dt.timedelta(days=2),
    )
    second = EntityFactory(name="XINJIANG EXAMPLE TEXTILES CO LTD", country="CN")
    case_services.case_entity_link(
        case=other_case, entity=second, role="manufacturer", actor=case_analyst
    )
    client = api(case_analyst)

    suggested = client.get(f"/api/entities/{first.pk}/duplicates/").json()
    assert [(s["entity"]["id"], s["entity"]["name"]) for s in suggested] == [
        (second.pk, "XINJIANG EXAMPLE TEXTILES CO LTD")
    ]
    assert suggested[0]["score"] >= 80

    merged = client.post(
        f"/api/entities/{first.pk}/duplicates/", {"duplicate": second.pk}, format="json"
    )

    assert merged.status_code == 200, merged.json()
    assert "XINJIANG EXAMPLE TEXTILES CO LTD" in merged.json()["aliases"]
    assert not Entity.objects.filter(pk=second.pk).exists()
    assert set(CaseEntity.objects.filter(entity=first).values_list("case", flat=True)) == {
        case.pk,
        other_case.pk,
    }
    assert client.get(f"/api/entities/{first.pk}/duplicates/").json() == []


def test_merge_of_a_missing_entity_names_the_field(case_analyst):
    first = EntityFactory(name="Example Co", country="CN")
    response = api(case_analyst).post(
        f"/api/entities/{first.pk}/duplicates/", {"duplicate": 999999}, format="json"
    )
    assert response.status_code == 400 and "duplicate" in response.json()


# --- Who may do what -----------------------------------------------------------------------------

COLUMNS = [
    ("list", "get", "evidence/"),
    ("item", "get", "evidence/{item}/"),
    ("file", "get", "evidence/{item}/file/"),
    ("add", "post", "evidence/"),
    ("remove", "delete", "evidence/{item}/"),
    ("matrix", "get", "indicator-matrix/"),
    ("links", "get", "supply-links/"),
    ("link_add", "post", "supply-links/"),
    ("graph", "get", "supply-chain/"),
    ("svg", "get", "supply-chain.svg"),
    ("trade", "get", "trade-data/"),
    ("trade_add", "post", "trade-data/"),
    ("report", "post", "allegation-report/"),
    ("link_remove", "delete", "supply-links/{link}/"),
    ("duplicates", "get", "/api/entities/{entity}/duplicates/"),
    ("merge", "post", "/api/entities/{entity}/duplicates/"),
]
# Writes are sent empty (400 = allowed through to validation), except the report (201) and the
# link removal (204), which are done for real.
READER = [200, 200, 200, 403, 403, 200, 200, 403, 200, 200, 200, 403, 403, 403, 200, 403]
WORKER = [200, 200, 200, 400, 400, 200, 200, 400, 200, 200, 200, 400, 201, 204, 200, 400]
NO_EVIDENCE = [403] * 14
API_MATRIX = {
    Role.INTAKE_ANALYST: READER,
    Role.CASE_ANALYST: WORKER,
    Role.SUPERVISOR: WORKER,
    Role.CHIEF_COUNSEL: READER,
    Role.APPROVING_OFFICIAL: READER,
    Role.TARGETING_ANALYST: READER,
    # HSI sees only cases HSI was notified of: this one is "not found", as a missing one.
    Role.HSI_LIAISON: [404] * 14 + [200, 403],
    Role.PORT_OFFICER: NO_EVIDENCE + [200, 403],
    Role.IMPORTER: NO_EVIDENCE + [403, 403],
    Role.PUBLIC: NO_EVIDENCE + [403, 403],
    None: NO_EVIDENCE + [403, 403],
}


@pytest.mark.parametrize("role", list(API_MATRIX), ids=lambda r: r or "anonymous")
def test_api_permission_matrix(role, case, case_analyst, chain):
    supplier, buyer = chain
    item = add_evidence(case, case_analyst, uploaded_file=pdf())
    link = SupplyLink.objects.create(
        case=case, supplier=supplier, buyer=buyer, goods="Yarn", added_by=case_analyst
    )
    client = api(UserFactory(role=role) if role else None)
    got = {}
    for name, method, path in COLUMNS:
        path = path.format(item=item.pk, link=link.pk, entity=supplier.pk)
        target = path if path.startswith("/api/") else url(case, path)
        fmt = "multipart" if name in ("add", "trade_add") else "json"
        got[name] = getattr(client, method)(target, {}, format=fmt).status_code
    assert got == dict(zip([c[0] for c in COLUMNS], API_MATRIX[role], strict=True))


def test_hidden_and_missing_cases_get_the_same_404(case, hsi_liaison):
    client = api(hsi_liaison)
    for suffix in ("evidence/", "indicator-matrix/", "supply-chain/", "trade-data/"):
        hidden = client.get(url(case, suffix))
        missing = client.get(f"/api/cases/FL-1999-9999/{suffix}")
        assert hidden.status_code == missing.status_code == 404
        assert (
            hidden.json()["detail"].replace(case.number, "FL-1999-9999")
            == (missing.json()["detail"])
        )


def test_law_enforcement_sensitive_item_is_hidden_from_roles_without_clearance(
    case, case_analyst, targeting_analyst
):
    open_item = add_evidence(case, case_analyst, description="Open NGO report.")
    les = add_evidence(
        case,
        case_analyst,
        description="Sensitive informant statement.",
        law_enforcement_sensitive=True,
        uploaded_file=pdf(),
    )
    cleared, uncleared = api(case_analyst), api(targeting_analyst)

    assert {i["id"] for i in cleared.get(url(case, "evidence/")).json()} == {open_item.pk, les.pk}
    assert [i["id"] for i in uncleared.get(url(case, "evidence/")).json()] == [open_item.pk]
    assert uncleared.get(url(case, f"evidence/{les.pk}/")).status_code == 404
    assert uncleared.get(url(case, f"evidence/{les.pk}/file/")).status_code == 404
    seven = next(
        r for r in uncleared.get(url(case, "indicator-matrix/")).json() if r["number"] == 7
    )
    assert seven["total"] == 1
    assert not AuditEntry.objects.filter(action="EVIDENCE_DOWNLOADED").exists()


# --- Demo data -----------------------------------------------------------------------------------


def test_demo_evidence_loads_once_and_every_record_is_labelled(client):
    call_command("load_reference", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    counts = (
        EvidenceItem.objects.count(),
        SupplyLink.objects.count(),
        TradeUpload.objects.count(),
        TradeEntry.objects.count(),
    )
    call_command("load_demo", stdout=io.StringIO())  # twice: nothing doubled

    assert counts == (
        EvidenceItem.objects.count(),
        SupplyLink.objects.count(),
        TradeUpload.objects.count(),
        TradeEntry.objects.count(),
    )
    later = Case.objects.filter(
        is_demo=True, phase__in=[Phase.INVESTIGATION, Phase.LEGAL_REVIEW, Phase.IMPLEMENTATION]
    )
    assert later.exists()
    # Every demo case from investigation on has evidence (its sources come from it); the only
    # items elsewhere record the sources a legacy spreadsheet row lists (graded F6).
    assert set(EvidenceItem.objects.values_list("case", flat=True)) >= set(
        later.values_list("pk", flat=True)
    )
    elsewhere = EvidenceItem.objects.exclude(case__in=later)
    assert all(i.grade == "F6" and "legacy" in i.description for i in elsewhere)
    assert counts[1] > 0 and counts[2] == later.count() and counts[3] > 0
    for model in (EvidenceItem, SupplyLink, TradeUpload, TradeEntry):
        assert not model.objects.filter(is_demo=False).exists(), model
    assert all(i.description.startswith("DEMO") for i in EvidenceItem.objects.all())
    assert EvidenceItem.objects.exclude(file="").exists()
    shown = SupplyLink.objects.select_related("case").first().case
    client.force_login(User.objects.get(username="analyst"))
    page = client.get(f"/cases/{shown.number}/evidence/", HTTP_HOST="127.0.0.1").content.decode()
    assert page.count(">Demo</span>") >= 3  # items, the link, the trade upload
    assert "DEMO" in page
