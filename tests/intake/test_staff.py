"""Triage pages and API: who may do what (role × action), the queue, suggestions, decisions
through the pages, audited downloads, and staff sign-in throttling."""

import datetime as dt

import pytest
from django.contrib.auth import authenticate
from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from withhold.accounts.roles import Role
from withhold.audit.models import AuditAction, AuditEntry
from withhold.cases.models import Case
from withhold.intake import selectors, services
from withhold.intake.models import Allegation, Decision

from ..factories import CaseEntityFactory, CaseFactory, CommodityFactory, EntityFactory, UserFactory
from .conftest import pdf, report_fields

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}


@pytest.fixture
def world(db):
    """An undecided allegation, one linked to a case, and that case."""
    waiting = services.allegation_submit(files=[pdf()], **report_fields()).allegation
    linked = services.allegation_submit(**report_fields(manufacturer_name="Other Mill")).allegation
    case = CaseFactory()
    decider = UserFactory(role=Role.SUPERVISOR, username="decider")
    services.allegation_case_attach(allegation=linked, case=case, actor=decider)
    return {
        "waiting": waiting.receipt_number,
        "linked": linked.receipt_number,
        "file": waiting.attachments.get().pk,
        "linked_file": None,
        "case": case.number,
    }


COLUMNS = [
    ("queue", "GET", "/intake/"),
    ("detail", "GET", "/intake/{waiting}/"),
    ("detail_linked", "GET", "/intake/{linked}/"),
    ("open_case", "GET", "/intake/{waiting}/open-case/"),
    ("download", "GET", "/intake/{waiting}/files/{file}/"),
    ("decline", "POST", "/intake/{waiting}/decline/"),
    ("api_list", "GET", "/api/allegations/"),
    ("api_detail", "GET", "/api/allegations/{waiting}/"),
    ("api_linked", "GET", "/api/allegations/{linked}/"),
    ("api_decline", "POST", "/api/allegations/{waiting}/decline/"),
]
# 302 for the decline page = accepted and sent back to the queue; 404 = hidden, exactly like an
# allegation that does not exist.
TRIAGE = [200, 200, 200, 200, 200, 302, 200, 200, 200, 200]
NONE = [403, 403, 403, 403, 403, 403, 403, 403, 403, 403]
MATRIX = {
    Role.INTAKE_ANALYST: TRIAGE,
    Role.SUPERVISOR: TRIAGE,
    Role.CASE_ANALYST: [403, 404, 200, 404, 404, 404, 403, 404, 200, 404],
    Role.CHIEF_COUNSEL: NONE,
    Role.APPROVING_OFFICIAL: NONE,
    Role.TARGETING_ANALYST: NONE,
    Role.PORT_OFFICER: NONE,
    Role.HSI_LIAISON: NONE,
    Role.IMPORTER: NONE,
    Role.PUBLIC: NONE,
}


@pytest.mark.parametrize("role", list(MATRIX))
@pytest.mark.parametrize("column", range(len(COLUMNS)))
def test_permission_matrix(world, client, role, column):
    name, method, template = COLUMNS[column]
    expected = MATRIX[role][column]
    user = UserFactory(role=role, username=f"m-{role}")
    url = template.format(**world)
    if name.startswith("api"):
        api = APIClient()
        api.force_authenticate(user)
        body = {"reason": "No link to the United States market at all."}
        response = api.post(url, body, format="json") if method == "POST" else api.get(url)
    else:
        client.force_login(user)
        data = {"reason": "No link to the United States market at all."}
        response = client.post(url, data, **HOST) if method == "POST" else client.get(url, **HOST)
    assert response.status_code == expected, f"{role} {name}"
    decided = Allegation.objects.get(receipt_number=world["waiting"]).decision
    assert (decided == Decision.DECLINED) == (method == "POST" and expected in (200, 302))


def test_signed_out_visitors_are_sent_to_sign_in(world, client):
    response = client.get("/intake/", **HOST)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert APIClient().get("/api/allegations/").status_code == 403


