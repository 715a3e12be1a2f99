"""The JSON API under /api/: the same rules as the pages, as a client program sees them."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS
from rest_framework.test import APIClient

from withhold.accounts.roles import Role
from withhold.audit.models import AuditEntry
from withhold.cases.models import Case, Task
from withhold.evidence import services as evidence_services
from withhold.reference.models import IloIndicator

from ..factories import CaseEntityFactory, CaseFactory, EntityFactory, TaskFactory

TODAY = timezone.localdate


@pytest.fixture
def api():
    def client_for(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return client_for


def case_url(case: Case, suffix: str = "") -> str:
    return f"/api/cases/{case.number}/{suffix}"


def new_case_body(commodity, **overrides) -> dict:
    return {
        "title": "Gloves from Example Rubber",
        "allegation_summary": "Migrant workers pay recruitment fees and their passports are held.",
        "commodity": commodity.pk,
        "source_country": "my",
        "referral_source": "ngo",
        "received_on": (TODAY() - dt.timedelta(days=3)).isoformat(),
        **overrides,
    }


# --- Creating and editing ----------------------------------------------------------------------


def test_create_opens_case_in_initiation_with_its_supply_chain(api, case_analyst, commodity):
    entity = EntityFactory(name="Example Rubber Sdn Bhd", country="MY")
    indicator = IloIndicator.objects.get(number=7)
    body = new_case_body(
        commodity,
        ilo_indicators=[indicator.pk],
        entities=[{"entity": entity.pk, "role": "manufacturer"}],
    )

    response = api(case_analyst).post("/api/cases/", body, format="json")

    assert response.status_code == 201, response.json()
    created = response.json()
    assert re.fullmatch(rf"FL-{TODAY().year}-[0-9A-HJKMNP-TV-Z]{{6}}", created["number"])
    assert created["phase"] == "initiation"
    assert created["status"] == "active"
    assert created["source_country"] == "MY"
    assert created["opened_on"] == TODAY().isoformat()
    assert created["phase_entered_on"] == {"initiation": TODAY().isoformat()}
    assert created["evidence_sources"] == []  # derived from evidence items: none yet
    assert [i["name"] for i in created["ilo_indicators"]] == ["Retention of identity documents"]
    assert [(e["entity"]["name"], e["role"]) for e in created["entities"]] == [
        ("Example Rubber Sdn Bhd", "manufacturer")
    ]
    shown = api(case_analyst).get(f"/api/cases/{created['number']}/").json()
    assert shown["title"] == "Gloves from Example Rubber"
    assert shown["is_demo"] is False


def test_create_reports_each_invalid_field_by_name(api, case_analyst, commodity):
    client = api(case_analyst)

    malformed = client.post(
        "/api/cases/", new_case_body(commodity, received_on="soon", titel="typo"), format="json"
    )
    invalid = client.post(
        "/api/cases/",
        new_case_body(commodity, source_country="XX", hts_code="5201999"),
        format="json",
    )

    assert malformed.status_code == 400
    assert set(malformed.json()) == {"received_on", "titel"}
    assert invalid.status_code == 400
    assert set(invalid.json()) == {"source_country", "hts_code"}
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "field, value",
    [("phase", "legal_review"), ("status", "closed"), ("closing_outcome", "penalty")],
)
def test_create_refuses_phase_and_status(api, case_analyst, commodity, field, value):
    response = api(case_analyst).post(
        "/api/cases/", new_case_body(commodity, **{field: value}), format="json"
    )

    assert response.status_code == 400
    assert "only through transitions" in response.json()[field][0]
    assert not Case.objects.exists()


@pytest.mark.parametrize("field, value", [("phase", "implementation"), ("status", "closed")])
def test_edit_refuses_phase_and_status(api, case_analyst, field, value):
    case = CaseFactory()

    response = api(case_analyst).patch(
        case_url(case), {field: value, "title": "Renamed"}, format="json"
    )

    assert response.status_code == 400
    assert "only through transitions" in response.json()[field][0]
    case.refresh_from_db()
    assert (case.phase, case.status) == ("initiation", "active")
    assert case.title != "Renamed"


def test_edit_changes_fields_and_shows_the_result(api, case_analyst):
    case = CaseFactory()

    response = api(case_analyst).patch(
        case_url(case),
        {"priority": "high", "hts_code": "5201.00", "version": case.version},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["priority"] == "high"
    assert response.json()["hts_code"] == "520100"


def test_edit_repeating_current_values_is_refused_for_a_read_only_role(
    api, targeting_analyst, case_analyst
):
    case = CaseFactory(priority="medium")
    same = {"title": case.title, "priority": "medium", "version": case.version}
    audited = AuditEntry.objects.count()

    refused = api(targeting_analyst).patch(case_url(case), same, format="json")
    unchanged = api(case_analyst).patch(case_url(case), same, format="json")

    assert refused.status_code == 403
    assert unchanged.status_code == 200, unchanged.json()
    assert unchanged.json()["priority"] == "medium"
    assert AuditEntry.objects.count() == audited


# --- Transitions -------------------------------------------------------------------------------


def test_phase_change_lists_what_is_missing_then_succeeds_and_opens_hsi_task(
    api, case_analyst, supervisor
):
    case = CaseFactory()
    analyst = api(case_analyst)

    refused = analyst.post(case_url(case, "transitions/"), {"to_phase": "investigation"})

    assert refused.status_code == 400
    assert refused.json()["missing"] == [
        "assigned_analyst",
        "supervisor",
        "entities",
        "evidence_sources",
    ]
    assert "an assigned analyst" in refused.json()["detail"]
    case.refresh_from_db()
    assert case.phase == "initiation"

    assigned = api(supervisor).patch(
        case_url(case),
        {
            "assigned_analyst": case_analyst.pk,
            "supervisor": supervisor.pk,
            "version": case.version,
        },
        format="json",
    )
    assert assigned.status_code == 200, assigned.json()
    linked = analyst.post(
        case_url(case, "entities/"),
        {"entity": EntityFactory().pk, "role": "supplier"},
        format="json",
    )
    assert linked.status_code == 201, linked.json()
    # No evidence item yet, so no evidence source: investigation is still refused.
    refused = analyst.post(case_url(case, "transitions/"), {"to_phase": "investigation"})
    assert refused.status_code == 400 and refused.json()["missing"] == ["evidence_sources"]
    evidence = analyst.post(
        case_url(case, "evidence/"),
        {
            "kind": "ngo_report",
            "source": "ngo_report",
            "obtained_on": TODAY().isoformat(),
            "description": "Workers describe recruiters keeping their passports.",
            "language": "English",
            "source_reliability": "B",
            "information_credibility": "2",
        },
        format="json",
    )
    assert evidence.status_code == 201, evidence.json()
    assert analyst.get(case_url(case)).json()["evidence_sources"] == ["ngo_report"]

    moved = analyst.post(case_url(case, "transitions/"), {"to_phase": "investigation"})

    assert moved.status_code == 200, moved.json()
    assert moved.json()["phase"] == "investigation"
    assert moved.json()["phase_entered_on"]["investigation"] == TODAY().isoformat()
    my_tasks = analyst.get("/api/tasks/").json()["results"]
    assert [(t["case"], t["kind"]) for t in my_tasks] == [(case.number, "notify_hsi")]
    history = analyst.get(case_url(case, "transitions/")).json()
    assert [(t["kind"], t["from_phase"], t["to_phase"]) for t in history] == [
        ("opened", None, "initiation"),
        ("phase", "initiation", "investigation"),
    ]

    recorded = analyst.post(
        case_url(case, "hsi-referral/"),
        {"notified_on": TODAY().isoformat(), "case_reference": "HSI-NY-2026-17"},
    )

    assert recorded.status_code == 200, recorded.json()
    assert recorded.json()["hsi_case_reference"] == "HSI-NY-2026-17"
    assert analyst.get("/api/tasks/").json()["results"] == []
    done = analyst.get("/api/tasks/?state=done").json()["results"]
    assert [t["kind"] for t in done] == ["notify_hsi"]


def test_evidence_sources_sent_by_hand_are_refused_and_change_nothing(
    api, case_analyst, supervisor, commodity
):
    analyst = api(case_analyst)
    created = analyst.post(
        "/api/cases/", new_case_body(commodity, evidence_sources=["ngo_report"]), format="json"
    )
    assert created.status_code == 400
    assert "derived from the case's evidence items" in created.json()["evidence_sources"][0]
    assert not Case.objects.exists()

    case = CaseFactory(assigned_analyst=case_analyst, supervisor=supervisor)
    patched = api(supervisor).patch(
        case_url(case),
        {"evidence_sources": ["ngo_report"], "version": case.version},
        format="json",
    )
    assert patched.status_code == 400 and "evidence_sources" in patched.json()
    assert not case.evidence_sources.exists()
    schema = analyst.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]
    assert "evidence_sources" not in schema["CaseCreateRequest"]["properties"]


def test_unlinking_the_only_entity_of_an_investigated_case_is_refused(
    api, case_analyst, supervisor
):
    case = CaseFactory(phase="investigation", assigned_analyst=case_analyst, supervisor=supervisor)
    only = CaseEntityFactory(case=case)
    evidence_services.evidence_add(
        case=case,
        actor=case_analyst,
        kind="ngo_report",
        source="ngo_report",
        obtained_on=TODAY(),
        description="Workers describe recruiters keeping their passports.",
        language="English",
        source_reliability="B",
        information_credibility="2",
    )
    analyst = api(case_analyst)

    refused = analyst.delete(case_url(case, f"entities/{only.pk}/"))
    second = CaseEntityFactory(case=case, role="exporter")
    removed = analyst.delete(case_url(case, f"entities/{second.pk}/"))

    assert refused.status_code == 400
    assert refused.json()["missing"] == ["entities"]
    assert removed.status_code == 204
    assert list(case.case_entities.values_list("pk", flat=True)) == [only.pk]


def test_suspending_needs_a_reason(api, case_analyst):
    case = CaseFactory()
    analyst = api(case_analyst)

    refused = analyst.post(case_url(case, "transitions/"), {"to_status": "suspended"})

    assert refused.status_code == 400
    assert refused.json()["detail"] == "Choose a suspension reason."
    case.refresh_from_db()
    assert case.status == "active"

    suspended = analyst.post(
        case_url(case, "transitions/"),
        {"to_status": "suspended", "reason_code": "awaiting_other_agency"},
    )

    assert suspended.status_code == 200, suspended.json()
    assert suspended.json()["status"] == "suspended"
    assert suspended.json()["suspension_reason"] == "awaiting_other_agency"
    last = analyst.get(case_url(case, "transitions/")).json()[-1]
    assert (last["from_status"], last["to_status"], last["reason_code"]) == (
        "active",
        "suspended",
        "awaiting_other_agency",
    )


def test_transition_needs_exactly_one_target(api, case_analyst):
    case = CaseFactory()

    response = api(case_analyst).post(
        case_url(case, "transitions/"), {"to_phase": "investigation", "to_status": "inactive"}
    )

    assert response.status_code == 400
    assert "either to_phase or to_status" in str(response.json())


# --- Seeing cases ------------------------------------------------------------------------------


def test_sensitive_case_is_not_found_for_targeting_analyst_as_if_it_did_not_exist(
    api, targeting_analyst, case_analyst
):
    case = CaseFactory(law_enforcement_sensitive=True)
    targeting = api(targeting_analyst)

    hidden = targeting.get(case_url(case))
    missing = targeting.get("/api/cases/FL-2026-0000/")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["detail"].replace(case.number, "N") == missing.json()["detail"].replace(
        "FL-2026-0000", "N"
    )
    assert targeting.get(case_url(case, "timeline/")).status_code == 404
    assert targeting.get("/api/cases/").json()["count"] == 0
    assert api(case_analyst).get(case_url(case)).status_code == 200
    assert api(case_analyst).get("/api/cases/").json()["results"][0]["number"] == case.number


def test_hsi_case_reference_is_left_out_for_roles_without_sensitive_access(
    api, targeting_analyst, case_analyst
):
    case = CaseFactory(hsi_notified_on=TODAY(), hsi_case_reference="HSI-DC-99")

    for_targeting = api(targeting_analyst).get(case_url(case)).json()
    for_analyst = api(case_analyst).get(case_url(case)).json()

    assert "hsi_case_reference" not in for_targeting
    assert for_targeting["hsi_notified_on"] == TODAY().isoformat()
    assert for_analyst["hsi_case_reference"] == "HSI-DC-99"


def test_hsi_liaison_sees_only_cases_hsi_was_notified_of(api, hsi_liaison):
    notified = CaseFactory(hsi_notified_on=TODAY())
    not_notified = CaseFactory()
    liaison = api(hsi_liaison)

    listed = liaison.get("/api/cases/").json()["results"]

    assert [c["number"] for c in listed] == [notified.number]
    assert liaison.get(case_url(not_notified)).status_code == 404


def test_list_filters_and_sorts(api, case_analyst):
    suspended = CaseFactory(
        status="suspended", suspension_reason="lack_of_personnel", title="Zinc ore"
    )
    CaseFactory(title="Apple juice")
    analyst = api(case_analyst)

    only_suspended = analyst.get("/api/cases/?status=suspended").json()
    by_title = analyst.get("/api/cases/?sort=-title").json()["results"]

    assert [c["number"] for c in only_suspended["results"]] == [suspended.number]
    assert [c["title"] for c in by_title] == ["Zinc ore", "Apple juice"]


def test_list_filters_by_entity(api, case_analyst, targeting_analyst):
    entity = EntityFactory()
    involved = CaseFactory(title="Involved")
    hidden = CaseFactory(title="Sensitive", law_enforcement_sensitive=True)
    CaseEntityFactory(case=involved, entity=entity)
    CaseEntityFactory(case=hidden, entity=entity)
    CaseEntityFactory(case=CaseFactory(title="Elsewhere"))

    for_analyst = api(case_analyst).get(f"/api/cases/?entity={entity.pk}&sort=title").json()
    for_targeting = api(targeting_analyst).get(f"/api/cases/?entity={entity.pk}").json()

    assert [c["number"] for c in for_analyst["results"]] == [involved.number, hidden.number]
    assert [c["number"] for c in for_targeting["results"]] == [involved.number]


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("phase=finished", "phase"),
        ("entity=vessel", "entity"),
        ("entity=0", "entity"),
        ("received_from=last-week", "received_from"),
        ("commodity=cotton", "commodity"),
        ("country=ZZ", "country"),
        ("sort=colour", "sort"),
    ],
)
def test_list_refuses_invalid_filters_naming_the_parameter(api, case_analyst, query, parameter):
    response = api(case_analyst).get(f"/api/cases/?{query}")

    assert response.status_code == 400
    assert list(response.json()) == [parameter]


def test_case_list_queries_do_not_grow_with_the_number_of_cases(api, case_analyst):
    analyst = api(case_analyst)
    CaseFactory.create_batch(2, assigned_analyst=case_analyst)
    analyst.get("/api/cases/")  # the first request also loads the user's permissions
    with CaptureQueriesContext(connection) as few:
        analyst.get("/api/cases/")
    CaseFactory.create_batch(8, assigned_analyst=case_analyst)
    with CaptureQueriesContext(connection) as many:
        response = analyst.get("/api/cases/")

    assert response.json()["count"] == 10
    assert len(many) == len(few)


# --- Tasks ---------------------------------------------------------------------------------------


def test_task_on_a_case_the_user_cannot_see_is_not_found(api, targeting_analyst, case_analyst):
    task = TaskFactory(case=CaseFactory(law_enforcement_sensitive=True), owner=case_analyst)

    hidden = api(targeting_analyst).post(f"/api/tasks/{task.pk}/complete/", {})
    done = api(case_analyst).post(f"/api/tasks/{task.pk}/complete/", {})

    assert hidden.status_code == 404
    assert done.status_code == 200, done.json()
    assert done.json()["state"] == "done"


def test_only_the_owner_or_a_supervisor_closes_a_task(api, case_analyst, supervisor, make_user):
    task = TaskFactory(owner=case_analyst)
    colleague = make_user(Role.CASE_ANALYST, username="colleague")

    refused = api(colleague).post(f"/api/tasks/{task.pk}/complete/", {})
    cancelled = api(supervisor).post(
        f"/api/tasks/{task.pk}/complete/", {"cancel": True}, format="json"
    )

    assert refused.status_code == 403
    assert cancelled.status_code == 200
    assert cancelled.json()["state"] == "cancelled"


def test_case_task_is_created_for_its_owner(api, supervisor, case_analyst):
    case = CaseFactory()
    due = TODAY() + dt.timedelta(days=5)

    created = api(supervisor).post(
        case_url(case, "tasks/"),
        {
            "title": "Ask the importer for the supplier list",
            "owner": case_analyst.pk,
            "due_on": due,
        },
        format="json",
    )

    assert created.status_code == 201, created.json()
    mine = api(case_analyst).get("/api/tasks/").json()["results"]
    assert [(t["title"], t["due_on"]) for t in mine] == [
        ("Ask the importer for the supplier list", due.isoformat())
    ]
    assert Task.objects.get().created_by == supervisor


def test_timeline_refuses_a_bare_name_and_keeps_a_sentence(api, targeting_analyst):
    case = CaseFactory()
    client = api(targeting_analyst)

    refused = client.post(
        case_url(case, "timeline/"), {"occurred_on": TODAY(), "text": "Example Mill"}
    )
    added = client.post(
        case_url(case, "timeline/"),
        {"occurred_on": TODAY(), "text": "Port of Savannah flagged two shipments for review."},
    )

    assert refused.status_code == 400
    assert "text" in refused.json()
    assert added.status_code == 201
    timeline = client.get(case_url(case, "timeline/")).json()
    assert [u["text"] for u in timeline] == ["Port of Savannah flagged two shipments for review."]


# --- Entities ------------------------------------------------------------------------------------


def test_entity_create_edit_and_search(api, intake_analyst, port_officer):
    client = api(intake_analyst)

    created = client.post(
        "/api/entities/",
        {"name": "Example Fishing Vessel", "kind": "vessel", "imo_number": "9074729"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    entity_id = created.json()["id"]
    renamed = client.patch(
        f"/api/entities/{entity_id}/", {"aliases": ["EFV 1", "EFV 1"]}, format="json"
    )
    bad_imo = client.patch(f"/api/entities/{entity_id}/", {"imo_number": "1234568"}, format="json")

    assert renamed.status_code == 200
    assert renamed.json()["aliases"] == ["EFV 1"]
    assert bad_imo.status_code == 400
    assert "imo_number" in bad_imo.json()
    found = api(port_officer).get("/api/entities/?q=fishing").json()["results"]
    assert [(e["name"], e["kind"]) for e in found] == [("Example Fishing Vessel", "vessel")]
    assert "case_count" not in found[0]
    assert api(port_officer).get("/api/entities/999999/").status_code == 404


# --- Who may do what -----------------------------------------------------------------------------

ROLES = [
    "intake_analyst",
    "case_analyst",
    "supervisor",
    "chief_counsel",
    "approving_official",
    "targeting_analyst",
    "port_officer",
    "hsi_liaison",
    "importer",
    "public_reader",
]

# One row per endpoint: the expected status for each role, in the order of ROLES. The case used
# is in initiation, not sensitive, and HSI has been notified of it (so the HSI liaison sees it).
# fmt: off
PERMISSION_MATRIX = [
    # method  url                    body        intake case sup  cc   ao   tgt  port hsi  imp  pub
    ("get",  "/api/cases/",         None,       (200, 200, 200, 200, 200, 200, 403, 200, 403, 403)),
    ("post", "/api/cases/",         "new_case", (201, 201, 201, 403, 403, 403, 403, 403, 403, 403)),
    ("get",  "{case}",              None,       (200, 200, 200, 200, 200, 200, 403, 200, 403, 403)),
    ("patch", "{case}",             "priority", (403, 200, 200, 403, 403, 403, 403, 403, 403, 403)),
    ("get",  "{case}transitions/",  None,       (200, 200, 200, 200, 200, 200, 403, 200, 403, 403)),
    ("post", "{case}transitions/",  "suspend",  (403, 200, 200, 403, 403, 403, 403, 403, 403, 403)),
    ("post", "{case}timeline/",     "update",   (201, 201, 201, 201, 201, 201, 403, 201, 403, 403)),
    ("get",  "{case}tasks/",        None,       (200, 200, 200, 200, 200, 200, 403, 200, 403, 403)),
    ("post", "{case}tasks/",        "task",     (403, 201, 201, 403, 403, 403, 403, 403, 403, 403)),
    ("post", "{case}entities/",     "link",     (403, 201, 201, 403, 403, 403, 403, 403, 403, 403)),
    ("post", "{case}hsi-referral/", "hsi",      (403, 200, 200, 403, 403, 403, 403, 200, 403, 403)),
    ("get",  "/api/tasks/",         None,       (200, 200, 200, 200, 200, 200, 403, 200, 403, 403)),
    ("get",  "/api/entities/",      None,       (200, 200, 200, 200, 200, 200, 200, 200, 403, 403)),
    ("post", "/api/entities/",      "entity",   (201, 201, 201, 403, 403, 201, 403, 403, 403, 403)),
    ("get",  "{entity}",            None,       (200, 200, 200, 200, 200, 200, 200, 200, 403, 403)),
    ("patch", "{entity}",           "entity",   (200, 200, 200, 403, 403, 200, 403, 403, 403, 403)),
]
# fmt: on


def _matrix_cases():
    for method, url, body, statuses in PERMISSION_MATRIX:
        assert len(statuses) == len(ROLES)
        for role, expected in zip(ROLES, statuses, strict=True):
            yield pytest.param(role, method, url, body, expected, id=f"{role}-{method}-{url}")


@pytest.fixture
def matrix_world(commodity, make_user):
    owner = make_user(Role.CASE_ANALYST, username="task_owner")
    case = CaseFactory(hsi_notified_on=TODAY(), commodity=commodity)
    entity = EntityFactory()
    return {
        "urls": {"case": case_url(case), "entity": f"/api/entities/{entity.pk}/"},
        "bodies": {
            "new_case": new_case_body(commodity),
            "priority": {"priority": "high", "version": case.version},
            "suspend": {"to_status": "suspended", "reason_code": "lack_of_personnel"},
            "update": {"occurred_on": TODAY().isoformat(), "text": "Met the NGO about the audit."},
            "task": {"title": "Review invoices", "owner": owner.pk, "due_on": TODAY().isoformat()},
            "link": {"entity": entity.pk, "role": "exporter"},
            "hsi": {"notified_on": TODAY().isoformat(), "case_reference": "HSI-1"},
            "entity": {"name": "Example Trading Ltd", "country": "HK"},
        },
    }


@pytest.mark.parametrize("role, method, url, body, expected", list(_matrix_cases()))
def test_permission_matrix(request, api, matrix_world, role, method, url, body, expected):
    user = request.getfixturevalue(role)
    path = url.format(**matrix_world["urls"])
    payload = matrix_world["bodies"][body] if body else None

    response = getattr(api(user), method)(path, payload, format="json")

    assert response.status_code == expected, response.content


@pytest.mark.parametrize(
    "method, url",
    [
        ("get", "/api/cases/"),
        ("post", "/api/cases/"),
        ("get", "/api/cases/FL-2026-0001/"),
        ("get", "/api/tasks/"),
        ("get", "/api/entities/"),
    ],
)
def test_anonymous_requests_are_refused(api, db, method, url):
    response = getattr(api(), method)(url)

    assert response.status_code in (401, 403)


def test_deactivated_user_is_refused(api, make_user):
    user = make_user(Role.SUPERVISOR, username="left", is_active=False)
    CaseFactory()

    response = api(user).get("/api/cases/")

    assert response.status_code == 403


# --- Schema and docs -----------------------------------------------------------------------------


def test_schema_lists_the_case_endpoints(api, case_analyst):
    response = api(case_analyst).get("/api/schema/?format=json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/cases/",
        "/api/cases/{number}/",
        "/api/cases/{number}/transitions/",
        "/api/cases/{number}/timeline/",
        "/api/cases/{number}/tasks/",
        "/api/cases/{number}/hsi-referral/",
        "/api/tasks/{task_id}/complete/",
        "/api/entities/{entity_id}/",
    ):
        assert path in schema["paths"]
    components = schema["components"]["schemas"]
    assert "hsi_case_reference" not in components["CaseDetail"]["required"]
    assert {"EntityKindEnum", "TaskKindEnum", "TaskStateEnum", "CaseEntityRoleEnum"} <= set(
        components
    )
    assert "KindEnum" not in components


def test_docs_page_renders(client, case_analyst):
    client.force_login(case_analyst)

    response = client.get("/api/docs/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b"swagger-ui" in response.content


def test_schema_generation_has_no_warnings_or_errors(tmp_path):
    GENERATOR_STATS.reset()
    output = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(output))

    assert not GENERATOR_STATS
    assert "/api/cases/{number}/transitions/" in output.read_text()


def test_other_roles_users_cannot_be_made_case_analysts(api, supervisor, make_user):
    case = CaseFactory()
    port = make_user(Role.PORT_OFFICER, username="port2")

    response = api(supervisor).patch(
        case_url(case), {"assigned_analyst": port.pk, "version": case.version}, format="json"
    )

    assert response.status_code == 400
    assert "assigned_analyst" in response.json()


def test_unknown_user_id_is_refused(api, supervisor):
    case = CaseFactory()

    response = api(supervisor).patch(
        case_url(case), {"supervisor": 999999, "version": case.version}, format="json"
    )

    assert response.status_code == 400
    assert "supervisor" in response.json()
