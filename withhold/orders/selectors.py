"""Reads of orders: the staff pages' lists and access functions, the order's history, the overdue
reviews, and the public register.

The register reads only issued orders and turns each into a ``RegisterRow`` holding only public
fields; the register page, its CSV and its JSON are all made from those rows, so nothing
law-enforcement-sensitive (backing cases, opinions, decisions, coordination, petitions, internal
notes, review dates) can reach them.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

from withhold.accounts.visibility import can_see
from withhold.cases.models import Case, CaseEntity, Task
from withhold.cases.selectors import case_visible_queryset
from withhold.core.csv_export import csv_safe
from withhold.core.exceptions import NotFoundError
from withhold.reference.countries import country_name
from withhold.reference.services import DATA_DIR

from .lifecycle import OrderFacts
from .models import (
    ACTIVE_STATUSES,
    PUBLIC_STATUSES,
    ApprovalDecision,
    CoordinationStep,
    Kind,
    LegalOpinion,
    Order,
    OrderModification,
    OrderSource,
    Petition,
    ScopeRule,
    Status,
)

# The register's words for an issued order's status, as CBP's public list words them.
PUBLIC_STATUS_LABELS = {
    Status.ISSUED: "Active",
    Status.MODIFIED: "Modified",
    Status.PARTIALLY_REVOKED: "Partially revoked",
    Status.REVOKED: "Revoked",
    Status.INACTIVE: "Inactive",
}
FISHING_VESSELS_LABEL = "Fishing vessels"


def order_facts(order: Order) -> OrderFacts:
    opinion = order.legal_opinions.order_by("-recorded_at", "-id").first()
    decision = order.decisions.order_by("-recorded_at", "-id").first()
    # A decision counts only if made after the latest opinion: a new opinion reopens it.
    if decision and opinion and decision.recorded_at < opinion.recorded_at:
        decision = None
    return OrderFacts(
        kind=order.kind,
        status=order.status,
        case_count=order.cases.count(),
        scope_rule_count=order.scope_rules.count(),
        opinion_sufficient=None if opinion is None else opinion.sufficient,
        opinion_standard=opinion.standard if opinion else "",
        decision=decision.decision if decision else "",
    )


# Staff pages ------------------------------------------------------------------------------------


def order_initial_from_case(case: Case) -> dict:
    """What "Draft an order" on a case fills in: the case, its merchandise (commodity and
    title), country, manufacturer (its first manufacturer entity, named as published and as a
    scope rule) and HTS code. The analyst reviews each before drafting."""
    manufacturer = (
        case.case_entities.filter(role=CaseEntity.Role.MANUFACTURER)
        .select_related("entity")
        .order_by("id")
        .first()
    )
    commodity = case.commodity.name if case.commodity_id else ""
    merchandise = f"{commodity}: {case.title}" if commodity else case.title
    return {
        "case_number": case.number,
        "merchandise": merchandise,
        "country": case.source_country,
        "published_entity": manufacturer.entity.name if manufacturer else "",
        "manufacturer": manufacturer.entity_id if manufacturer else None,
        "hts_code": case.hts_code,
    }


def order_visible_queryset(user) -> QuerySet[Order]:
    if not user.has_perm("orders.view_order"):
        return Order.objects.none()
    return Order.objects.all()


def order_get_for_user(*, user, number: str) -> Order:
    """The order, or the same "not found" for one that does not exist and one the user may not
    see."""
    order = order_visible_queryset(user).filter(number=number).first()
    if order is None:
        raise NotFoundError(f"There is no order {number} that you can see.")
    return order


def order_detail_for_user(*, user, number: str) -> dict:
    """Everything the staff order page shows, within the reader's visibility: backing cases are
    those the user may see (and nothing says how many others there are); internal notes and
    counsel's opinion summaries only for readers the policy lets see them."""
    order = order_get_for_user(user=user, number=number)
    visible_cases = case_visible_queryset(user).filter(orders=order).select_related("commodity")
    return {
        "order": order,
        "cases": list(visible_cases),
        "show_internal_notes": can_see(user, "order.internal_notes"),
        "show_opinion_summary": can_see(user, "order.opinion_summary"),
        "scope_rules": list(
            order.scope_rules.select_related("entity", "commodity", "modification")
        ),
        "opinions": list(order.legal_opinions.select_related("author")),
        "decisions": list(order.decisions.select_related("official")),
        "coordination": list(
            order.coordination_steps.select_related("task", "task__owner", "task__case")
        ),
        "open_coordination": [
            s
            for s in order.coordination_steps.select_related("task")
            if s.task.state == Task.State.OPEN
        ],
        "modifications": list(order.modifications.select_related("actor", "petition")),
        # Only the petitions the reader may open (each is linked to its page).
        "petitions": list(
            petition_visible_queryset(user).filter(order=order).select_related("submitted_by")
        ),
        "sources": list(order.sources.all()),
        "facts": order_facts(order),
        "history": order_history(order),
    }