def test_queue_lists_waiting_allegations_with_age_completeness_and_overdue_flag(
    client, intake_analyst, settings
):
    settings.WITHHOLD = {**settings.WITHHOLD, "INTAKE_TRIAGE_DAYS": 10}
    old = services.allegation_submit(**report_fields(manufacturer_name="")).allegation
    Allegation.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=12))
    new = services.allegation_submit(**report_fields()).allegation
    client.force_login(intake_analyst)
    page = client.get("/intake/", **HOST).content.decode()
    assert old.receipt_number in page and new.receipt_number in page
    assert "12 days" in page and "Overdue" in page
    assert "Facts about production abroad: thin" in page
    overdue_only = client.get("/intake/?overdue=on", **HOST).content.decode()
    assert old.receipt_number in overdue_only and new.receipt_number not in overdue_only
    export = client.get("/intake/?format=csv&state=all", **HOST)
    csv = b"".join(export.streaming_content).decode()
    assert csv.splitlines()[0].startswith("receipt_number,received_on")
    assert old.receipt_number in csv and "passports" not in csv


def test_queue_query_count_does_not_grow_with_rows(client, intake_analyst):
    client.force_login(intake_analyst)
    services.allegation_submit(files=[pdf()], ilo_indicators=[1], **report_fields())
    client.get("/intake/", **HOST)
    with CaptureQueriesContext(connection) as few:
        client.get("/intake/", **HOST)
    for _ in range(5):
        services.allegation_submit(files=[pdf()], ilo_indicators=[1, 2], **report_fields())
    with CaptureQueriesContext(connection) as many:
        response = client.get("/intake/", **HOST)
    assert response.content.decode().count("/intake/FLA-") == 6
    assert len(many) == len(few)


def test_suggestions_find_a_similar_manufacturer_on_an_open_case_and_earlier_allegations(
    intake_analyst,
):
    earlier = services.allegation_submit(
        **report_fields(manufacturer_name="EXAMPLE SPINNING MILLS COMPANY LIMITED")
    ).allegation
    case = CaseFactory(title="Yarn from the mill")
    CaseEntityFactory(
        case=case, entity=EntityFactory(name="Example Spinning Mill", aliases=[], country="CN")
    )
    elsewhere = CaseFactory(source_country="VN")
    CaseEntityFactory(
        case=elsewhere, entity=EntityFactory(name="Example Spinning Mill", country="VN")
    )
    unrelated = CaseFactory(commodity=CommodityFactory(name="Gloves", hs_code="4015"))
    CaseEntityFactory(case=unrelated, entity=EntityFactory(name="Sample Glove Works"))
    allegation = services.allegation_submit(**report_fields()).allegation
    found = {
        s.number: s
        for s in selectors.allegation_suggestions(allegation=allegation, user=intake_analyst)
    }
    assert case.number in found and "similar manufacturer" in found[case.number].reason
    assert earlier.receipt_number in found
    assert elsewhere.number not in found  # another country
    assert unrelated.number not in found


def test_suggestions_include_open_cases_of_the_same_country_and_commodity(intake_analyst):
    cotton = CommodityFactory(name="Cotton", hs_code="5201")
    same = CaseFactory(commodity=cotton)
    closed = CaseFactory(commodity=cotton, status="closed", closing_outcome="no_violation")
    allegation = services.allegation_submit(
        **report_fields(manufacturer_name="", merchandise_description="Raw cotton bales")
    ).allegation
    found = {
        s.number: s
        for s in selectors.allegation_suggestions(allegation=allegation, user=intake_analyst)
    }
    assert "Same country and commodity (Cotton)" in found[same.number].reason
    assert closed.number not in found


def test_analyst_opens_a_case_from_the_page_with_a_suggested_commodity(client, intake_analyst):
    cotton = CommodityFactory(name="Cotton", hs_code="5201")
    allegation = services.allegation_submit(
        ilo_indicators=[7], **report_fields(merchandise_description="Cotton yarn on cones")
    ).allegation
    client.force_login(intake_analyst)
    form_page = client.get(f"/intake/{allegation.receipt_number}/open-case/", **HOST)
    assert f'<option value="{cotton.pk}" selected>' in form_page.content.decode()
    response = client.post(
        f"/intake/{allegation.receipt_number}/open-case/",
        {
            "title": "Cotton yarn from Example Spinning Mill",
            "commodity": cotton.pk,
            "source_country": "CN",
            "priority": "high",
            "manufacturer": "new",
        },
        **HOST,
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.number}/"
    assert case.priority == "high" and case.allegation_summary == allegation.reasons
    page = client.get(f"/cases/{case.number}/", **HOST).content.decode()
    assert f"Case opened from allegation {allegation.receipt_number}" in page


