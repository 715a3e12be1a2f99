"""What an importer sees of its detention: only the fields each model marks importer-visible
(``IMPORTER_FIELDS``), tested field by field — a unique marker is planted in every other field of
the detention, its documents and its history, and must appear in none of the importer's pages
and API answers, while the marked fields do appear."""

import datetime as dt
import re
from itertools import count

import pytest
from django.db import models
from django.utils import timezone
from rest_framework.test import APIClient

from withhold.detentions import services
from withhold.detentions.models import Detention, DetentionEvent, UflpaRequest
from withhold.screening.models import EntityList, ListEntry, ListVersion

from ..factories import UserFactory
from .conftest import pdf, proof_files, uflpa_fields

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
HOST = {"HTTP_HOST": "127.0.0.1"}
_numbers = count(900001)


@pytest.fixture
def reviewed(record, wro, acme_user, port_officer):
    """Proof from the importer, a CBP document, a request for information and the CEE's
    recommendation: every kind of row the importer could be shown."""
    detention = record(
        [wro], imported_on=TODAY - dt.timedelta(days=20), notice_on=TODAY - dt.timedelta(days=18)
    )
    return _review(detention, acme_user, port_officer)


@pytest.fixture
def reviewed_uflpa(record, uflpa_entry, acme_user, port_officer):
    """The same under the UFLPA presumption, with both nexuses: the listed entity and the XUAR
    input are the importer's to see, the XUAR evidence and the list-entry link are not."""
    presented = TODAY - dt.timedelta(days=20)
    detention = record(
        [],
        **uflpa_fields(
            uflpa_entry,
            uflpa_nexus="both",
            xuar_input="Cotton yarn",
            xuar_evidence="Mill certificate",
            imported_on=presented,
            presented_on=presented,
            notice_on=presented + dt.timedelta(days=2),
        ),
    )
    return _review(detention, acme_user, port_officer)


def _review(detention, acme_user, port_officer):
    services.detention_proof_submit(
        detention=detention, actor=acme_user, documents=proof_files(), statement="Our proof."
    )
    services.detention_document_add(
        detention=detention,
        actor=port_officer,
        document=services.DetentionFile("other", "Lab analysis", pdf("lab.pdf")),
    )
    services.detention_review_start(detention=detention, actor=port_officer)
    services.detention_information_request(
        detention=detention, actor=port_officer, message="Send the mill's payroll."
    )
    services.detention_recommend(
        detention=detention,
        actor=port_officer,
        recommendation="exclude",
        reason="INTERNAL: certificate looks forged",
    )
    return Detention.objects.get(pk=detention.pk)


def _marker(field: models.Field) -> str:
    text = f"Zq{next(_numbers)}"
    return text[: field.max_length] if field.max_length else text


