"""Made-up demo detentions under the issued demo order: one fresh, one near its deadline with
proof in review, one released; and three under the UFLPA presumption: one tied to an entity of
the loaded UFLPA Entity List (an XUAR input when no list is loaded), one with an XUAR input,
and one presented 40 days ago with no decision, so deemed excluded. On the cotton shirts the
importer has filed an applicability review with its tracing; and the CEE has asked it for the spinning mill's
records; a fourth UFLPA detention,
solar panels, shows the exception path to its end: requested, recommended by the CEE, granted by
the demo approving official and reported to Congress (published on the public register, labelled
DEMO). Flagged ``is_demo`` and
labelled on every page (``DEMO`` in the merchandise and the evidence). The demo importer
user is tied to a made-up company so the importer portal has something to show.

Run by ``withhold load-demo`` after the demo orders (found through ``DEMO_LOADERS``).
"""

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from withhold.accounts.models import User
from withhold.entities.models import Entity
from withhold.orders.models import ACTIVE_STATUSES, Order

from . import services
from .forms import uflpa_entries
from .models import Basis, Detention, ImporterAccount, Nexus

PDF = b"%PDF-1.4\n% DEMO proof of admissibility, made up\n1 0 obj <<>> endobj\n%%EOF\n"


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@transaction.atomic
def detentions_demo_load(*, stdout=None) -> dict:
    if Detention.objects.filter(is_demo=True).exists():
        return {"detentions": 0}
    users = {u.username: u for u in User.objects.filter(is_demo=True)}
    order = Order.objects.filter(is_demo=True, status__in=ACTIVE_STATUSES).first()
    if order is None or not {"port", "importer"} <= set(users):
        return {"detentions": 0}
    officer, importer_user = users["port"], users["importer"]
    company = Entity.objects.create(name="DEMO Importers Inc.", country="US", is_demo=True)
    if not ImporterAccount.objects.filter(user=importer_user).exists():
        ImporterAccount.objects.create(user=importer_user, entity=company)
    today = timezone.localdate()
    made = []
    for n, (days_ago, value) in enumerate([(5, "12500.00"), (80, "48000.00"), (40, "7300.00")]):
        made.append(
            services.detention_record(
                actor=officer,
                orders=[order],
                is_demo=True,
                entry_number=f"DMO-000{n + 1:04d}-{n}",
                port_of_entry="2704 Los Angeles, CA",
                imported_on=today - timedelta(days=days_ago),
                notice_on=today - timedelta(days=days_ago - 2),
                importer=company,
                country_of_origin=order.country or "CN",
                merchandise=f"DEMO {order.merchandise[:80]}",
                hts_code="6205.20",
                quantity=Decimal("1000"),
                quantity_unit="pcs",
                value_usd=Decimal(value),
                officer=officer,
            )
        )
    for detention in made[1:]:
        proof = [
            services.DetentionFile("certificate_of_origin", "DEMO certificate", _pdf("coo.pdf")),
            services.DetentionFile("detailed_statement", "DEMO statement", _pdf("stmt.pdf")),
        ]
        services.detention_proof_submit(detention=detention, actor=importer_user, documents=proof)
        services.detention_review_start(detention=detention, actor=officer)
    services.detention_release(
        detention=made[2], actor=officer, on=today, reason="DEMO: made-up release."
    )
    uflpa = _uflpa_demo(officer=officer, company=company, today=today)
    made += uflpa
    made.append(
        _uflpa_paths_demo(
            officer=officer,
            importer_user=importer_user,
            approver=users.get("approver"),
            company=company,
            shirts=uflpa[1],
            today=today,
        )
    )
    if stdout is not None:
        stdout.write(f"Created {len(made)} made-up demo detentions.\n")
    return {"detentions": len(made)}


