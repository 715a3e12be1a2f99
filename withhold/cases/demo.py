"""A made-up demo data set: cases spread over phases and statuses as GAO-21-106 describes them.

Every record is flagged ``is_demo`` and every title starts with "DEMO"; no name refers to a real
company. Cases are created and moved through the real services, so each one is valid under the
data dictionary and has its audit trail. Afterwards the transition timestamps are spread over the
months before today so that phase history looks like real work (the audit log keeps the true
creation time).
"""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from withhold.accounts.demo import demo_users_ensure
from withhold.accounts.models import User
from withhold.core.discovery import app_contributions
from withhold.entities.services import entity_create
from withhold.reference.models import Commodity, IloIndicator

from . import services
from .models import (
    Case,
    CaseDocument,
    CaseEntity,
    CaseTransition,
    ClosingOutcome,
    InactiveReason,
    Phase,
    ReferralSource,
    Status,
    SuspensionReason,
)

# (phase, status, reason_code, how many). GAO-21-106: about 3/4 of active cases in initiation,
# 1/7 in investigation, under 1/10 in legal review; most suspended cases lack personnel.
DEMO_PLAN: list[tuple[str, str, str, int]] = [
    (Phase.INITIATION, Status.ACTIVE, "", 33),
    (Phase.INVESTIGATION, Status.ACTIVE, "", 6),
    (Phase.LEGAL_REVIEW, Status.ACTIVE, "", 4),
    (Phase.IMPLEMENTATION, Status.ACTIVE, "", 1),
    (Phase.INITIATION, Status.SUSPENDED, SuspensionReason.LACK_OF_PERSONNEL, 7),
    (Phase.INVESTIGATION, Status.SUSPENDED, SuspensionReason.LACK_OF_PERSONNEL, 2),
    (Phase.INITIATION, Status.SUSPENDED, SuspensionReason.LACK_OF_INFORMATION, 2),
    (Phase.INVESTIGATION, Status.SUSPENDED, SuspensionReason.AWAITING_FOREIGN_GOVERNMENT, 1),
    (Phase.INITIATION, Status.INACTIVE, InactiveReason.INSUFFICIENT_EVIDENCE, 3),
    (Phase.INVESTIGATION, Status.INACTIVE, InactiveReason.NO_US_NEXUS, 2),
    (Phase.IMPLEMENTATION, Status.CLOSED, ClosingOutcome.ORDER_ISSUED, 1),
    (Phase.INVESTIGATION, Status.CLOSED, ClosingOutcome.PENALTY, 1),
    (Phase.INITIATION, Status.CLOSED, ClosingOutcome.NO_VIOLATION, 1),
]

COUNTRIES = [
    ("CN", "CN-XJ"),
    ("CN", ""),
    ("MY", ""),
    ("TH", ""),
    ("BR", ""),
    ("IN", ""),
    ("TM", ""),
    ("MW", ""),
    ("CI", ""),
    ("GH", ""),
    ("TW", ""),
    ("DO", ""),
]
WORDS_A = [
    "Harbor",
    "Golden",
    "Northern",
    "Sunrise",
    "Evergreen",
    "Bright",
    "Eastern",
    "Summit",
    "Riverside",
    "Orchid",
    "Silver",
    "Pioneer",
    "Lotus",
    "Coral",
    "Maple",
    "Jade",
]
WORDS_B = [
    "Textile",
    "Garment",
    "Agro",
    "Fishing",
    "Glove",
    "Metals",
    "Mining",
    "Trading",
    "Apparel",
    "Seafood",
    "Cotton",
    "Electronics",
    "Brick",
    "Sugar",
    "Timber",
    "Solar",
]
LEGAL = ["Co., Ltd.", "Sdn. Bhd.", "LLC", "Company Limited", "Industries", "Group"]
SUMMARIES = [
    "Workers recruited from distant provinces report that the factory holds their identity "
    "documents and deducts recruitment debts from their wages.",
    "An NGO report describes workers locked in dormitories and required to work more than 80 "
    "hours a week during peak season.",
    "Migrant workers describe recruitment fees of several months' wages and threats of "
    "deportation if they leave before the debt is paid.",
    "Crew members describe being kept at sea for over a year, with wages withheld and "
    "passports held by the captain.",
    "Former workers report transfers under a state labor programme, with restricted movement "
    "and political surveillance in the workplace.",
]
DEMO_PDF = b"%PDF-1.4\n% Made-up demo document: not a real report.\n%%EOF\n"


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")


def _company(rng: random.Random, country: str, actor: User, n: int):
    name = f"{rng.choice(WORDS_A)} {rng.choice(WORDS_B)} {rng.choice(LEGAL)} (demo {n})"
    return entity_create(
        actor=actor,
        name=name,
        country=country,
        is_demo=True,
        notes="Made-up entity from the demo data set.",
    )