def _plant(row: models.Model, parent: str | None) -> tuple[list[str], list[tuple[str, str]]]:
    """Write a unique marker into every field of ``row`` (straight to the database, past the
    rules) and return (markers of the internal fields, (field, marker) of the importer-visible
    text fields). Booleans cannot carry a marker; the parent link is the row's owner."""
    model = type(row)
    hidden, shown, changes = [], [], {}
    new_pk = None
    for field in model._meta.concrete_fields:
        if field.name == parent or isinstance(field, models.BooleanField):
            continue
        visible = field.name in model.IMPORTER_FIELDS
        if visible and (
            field.choices or not isinstance(field, (models.CharField, models.TextField))
        ):
            continue  # visible dates, numbers and codes keep their meaning for the pages
        if visible and field.max_length and field.max_length < 8:
            continue
        if isinstance(field, models.ForeignKey) and field.related_model in (
            DetentionEvent,
            UflpaRequest,
            Detention,
        ):
            continue  # a link between the detention's own rows, each planted in its own right
        if isinstance(field, models.ForeignKey) and field.related_model is ListEntry:
            marker = _marker(field)
            entity_list = EntityList.objects.create(source=marker, file_name=marker, sha256=marker)
            version = ListVersion.objects.create(
                entity_list=entity_list, number=1, file_name=marker, sha256=marker,
                loaded_at=timezone.now(), effective_on=timezone.localdate(),
            )  # fmt: skip
            changes[field.name] = ListEntry.objects.create(
                entity_list=entity_list,
                list_version=version,
                row_number=2,
                number=1,
                name=marker,
                address=marker,
                note=marker,
            )
        elif isinstance(field, models.ForeignKey):
            marker = _marker(field)
            changes[field.name] = UserFactory(
                username=marker, first_name=marker, last_name=marker, email=f"{marker}@x.test"
            )
        elif isinstance(field, models.DateTimeField):
            year = 1900 + next(_numbers) % 90
            marker = str(year)
            changes[field.name] = dt.datetime(year, 4, 5, 6, 7, tzinfo=dt.UTC)
        elif isinstance(field, (models.AutoField, models.BigAutoField)):
            new_pk = 7_000_000 + next(_numbers)
            marker = str(new_pk)
        elif isinstance(field, models.FileField):
            marker = _marker(field)
            changes[field.name] = f"detentions/{marker}.pdf"
        elif isinstance(field, (models.CharField, models.TextField)):
            marker = _marker(field)
            changes[field.name] = marker
        else:
            pytest.fail(f"Plant a marker in {model.__name__}.{field.name} ({type(field).__name__})")
        if visible:
            shown.append((f"{model.__name__}.{field.name}", marker))
        else:
            hidden.append(marker)
    model.objects.filter(pk=row.pk).update(**changes)
    if new_pk is not None:
        model.objects.filter(pk=row.pk).update(id=new_pk)
    return hidden, shown


def _plant_all(detention: Detention) -> tuple[list[str], list[tuple[str, str]]]:
    hidden, shown = _plant(detention, None)
    for document in detention.documents.all():
        h, s = _plant(document, "detention")
        hidden += h
        if document.by_importer:
            shown += s
    shown_steps = set(DetentionEvent.importer_queryset(detention).values_list("pk", flat=True))
    for event in detention.events.all():
        h, s = _plant(event, "detention")
        hidden += h
        if event.pk in shown_steps:
            shown += s
    for request in detention.uflpa_requests.all():
        h, s = _plant(request, "detention")
        hidden += h
        shown += s
    return hidden, shown


def _importer_answers(client, api, detention_id: int, extra=None) -> dict[str, str]:
    pages = {
        **(extra or {}),
        "list": "/detentions/",
        "list csv": "/detentions/?format=csv",
        "desk": "/detentions/desk/",
        "detail": f"/detentions/{detention_id}/",
        "add a document": f"/detentions/{detention_id}/documents/",
        "export notice form": f"/detentions/{detention_id}/export-notice/",
    }
    answers = {}
    for name, url in pages.items():
        response = client.get(url, **HOST)
        assert response.status_code == 200, name
        answers[name] = b"".join(response).decode() if response.streaming else response.text
    for name, url in {
        "api list": "/api/detentions/",
        "api detail": f"/api/detentions/{detention_id}/",
        "api uflpa requests": f"/api/detentions/{detention_id}/uflpa-requests/",
        "api information thread": f"/api/detentions/{detention_id}/information-requests/",
    }.items():
        response = api.get(url)
        assert response.status_code == 200, name
        answers[name] = response.content.decode()
    return answers


def _contains(text: str, marker: str) -> bool:
    if marker.isdigit():  # a number: not inside a longer number or a hashed file name
        return re.search(rf"(?<![0-9a-f]){marker}(?![0-9a-f])", text) is not None
    return marker in text


def test_no_internal_field_reaches_the_importer(reviewed, acme_user, client):
    _no_internal_field_reaches_the_importer(reviewed, acme_user, client)


