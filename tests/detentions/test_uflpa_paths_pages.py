"""The UFLPA paths on the pages and the API: role × page and role × operation, the importer's
walk through an applicability review and an answer, the approving official's grant and the
report to Congress, and the public register — scanned field by field so that nothing of the
file but the report's public fields reaches it."""

import datetime as dt
import re
from itertools import count

import pytest
from django.db import models
from django.utils import timezone
from django.utils.html import escape
from rest_framework.test import APIClient

from withhold.accounts.roles import Role
from withhold.audit.models import AuditAction, AuditEntry
from withhold.detentions import services
from withhold.detentions.models import (
    CongressReport,
    Detention,
    DetentionDocument,
    DetentionEvent,
    ImporterAccount,
    UflpaRequest,
)

from ..factories import UserFactory
from .conftest import pdf, uflpa_fields

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}
TODAY = timezone.localdate()


def _uflpa(record, entry, number):
    presented = TODAY - dt.timedelta(days=6)
    return record(
        [],
        **uflpa_fields(
            entry,
            entry_number=number,
            imported_on=presented,
            presented_on=presented,
            notice_on=presented + dt.timedelta(days=1),
        ),
    )


def _exception_under_review(detention, importer_user, port_officer):
    request = services.uflpa_request_file(
        detention=detention,
        actor=importer_user,
        path="exception",
        sector="tomatoes",
        statement="An exception is due.",
        guidance_compliance="Guidance followed.",
        evidence_summary="Farm audits and payroll.",
        documents=[services.DetentionFile("supply_chain", "Supply map", pdf("map.pdf"))],
    )
    services.detention_review_start(detention=detention, actor=port_officer)
    services.detention_recommend(
        detention=detention, actor=port_officer, recommendation="release", reason="Sound."
    )
    return request


@pytest.fixture
def setting(record, uflpa_entry, acme_user, port_officer, approving_official):
    """A pending exception under review with a request for information answered, and a second
    detention whose exception was granted (its report to Congress open)."""
    pending = _uflpa(record, uflpa_entry, "ABC-1111111-1")
    request = _exception_under_review(pending, acme_user, port_officer)
    services.detention_information_request(
        detention=pending, actor=port_officer, message="Send the farm list."
    )
    asked = pending.events.get(kind="information_requested")
    services.detention_information_answer(
        detention=pending, actor=acme_user, request_event=asked, message="Farm list sent."
    )
    granted = _uflpa(record, uflpa_entry, "ABC-2222222-2")
    report = services.uflpa_exception_grant(
        request=_exception_under_review(granted, acme_user, port_officer),
        actor=approving_official,
        complied_with_guidance=True,
        answered_every_request=True,
        clear_and_convincing=True,
        finding="Clear and convincing.",
        evidence_considered="Farm audits.",
    )
    return {"pending": pending, "request": request, "asked": asked, "report": report}


COLUMNS = [
    ("applicability", "/detentions/{d}/uflpa/applicability/"),
    ("exception", "/detentions/{d}/uflpa/exception/"),
    ("answer", "/detentions/{d}/information/{e}/answer/"),
    ("decide", "/detentions/{d}/exception/{r}/decide/"),
    ("reports", "/detentions/congress-reports/"),
    ("report", "/detentions/congress-reports/{p}/"),
    ("report_pdf", "/detentions/congress-reports/{p}/pdf/"),
    ("report_sent", "/detentions/congress-reports/{p}/sent/"),
]

#                          appl exc  ans  dec  reps rep  pdf  sent
MATRIX = {
    None:                   [302, 302, 302, 302, 302, 302, 302, 302],
    Role.INTAKE_ANALYST:    [403, 403, 403, 403, 403, 403, 403, 403],
    Role.CASE_ANALYST:      [403, 403, 403, 403, 200, 200, 200, 403],
    Role.SUPERVISOR:        [403, 403, 403, 403, 200, 200, 200, 403],
    Role.CHIEF_COUNSEL:     [403, 403, 403, 403, 403, 403, 403, 403],
    Role.APPROVING_OFFICIAL:[403, 403, 403, 200, 200, 200, 200, 200],
    Role.TARGETING_ANALYST: [403, 403, 403, 403, 200, 200, 200, 403],
    Role.PORT_OFFICER:      [403, 403, 403, 403, 200, 200, 200, 403],
    Role.HSI_LIAISON:       [403, 403, 403, 403, 403, 403, 403, 403],
    Role.IMPORTER:          [200, 200, 200, 403, 403, 403, 403, 403],
    Role.PUBLIC:            [403, 403, 403, 403, 403, 403, 403, 403],
}  # fmt: skip