def _walk_to(case: Case, target: str, *, rng: random.Random, people: dict, n: int) -> Case:
    """Supply what each phase needs, then move the case there through the services."""
    analyst = people["analyst"]
    order = [Phase.INITIATION, Phase.INVESTIGATION, Phase.LEGAL_REVIEW, Phase.IMPLEMENTATION]
    for phase in order[1 : order.index(target) + 1]:
        # What the apps above contribute before a move (the evidence app: demo evidence items,
        # whose sources are the case's evidence sources, needed from investigation on).
        for step in app_contributions("demo", "DEMO_BEFORE_PHASE", exclude=("withhold.cases",)):
            step(case=case, to_phase=phase, actor=analyst, rng=rng)
        if phase == Phase.INVESTIGATION:
            case = services.case_phase_change(case=case, to_phase=phase, actor=analyst)
        elif phase == Phase.LEGAL_REVIEW:
            services.case_entity_link(
                case=case,
                entity=_company(rng, case.source_country, analyst, n),
                role="manufacturer",
                actor=analyst,
            )
            case = services.case_hsi_referral_record(
                case=case,
                actor=analyst,
                notified_on=case.opened_on,
                case_reference=f"HSI-DEMO-{n:04d}" if rng.random() < 0.5 else "",
            )
            indicators = rng.sample(list(IloIndicator.objects.values_list("pk", flat=True)), 3)
            case = services.case_update(
                case=case,
                actor=analyst,
                ilo_indicators=indicators,
                estimated_annual_import_value=Decimal(rng.randrange(200_000, 90_000_000, 1000)),
            )
            services.case_document_add(
                case=case,
                actor=analyst,
                kind=CaseDocument.Kind.ALLEGATION_REPORT,
                title="Allegation report (demo)",
                uploaded_file=_pdf("allegation-report-demo.pdf"),
            )
            case = services.case_phase_change(case=case, to_phase=phase, actor=analyst)
        elif phase == Phase.IMPLEMENTATION:
            services.case_document_add(
                case=case,
                actor=people["counsel"],
                kind=CaseDocument.Kind.LEGAL_OPINION,
                title="Legal-sufficiency opinion (demo)",
                uploaded_file=_pdf("opinion-demo.pdf"),
            )
            case = services.case_phase_change(case=case, to_phase=phase, actor=people["approver"])
    return case


@transaction.atomic
def demo_data_load(*, seed: int = 307, stdout=None) -> dict:
    """Create the demo accounts and, unless already there, the demo cases. Returns counts."""
    users = {u.username: u for u in demo_users_ensure()}
    if Case.objects.filter(is_demo=True).exists():
        return {
            "users": len(users),
            "cases": 0,
            "existing": Case.objects.filter(is_demo=True).count(),
        }
    commodities = list(Commodity.objects.order_by("name"))
    if not commodities:
        raise RuntimeError("Load the reference data first: withhold load-reference")
    rng = random.Random(seed)
    people = {
        "analyst": users["analyst"],
        "supervisor": users["supervisor"],
        "counsel": users["counsel"],
        "approver": users["approver"],
    }
    analysts = [users["analyst"], users["analyst2"]]
    today = timezone.localdate()
    n = 0
    plan = [(p, s, r) for p, s, r, count in DEMO_PLAN for _ in range(count)]
    progress = _progress(len(plan), stdout)
    for phase, status, reason_code in plan:
        n += 1
        country, region = rng.choice(COUNTRIES)
        commodity = rng.choice(commodities)
        received = today - timedelta(days=rng.randrange(20, 5 * 365))
        opened = min(today, received + timedelta(days=rng.randrange(0, 30)))
        analyst = rng.choice(analysts)
        people["analyst"] = analyst
        needs_people = phase != Phase.INITIATION or rng.random() < 0.6
        manufacturer = _company(rng, country, analyst, n)
        case = services.case_create(
            actor=analyst,
            is_demo=True,
            title=f"DEMO · {commodity.name} from {manufacturer.name.split(' (')[0]}",
            allegation_summary=rng.choice(SUMMARIES) + " (Made-up demo case.)",
            commodity=commodity,
            source_country=country,
            source_region=region,
            referral_source=rng.choice(ReferralSource.values),
            received_on=received,
            opened_on=opened,
            priority=rng.choice(["high", "medium", "medium", "low"]),
            assigned_analyst=analyst if needs_people else None,
            supervisor=users["supervisor"] if needs_people else None,
            caatsa=country == "KP",
            law_enforcement_sensitive=rng.random() < 0.15,
            entity_links=[services.EntityLink(entity=manufacturer, role=CaseEntity.Role.SUPPLIER)],
        )
        case = _walk_to(case, phase, rng=rng, people=people, n=n)
        services.case_update_add(
            case=case,
            actor=analyst,
            occurred_on=opened,
            text="Initial review of the allegation's credibility completed (demo entry).",
        )
        if status != Status.ACTIVE:
            case = services.case_status_change(
                case=case,
                to_status=status,
                actor=users["supervisor"],
                reason_code=reason_code,
                reason="Demo: status set by the demo data set.",
            )
        _spread_history(case, opened=opened, today=today, rng=rng)
        progress(n)
    return {"users": len(users), "cases": n, "existing": 0}


def _spread_history(case: Case, *, opened, today, rng: random.Random) -> None:
    transitions = list(case.transitions.order_by("at", "id"))
    span = max(1, (today - opened).days)
    day = 0
    for t in transitions:
        when = timezone.make_aware(
            datetime.combine(opened + timedelta(days=min(day, span)), time(0, 0))
        ) + timedelta(hours=9 + t.pk % 8)
        CaseTransition.objects.filter(pk=t.pk).update(at=when)
        day += rng.randrange(5, max(6, span // (len(transitions) + 1)))


def _progress(total: int, stdout):
    def report(done: int) -> None:
        if stdout is None:
            return
        width = 30
        filled = int(width * done / total)
        stdout.write(
            f"\r  demo cases [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending=""
        )
        if done == total:
            stdout.write("")

    return report