@dataclass(frozen=True)
class HistoryEvent:
    on: date
    what: str
    detail: str = ""
    who: str = ""


def order_history(order: Order) -> list[HistoryEvent]:
    """The order's whole life, oldest first: opinions, decisions, issuance, changes, reviews and
    petitions (GAO-21-106: the division could not tell what had happened to active orders)."""
    events = [
        HistoryEvent(
            timezone.localdate(order.created_at), "Drafted", who=str(order.created_by or "")
        )
    ]
    for opinion in order.legal_opinions.select_related("author"):
        events.append(
            HistoryEvent(
                opinion.opinion_on,
                "Legal opinion: " + ("sufficient" if opinion.sufficient else "not sufficient"),
                opinion.get_standard_display(),
                str(opinion.author),
            )
        )
    for decision in order.decisions.select_related("official"):
        events.append(
            HistoryEvent(
                decision.decided_on,
                f"Decision: {decision.get_decision_display().lower()}",
                decision.reason,
                str(decision.official),
            )
        )
    if order.issued_on:
        events.append(HistoryEvent(order.issued_on, "Issued"))
    for petition in order.petitions.all():
        events.append(
            HistoryEvent(
                timezone.localdate(petition.created_at),
                f"Petition: {petition.get_request_display().lower()}",
                petition.petitioner_name,
            )
        )
        if petition.decided_on:
            events.append(
                HistoryEvent(
                    petition.decided_on,
                    f"Petition {petition.get_state_display().lower()}",
                    petition.decision_reason,
                )
            )
    for change in order.modifications.select_related("actor"):
        events.append(
            HistoryEvent(
                change.effective_on,
                change.get_kind_display(),
                change.description,
                str(change.actor or ""),
            )
        )
    return sorted(events, key=lambda e: e.on)


@dataclass(frozen=True)
class OrderFilters:
    text: str = ""
    kind: str = ""
    status: str = ""
    country: str = ""


def order_list(*, user, filters: OrderFilters) -> QuerySet[Order]:
    qs = order_visible_queryset(user)
    if filters.text:
        qs = qs.filter(_text_condition(filters.text))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.country:
        qs = qs.filter(country=filters.country.upper())
    return qs.annotate(case_count=order_visible_case_count(user)).order_by("-created_at", "-id")


def order_visible_case_count(user) -> Count:
    """An order's backing cases counted within what ``user`` may see (a hidden case is never
    counted: the count would reveal it)."""
    return Count(
        "cases", filter=Q(cases__in=case_visible_queryset(user).values("pk")), distinct=True
    )


def _text_condition(text: str) -> Q:
    return (
        Q(number__icontains=text)
        | Q(merchandise__icontains=text)
        | Q(published_entity__icontains=text)
        | Q(remarks__icontains=text)
    )


def reviews_overdue(*, today: date) -> QuerySet[Order]:
    """Active orders whose next review date has passed, oldest first: flagged to supervisors."""
    return Order.objects.filter(status__in=ACTIVE_STATUSES, next_review_on__lt=today).order_by(
        "next_review_on", "number"
    )


def reviews_overdue_count(*, user, today: date) -> int:
    if not user.has_perm("orders.view_overdue_reviews"):
        return 0
    return reviews_overdue(today=today).count()


def petition_visible_queryset(user) -> QuerySet[Petition]:
    """Staff who handle petitions see all; a petitioner sees the petitions they submitted."""
    if user.has_perm("orders.view_petition"):
        return Petition.objects.all()
    if user.has_perm("orders.add_petition"):
        return Petition.objects.filter(submitted_by=user)
    return Petition.objects.none()


def petition_list_for_user(*, user) -> QuerySet[Petition]:
    return petition_visible_queryset(user).select_related("order", "submitted_by")


def petition_get_for_user(*, user, petition_id: int) -> Petition:
    petition = (
        petition_visible_queryset(user)
        .filter(pk=petition_id)
        .select_related("order", "submitted_by", "decided_by", "petitioner_entity")
        .prefetch_related("documents", "modifications")
        .first()
    )
    if petition is None:
        raise NotFoundError(f"There is no petition {petition_id} that you can see.")
    return petition