def _urls(setting):
    ids = {
        "d": setting["pending"].pk,
        "e": setting["asked"].pk,
        "r": setting["request"].pk,
        "p": setting["report"].pk,
    }
    return [(name, template.format(**ids)) for name, template in COLUMNS]


@pytest.mark.parametrize("role", list(MATRIX), ids=lambda r: r or "anonymous")
def test_uflpa_pages_by_role(role, setting, acme, client):
    if role is not None:
        user = UserFactory(role=role, username=f"matrix-{role}")
        if role == Role.IMPORTER:
            ImporterAccount.objects.create(user=user, entity=acme)
        client.force_login(user)
    got = {name: client.get(url, **HOST).status_code for name, url in _urls(setting)}
    assert got == dict(zip([c[0] for c in COLUMNS], MATRIX[role], strict=True))


@pytest.mark.parametrize("role", [None, *Role], ids=lambda r: r or "anonymous")
def test_the_public_register_of_exceptions_is_open_to_all(
    role, setting, approving_official, client
):
    services.congress_report_mark_sent(
        report=setting["report"], actor=approving_official, sent_on=TODAY
    )
    if role is not None:
        client.force_login(UserFactory(role=role, username=f"public-{role}"))
    number = setting["report"].number
    for url in (
        "/uflpa-exceptions/",
        f"/uflpa-exceptions/{number}/",
        f"/uflpa-exceptions/{number}/pdf/",
    ):
        assert client.get(url, **HOST).status_code == 200, url


def test_an_unsent_report_is_not_published(setting, client):
    number = setting["report"].number
    assert number not in client.get("/uflpa-exceptions/", **HOST).content.decode()
    assert client.get(f"/uflpa-exceptions/{number}/", **HOST).status_code == 404
    assert client.get(f"/uflpa-exceptions/{number}/pdf/", **HOST).status_code == 404


#                          list  file  thread answer decide reports sent
API = [
    ("get", "/api/detentions/{d}/uflpa-requests/"),
    ("post", "/api/detentions/{d}/uflpa-requests/"),
    ("get", "/api/detentions/{d}/information-requests/"),
    ("post", "/api/detentions/{d}/information-requests/{e}/answers/"),
    ("post", "/api/uflpa-requests/{r}/decision/"),
    ("get", "/api/congress-reports/"),
    ("post", "/api/congress-reports/{p}/sent/"),
]
API_MATRIX = {
    None:                   [403, 403, 403, 403, 403, 403, 403],
    Role.INTAKE_ANALYST:    [403, 403, 403, 403, 403, 403, 403],
    Role.CASE_ANALYST:      [200, 403, 200, 403, 403, 200, 403],
    Role.SUPERVISOR:        [200, 403, 200, 403, 403, 200, 403],
    Role.CHIEF_COUNSEL:     [403, 403, 403, 403, 403, 403, 403],
    Role.APPROVING_OFFICIAL:[200, 403, 200, 403, 400, 200, 400],
    Role.TARGETING_ANALYST: [200, 403, 200, 403, 403, 200, 403],
    Role.PORT_OFFICER:      [200, 403, 200, 403, 403, 200, 403],
    Role.HSI_LIAISON:       [403, 403, 403, 403, 403, 403, 403],
    Role.IMPORTER:          [200, 400, 200, 400, 403, 403, 403],
    Role.PUBLIC:            [403, 403, 403, 403, 403, 403, 403],
}  # fmt: skip


@pytest.mark.parametrize("role", list(API_MATRIX), ids=lambda r: r or "anonymous")
def test_uflpa_api_by_role(role, setting, acme):
    """Each operation with an empty body: a role that may call it gets the body's refusal
    (400), any other 403 — nothing is changed either way."""
    api = APIClient()
    if role is not None:
        user = UserFactory(role=role, username=f"api-{role}")
        if role == Role.IMPORTER:
            ImporterAccount.objects.create(user=user, entity=acme)
        api.force_authenticate(user)
    ids = {
        "d": setting["pending"].pk,
        "e": setting["asked"].pk,
        "r": setting["request"].pk,
        "p": setting["report"].pk,
    }
    before = AuditEntry.objects.count()
    got = []
    for method, template in API:
        url = template.format(**ids)
        if method == "get":
            got.append(api.get(url).status_code)
        else:
            got.append(getattr(api, method)(url, {}, format="multipart").status_code)
    assert got == API_MATRIX[role]
    assert AuditEntry.objects.count() == before


# The importer's walk and the approving official's ---------------------------------------------