def test_no_internal_field_of_a_uflpa_detention_reaches_the_importer(
    reviewed_uflpa, acme_user, client
):
    shown = _no_internal_field_reaches_the_importer(reviewed_uflpa, acme_user, client)
    assert {"Detention.uflpa_entity_name", "Detention.uflpa_list_version"} <= shown
    assert "Detention.xuar_input" in shown
    page = client.get(f"/detentions/{reviewed_uflpa.pk}/", **HOST).text
    assert "UFLPA clocks" in page and "Final admissibility decision due" in page


def _no_internal_field_reaches_the_importer(reviewed, acme_user, client) -> set[str]:
    hidden, shown = _plant_all(reviewed)
    assert len(hidden) >= 15  # the detention's, each document's and each step's internal fields
    client.force_login(acme_user)
    api = APIClient()
    api.force_authenticate(acme_user)
    answers = _importer_answers(client, api, reviewed.pk)
    leaks = [
        (marker, name)
        for marker in hidden
        for name, text in answers.items()
        if _contains(text, marker)
    ]
    assert leaks == []
    # The API gives every visible field; the page the ones a reader needs (the outcome's reason
    # once the detention is disposed of; this one is open).
    on_page = {"DetentionDocument.title", "DetentionEvent.importer_note"}
    for name, marker in shown:
        assert marker in answers["api detail"], name
        if name.startswith("Detention.") and name != "Detention.disposition_reason":
            assert marker in answers["detail"], name
        if name in on_page:
            assert marker in answers["detail"], name
    assert {name for name, _ in shown} >= {"Detention.merchandise", *on_page}
    return {name for name, _ in shown}


def test_staff_still_see_the_internal_fields(reviewed, port_officer, client):
    client.force_login(port_officer)
    page = client.get(f"/detentions/{reviewed.pk}/", **HOST).text
    assert "INTERNAL: certificate looks forged" in page
    assert "Lab analysis" in page
    data = APIClient()
    data.force_authenticate(port_officer)
    body = data.get(f"/api/detentions/{reviewed.pk}/").json()
    assert body["recommendation"] == "exclude"
    assert any("forged" in e["reason"] for e in body["events"])


def test_importer_history_names_who_acted(reviewed, acme_user, client):
    client.force_login(acme_user)
    page = client.get(f"/detentions/{reviewed.pk}/", **HOST).text
    history = page.split('id="history"')[1].split("</ol>")[0]
    steps = [re.sub(r"\s+", " ", s) for s in re.findall(r"<li>(.*?)</li>", history, re.S)]
    proof = next(s for s in steps if "Proof of admissibility submitted" in s)
    assert "(Acme Imports LLC)" in proof and "Our proof." in proof
    assert "(CBP)" not in proof
    request = next(s for s in steps if "More information requested" in s)
    assert "(CBP)" in request and "Send the mill&#x27;s payroll." in request
    assert not any("Recommendation" in s for s in steps)
    assert not any("Lab analysis" in s for s in steps)
    body = APIClient()
    body.force_authenticate(acme_user)
    events = body.get(f"/api/detentions/{reviewed.pk}/").json()["events"]
    assert [e["kind"] for e in events] == [
        "recorded", "proof_submitted", "review_started", "information_requested"
    ]  # fmt: skip
    assert all("reason" not in e for e in events)


def test_importer_cannot_download_cbp_documents(reviewed, acme_user, client):
    client.force_login(acme_user)
    cbp = reviewed.documents.get(by_importer=False)
    own = reviewed.documents.filter(by_importer=True).first()
    assert client.get(f"/detentions/{reviewed.pk}/documents/{cbp.pk}/", **HOST).status_code == 404
    assert client.get(f"/detentions/{reviewed.pk}/documents/{own.pk}/", **HOST).status_code == 200


