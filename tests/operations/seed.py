"""One of each main record, made through the services where they exist: the fuzz test points
generated path parameters at them, and the backup test checks each comes back."""

import datetime as dt
import zlib
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from withhold.accounts.roles import Role
from withhold.detentions import services as detention_services
from withhold.intake import services as intake_services
from withhold.orders.models import Order

from ..factories import CaseFactory, EntityFactory, TaskFactory, UserFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"


@dataclass
class Seeded:
    case_number: str
    entity_id: int
    order_number: str
    detention_id: int
    receipt_number: str
    task_id: int


def seed_records(*, suffix: str = "1") -> Seeded:
    officer = UserFactory(username=f"seed-officer-{suffix}", role=Role.PORT_OFFICER)
    importer = EntityFactory(name=f"Seed Imports {suffix} LLC", country="US")
    case = CaseFactory()
    task = TaskFactory(case=case)
    order = Order.objects.create(
        number=f"WRO-2026-9{suffix:0>3}",
        kind="wro",
        status="issued",
        merchandise="Cotton garments from Example Mill",
        country="CN",
        industry="Apparel",
        issued_on=dt.date(2026, 1, 5),
    )
    detention = detention_services.detention_record(
        actor=officer,
        orders=[order],
        entry_number=f"SEE-{zlib.crc32(suffix.encode()) % 10**7:07d}-0",
        entry_line=1,
        port_of_entry="2704 Los Angeles, CA",
        imported_on=dt.date(2026, 1, 31),
        notice_on=dt.date(2026, 2, 3),
        importer=importer,
        manufacturer=None,
        country_of_origin="CN",
        merchandise="Men's cotton shirts",
        hts_code="6205.20",
        quantity=Decimal("1200"),
        quantity_unit="pcs",
        value_usd=Decimal("48000.00"),
        officer=officer,
    )
    submission = intake_services.allegation_submit(
        files=[SimpleUploadedFile("statement.pdf", PDF_BYTES, content_type="application/pdf")],
        ilo_indicators=(),
        reasons=(
            "Workers at the spinning mill told a union organiser in March 2025 that the company "
            "keeps their passports on arrival and deducts recruitment fees from wages for a year."
        ),
        merchandise_description="Combed cotton yarn on cones",
        hts_code="5205",
        manufacturer_name="Example Spinning Mill Co., Ltd.",
        manufacturer_address="12 Mill Road, Example Town",
        country="CN",
        region="Example Province",
        supply_chain_companies="Example Trading Co. (exporter)",
        us_importers="",
        production_period="Spring 2025",
        submitter_type="ngo",
        anonymous=True,
    )
    return Seeded(
        case_number=case.number,
        entity_id=importer.pk,
        order_number=order.number,
        detention_id=detention.pk,
        receipt_number=submission.allegation.receipt_number,
        task_id=task.pk,
    )
