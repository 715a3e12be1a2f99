"""A document's content must suit the kind it is sent as: the type is read from its bytes (not
its name) and checked against ``DetentionDocument.KIND_TYPES``, on every upload path — proof on
the page and through the API, export notices, added documents."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from withhold.core import files
from withhold.detentions import services
from withhold.detentions.models import Detention, DetentionDocument

from .conftest import pdf

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}
TODAY = timezone.localdate()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def plain_text(name="coo.txt"):
    """Plain text under its own name: it passes ``check_upload`` (a text file named ``.pdf`` is
    already refused there, by its name), so only the kind's own rule can refuse it."""
    return SimpleUploadedFile(name, b"I certify these goods are fine.\n", content_type="text/plain")


@pytest.fixture
def detention(record, wro):
    return record(
        [wro], imported_on=TODAY - dt.timedelta(days=20), notice_on=TODAY - dt.timedelta(days=18)
    )


def test_every_kind_has_its_types():
    assert set(DetentionDocument.KIND_TYPES) == set(DetentionDocument.Kind.values)
    assert files.TEXT not in DetentionDocument.KIND_TYPES["certificate_of_origin"]


def test_plain_text_is_not_a_certificate_of_origin(detention, acme_user):
    with pytest.raises(ValidationError) as refused:
        services.detention_proof_submit(
            detention=detention,
            actor=acme_user,
            documents=[
                services.DetentionFile("certificate_of_origin", "COO", plain_text()),
                services.DetentionFile("detailed_statement", "Statement", pdf("s.pdf")),
            ],
        )
    message = refused.value.message_dict["certificate_of_origin"][0]
    assert "“coo.txt” holds plain text" in message and "PDF" in message
    assert not DetentionDocument.objects.exists()
    detention.refresh_from_db()
    assert detention.status == Detention.Status.DETAINED


def test_a_scan_is_a_certificate_but_a_workbook_is_not(detention, acme_user):
    record = services.detention_document_add(
        detention=detention,
        actor=acme_user,
        document=services.DetentionFile(
            "certificate_of_origin", "Scan", SimpleUploadedFile("scan.png", PNG)
        ),
    )
    assert record.content_type == files.PNG
    with pytest.raises(ValidationError, match="CSV"):
        services.detention_document_add(
            detention=detention,
            actor=acme_user,
            document=services.DetentionFile(
                "audit_report", "Data", SimpleUploadedFile("audit.csv", b"a,b\n1,2\n")
            ),
        )


def test_proof_page_names_the_field(detention, acme_user, client):
    client.force_login(acme_user)
    response = client.post(
        f"/detentions/{detention.pk}/proof/",
        {"certificate_of_origin": plain_text(), "detailed_statement": pdf("b.pdf")},
        **HOST,
    )
    assert response.status_code == 400
    assert "holds plain text" in " ".join(response.context["form"].errors["certificate_of_origin"])


def test_export_notice_and_document_pages_check_the_kind(detention, acme_user, client):
    client.force_login(acme_user)
    response = client.post(
        f"/detentions/{detention.pk}/export-notice/",
        {"title": "Notice", "file": plain_text("notice.txt")},
        **HOST,
    )
    assert response.status_code == 400
    assert "holds plain text" in " ".join(response.context["form"].errors["file"])
    response = client.post(
        f"/detentions/{detention.pk}/documents/",
        {"kind": "detailed_statement", "title": "S", "file": plain_text("s.txt")},
        **HOST,
    )
    assert response.status_code == 400
    assert "holds plain text" in " ".join(response.context["form"].errors["file"])
    assert not DetentionDocument.objects.exists()


def test_api_proof_names_the_field(detention, acme_user):
    api = APIClient()
    api.force_authenticate(acme_user)
    response = api.post(
        f"/api/detentions/{detention.pk}/proof/",
        {"certificate_of_origin": plain_text(), "detailed_statement": pdf("b.pdf")},
        format="multipart",
    )
    assert response.status_code == 400
    assert "holds plain text" in str(response.json()["certificate_of_origin"])
    response = api.post(
        f"/api/detentions/{detention.pk}/proof/",
        {"export_notice": plain_text("notice.txt")},
        format="multipart",
    )
    assert response.status_code == 400
    assert "holds plain text" in str(response.json()["export_notice"])
