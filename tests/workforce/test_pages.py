"""What a supervisor and an analyst see and do on the workforce pages and API."""

import datetime as dt

import pytest
from django.utils import timezone

from withhold.audit.models import AuditAction, AuditEntry
from withhold.workforce.models import Competency, StaffCompetency, StaffingScenario, TrainingPlan

from ..factories import (
    CaseFactory,
    CompetencyFactory,
    StaffCompetencyFactory,
    TrainingPlanFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}
PHASES = ["initiation", "investigation", "legal_review", "implementation"]


def scenario_post(**overrides):
    data = {
        "allegations_per_year": "48",
        "case_share": "0.5",
        "analysts_on_board": "2",
        "productive_hours_per_month": "160",
        "max_utilisation": "1",
    }
    for phase in PHASES:
        data[f"{phase}_share"] = "1" if phase == "initiation" else "0"
        data[f"{phase}_hours"] = "160"
        data[f"{phase}_target"] = "45.66"
    data.update(overrides)
    return data


@pytest.fixture
def as_supervisor(client, supervisor):
    client.force_login(supervisor)
    return client


def test_assessment_page_shows_history_and_an_answer(as_supervisor):
    CaseFactory(assigned_analyst=UserFactory(username="ann"))
    page = as_supervisor.get("/workforce/", **HOST).content.decode()
    assert 'id="demand-table"' in page
    assert 'id="caseload-table"' in page
    assert "ann" in page
    assert 'id="answer-table"' in page
    assert 'hx-post="/workforce/scenario/compute/"' in page


def test_htmx_recalculation_returns_the_answer_alone(as_supervisor):
    response = as_supervisor.post("/workforce/scenario/compute/", scenario_post(), **HOST)
    body = response.content.decode()
    assert "<html" not in body
    # 24 cases a year → 2 a month, one analyst does one a month: the 4/9 Erlang C case, c = 3.
    assert "3 analysts needed" in body
    assert "0.444" in body
    assert "Short by 1 analyst." in body


def test_infeasible_inputs_name_the_phase(as_supervisor):
    response = as_supervisor.post(
        "/workforce/scenario/compute/", scenario_post(initiation_target="2"), **HOST
    )
    body = response.content.decode()
    assert "initiation: The target of 2 days is shorter than" in body


def test_bad_number_is_named_on_the_form(as_supervisor):
    response = as_supervisor.post(
        "/workforce/", scenario_post(case_share="1.5", action="compute"), **HOST
    )
    assert response.status_code == 400
    assert "Share of allegations that become cases" in response.content.decode()


def test_saving_a_scenario_lists_it_and_audits_it(as_supervisor):
    response = as_supervisor.post(
        "/workforce/", scenario_post(action="save", name="FY27 flat demand"), **HOST
    )
    scenario = StaffingScenario.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/workforce/scenarios/{scenario.pk}/"
    assert scenario.analysts_needed == 3
    assert AuditEntry.objects.filter(action=AuditAction.WORKFORCE_SCENARIO_SAVED).exists()
    listing = as_supervisor.get("/workforce/scenarios/", **HOST).content.decode()
    assert "FY27 flat demand" in listing
    detail = as_supervisor.get(f"/workforce/scenarios/{scenario.pk}/", **HOST).content.decode()
    assert "3 analysts needed" in detail
    csv_body = b"".join(
        as_supervisor.get("/workforce/scenarios/?format=csv", **HOST).streaming_content
    ).decode()
    assert "FY27 flat demand" in csv_body


def test_saving_without_a_name_is_refused(as_supervisor):
    response = as_supervisor.post("/workforce/", scenario_post(action="save", name=""), **HOST)
    assert response.status_code == 400
    assert "Give the scenario a name." in response.content.decode()
    assert not StaffingScenario.objects.exists()


def test_comparing_two_scenarios_shows_them_side_by_side(as_supervisor):
    as_supervisor.post("/workforce/", scenario_post(action="save", name="Flat"), **HOST)
    as_supervisor.post(
        "/workforce/",
        scenario_post(action="save", name="Double", allegations_per_year="96"),
        **HOST,
    )
    ids = list(StaffingScenario.objects.values_list("pk", flat=True))
    page = as_supervisor.get(
        f"/workforce/scenarios/compare/?ids={ids[0]}&ids={ids[1]}", **HOST
    ).content.decode()
    assert "Flat" in page and "Double" in page
    assert 'id="compare-table"' in page


def test_supervisor_adds_a_competency_through_the_page(as_supervisor):
    response = as_supervisor.post(
        "/workforce/competencies/new/",
        {"name": "Bahasa Indonesia", "category": "language", "required_level": "3",
         "required_headcount": "1", "description": "", "is_active": "on"},
        **HOST,
    )  # fmt: skip
    assert response.status_code == 302
    assert Competency.objects.filter(name="Bahasa Indonesia", required_level=3).exists()
    listing = as_supervisor.get("/workforce/competencies/?q=bahasa", **HOST).content.decode()
    assert "Bahasa Indonesia" in listing


def test_gap_matrix_page_shows_gaps_and_csv(as_supervisor):
    need = CompetencyFactory(name="Kazakh", required_level=3, required_headcount=2)
    StaffCompetencyFactory(competency=need, level=3)
    page = as_supervisor.get("/workforce/skills/gaps/", **HOST).content.decode()
    assert "Kazakh" in page
    assert 'id="people-grid"' in page
    body = b"".join(
        as_supervisor.get("/workforce/skills/gaps/?format=csv", **HOST).streaming_content
    ).decode()
    assert "Kazakh,investigation,3,2,1,0,0,1" in body


