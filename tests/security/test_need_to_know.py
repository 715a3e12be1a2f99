"""One test per side channel through which law-enforcement-sensitive facts or a submitter's
identity reached readers who may not see them, each named after the finding it closes (see
``docs/security.md``). The data set is ``conftest.world``."""

import datetime as dt
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from withhold.accounts.visibility import POLICY, can_see, policy_table_markdown
from withhold.audit.models import AuditAction, AuditEntry
from withhold.cases import services as case_services
from withhold.cases.reminders import task_reminders_send
from withhold.evidence import services as evidence_services
from withhold.intake import services as intake_services
from withhold.intake.models import IdentityRevealRequest

from .conftest import (
    LES_EVIDENCE_TEXT,
    LES_TASK_TEXT,
    LES_TASK_TITLE,
    OPINION_SUMMARY,
    ORDER_NOTES,
    SUBMITTER_ON_CASE,
)

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


# --- Allegation pages named LES cases ----------------------------------------------------------


def test_allegation_page_does_not_name_les_case_to_intake(world, intake_analyst, client):
    number = world.les_case.number
    client.force_login(intake_analyst)
    assert client.get(f"/cases/{number}/").status_code == 404
    receipt = world.on_les.receipt_number
    page = client.get(f"/intake/{receipt}/")
    assert page.status_code == 200 and number not in page.content.decode()
    assert "Attached to an existing case" in page.content.decode()
    assert number not in client.get("/intake/?state=all").content.decode()
    assert number not in _text(client.get("/intake/?state=all&format=csv"))
    detail = client.get(f"/api/allegations/{receipt}/").json()
    assert detail["case_number"] is None and detail["decision"] == "attached"
    listed = client.get("/api/allegations/?state=all").json()
    assert number not in str(listed)
    # The ordinary case is still named.
    assert (
        world.case.number in client.get(f"/intake/{world.on_case.receipt_number}/").content.decode()
    )


def test_allegation_page_does_not_name_case_later_marked_les(
    world, intake_analyst, client, supervisor
):
    case_services.case_update(case=world.case, actor=supervisor, law_enforcement_sensitive=True)
    client.force_login(intake_analyst)
    page = client.get(f"/intake/{world.on_case.receipt_number}/").content.decode()
    assert world.case.number not in page


# --- The allegation report PDF carried LES evidence --------------------------------------------


@pytest.mark.parametrize("role", ["intake_analyst", "targeting_analyst"])
def test_allegation_report_with_les_evidence_is_not_downloadable_without_clearance(
    world, role, request, client
):
    assert world.report.law_enforcement_sensitive
    client.force_login(request.getfixturevalue(role))
    url = f"/cases/{world.case.number}/documents/{world.report.pk}/"
    assert client.get(url).status_code == 404
    assert url not in client.get(f"/cases/{world.case.number}/").content.decode()


def test_allegation_report_without_les_material_stays_ordinary(world, case_analyst, client):
    from withhold.evidence import services as evidence_services

    world.les_evidence.delete()
    document = evidence_services.allegation_report_generate(case=world.case, actor=case_analyst)
    assert not document.law_enforcement_sensitive


# --- Order pages counted hidden cases ----------------------------------------------------------


def test_order_page_does_not_count_hidden_cases(world, targeting_analyst, case_analyst, client):
    client.force_login(targeting_analyst)
    page = client.get(f"/orders/{world.order.number}/").content.decode()
    assert world.case.number in page and world.les_case.number not in page
    assert "not visible to your role" not in page
    row = next(
        line
        for line in client.get("/orders/").content.decode().splitlines()
        if "Cases" in line and "data-label" in line
    )
    assert ">1<" in row
    client.force_login(case_analyst)
    row = next(
        line
        for line in client.get("/orders/").content.decode().splitlines()
        if "Cases" in line and "data-label" in line
    )
    assert ">2<" in row


# --- Reminder e-mails and task owners ----------------------------------------------------------


