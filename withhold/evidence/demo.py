"""Made-up demo evidence on the demo cases in investigation and later: evidence items (with small
made-up files), a supply link where the case has two entities, and a file of made-up U.S. import
entries. Flagged ``is_demo`` and labelled "Demo" on the pages; every description and file says
it is made up.

A case's evidence sources are derived from its items, so a demo case needs items before it can
enter investigation: the case demo calls ``DEMO_BEFORE_PHASE`` before each move, and
``evidence_demo_before_phase`` gives the case one to three items of randomly chosen sources.
``evidence_demo_load`` then runs after the demo cases (found through ``DEMO_LOADERS``): it gives
any demo case from investigation on that still has no items one, and adds the supply link and trade
data. A case that already has demo trade data is skipped, so a second run adds nothing.
"""

import csv
import io
import random
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from withhold.accounts.models import User
from withhold.cases.models import Case, Phase
from withhold.reference.hs import hs_code_problem
from withhold.reference.models import EvidenceSource, IloIndicator

from . import services
from .models import EvidenceItem
from .tradefile import COLUMNS

DEMO_PHASES = [Phase.INVESTIGATION, Phase.LEGAL_REVIEW, Phase.IMPLEMENTATION]
PDF = b"%PDF-1.4\n% DEMO evidence, made up for the demo data set\n1 0 obj <<>> endobj\n%%EOF\n"
KIND_OF_SOURCE = {
    "ngo_report": EvidenceItem.Kind.NGO_REPORT,
    "media": EvidenceItem.Kind.MEDIA_ARTICLE,
    "interview": EvidenceItem.Kind.INTERVIEW_SUMMARY,
    "social_audit": EvidenceItem.Kind.AUDIT_REPORT,
    "importer_response": EvidenceItem.Kind.IMPORTER_SURVEY,
    "trade_data": EvidenceItem.Kind.TRADE_DATA,
    "site_visit": EvidenceItem.Kind.SITE_VISIT,
    "remote_sensing": EvidenceItem.Kind.REMOTE_SENSING,
}
GRADES = [("B", "2"), ("C", "3"), ("A", "2"), ("D", "4")]


def _trade_csv(case: Case, manufacturer: str, today) -> SimpleUploadedFile:
    code = case.commodity.hs_code if case.commodity else ""
    hts = code if code and not hs_code_problem(code) else "5201"
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for n in range(6):
        on = today - timedelta(days=40 + 70 * n)
        importer = "DEMO Importers LLC" if n % 2 else "DEMO Trading Co. (made up)"
        writer.writerow(
            [on.isoformat(), importer, manufacturer, hts, 1000 + 250 * n, f"{12500 + 3100 * n}.00"]
            + ["2704 Los Angeles, CA"]
        )
    return SimpleUploadedFile(
        f"demo-trade-{case.number}.csv", out.getvalue().encode(), content_type="text/csv"
    )


def _case_evidence(case: Case, analyst: User, codes: list[str], today) -> list[EvidenceItem]:
    indicators = list(IloIndicator.objects.order_by("number").values_list("pk", flat=True))
    items = []
    for n, code in enumerate(codes):
        reliability, credibility = GRADES[n % len(GRADES)]
        with_file = n == 0
        items.append(
            services.evidence_add(
                case=case,
                actor=analyst,
                kind=KIND_OF_SOURCE.get(code, EvidenceItem.Kind.DOCUMENT),
                source=code,
                obtained_on=min(today, case.opened_on + timedelta(days=3 + 9 * n)),
                description=f"DEMO: made-up {EvidenceSource(code).label.lower()} for the demo data set; "
                "it describes no real company or person.",
                language="English",
                source_reliability=reliability,
                information_credibility=credibility,
                indicators=indicators[n % len(indicators) :][:2] or indicators[:1],
                uploaded_file=SimpleUploadedFile(
                    f"demo-evidence-{case.number}.pdf", PDF, content_type="application/pdf"
                )
                if with_file
                else None,
                is_demo=True,
            )
        )
    return items


def evidence_demo_before_phase(*, case: Case, to_phase: str, actor: User, rng: random.Random):
    """Before a demo case enters investigation: demo items of one to three random sources."""
    if to_phase != Phase.INVESTIGATION or case.evidence_items.exists():
        return
    codes = sorted(rng.sample(EvidenceSource.values, rng.randint(1, 3)))
    _case_evidence(case, actor, codes, timezone.localdate())


DEMO_BEFORE_PHASE = [evidence_demo_before_phase]


@transaction.atomic
def evidence_demo_load(*, stdout=None) -> dict:
    """Demo evidence, supply links and trade data on each demo case from investigation on."""
    analyst = User.objects.filter(is_demo=True, username="analyst").first()
    if analyst is None:
        return {"evidence_items": 0, "supply_links": 0, "trade_uploads": 0}
    today = timezone.localdate()
    cases = (
        Case.objects.filter(is_demo=True, phase__in=DEMO_PHASES)
        .exclude(trade_uploads__is_demo=True)
        .select_related("commodity")
        .order_by("number")
    )
    made = {"evidence_items": 0, "supply_links": 0, "trade_uploads": 0}
    for case in cases:
        items = list(case.evidence_items.order_by("id"))
        if not items:
            items = _case_evidence(case, analyst, ["ngo_report"], today)
            made["evidence_items"] += len(items)
        links = list(case.case_entities.select_related("entity").order_by("id"))
        entities = list({link.entity_id: link.entity for link in links}.values())
        manufacturer = entities[0].name if entities else "DEMO Manufacturer (made up)"
        if len(entities) >= 2:
            services.supply_link_add(
                case=case,
                actor=analyst,
                supplier=entities[0],
                buyer=entities[1],
                goods=f"DEMO {case.commodity.name if case.commodity else 'goods'} (made up)",
                evidence_ids=[items[0].pk],
                is_demo=True,
            )
            made["supply_links"] += 1
        services.trade_data_upload(
            case=case,
            actor=analyst,
            uploaded_file=_trade_csv(case, manufacturer, today),
            is_demo=True,
        )
        made["trade_uploads"] += 1
    if stdout is not None:
        stdout.write(
            f"Demo evidence: {made['evidence_items']} items, {made['supply_links']} supply links, "
            f"{made['trade_uploads']} trade uploads.\n"
        )
    return made


DEMO_LOADERS = [evidence_demo_load]