def opinion_get_for_user(*, user, opinion_id: int) -> LegalOpinion:
    opinion = (
        LegalOpinion.objects.filter(pk=opinion_id, order__in=order_visible_queryset(user))
        .select_related("order")
        .first()
    )
    if opinion is None or not (
        user.has_perm("orders.record_legal_opinion") or user.has_perm("orders.decide_order")
    ):
        raise NotFoundError(f"There is no opinion {opinion_id} that you can see.")
    return opinion


# Public register --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterFilters:
    text: str = ""
    kind: str = ""
    status: str = ""
    country: str = ""
    year: int | None = None
    year_from: int | None = None
    year_to: int | None = None


REGISTER_SORTS = {
    "issued": ["issued_on", "number"],
    "-issued": ["-issued_on", "-number"],
    "country": ["country", "-issued_on"],
    "-country": ["-country", "-issued_on"],
    "merchandise": ["merchandise", "number"],
    "-merchandise": ["-merchandise", "number"],
    "entity": ["published_entity", "number"],
    "-entity": ["-published_entity", "number"],
    "status": ["status", "-issued_on"],
    "-status": ["-status", "-issued_on"],
}
DEFAULT_REGISTER_SORT = "-issued"


def register_queryset(*, filters: RegisterFilters, sort: str = DEFAULT_REGISTER_SORT):
    """Issued orders only (never drafts, orders in review or approved but not yet issued)."""
    qs = Order.objects.filter(status__in=PUBLIC_STATUSES)
    if filters.text:
        qs = qs.filter(
            _text_condition(filters.text)
            | Q(scope_rules__entity__name__icontains=filters.text)
            | Q(scope_rules__vessel_name__icontains=filters.text)
        ).distinct()
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.country:
        code = filters.country.upper()
        qs = qs.filter(country="") if code == "FV" else qs.filter(country=code)
    if filters.year:
        qs = qs.filter(issued_on__year=filters.year)
    if filters.year_from:
        qs = qs.filter(issued_on__year__gte=filters.year_from)
    if filters.year_to:
        qs = qs.filter(issued_on__year__lte=filters.year_to)
    return qs.order_by(*REGISTER_SORTS.get(sort, REGISTER_SORTS[DEFAULT_REGISTER_SORT]))


@dataclass(frozen=True)
class RegisterSource:
    source_file: str
    row_number: int
    row_key: str
    published_status: str
    published_entity: str
    published_date: str
    detail: str
    citation: str


@dataclass(frozen=True)
class RegisterRow:
    """One order as the public may see it. Add a field here only if it may be published."""

    number: str
    kind: str
    kind_label: str
    issued: str
    year: int | None
    merchandise: str
    entity: str
    country: str
    country_name: str
    status: str
    status_label: str
    published_on: str
    modified_on: str
    revoked_on: str
    federal_register_citation: str
    customs_bulletin_citation: str
    penalty_amount: str
    penalty_party: str
    remarks: str
    scope: list[str] = field(default_factory=list)
    exclusions: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    sources: list[RegisterSource] = field(default_factory=list)
    is_demo: bool = False

    def as_json(self) -> dict:
        return asdict(self)


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def register_rows(qs: QuerySet[Order]) -> list[RegisterRow]:
    """Rows of public fields, in four queries whatever the number of orders."""
    orders = qs.select_related("penalty_party").prefetch_related(
        Prefetch("scope_rules", ScopeRule.objects.select_related("entity", "commodity")),
        Prefetch(
            "modifications",
            OrderModification.objects.exclude(kind=OrderModification.Kind.REVIEW),
        ),
        Prefetch("sources", OrderSource.objects.all()),
    )
    rows = []
    for order in orders:
        rules = list(order.scope_rules.all())
        rows.append(
            RegisterRow(
                number=order.number,
                kind=order.kind,
                kind_label=order.get_kind_display(),
                issued=order.issued_on_display,
                year=order.issued_on.year if order.issued_on else None,
                merchandise=order.merchandise,
                entity=order.published_entity,
                country=order.country,
                country_name=country_name(order.country)
                if order.country
                else FISHING_VESSELS_LABEL,
                status=order.status,
                status_label=PUBLIC_STATUS_LABELS[order.status],
                published_on=_iso(order.published_on),
                modified_on=_iso(order.modified_on),
                revoked_on=_iso(order.revoked_on),
                federal_register_citation=order.federal_register_citation,
                customs_bulletin_citation=order.customs_bulletin_citation,
                penalty_amount=str(order.penalty_amount) if order.penalty_amount else "",
                penalty_party=order.penalty_party.name if order.penalty_party_id else "",
                remarks=order.remarks,
                scope=[r.describe() for r in rules if not r.is_exclusion],
                exclusions=[r.describe() for r in rules if r.is_exclusion],
                changes=[
                    f"{m.effective_on}: {m.get_kind_display()} — {m.description}"
                    for m in order.modifications.all()
                ],
                sources=[
                    RegisterSource(
                        s.source_file,
                        s.row_number,
                        s.row_key,
                        s.published_status,
                        s.published_entity,
                        s.published_date,
                        s.detail,
                        s.citation,
                    )
                    for s in order.sources.all()
                ],
                is_demo=order.is_demo,
            )
        )
    return rows