def test_reminder_to_owner_who_cannot_see_case_names_nothing_of_it(world, intake_analyst):
    mail.outbox.clear()
    task_reminders_send(today=timezone.localdate())
    to_owner = [m for m in mail.outbox if m.to == [intake_analyst.email]]
    assert len(to_owner) == 1
    text = to_owner[0].subject + to_owner[0].body
    for word in (world.les_case.number, LES_TASK_TITLE, LES_TASK_TEXT):
        assert word not in text
    others = "".join(m.subject + m.body for m in mail.outbox if m.to != [intake_analyst.email])
    assert world.les_case.number in others  # the cleared owner's reminder is whole


def test_task_cannot_be_given_to_owner_who_cannot_see_case(world, case_analyst, intake_analyst):
    with pytest.raises(ValidationError) as refused:
        case_services.task_create(
            case=world.les_case,
            actor=case_analyst,
            title="Check the bill of lading",
            owner=intake_analyst,
            due_on=timezone.localdate() + dt.timedelta(days=3),
        )
    assert "cannot see this case" in str(refused.value)


def test_case_cannot_be_marked_les_while_a_blind_owner_has_an_open_task(
    world, supervisor, intake_analyst
):
    case_services.task_create(
        case=world.case,
        actor=supervisor,
        title="Check the bill of lading",
        owner=intake_analyst,
        due_on=timezone.localdate() + dt.timedelta(days=3),
    )
    with pytest.raises(ValidationError) as refused:
        case_services.case_update(case=world.case, actor=supervisor, law_enforcement_sensitive=True)
    assert str(intake_analyst) in str(refused.value)
    world.case.refresh_from_db()
    assert not world.case.law_enforcement_sensitive


# --- LES evidence metadata on an ordinary case -------------------------------------------------


def test_les_evidence_metadata_left_out_of_supply_links_sources_and_graph(
    world, targeting_analyst, case_analyst, client
):
    number = world.case.number
    client.force_login(targeting_analyst)
    links = client.get(f"/api/cases/{number}/supply-links/").json()
    assert [link["evidence"] for link in links] == [[world.evidence.pk]]
    graph = client.get(f"/api/cases/{number}/supply-chain/").json()
    assert [edge["evidence_count"] for edge in graph["edges"]] == [1]
    case = client.get(f"/api/cases/{number}/").json()
    assert "interview" not in case["evidence_sources"]
    assert "Interview or worker testimony" not in client.get(f"/cases/{number}/").content.decode()
    evidence_page = client.get(f"/cases/{number}/evidence/").content.decode()
    assert LES_EVIDENCE_TEXT not in evidence_page
    assert f"/evidence/{world.les_evidence.pk}/" not in evidence_page
    client.force_login(case_analyst)
    assert "interview" in client.get(f"/api/cases/{number}/").json()["evidence_sources"]
    graph = client.get(f"/api/cases/{number}/supply-chain/").json()
    assert [edge["evidence_count"] for edge in graph["edges"]] == [2]


def test_supply_link_known_only_from_les_evidence_is_hidden(
    world, targeting_analyst, case_analyst, client
):
    """A link whose only support is LES evidence is itself LES knowledge: listed, drawn and
    removable only for readers who may see that evidence."""
    number = world.case.number
    mill = world.case.entities.get(name="Example Spinning Mill")
    factory = world.case.entities.get(name="Example Garment Factory")
    hidden = evidence_services.supply_link_add(
        case=world.case,
        actor=case_analyst,
        supplier=factory,
        buyer=mill,
        goods="Dyed thread",
        evidence_ids=[world.les_evidence.pk],
    )
    client.force_login(targeting_analyst)
    links = client.get(f"/api/cases/{number}/supply-links/").json()
    assert [link["goods"] for link in links] == ["Yarn"]
    graph = client.get(f"/api/cases/{number}/supply-chain/").json()
    assert len(graph["edges"]) == 1
    assert "Dyed thread" not in client.get(f"/cases/{number}/evidence/").content.decode()
    client.force_login(case_analyst)
    links = client.get(f"/api/cases/{number}/supply-links/").json()
    assert [link["goods"] for link in links] == ["Yarn", "Dyed thread"]
    assert hidden.pk in [link["id"] for link in links]