def test_importer_files_an_applicability_review_and_sees_what_is_missing(
    record, uflpa_entry, acme_user, port_officer, client
):
    detention = _uflpa(record, uflpa_entry, "ABC-3333333-3")
    client.force_login(acme_user)
    page = client.get(f"/detentions/{detention.pk}/", **HOST).content.decode()
    assert "Request an applicability review" in page and "Request an exception" in page
    form = client.get(f"/detentions/{detention.pk}/uflpa/applicability/", **HOST).content.decode()
    assert "Seafood" in form and "vessel" in form  # the guidance's documents, per sector
    refused = client.post(
        f"/detentions/{detention.pk}/uflpa/applicability/",
        {"sector": "aluminum", "statement": "Canadian smelter."},
        **HOST,
    )
    assert refused.status_code == 400
    assert "Send the supply-chain tracing" in refused.content.decode()
    done = client.post(
        f"/detentions/{detention.pk}/uflpa/applicability/",
        {
            "sector": "aluminum",
            "statement": "Canadian smelter.",
            "supply_chain": pdf("map.pdf"),
            "transport_records": pdf("bl.pdf"),
        },
        **HOST,
    )
    assert done.status_code == 302
    page = client.get(f"/detentions/{detention.pk}/", **HOST).content.decode()
    assert "Applicability review" in page and "Submitted" in page
    checklist = page.split('id="uflpa-checklist"')[1].split("</ul>")[0]
    assert re.findall(r'data-kind="(\w+)" data-present="no"', checklist) == [
        "transaction_records", "production_records", "raw_material_origin"
    ]  # fmt: skip
    assert "3 kinds of document still missing." in page
    assert "Request an applicability review" not in page  # one pending at a time
    # The CEE asks; the importer answers with a file; both sides see the thread.
    services.detention_information_request(
        detention=detention, actor=port_officer, message="Send the smelter's invoices."
    )
    asked = detention.events.get(kind="information_requested")
    answered = client.post(
        f"/detentions/{detention.pk}/information/{asked.pk}/answer/",
        {"message": "Invoices attached.", "kind": "transaction_records", "file": pdf("inv.pdf")},
        **HOST,
    )
    assert answered.status_code == 302
    page = client.get(f"/detentions/{detention.pk}/", **HOST).content.decode()
    thread = page.split('id="information-thread"')[1].split("</section>")[0]
    assert "Send the smelter&#x27;s invoices." in thread and "Invoices attached." in thread
    assert "inv.pdf" in thread
    assert "2 kinds of document still missing." in page
    client.force_login(port_officer)
    staff = client.get(f"/detentions/{detention.pk}/", **HOST).content.decode()
    assert "The importer answered" in staff.split('id="information-thread"')[1]


def test_the_approving_official_grants_on_the_page_and_sends_the_report(
    setting, approving_official, client
):
    client.force_login(approving_official)
    pending, request = setting["pending"], setting["request"]
    page = client.get(f"/detentions/{pending.pk}/", **HOST).content.decode()
    assert "Decide the exception" in page
    url = f"/detentions/{pending.pk}/exception/{request.pk}/decide/"
    form = client.get(url, **HOST).content.decode()
    assert "Supply-chain tracing documents" in form  # the evidence offered
    pending.refresh_from_db()
    refused = client.post(
        url,
        {"decision": "grant", "finding": "Met.", "evidence_considered": "Audits.",
         "version": pending.version},
        **HOST,
    )  # fmt: skip
    assert refused.status_code == 400
    assert "only when all three conditions are met" in refused.content.decode()
    done = client.post(
        url,
        {
            "decision": "grant",
            "complied_with_guidance": "on",
            "answered_every_request": "on",
            "clear_and_convincing": "on",
            "finding": "The farm audits are clear and convincing.",
            "evidence_considered": "Farm audits; payroll.",
            "version": pending.version,
        },
        **HOST,
    )
    assert done.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Detention.Status.RELEASED
    report = CongressReport.objects.get(request=request)
    assert report.due_on == TODAY + dt.timedelta(days=30)
    listing = client.get("/detentions/congress-reports/", **HOST).content.decode()
    assert report.number in listing and f"{report.due_on:%Y-%m-%d}" in listing
    sent = client.post(
        f"/detentions/congress-reports/{report.pk}/sent/", {"sent_on": TODAY.isoformat()}, **HOST
    )
    assert sent.status_code == 302
    public = client.get("/uflpa-exceptions/", **HOST).content.decode()
    assert report.number in public
    register = client.get("/register/", **HOST).content.decode()
    assert "/uflpa-exceptions/" in register