def order_published_get(*, number: str) -> Order:
    """An issued order, which anyone may know exists (e.g. to petition about it)."""
    order = Order.objects.filter(number=number, status__in=PUBLIC_STATUSES).first()
    if order is None:
        raise NotFoundError(f"There is no published order {number}.")
    return order


def register_get(*, number: str) -> RegisterRow:
    rows = register_rows(
        Order.objects.filter(number=number, status__in=PUBLIC_STATUSES).order_by("pk")
    )
    if not rows:
        raise NotFoundError(f"There is no published order {number}.")
    return rows[0]


REGISTER_CSV_COLUMNS = [
    ("number", "Order"),
    ("kind_label", "WRO/Finding"),
    ("issued", "Effective date"),
    ("merchandise", "Merchandise"),
    ("entity", "Entity"),
    ("country_name", "Country"),
    ("status_label", "Status"),
    ("modified_on", "Modified date"),
    ("revoked_on", "Revoked date"),
    ("published_on", "Published"),
    ("federal_register_citation", "Federal Register"),
    ("customs_bulletin_citation", "Customs Bulletin"),
    ("penalty_amount", "Penalty amount (USD)"),
    ("penalty_party", "Penalty party"),
    ("scope", "Scope"),
    ("exclusions", "Exclusions"),
    ("remarks", "Remarks"),
    ("sources", "Sources"),
    ("is_demo", "Demo record"),
]


def register_csv_lines(rows: list[RegisterRow]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        value = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return value

    writer.writerow([label for _, label in REGISTER_CSV_COLUMNS])
    yield flush()
    for row in rows:
        values = []
        for name, _ in REGISTER_CSV_COLUMNS:
            value = getattr(row, name)
            if name == "sources":
                value = "; ".join(f"{s.source_file} row {s.row_number}" for s in value)
            elif isinstance(value, list):
                value = "; ".join(value)
            elif isinstance(value, bool):
                value = "yes" if value else ""
            values.append(csv_safe(value))
        writer.writerow(values)
        yield flush()


def register_counts_by_year(qs: QuerySet[Order]) -> list[tuple[str, int]]:
    """Orders per year of issuance, with the empty years in between (GAO-21-106 figure 2 shows
    2017's zero)."""
    counts = dict(
        qs.order_by()
        .filter(issued_on__isnull=False)
        .annotate(year=ExtractYear("issued_on"))
        .values_list("year")
        .annotate(n=Count("id", distinct=True))
        .values_list("year", "n")
    )
    if not counts:
        return []
    return [(str(y), counts.get(y, 0)) for y in range(min(counts), max(counts) + 1)]


def register_counts_by_country(qs: QuerySet[Order]) -> list[tuple[str, int]]:
    """Orders per country of production, most first (GAO-21-106 figure 3)."""
    counts = qs.order_by().values_list("country").annotate(n=Count("id", distinct=True))
    labelled = [(country_name(code) if code else FISHING_VESSELS_LABEL, n) for code, n in counts]
    return sorted(labelled, key=lambda item: (-item[1], item[0]))


def source_descriptions(filenames: set[str]) -> dict[str, str]:
    """The SOURCES.md section about each reference file, shown beside loaded orders."""
    text = (Path(DATA_DIR) / "SOURCES.md").read_text(encoding="utf-8")
    sections: dict[str, str] = {}
    current = None
    lines: list[str] = []
    for line in text.splitlines():
        if line.startswith("## "):
            if current:
                sections[current] = "\n".join(lines).strip()
            current = line[3:].split(" — ")[0].strip()
            lines = []
        elif current:
            lines.append(line)
    if current:
        sections[current] = "\n".join(lines).strip()
    return {name: sections.get(name, "") for name in filenames}


def register_kind_choices() -> list[tuple[str, str]]:
    return list(Kind.choices)


def register_status_choices() -> list[tuple[str, str]]:
    return [(s.value, PUBLIC_STATUS_LABELS[s]) for s in PUBLIC_STATUSES]


def coordination_open(order: Order) -> list[CoordinationStep]:
    return list(
        order.coordination_steps.filter(task__state=Task.State.OPEN).select_related(
            "task", "task__owner"
        )
    )


def latest_decision(order: Order) -> ApprovalDecision | None:
    return order.decisions.order_by("-recorded_at", "-id").first()