def test_attach_and_request_information_through_the_pages(client, intake_analyst):
    case = CaseFactory()
    first = services.allegation_submit(**report_fields()).allegation
    second = services.allegation_submit(**report_fields()).allegation
    client.force_login(intake_analyst)
    client.post(f"/intake/{first.receipt_number}/attach/", {"case_number": case.number}, **HOST)
    client.post(
        f"/intake/{second.receipt_number}/request-information/",
        {"question": "Which town is the mill in, please?"},
        **HOST,
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.decision == Decision.ATTACHED and first.case == case
    assert second.decision == Decision.INFO_REQUESTED
    again = client.post(
        f"/intake/{first.receipt_number}/decline/",
        {"reason": "Changing my mind about this one."},
        follow=True,
        **HOST,
    )
    assert "already decided" in again.content.decode()


def test_download_is_recorded_in_the_audit_log(client, intake_analyst, allegation):
    client.force_login(intake_analyst)
    attachment = allegation.attachments.get()
    response = client.get(f"/intake/{allegation.receipt_number}/files/{attachment.pk}/", **HOST)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    entry = AuditEntry.objects.get(action=AuditAction.ALLEGATION_ATTACHMENT_DOWNLOADED)
    assert entry.actor == intake_analyst and entry.data["sha256"] == attachment.sha256


def test_attachments_are_not_under_any_public_url(client, allegation):
    name = allegation.attachments.get().file.name
    assert client.get(f"/media/{name}", **HOST).status_code == 404
    assert client.get(f"/{name}", **HOST).status_code == 404


# --- API ----------------------------------------------------------------------------------------


def test_api_submission_is_public_and_returns_the_receipt(db):
    body = {**report_fields(), "ilo_indicators": [7]}
    response = APIClient().post("/api/allegations/", body, format="json")
    assert response.status_code == 201
    allegation = Allegation.objects.get(receipt_number=response.data["receipt_number"])
    assert allegation.channel == "api"
    assert selectors.allegation_get_for_submitter(
        receipt_number=allegation.receipt_number, code=response.data["follow_up_code"]
    )


def test_api_submission_refuses_unknown_fields_and_is_throttled(db, settings):
    settings.WITHHOLD = {**settings.WITHHOLD, "INTAKE_SUBMIT_RATE": "2/3600"}
    api = APIClient()
    refused = api.post("/api/allegations/", {**report_fields(), "secret": 1}, format="json")
    assert refused.status_code == 400 and "secret" in refused.data
    assert api.post("/api/allegations/", report_fields(), format="json").status_code == 201
    throttled = api.post("/api/allegations/", report_fields(), format="json")
    assert throttled.status_code == 429
    assert Allegation.objects.count() == 1


def test_api_triage_opens_a_case(intake_analyst, allegation):
    cotton = CommodityFactory(name="Cotton", hs_code="5201")
    api = APIClient()
    api.force_authenticate(intake_analyst)
    queue = api.get("/api/allegations/")
    assert [r["receipt_number"] for r in queue.data["results"]] == [allegation.receipt_number]
    response = api.post(
        f"/api/allegations/{allegation.receipt_number}/open-case/",
        {"commodity": cotton.pk},
        format="json",
    )
    assert response.status_code == 201
    case = Case.objects.get(number=response.data["case_number"])
    assert case.source_country == "CN" and case.title.startswith("Combed cotton yarn")
    again = api.post(
        f"/api/allegations/{allegation.receipt_number}/decline/",
        {"reason": "Changing my mind about this."},
        format="json",
    )
    assert again.status_code == 400 and "already decided" in again.data["detail"]


# --- Staff sign-in throttling -------------------------------------------------------------------


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_staff_sign_in_is_locked_after_repeated_wrong_passwords(client, intake_analyst):
    def sign_in(password):
        return client.post(
            "/accounts/login/",
            {"username": "intake_analyst", "password": password},
            REMOTE_ADDR="10.1.1.1",
            **HOST,
        )

    assert [sign_in("wrong").status_code for _ in range(2)] == [200, 200]
    assert sign_in("wrong").status_code == 429
    assert sign_in("correct-horse-battery").status_code == 429  # locked even with the password
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="10.2.2.2")
    assert authenticate(request, username="intake_analyst", password="correct-horse-battery")
