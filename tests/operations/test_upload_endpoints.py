"""Every place Withhold accepts a file — pages and API — goes through ``core/files.check_upload``
(type by content, size cap, zip-bomb check, SHA-256). Each endpoint gets a small workbook whose
contents expand to 40 MB and must refuse it with the zip-bomb message, quickly; and any module
that reads ``request.FILES`` or declares an API ``FileField`` must be listed here, so a new
upload path cannot appear without being walked."""

import datetime as dt
import io
import re
import time
import zipfile
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from withhold.accounts.roles import Role
from withhold.detentions import services as detention_services
from withhold.detentions.models import ImporterAccount
from withhold.orders import services as order_services
from withhold.orders.models import Order

from ..detentions.conftest import detention_fields
from ..factories import EntityFactory, UserFactory
from .seed import seed_records

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"
REFUSAL = "zip bomb"


def _bomb_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 40_000_000)
    return buffer.getvalue()


BOMB = _bomb_bytes()


def bomb(name="entries.xlsx"):
    return SimpleUploadedFile(name, BOMB, content_type="application/octet-stream")


def pdf(name="memo.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def world(db):
    cache.clear()
    records = seed_records(suffix="7")
    admin = UserFactory(username="uploads-admin", is_superuser=True, is_staff=True)
    # A detention still inside its three months, so the importer may file for it.
    officer = UserFactory(username="uploads-officer", role=Role.PORT_OFFICER)
    company = EntityFactory(name="Upload Imports LLC", country="US")
    today = timezone.localdate()
    detention = detention_services.detention_record(
        actor=officer,
        orders=[Order.objects.get(number=records.order_number)],
        **detention_fields(
            officer,
            company,
            entry_number="UPL-7654321-0",
            imported_on=today - dt.timedelta(days=3),
            notice_on=today - dt.timedelta(days=1),
        ),
    )
    importer = UserFactory(username="uploads-importer", role=Role.IMPORTER)
    ImporterAccount.objects.create(user=importer, entity=company)
    in_review = Order.objects.create(
        number="WRO-2026-0777",
        kind="wro",
        status="legal_review",
        merchandise="Cotton yarn from Example Mill",
        country="CN",
    )
    petition = order_services.petition_submit(
        order=Order.objects.get(number=records.order_number),
        actor=admin,
        request="modify",
        petitioner_name="Example Imports LLC",
        grounds="The mill has remediated every indicator since the order was issued.",
    )
    yield {
        "records": records,
        "admin": admin,
        "importer": importer,
        "order_in_review": in_review.number,
        "petition": petition.pk,
        "detention": detention.pk,
    }
    cache.clear()


def _evidence_fields():
    return {
        "kind": "photo",
        "source": "interview",
        "obtained_on": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
        "description": "Photo of the dormitory gate, locked from outside.",
        "indicators": ["3"],
        "language": "English",
        "translation_status": "not_needed",
        "source_reliability": "C",
        "information_credibility": "3",
    }


def _report_fields():
    return {
        "hts_code": "5205",
        "manufacturer_name": "Example Spinning Mill",
        "manufacturer_address": "12 Mill Road",
        "region": "Example Province",
        "supply_chain_companies": "Example Trading Co.",
        "production_period": "Spring 2025",
        "reasons": "Workers at the spinning mill told a union organiser that the company keeps "
        "their passports on arrival and deducts recruitment fees from wages for a year.",
        "merchandise_description": "Combed cotton yarn on cones in woven bags",
        "country": "CN",
        "ilo_indicators": ["7", "8"],
        "submitter_type": "worker",
        "contact_choice": "anonymous",
        "website": "",
        "action": "send",
        "confirmed": "on",
    }


# (name, module that reads the upload, who, method, path, fields; the file goes in the field
# named by "<file>")
ENDPOINTS = [
    (
        "allegation report",
        "withhold/intake/views.py",
        None,
        "page",
        "/report/",
        lambda w: {**_report_fields(), "attachments": bomb("statement.xlsx")},
    ),
    (
        "case document",
        "withhold/cases/views.py",
        "admin",
        "page",
        "/cases/{case}/documents/",
        lambda w: {"kind": "other", "title": "Statement", "file": bomb()},
    ),
    (
        "evidence item",
        "withhold/evidence/views.py",
        "admin",
        "page",
        "/cases/{case}/evidence/add/",
        lambda w: {**_evidence_fields(), "file": bomb()},
    ),
    (
        "trade data",
        "withhold/evidence/views.py",
        "admin",
        "page",
        "/cases/{case}/evidence/trade/",
        lambda w: {"file": bomb()},
    ),
    (
        "evidence item API",
        "withhold/evidence/api.py",
        "admin",
        "api",
        "/api/cases/{case}/evidence/",
        lambda w: {**_evidence_fields(), "indicators": [3], "file": bomb()},
    ),
    (
        "trade data API",
        "withhold/evidence/api.py",
        "admin",
        "api",
        "/api/cases/{case}/trade-data/",
        lambda w: {"file": bomb()},
    ),
    (
        "legal opinion memo",
        "withhold/orders/views.py",
        "admin",
        "page",
        "/orders/{order_in_review}/opinion/",
        lambda w: {
            "sufficient": "yes",
            "standard": "reasonable_not_conclusive",
            "opinion_on": timezone.localdate().isoformat(),
            "summary": "The evidence reasonably indicates forced labor.",
            "memo": bomb(),
        },
    ),
    (
        "petition",
        "withhold/orders/views.py",
        "admin",
        "page",
        "/petitions/new/{order}/",
        lambda w: {
            "request": "modify",
            "petitioner_name": "Example Imports LLC",
            "grounds": "The mill has remediated every indicator.",
            "evidence": bomb(),
        },
    ),
    (
        "petition document",
        "withhold/orders/views.py",
        "admin",
        "page",
        "/petitions/{petition}/",
        lambda w: {
            "action": "document",
            "document-kind": "evidence",
            "document-title": "Audit",
            "document-file": bomb(),
        },
    ),
    (
        "detention document",
        "withhold/detentions/views.py",
        "admin",
        "page",
        "/detentions/{detention}/documents/",
        lambda w: {"kind": "other", "title": "Photo", "file": bomb()},
    ),
    (
        "proof of admissibility",
        "withhold/detentions/views.py",
        "importer",
        "page",
        "/detentions/{detention}/proof/",
        lambda w: {"certificate_of_origin": bomb(), "detailed_statement": pdf()},
    ),
    (
        "export notice",
        "withhold/detentions/views.py",
        "importer",
        "page",
        "/detentions/{detention}/export-notice/",
        lambda w: {"title": "Notice", "file": bomb()},
    ),
    (
        "proof of admissibility API",
        "withhold/detentions/api.py",
        "importer",
        "api",
        "/api/detentions/{detention}/proof/",
        lambda w: {"certificate_of_origin": bomb(), "detailed_statement": pdf()},
    ),
    (
        "port file import",
        "withhold/detentions/views.py",
        "admin",
        "page",
        "/detentions/import/",
        lambda w: {"file": bomb()},
    ),
    (
        "screening run",
        "withhold/screening/views.py",
        "admin",
        "page",
        "/screening/",
        lambda w: {"file": bomb()},
    ),
    (
        "entity list",
        "withhold/screening/views.py",
        "admin",
        "page",
        "/screening/lists/",
        lambda w: {"source": "uflpa", "file": bomb("list.csv")},
    ),
    (
        "legacy spreadsheet",
        "withhold/quality/views.py",
        "admin",
        "page",
        "/data-quality/legacy/import/",
        lambda w: {
            "file": bomb(),
            "mapping": SimpleUploadedFile("m.toml", b"[columns]\n"),
            "dry_run": "on",
        },
    ),
    (
        "legacy mapping file",
        "withhold/quality/views.py",
        "admin",
        "page",
        "/data-quality/legacy/import/",
        lambda w: {
            "file": SimpleUploadedFile("cases.csv", b"title\nCotton\n"),
            "mapping": bomb("mapping.toml"),
            "dry_run": "on",
        },
    ),
    (
        "legacy spreadsheet for a proposed mapping",
        "withhold/quality/views.py",
        "admin",
        "page",
        "/data-quality/legacy/suggest/",
        lambda w: {"file": bomb()},
    ),
]


@pytest.mark.parametrize(
    ("name", "module", "who", "kind", "path", "fields"),
    ENDPOINTS,
    ids=[(e.values if hasattr(e, "values") else e)[0] for e in ENDPOINTS],
)
def test_every_upload_endpoint_refuses_a_zip_bomb(world, name, module, who, kind, path, fields):
    records = world["records"]
    url = path.format(
        case=records.case_number,
        order=records.order_number,
        order_in_review=world["order_in_review"],
        petition=world["petition"],
        detention=world["detention"],
    )
    user = world[who] if who else None
    started = time.monotonic()
    if kind == "api":
        client = APIClient()
        client.force_authenticate(user)
        response = client.post(url, fields(world), format="multipart", **HOST)
        assert response.status_code == 400, response.content[:300]
        text = str(response.json())
    else:
        from django.test import Client

        client = Client()
        if user is not None:
            client.force_login(user)
        response = client.post(url, fields(world), follow=True, **HOST)
        assert response.status_code in (200, 400), response.status_code
        html = response.content.decode()
        main = html[html.find('id="main-content"') :]
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))
    assert REFUSAL in text, f"{name}: no zip-bomb refusal in {text[:1500]}"
    assert time.monotonic() - started < 10


UPLOAD_MARKERS = re.compile(r"request\.FILES|serializers\.FileField")


def test_every_module_that_accepts_files_is_walked():
    root = Path(__file__).resolve().parents[2]
    readers = {
        str(path.relative_to(root))
        for path in (root / "withhold").rglob("*.py")
        if UPLOAD_MARKERS.search(path.read_text(encoding="utf-8"))
    }
    walked = {(e.values if hasattr(e, "values") else e)[1] for e in ENDPOINTS}
    assert readers <= walked, f"upload paths not walked by this test: {sorted(readers - walked)}"
