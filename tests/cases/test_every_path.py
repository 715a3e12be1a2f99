"""Acceptance: no case can reach a phase or status without the fields the data dictionary
requires — whichever way in is tried: the web form, the API, the admin, the command line."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from withhold.cases.models import Case

from ..factories import CaseFactory

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}


def state(case: Case) -> tuple[str, str, str]:
    case.refresh_from_db()
    return case.phase, case.status, case.suspension_reason


@pytest.fixture
def bare_case(db):
    """A case with only what creation requires: nothing for investigation."""
    return CaseFactory()


def test_web_form_cannot_move_a_case_without_its_requirements(client, case_analyst, bare_case):
    client.force_login(case_analyst)
    url = f"/cases/{bare_case.number}/transition/"
    page = client.get(url, {"to_phase": "investigation"}, **HOST)
    assert "cannot enter 2 · Investigation yet" in page.content.decode()
    response = client.post(url, {"to_phase": "investigation"}, **HOST)
    assert response.status_code == 200
    assert "at least one supply-chain entity" in response.content.decode()
    response = client.post(url, {"to_status": "suspended", "reason_code": ""}, **HOST)
    assert "This field is required" in response.content.decode()
    assert state(bare_case) == ("initiation", "active", "")


def test_web_form_cannot_smuggle_phase_or_status_into_an_edit(client, case_analyst, bare_case):
    client.force_login(case_analyst)
    response = client.post(
        f"/cases/{bare_case.number}/edit/",
        {
            "title": "Edited",
            "allegation_summary": "Still alleged.",
            "commodity": bare_case.commodity_id,
            "source_country": "CN",
            "referral_source": "ngo",
            "received_on": bare_case.received_on,
            "opened_on": bare_case.opened_on,
            "priority": "high",
            "phase": "implementation",
            "status": "closed",
            "closing_outcome": "order_issued",
        },
        **HOST,
    )
    assert response.status_code == 302
    bare_case.refresh_from_db()
    assert bare_case.title == "Edited"
    assert state(bare_case) == ("initiation", "active", "")
    assert bare_case.closing_outcome == ""


def test_api_cannot_create_or_move_a_case_past_its_requirements(case_analyst, bare_case, commodity):
    api = APIClient(**HOST)
    api.force_authenticate(case_analyst)
    created = api.post(
        "/api/cases/",
        {
            "title": "Via API",
            "allegation_summary": "Alleged.",
            "commodity": commodity.pk,
            "source_country": "CN",
            "referral_source": "ngo",
            "received_on": timezone.localdate().isoformat(),
            "phase": "legal_review",
        },
        format="json",
    )
    assert created.status_code == 400
    assert not Case.objects.filter(title="Via API").exists()
    moved = api.post(
        f"/api/cases/{bare_case.number}/transitions/", {"to_phase": "investigation"}, format="json"
    )
    assert moved.status_code == 400
    assert set(moved.json()["missing"]) >= {"entities", "evidence_sources"}
    patched = api.patch(
        f"/api/cases/{bare_case.number}/", {"phase": "investigation"}, format="json"
    )
    assert patched.status_code == 400
    closed = api.post(
        f"/api/cases/{bare_case.number}/transitions/", {"to_status": "inactive"}, format="json"
    )
    assert closed.status_code == 400
    assert state(bare_case) == ("initiation", "active", "")


def test_admin_shows_cases_but_cannot_add_change_or_delete_them(admin_client, bare_case):
    change_url = f"/admin/cases/case/{bare_case.pk}/change/"
    assert admin_client.get(change_url, **HOST).status_code == 200  # view only
    response = admin_client.post(
        change_url, {"phase": "legal_review", "status": "closed", "title": "Admin edit"}, **HOST
    )
    assert response.status_code == 403
    assert admin_client.get("/admin/cases/case/add/", **HOST).status_code == 403
    assert (
        admin_client.post(
            f"/admin/cases/case/{bare_case.pk}/delete/", {"post": "yes"}, **HOST
        ).status_code
        == 403
    )
    assert state(bare_case) == ("initiation", "active", "")


def test_command_line_applies_the_same_rules(case_analyst, supervisor, bare_case):
    with pytest.raises(CommandError, match="at least one evidence source"):
        call_command(
            "case_transition",
            bare_case.number,
            "--as",
            case_analyst.username,
            "--to-phase",
            "investigation",
        )
    with pytest.raises(CommandError, match="Choose a suspension reason"):
        call_command(
            "case_transition",
            bare_case.number,
            "--as",
            supervisor.username,
            "--to-status",
            "suspended",
        )
    with pytest.raises(CommandError, match="Your role cannot"):
        call_command(
            "case_transition",
            bare_case.number,
            "--as",
            case_analyst.username,
            "--to-status",
            "closed",
            "--reason-code",
            "no_violation",
        )
    assert state(bare_case) == ("initiation", "active", "")
    call_command(
        "case_transition",
        bare_case.number,
        "--as",
        supervisor.username,
        "--to-status",
        "suspended",
        "--reason-code",
        "lack_of_personnel",
    )
    assert state(bare_case) == ("initiation", "suspended", "lack_of_personnel")


def test_demo_data_is_valid_under_the_data_dictionary_and_labelled(db):
    from withhold.cases import phases, selectors
    from withhold.cases.demo import DEMO_PLAN, demo_data_load
    from withhold.reference.services import reference_load

    reference_load()
    result = demo_data_load()
    cases = list(Case.objects.all())
    assert result["cases"] == len(cases) >= 60
    assert all(c.is_demo and c.title.startswith("DEMO") for c in cases)
    for case in cases:
        assert phases.missing_for(selectors.case_facts(case), case.phase) == [], case.number
    active = [c for c in cases if c.status == "active"]
    in_initiation = sum(c.phase == "initiation" for c in active)
    assert 0.70 <= in_initiation / len(active) <= 0.80
    assert len(cases) == sum(n for *_, n in DEMO_PLAN)
    # Loading again adds nothing.
    assert demo_data_load()["cases"] == 0
    assert Case.objects.count() == len(cases)
    assert all(c.received_on <= c.opened_on <= timezone.localdate() for c in cases)
    assert min(c.received_on for c in cases) < timezone.localdate() - dt.timedelta(days=365)