def test_completing_training_on_the_page_raises_the_level(as_supervisor, case_analyst):
    need = CompetencyFactory()
    plan = TrainingPlanFactory(user=case_analyst, competency=need, target_level=3)
    response = as_supervisor.post(
        f"/workforce/training/{plan.pk}/status/", {"status": "completed"}, **HOST
    )
    assert response.status_code == 302
    assert StaffCompetency.objects.get(user=case_analyst, competency=need).level == 3


def test_overdue_training_is_highlighted(as_supervisor):
    TrainingPlanFactory(title="Late course", due_on=timezone.localdate() - dt.timedelta(days=3))
    page = as_supervisor.get("/workforce/training/?overdue=on", **HOST).content.decode()
    assert "Late course" in page
    assert "withhold-overdue" in page


def test_analyst_sees_own_competencies_only(client, case_analyst):
    StaffCompetencyFactory(user=case_analyst, competency=CompetencyFactory(name="Mine"))
    other = UserFactory(username="other-analyst", first_name="Olga", last_name="Other")
    StaffCompetencyFactory(user=other, competency=CompetencyFactory(name="Someone else's"))
    client.force_login(case_analyst)
    page = client.get("/workforce/skills/", **HOST).content.decode()
    assert "My competencies" in page
    assert "Mine" in page
    assert "Olga Other" not in page
    assert "1 record" in page


def test_analyst_cannot_change_training_status(client, case_analyst):
    plan = TrainingPlanFactory(user=case_analyst)
    client.force_login(case_analyst)
    response = client.post(
        f"/workforce/training/{plan.pk}/status/", {"status": "completed"}, **HOST
    )
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == TrainingPlan.Status.PLANNED


def test_printable_report_combines_every_part(as_supervisor):
    CompetencyFactory(name="Tamil", required_headcount=1)
    page = as_supervisor.get("/workforce/report/", **HOST).content.decode()
    for part in ("Staffing needed", "Demand and history", "Skills gaps", "Tamil", "Method"):
        assert part in page
    assert "workforce/workforce.css" in page


def test_api_computes_the_closed_form_case(as_supervisor):
    body = {
        "allegations_per_year": 24,
        "case_share": 1,
        "analysts_on_board": 3,
        "productive_hours_per_month": 160,
        "max_utilisation": 1,
        "phases": [{"phase": "initiation", "share": 1, "hours_per_case": 160, "target_days": 45}],
    }
    response = as_supervisor.post(
        "/api/workforce/scenarios/compute/", body, content_type="application/json", **HOST
    )
    assert response.status_code == 200
    answer = response.json()
    assert answer["analysts_needed"] == 3
    assert answer["gap"] == 0
    assert answer["phases"][0]["wait_probability"] == pytest.approx(4 / 9)


def test_api_refuses_unknown_fields_and_infeasible_targets(as_supervisor):
    body = {
        "allegations_per_year": 24,
        "case_share": 1,
        "analysts_on_board": 3,
        "productive_hours_per_month": 160,
        "max_utilisation": 1,
        "phases": [{"phase": "initiation", "share": 1, "hours_per_case": 160, "target_days": 2}],
    }
    response = as_supervisor.post(
        "/api/workforce/scenarios/compute/", body, content_type="application/json", **HOST
    )
    assert response.status_code == 400
    assert "initiation" in response.json()["detail"]
    response = as_supervisor.post(
        "/api/workforce/scenarios/compute/",
        {**body, "analysts": 3},
        content_type="application/json",
        **HOST,
    )
    assert response.status_code == 400
    assert "analysts" in response.json()


def test_api_assessment_reports_history(as_supervisor):
    CaseFactory(status="suspended", suspension_reason="lack_of_personnel")
    data = as_supervisor.get("/api/workforce/assessment/", **HOST).json()
    assert data["suspensions"]["lack_of_personnel_now"] == 1
    assert [p["phase"] for p in data["phases"]] == PHASES
    assert "defaults" in data


def test_list_pages_and_report_do_not_query_per_row(as_supervisor, django_assert_max_num_queries):
    for n in range(8):
        person = UserFactory(username=f"p{n}")
        StaffCompetencyFactory(user=person)
        TrainingPlanFactory(user=person)
        CaseFactory(assigned_analyst=person)
    for url in ("/workforce/skills/", "/workforce/training/", "/workforce/skills/gaps/"):
        with django_assert_max_num_queries(15):
            assert as_supervisor.get(url, **HOST).status_code == 200
    with django_assert_max_num_queries(30):
        assert as_supervisor.get("/workforce/report/", **HOST).status_code == 200


def test_report_downloads_as_pdf(as_supervisor):
    CompetencyFactory(name="Tamil", required_headcount=1)
    response = as_supervisor.get("/workforce/report/?format=pdf", **HOST)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "workforce-assessment-" in response["Content-Disposition"]
    as_supervisor.post("/workforce/", scenario_post(action="save", name="For print"), **HOST)
    scenario = StaffingScenario.objects.get()
    page = as_supervisor.get(f"/workforce/report/?scenario={scenario.pk}", **HOST)
    assert "Saved scenario “For print”" in page.content.decode()
    pdf = as_supervisor.get(f"/workforce/report/?scenario={scenario.pk}&format=pdf", **HOST)
    assert pdf.content.startswith(b"%PDF")