def test_api_walk_file_answer_grant_and_send(setting, acme_user, approving_official, port_officer):
    importer = APIClient()
    importer.force_authenticate(acme_user)
    pending = setting["pending"]
    body = importer.get(f"/api/detentions/{pending.pk}/uflpa-requests/").json()
    assert body["requests"][0]["path"] == "exception"
    assert "internal_note" not in body["requests"][0]
    lines = body["checklists"][0]["lines"]
    missing = [line["kind"] for line in lines if not line["present"]]
    assert "due_diligence_system" in missing
    services.detention_information_request(
        detention=pending, actor=port_officer, message="And the payroll."
    )
    asked = pending.events.filter(kind="information_requested").last()
    answered = importer.post(
        f"/api/detentions/{pending.pk}/information-requests/{asked.pk}/answers/",
        {"message": "Payroll.", "kind": "other", "file": pdf("pay.pdf")},
        format="multipart",
    )
    assert answered.status_code == 201
    assert answered.json()[-1]["answers"][0]["answer"]["importer_note"] == "Payroll."
    official = APIClient()
    official.force_authenticate(approving_official)
    granted = official.post(
        f"/api/uflpa-requests/{setting['request'].pk}/decision/",
        {
            "decision": "grant",
            "complied_with_guidance": True,
            "answered_every_request": True,
            "clear_and_convincing": True,
            "finding": "Met.",
            "evidence_considered": "Audits.",
        },
        format="json",
    )
    assert granted.status_code == 200, granted.json()
    report = granted.json()["congress_report"]
    assert report["days_left"] == 30 and report["state"] == "open"
    sent = official.post(
        f"/api/congress-reports/{report['id']}/sent/", {"sent_on": TODAY.isoformat()}, format="json"
    )
    assert sent.status_code == 200 and sent.json()["state"] == "sent"
    assert AuditEntry.objects.filter(action=AuditAction.CONGRESS_REPORT_SENT).count() == 1


# The public register: nothing of the file but the report's public fields ----------------------

_numbers = count(500001)


def _marker(field: models.Field) -> str:
    text = f"Pq{next(_numbers)}"
    return text[: field.max_length] if field.max_length else text


def _plant(row: models.Model, keep: tuple[str, ...] = ()) -> list[str]:
    """A unique marker in every text field of ``row`` but those in ``keep`` (the report's public
    fields); returns the markers, none of which may reach the public pages."""
    changes, planted = {}, []
    for field in row._meta.concrete_fields:
        if field.name in keep or field.choices:
            continue
        if isinstance(field, (models.CharField, models.TextField)) and not isinstance(
            field, models.FileField
        ):
            marker = _marker(field)
            if field.max_length and field.max_length < 8:
                continue
            changes[field.name] = marker
            planted.append(marker)
    type(row).objects.filter(pk=row.pk).update(**changes)
    return planted


def test_no_field_of_the_file_reaches_the_public_register(setting, approving_official, client):
    report = services.congress_report_mark_sent(
        report=setting["report"], actor=approving_official, sent_on=TODAY
    )
    detention = report.request.detention
    hidden = _plant(detention)
    for row in (
        *DetentionDocument.objects.filter(detention=detention),
        *DetentionEvent.objects.filter(detention=detention),
        *UflpaRequest.objects.filter(detention=detention),
    ):
        hidden += _plant(row)
    for entity in (detention.importer, detention.officer):
        hidden += _plant(entity)
    hidden += _plant(report, keep=CongressReport.PUBLIC_FIELDS)
    assert len(hidden) > 30
    pages = {}
    for url in (
        "/uflpa-exceptions/",
        f"/uflpa-exceptions/{report.number}/",
        f"/uflpa-exceptions/{report.number}/pdf/",
    ):
        response = client.get(url, **HOST)
        assert response.status_code == 200
        pages[url] = response.content.decode("latin-1")
    leaks = [(m, url) for m in hidden for url, text in pages.items() if m in text]
    assert leaks == []
    page = pages[f"/uflpa-exceptions/{report.number}/"]
    for name in ("goods", "evidence_considered", "finding"):
        assert escape(getattr(report, name)) in page, name


def test_the_approving_officials_home_lists_exceptions_and_reports_due(
    setting, approving_official, client
):
    client.force_login(approving_official)
    page = client.get("/", **HOST).content.decode()
    assert "UFLPA exception requests awaiting your decision" in page
    assert setting["pending"].entry_number in page
    assert "Reports to Congress due" in page and setting["report"].number in page
