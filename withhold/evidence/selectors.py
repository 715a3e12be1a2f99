"""Reads of evidence, supply chains, trade data and the allegation report.

Evidence is seen through its case: ``evidence_get_for_user`` gives the same "not found" for an
item that does not exist, one on a case the user may not see, and a law-enforcement-sensitive
item the user may not see.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear

from withhold.accounts.visibility import can_see, visible
from withhold.audit.models import AuditAction, AuditEntry
from withhold.cases.models import Case, CaseEntity
from withhold.cases.selectors import case_visible_queryset
from withhold.core.exceptions import NotFoundError
from withhold.reference.models import IloIndicator

from . import graph, matrix
from .models import EvidenceItem, SupplyLink, TradeEntry, TradeUpload

CUSTODY_ACTIONS = [
    AuditAction.EVIDENCE_ADDED,
    AuditAction.EVIDENCE_VIEWED,
    AuditAction.EVIDENCE_DOWNLOADED,
]


def evidence_visible_queryset(*, user, case: Case | None = None) -> QuerySet[EvidenceItem]:
    if not user.has_perm("evidence.view_evidenceitem"):
        return EvidenceItem.objects.none()
    qs = EvidenceItem.objects.filter(case__in=case_visible_queryset(user))
    if case is not None:
        qs = qs.filter(case=case)
    return visible(user, qs, "evidence.law_enforcement_sensitive")


def evidence_list_for_case(*, case: Case, user) -> QuerySet[EvidenceItem]:
    return (
        evidence_visible_queryset(user=user, case=case)
        .select_related("source", "added_by")
        .prefetch_related("indicators")
        .order_by("-obtained_on", "-id")
    )


def evidence_get_for_user(*, user, pk: int) -> EvidenceItem:
    item = (
        evidence_visible_queryset(user=user)
        .select_related("case", "source", "added_by")
        .prefetch_related("indicators")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise NotFoundError("There is no such evidence item that you can see.")
    return item


def evidence_custody(item: EvidenceItem) -> QuerySet[AuditEntry]:
    """The chain of custody of an item: who added, viewed and downloaded it, when."""
    return (
        AuditEntry.objects.filter(
            object_type=EvidenceItem._meta.label_lower,
            object_id=str(item.pk),
            action__in=CUSTODY_ACTIONS,
        )
        .select_related("actor")
        .order_by("at", "id")
    )


def case_indicator_matrix(*, case: Case, user) -> list[matrix.IndicatorRow]:
    indicators = IloIndicator.objects.values_list("pk", "number", "name")
    support = EvidenceItem.indicators.through.objects.filter(
        evidenceitem__in=evidence_visible_queryset(user=user, case=case)
    ).values_list("iloindicator_id", "evidenceitem__source_reliability")
    return matrix.indicator_matrix(list(indicators), list(support))


def _visible_evidence_count(user) -> Count:
    """How many of a supply link's evidence items ``user`` may see."""
    if can_see(user, "evidence.law_enforcement_sensitive"):
        return Count("evidence", distinct=True)
    return Count("evidence", filter=Q(evidence__law_enforcement_sensitive=False), distinct=True)


def supply_links_visible(*, case: Case, user) -> QuerySet[SupplyLink]:
    """A case's supply links as ``user`` may know them, each annotated with ``evidence_count``
    (the items ``user`` may see). A link known only from law-enforcement-sensitive items is
    itself such knowledge: a reader who may not see those items does not see the link either
    (nor its count in the graph). A link recorded without any evidence stays visible."""
    links = SupplyLink.objects.filter(case=case).annotate(
        evidence_count=_visible_evidence_count(user)
    )
    if can_see(user, "evidence.law_enforcement_sensitive"):
        return links
    return links.annotate(evidence_total=Count("evidence", distinct=True)).exclude(
        evidence_total__gt=0, evidence_count=0
    )


def supply_links_for_case(*, case: Case, user) -> QuerySet[SupplyLink]:
    """A case's supply links, each with the evidence items (and their count) ``user`` may see."""
    return (
        supply_links_visible(case=case, user=user)
        .select_related("supplier", "buyer")
        .prefetch_related(
            Prefetch("evidence", queryset=evidence_visible_queryset(user=user, case=case))
        )
        .order_by("id")
    )


def case_supply_graph(*, case: Case, user) -> graph.Graph:
    links = CaseEntity.objects.filter(case=case).select_related("entity")
    entities = [
        (link.entity_id, link.entity.name, link.role, link.get_role_display()) for link in links
    ]
    edges = supply_links_visible(case=case, user=user).order_by("id")
    return graph.layout(
        entities, [(e.supplier_id, e.buyer_id, e.goods, e.evidence_count) for e in edges]
    )


@dataclass(frozen=True)
class TradeSummary:
    entries: int
    total_value: Decimal
    by_year: list[dict]
    by_importer: list[dict]
    by_hts: list[dict]
    uploads: list[TradeUpload]


def trade_summary(*, case: Case) -> TradeSummary:
    """U.S. imports of the case's merchandise by year, importer and HTS: the U.S. nexus."""
    qs = TradeEntry.objects.filter(case=case)
    agg = {"entries": Count("id"), "value": Sum("value"), "quantity": Sum("quantity")}
    totals = qs.aggregate(n=Count("id"), v=Sum("value"))
    return TradeSummary(
        entries=totals["n"],
        total_value=totals["v"] or Decimal("0"),
        by_year=list(
            qs.annotate(year=ExtractYear("entry_date"))
            .values("year")
            .annotate(**agg)
            .order_by("year")
        ),
        by_importer=list(qs.values("importer").annotate(**agg).order_by("-value", "importer")),
        by_hts=list(qs.values("hts_code").annotate(**agg).order_by("hts_code")),
        uploads=list(TradeUpload.objects.filter(case=case).select_related("uploaded_by")),
    )


@dataclass(frozen=True)
class AllegationReport:
    case: Case
    entities: list[CaseEntity]
    links: list[SupplyLink]
    graph: graph.Graph
    matrix: list[matrix.IndicatorRow]
    items: list[EvidenceItem]
    trade: TradeSummary

    @property
    def law_enforcement_sensitive(self) -> bool:
        """Whether the report holds law-enforcement-sensitive material: the case is, or an item
        listed is (the sensitivity a document generated from it inherits)."""
        return self.case.law_enforcement_sensitive or any(
            item.law_enforcement_sensitive for item in self.items
        )


def allegation_report_data(*, case: Case, user) -> AllegationReport:
    """Everything the allegation report shows, read once (as the user may see it)."""
    case = (
        Case.objects.select_related("commodity", "assigned_analyst", "supervisor")
        .prefetch_related(
            Prefetch("case_entities", queryset=CaseEntity.objects.select_related("entity"))
        )
        .get(pk=case.pk)
    )
    return AllegationReport(
        case=case,
        entities=list(case.case_entities.all()),
        links=list(supply_links_for_case(case=case, user=user)),
        graph=case_supply_graph(case=case, user=user),
        matrix=case_indicator_matrix(case=case, user=user),
        items=list(evidence_list_for_case(case=case, user=user)),
        trade=trade_summary(case=case),
    )