def test_imported_file_name_stays_internal(port_officer, acme, acme_user, wro, client):
    from withhold.detentions.imports import ImportRow

    row = ImportRow(number=2)
    row.fields = {
        "entry_number": "ABC-7654321-0",
        "entry_line": 1,
        "port_of_entry": "2704 Los Angeles, CA",
        "imported_on": TODAY - dt.timedelta(days=3),
        "notice_on": TODAY - dt.timedelta(days=2),
        "importer": acme,
        "manufacturer": None,
        "country_of_origin": "CN",
        "merchandise": "Shirts",
        "hts_code": "6205.20",
        "quantity": 1,
        "quantity_unit": "pcs",
        "value_usd": 10,
        "officer": port_officer,
    }
    row.orders = [wro]
    (stored,) = services.detentions_import(
        actor=port_officer, rows=[row], file_name="la-port-internal-2026.xlsx"
    )
    client.force_login(acme_user)
    assert "la-port-internal" not in client.get(f"/detentions/{stored.pk}/", **HOST).text
    client.force_login(port_officer)
    assert "la-port-internal-2026.xlsx" in client.get(f"/detentions/{stored.pk}/", **HOST).text


@pytest.fixture
def uflpa_paths(record, uflpa_entry, acme_user, port_officer, approving_official):
    """A UFLPA detention with both of the importer's paths filed, a request for information
    answered with a file, the CEE's recommendation and a denied exception with CBP's internal
    note: every new kind of row the importer could be shown."""
    presented = TODAY - dt.timedelta(days=10)
    detention = record(
        [],
        **uflpa_fields(
            uflpa_entry,
            imported_on=presented,
            presented_on=presented,
            notice_on=presented + dt.timedelta(days=1),
        ),
    )
    tracing = [services.DetentionFile("supply_chain", "Supply map", pdf("map.pdf"))]
    services.uflpa_request_file(
        detention=detention,
        actor=acme_user,
        path="applicability_review",
        sector="cotton",
        statement="Australian cotton.",
        documents=tracing,
    )
    exception = services.uflpa_request_file(
        detention=detention,
        actor=acme_user,
        path="exception",
        sector="cotton",
        statement="An exception is due.",
        guidance_compliance="Guidance followed.",
        evidence_summary="Audits.",
    )
    services.detention_review_start(detention=detention, actor=port_officer)
    services.detention_information_request(
        detention=detention, actor=port_officer, message="Send the gin records."
    )
    asked = detention.events.get(kind="information_requested")
    services.detention_information_answer(
        detention=detention,
        actor=acme_user,
        request_event=asked,
        message="Gin records attached.",
        documents=[services.DetentionFile("raw_material_origin", "Gin records", pdf("gin.pdf"))],
    )
    services.detention_recommend(
        detention=detention, actor=port_officer, recommendation="exclude", reason="INTERNAL"
    )
    services.uflpa_exception_deny(
        request=exception,
        actor=approving_official,
        reason="The audits stop at the mill.",
        internal_note="INTERNAL denial note",
    )
    return Detention.objects.get(pk=detention.pk)


def test_no_internal_field_of_the_uflpa_paths_reaches_the_importer(uflpa_paths, acme_user, client):
    hidden, shown = _plant_all(uflpa_paths)
    client.force_login(acme_user)
    api = APIClient()
    api.force_authenticate(acme_user)
    asked = uflpa_paths.events.get(kind="information_requested")
    answers = _importer_answers(
        client,
        api,
        uflpa_paths.pk,
        extra={
            "applicability form": f"/detentions/{uflpa_paths.pk}/uflpa/applicability/",
            "exception form": f"/detentions/{uflpa_paths.pk}/uflpa/exception/",
            "answer form": f"/detentions/{uflpa_paths.pk}/information/{asked.pk}/answer/",
        },
    )
    leaks = [
        (marker, name)
        for marker in hidden
        for name, text in answers.items()
        if _contains(text, marker)
    ]
    assert leaks == []
    names = {name for name, _ in shown}
    assert {"UflpaRequest.statement", "UflpaRequest.decision_note"} <= names
    for name, marker in shown:
        if name.startswith("UflpaRequest."):
            assert marker in answers["detail"], name
            assert marker in answers["api uflpa requests"], name
    thread = answers["api information thread"]
    answer_note = next(m for n, m in shown if n == "DetentionEvent.importer_note" and m in thread)
    assert answer_note in answers["detail"]