# --- Order internal notes and opinion summary --------------------------------------------------


@pytest.mark.parametrize("role", ["targeting_analyst", "port_officer", "hsi_liaison"])
def test_order_internal_notes_and_opinion_summary_hidden_from(world, role, request, client):
    client.force_login(request.getfixturevalue(role))
    page = client.get(f"/orders/{world.order.number}/").content.decode()
    assert ORDER_NOTES not in page and OPINION_SUMMARY not in page
    data = client.get(f"/api/orders/{world.order.number}/").json()
    assert "internal_notes" not in data


@pytest.mark.parametrize("role", ["case_analyst", "chief_counsel", "approving_official"])
def test_order_internal_notes_and_opinion_summary_shown_to(world, role, request, client):
    client.force_login(request.getfixturevalue(role))
    page = client.get(f"/orders/{world.order.number}/").content.decode()
    assert ORDER_NOTES in page and OPINION_SUMMARY in page
    assert ORDER_NOTES in client.get(f"/api/orders/{world.order.number}/").json()["internal_notes"]


# --- Informants --------------------------------------------------------------------------------


def test_submitter_identity_withheld_from_case_analyst(world, case_analyst, client):
    receipt = world.on_case.receipt_number
    client.force_login(case_analyst)
    page = client.get(f"/intake/{receipt}/").content.decode()
    assert SUBMITTER_ON_CASE not in page and SUBMITTER_ON_CASE.lower() not in page
    assert "identity withheld" in page
    data = client.get(f"/api/allegations/{receipt}/").json()
    assert data["submitter_identity"] == "withheld"
    assert data["contact_name"] is None and data["contact_email"] is None


@pytest.mark.parametrize("role", ["intake_analyst", "supervisor"])
def test_submitter_identity_shown_to(world, role, request, client):
    client.force_login(request.getfixturevalue(role))
    page = client.get(f"/intake/{world.on_case.receipt_number}/").content.decode()
    assert SUBMITTER_ON_CASE in page


def test_identity_reveal_request_granted_by_supervisor_and_every_reveal_audited(
    world, case_analyst, supervisor, client
):
    receipt = world.on_case.receipt_number
    client.force_login(case_analyst)
    response = client.post(
        f"/intake/{receipt}/identity-request/",
        {"reason": "The submitter may be a witness we must interview for the case."},
    )
    assert response.status_code == 302
    request = IdentityRevealRequest.objects.get()
    assert request.state == "requested" and request.requested_by == case_analyst
    assert SUBMITTER_ON_CASE not in client.get(f"/intake/{receipt}/").content.decode()
    client.force_login(supervisor)
    assert receipt in client.get("/intake/identity-requests/").content.decode()
    client.post(f"/intake/identity-requests/{request.pk}/decide/", {"decision": "grant"})
    request.refresh_from_db()
    assert request.state == "granted" and request.decided_by == supervisor
    client.force_login(case_analyst)
    assert SUBMITTER_ON_CASE in client.get(f"/intake/{receipt}/").content.decode()
    assert client.get(f"/api/allegations/{receipt}/").json()["contact_name"] == SUBMITTER_ON_CASE
    actions = list(
        AuditEntry.objects.filter(
            action__in=[
                AuditAction.IDENTITY_REVEAL_REQUESTED,
                AuditAction.IDENTITY_REVEAL_GRANTED,
                AuditAction.IDENTITY_REVEALED,
            ]
        )
        .order_by("id")
        .values_list("action", "actor__username")
    )
    assert actions == [
        ("IDENTITY_REVEAL_REQUESTED", "case_analyst"),
        ("IDENTITY_REVEAL_GRANTED", "supervisor"),
        ("IDENTITY_REVEALED", "case_analyst"),
        ("IDENTITY_REVEALED", "case_analyst"),
    ]
    # Granted for that allegation only.
    other = client.get(f"/intake/{world.on_les.receipt_number}/")
    assert other.status_code == 200 and "identity withheld" in other.content.decode()


