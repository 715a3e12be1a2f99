"""Detentions fixtures: issued orders (made directly, as the orders tests cover issuing), the
importer companies and their users, and a detention recorded through the service."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from withhold.accounts.roles import Role
from withhold.detentions import services
from withhold.detentions.models import ImporterAccount
from withhold.orders.models import Order

from ..factories import EntityFactory, UserFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"
TODAY = dt.date(2026, 3, 2)


def pdf(name="proof.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def make_order(kind="wro", number=None, status="issued", industry="Apparel"):
    return Order.objects.create(
        number=number or f"{kind.upper()}-2026-{Order.objects.count() + 1:04d}",
        kind=kind,
        status=status,
        merchandise="Cotton garments from Example Mill",
        country="CN",
        industry=industry,
        issued_on=dt.date(2026, 1, 5) if status != "draft" else None,
    )


@pytest.fixture
def wro(db):
    return make_order("wro", "WRO-2026-0001")


@pytest.fixture
def finding(db):
    return make_order("finding", "FND-2026-0001", industry="Agriculture")


@pytest.fixture
def acme(db):
    return EntityFactory(name="Acme Imports LLC", country="US")


@pytest.fixture
def globex(db):
    return EntityFactory(name="Globex Trading Inc.", country="US")


@pytest.fixture
def acme_user(acme):
    user = UserFactory(username="acme-importer", role=Role.IMPORTER)
    ImporterAccount.objects.create(user=user, entity=acme)
    return user


@pytest.fixture
def globex_user(globex):
    user = UserFactory(username="globex-importer", role=Role.IMPORTER)
    ImporterAccount.objects.create(user=user, entity=globex)
    return user


def detention_fields(officer, importer, **overrides):
    fields = {
        "entry_number": "ABC-1234567-8",
        "entry_line": 1,
        "port_of_entry": "2704 Los Angeles, CA",
        "imported_on": dt.date(2026, 1, 31),
        "notice_on": dt.date(2026, 2, 3),
        "importer": importer,
        "manufacturer": None,
        "country_of_origin": "CN",
        "merchandise": "Men's cotton shirts",
        "hts_code": "6205.20",
        "quantity": Decimal("1200"),
        "quantity_unit": "pcs",
        "value_usd": Decimal("48000.00"),
        "officer": officer,
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def record(port_officer, acme):
    def make(orders, **overrides):
        return services.detention_record(
            actor=port_officer, orders=orders, **detention_fields(port_officer, acme, **overrides)
        )

    return make


@pytest.fixture
def detention(record, wro):
    return record([wro])


def proof_files():
    return [
        services.DetentionFile("certificate_of_origin", "Certificate of origin", pdf("coo.pdf")),
        services.DetentionFile("detailed_statement", "Detailed statement", pdf("stmt.pdf")),
    ]


UFLPA_CSV = (
    b"name,aliases,country,address,source\n"
    b"Example Xinjiang Cotton Mill Co. Ltd.,Example XJ Mill,CN,Aksu,UFLPA Entity List 2(d)(2)(B)(i)\n"
    b"Example Polysilicon Co. Ltd.,,CN,Shihezi,UFLPA Entity List 2(d)(2)(B)(ii)\n"
)


@pytest.fixture
def uflpa_list(db):
    from withhold.screening.services import entity_list_load

    return entity_list_load(
        actor=None, source="uflpa", file_name="uflpa_example.csv", data=UFLPA_CSV
    )


@pytest.fixture
def uflpa_entry(uflpa_list):
    return uflpa_list.current_entries.get(row_number=2)


def uflpa_fields(entry=None, **overrides):
    """The UFLPA part of a detention: presented on Friday 2 January 2026, nexus the listed
    entity ``entry`` (or an XUAR input when none is given)."""
    fields = {
        "basis": "uflpa",
        "imported_on": dt.date(2026, 1, 2),
        "presented_on": dt.date(2026, 1, 2),
        "notice_on": dt.date(2026, 1, 9),
    }
    if entry is not None:
        fields |= {"uflpa_nexus": "listed_entity", "uflpa_list_entry": entry}
    else:
        fields |= {
            "uflpa_nexus": "xuar_origin",
            "xuar_input": "Cotton yarn",
            "xuar_evidence": "Mill certificate names a spinning mill in Aksu, XUAR.",
        }
    fields.update(overrides)
    return fields
