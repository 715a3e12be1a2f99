"""The case forms offer each actor only what they may save, and a refusal keeps what was typed."""

import re

import pytest

from withhold.accounts.roles import Role
from withhold.cases import forms as case_forms
from withhold.cases import services
from withhold.cases.models import Case

from ..factories import CaseFactory

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}


def select_html(html: str, name: str) -> str:
    found = re.search(rf'<select[^>]*name="{name}"[^>]*>.*?</select>', html, re.S)
    assert found, f"no <select name={name}> on the page"
    return found.group(0)


def option_values(select: str) -> set[str]:
    return {v for v in re.findall(r'<option value="([^"]*)"', select) if v}


def edit_body(case: Case, **changes) -> dict:
    body = {
        "title": case.title,
        "allegation_summary": case.allegation_summary,
        "commodity": case.commodity_id,
        "source_country": case.source_country,
        "referral_source": case.referral_source,
        "received_on": case.received_on.isoformat(),
        "opened_on": case.opened_on.isoformat(),
        "priority": case.priority,
        "assigned_analyst": case.assigned_analyst_id or "",
        "supervisor": case.supervisor_id or "",
        "version": case.version,
    }
    body.update(changes)
    return body


@pytest.fixture
def assigned_case(case_analyst, supervisor):
    return CaseFactory(assigned_analyst=case_analyst, supervisor=supervisor)


def test_an_analyst_is_not_offered_the_supervisor_or_a_reassignment(
    client, case_analyst, assigned_case
):
    client.force_login(case_analyst)
    html = client.get(f"/cases/{assigned_case.number}/edit/", **HOST).content.decode()
    for name in ("supervisor", "assigned_analyst"):
        select = select_html(html, name)
        assert " disabled" in select, f"{name} is offered to an analyst"
    assert "Only a supervisor can change this." in html
    assert " disabled" not in select_html(html, "priority")


def test_a_supervisor_is_offered_every_assignment(client, supervisor, assigned_case, make_user):
    other = make_user(Role.CASE_ANALYST, username="other-analyst")
    client.force_login(supervisor)
    html = client.get(f"/cases/{assigned_case.number}/edit/", **HOST).content.decode()
    analysts = select_html(html, "assigned_analyst")
    assert " disabled" not in analysts and str(other.pk) in option_values(analysts)
    assert " disabled" not in select_html(html, "supervisor")


def test_an_analyst_may_take_an_unassigned_case_and_is_offered_only_themselves(
    client, case_analyst, supervisor, make_user
):
    make_user(Role.CASE_ANALYST, username="other-analyst")
    case = CaseFactory(supervisor=supervisor)
    client.force_login(case_analyst)
    html = client.get(f"/cases/{case.number}/edit/", **HOST).content.decode()
    assert option_values(select_html(html, "assigned_analyst")) == {str(case_analyst.pk)}

    response = client.post(
        f"/cases/{case.number}/edit/", edit_body(case, assigned_analyst=case_analyst.pk), **HOST
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assigned_analyst == case_analyst


def test_an_analysts_edit_saves_without_touching_the_supervisor(
    client, case_analyst, assigned_case, make_user
):
    """A supervisor value sent anyway (an old form, a crafted request) is not the analyst's to
    change: the rest of the edit is saved, the supervisor stays."""
    other = make_user(Role.SUPERVISOR, username="other-supervisor")
    client.force_login(case_analyst)
    response = client.post(
        f"/cases/{assigned_case.number}/edit/",
        edit_body(assigned_case, title="Cotton yarn, second mill named", supervisor=other.pk),
        **HOST,
    )
    assert response.status_code == 302
    assigned_case.refresh_from_db()
    assert assigned_case.title == "Cotton yarn, second mill named"
    assert assigned_case.supervisor.username == "supervisor"


def test_a_refused_field_is_a_form_error_and_the_rest_of_the_input_stays(
    client, case_analyst, assigned_case, make_user, monkeypatch
):
    """Should the form ever offer more than the service allows, the service's refusal is shown
    on the form with the user's input, not as a bare 403."""
    other = make_user(Role.SUPERVISOR, username="other-supervisor")
    anyone = dict.fromkeys(services.ASSIGNMENT_FIELDS, services.ASSIGN_ANYONE)
    monkeypatch.setattr(case_forms, "case_assignment_offer", lambda actor, case: anyone)
    client.force_login(case_analyst)
    response = client.post(
        f"/cases/{assigned_case.number}/edit/",
        edit_body(assigned_case, title="Typed before the refusal", supervisor=other.pk),
        **HOST,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Only a supervisor can assign or reassign a case." in html
    assert 'value="Typed before the refusal"' in html
    assigned_case.refresh_from_db()
    assert assigned_case.title != "Typed before the refusal"
    assert assigned_case.supervisor.username == "supervisor"


def test_opening_a_case_offers_a_non_supervisor_only_themselves_as_analyst(
    client, case_analyst, supervisor
):
    client.force_login(case_analyst)
    html = client.get("/cases/new/", **HOST).content.decode()
    assert option_values(select_html(html, "assigned_analyst")) == {str(case_analyst.pk)}
    assert str(supervisor.pk) in option_values(select_html(html, "supervisor"))