def test_identity_reveal_refused_or_unreasoned_shows_nothing(world, case_analyst, supervisor):
    with pytest.raises(ValidationError):
        intake_services.identity_reveal_request(
            allegation=world.on_case, actor=case_analyst, reason="need it"
        )
    request = intake_services.identity_reveal_request(
        allegation=world.on_case,
        actor=case_analyst,
        reason="The submitter may be a witness we must interview.",
    )
    with pytest.raises(Exception, match="Only a supervisor"):
        intake_services.identity_reveal_decide(request=request, actor=case_analyst, grant=True)
    intake_services.identity_reveal_decide(request=request, actor=supervisor, grant=False)
    from withhold.intake import selectors

    access = selectors.submitter_identity_access(user=case_analyst, allegation=world.on_case)
    assert access == selectors.IDENTITY_WITHHELD


# --- Intake could create an LES case it could not see -------------------------------------------


def test_intake_analyst_is_not_offered_and_cannot_set_the_les_flag(
    intake_analyst, case_analyst, commodity, client
):
    client.force_login(intake_analyst)
    assert 'name="law_enforcement_sensitive"' not in client.get("/cases/new/").content.decode()
    with pytest.raises(ValidationError) as refused:
        case_services.case_create(
            actor=intake_analyst,
            title="Cotton yarn from Example Spinning",
            allegation_summary="Workers report that recruiters keep their identity cards.",
            commodity=commodity,
            source_country="CN",
            referral_source="ngo",
            received_on=timezone.localdate(),
            law_enforcement_sensitive=True,
        )
    assert "law_enforcement_sensitive" in refused.value.message_dict
    client.force_login(case_analyst)
    assert 'name="law_enforcement_sensitive"' in client.get("/cases/new/").content.decode()


# --- Out-of-range entity ids -------------------------------------------------------------------


@pytest.mark.parametrize("value", ["9223372036854775808", "99999999999999999999999", "-1"])
def test_case_list_entity_filter_out_of_range_is_not_a_server_error(value, case_analyst, client):
    client.force_login(case_analyst)
    assert client.get(f"/cases/?entity={value}").status_code == 200
    assert client.get(f"/api/cases/?entity={value}").status_code == 400


# --- The policy and its table ------------------------------------------------------------------


def test_policy_table_in_docs_matches_the_module():
    docs = Path(__file__).resolve().parents[2] / "docs" / "security.md"
    assert policy_table_markdown() in docs.read_text(encoding="utf-8"), (
        "docs/security.md's policy table differs from accounts/visibility.py: paste "
        "policy_table_markdown()"
    )


def test_every_policy_permission_exists_and_unknown_keys_fail(case_analyst):
    from django.contrib.auth.models import Permission

    for rule in POLICY.values():
        if rule.perm:
            app_label, codename = rule.perm.split(".")
            assert Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).exists(), rule.perm
    with pytest.raises(KeyError):
        can_see(case_analyst, "order.internal_note")
    assert not can_see(case_analyst, "file.storage_name")


def test_identity_reveal_through_the_api(world, case_analyst, supervisor, client):
    receipt = world.on_case.receipt_number
    client.force_login(case_analyst)
    asked = client.post(
        f"/api/allegations/{receipt}/identity-request/",
        {"reason": "The submitter may be a witness we must interview."},
        content_type="application/json",
    )
    assert asked.status_code == 201 and asked.json()["state"] == "requested"
    refused = client.post(
        f"/api/identity-requests/{asked.json()['id']}/decide/",
        {"grant": True},
        content_type="application/json",
    )
    assert refused.status_code == 403
    client.force_login(supervisor)
    granted = client.post(
        f"/api/identity-requests/{asked.json()['id']}/decide/",
        {"grant": True},
        content_type="application/json",
    )
    assert granted.status_code == 200 and granted.json()["state"] == "granted"
    client.force_login(case_analyst)
    data = client.get(f"/api/allegations/{receipt}/").json()
    assert data["submitter_identity"] == "granted" and data["contact_name"] == SUBMITTER_ON_CASE