def _uflpa_demo(*, officer, company, today) -> list[Detention]:
    """Three made-up UFLPA detentions: presented 3, 12 and 40 days ago (the last deemed
    excluded on its 30th day)."""
    entry = uflpa_entries().select_related("entity_list").first()
    xuar = {
        "uflpa_nexus": Nexus.XUAR_ORIGIN,
        "xuar_input": "DEMO cotton yarn",
        "xuar_evidence": "DEMO: made-up mill certificate naming a spinning mill in Aksu, XUAR.",
    }
    listed = {"uflpa_nexus": Nexus.LISTED_ENTITY, "uflpa_list_entry": entry} if entry else xuar
    made = []
    for n, (days_ago, nexus, merchandise, hts, value) in enumerate(
        [
            (3, listed, "DEMO polysilicon wafers", "3818.00", "86000.00"),
            (12, xuar, "DEMO men's cotton shirts", "6205.20", "23400.00"),
            (40, xuar, "DEMO tomato paste", "2002.90", "15800.00"),
        ],
        start=4,
    ):
        presented = today - timedelta(days=days_ago)
        made.append(
            services.detention_record(
                actor=officer,
                is_demo=True,
                entry_number=f"DMO-000{n:04d}-{n}",
                port_of_entry="1001 New York, NY",
                imported_on=presented,
                presented_on=presented,
                notice_on=presented + timedelta(days=2),
                importer=company,
                country_of_origin="CN",
                merchandise=merchandise,
                hts_code=hts,
                quantity=Decimal("500"),
                quantity_unit="kg",
                value_usd=Decimal(value),
                basis=Basis.UFLPA,
                officer=officer,
                **nexus,
            )
        )
    return made


def _uflpa_paths_demo(*, officer, importer_user, approver, company, shirts, today) -> Detention:
    """The importer's two paths, made up: an applicability review pending on the cotton shirts,
    and on new solar panels an exception granted and reported (when the demo approving
    official exists)."""
    services.uflpa_request_file(
        detention=shirts,
        actor=importer_user,
        path="applicability_review",
        sector="apparel",
        statement="DEMO: made-up tracing of the cotton to farms in Texas, spun and woven in Peru.",
        documents=[
            services.DetentionFile("supply_chain", "DEMO supply-chain map", _pdf("map.pdf")),
            services.DetentionFile("transport_records", "DEMO bills of lading", _pdf("bl.pdf")),
        ],
        today=today,
    )
    services.detention_information_request(
        detention=shirts,
        actor=officer,
        message="DEMO: send the spinning mill's purchase records for the yarn.",
        today=today,
    )
    presented = today - timedelta(days=8)
    panels = services.detention_record(
        actor=officer,
        is_demo=True,
        entry_number="DMO-0000008-8",
        port_of_entry="2704 Los Angeles, CA",
        imported_on=presented,
        presented_on=presented,
        notice_on=presented + timedelta(days=2),
        importer=company,
        country_of_origin="MY",
        merchandise="DEMO solar panels",
        hts_code="8541.43",
        quantity=Decimal("2000"),
        quantity_unit="pcs",
        value_usd=Decimal("310000.00"),
        basis=Basis.UFLPA,
        officer=officer,
        uflpa_nexus=Nexus.XUAR_ORIGIN,
        xuar_input="DEMO polysilicon",
        xuar_evidence="DEMO: made-up customs data naming a polysilicon plant in Shihezi.",
    )
    request = services.uflpa_request_file(
        detention=panels,
        actor=importer_user,
        path="exception",
        sector="polysilicon",
        statement="DEMO: made-up request for an exception.",
        guidance_compliance="DEMO: made-up account of following the guidance.",
        evidence_summary="DEMO: made-up audits of the quartzite mine and the smelter.",
        documents=[
            services.DetentionFile("supply_chain", "DEMO supply-chain map", _pdf("map.pdf")),
            services.DetentionFile("due_diligence_system", "DEMO policy", _pdf("dd.pdf")),
        ],
        today=today,
    )
    services.detention_review_start(detention=panels, actor=officer, today=today)
    services.detention_recommend(
        detention=panels,
        actor=officer,
        recommendation="release",
        reason="DEMO: made-up CEE recommendation.",
        today=today,
    )
    if approver is None:
        return panels
    report = services.uflpa_exception_grant(
        request=request,
        actor=approver,
        complied_with_guidance=True,
        answered_every_request=True,
        clear_and_convincing=True,
        finding="DEMO: made-up finding that the three conditions are met.",
        evidence_considered="DEMO: supply-chain map; due-diligence system information.",
        today=today,
    )
    services.congress_report_mark_sent(report=report, actor=approver, sent_on=today, today=today)
    return panels


DEMO_LOADERS = [detentions_demo_load]
