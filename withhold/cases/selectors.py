"""Reads of cases. Access is decided here, once: ``case_visible_queryset`` is the only place that
says which cases a user may see, and ``case_get_for_user`` gives the same "not found" for a case
that does not exist and one the user may not see."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from withhold.accounts.visibility import can_see, visible
from withhold.core.csv_export import csv_safe
from withhold.core.exceptions import NotFoundError
from withhold.core.search import RANKING, SearchWord, TextSearch, filter_in
from withhold.entities.duplicates import normalise_name
from withhold.entities.models import Entity
from withhold.reference.countries import country_name
from withhold.reference.models import EvidenceSourceKind

from .models import Case, CaseDocument, CaseEntity, CaseTransition, CaseUpdate, Phase, Task
from .phases import PHASE_ORDER, CaseFacts


def case_visible_queryset(user) -> QuerySet[Case]:
    """Cases ``user`` may see: all (``view_case``) or those HSI was notified of
    (``view_hsi_case``), minus law-enforcement-sensitive ones without ``view_sensitive_case``."""
    qs = Case.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.has_perm("cases.view_case"):
        pass
    elif user.has_perm("cases.view_hsi_case"):
        qs = qs.filter(hsi_notified_on__isnull=False)
    else:
        return qs.none()
    return visible(user, qs, "case.law_enforcement_sensitive")


def can_see_sensitive_fields(user) -> bool:
    return can_see(user, "case.law_enforcement_sensitive")


def case_documents_visible(*, user, qs: QuerySet[CaseDocument] | None = None):
    """A case's documents as ``user`` may see them: one generated from law-enforcement-sensitive
    material only for readers cleared for it."""
    qs = CaseDocument.objects.all() if qs is None else qs
    return visible(user, qs, "document.law_enforcement_sensitive")


def case_evidence_source_codes_for_user(*, case: Case, user) -> list[str]:
    """The case's evidence sources as ``user`` may see them. Where the sources are derived from
    evidence items (the evidence app keeps them so, found here by the related name
    ``evidence_items``), a source only law-enforcement-sensitive items give is left out for a
    reader not cleared for them."""
    codes = sorted(kind.code for kind in case.evidence_sources.all())
    items = getattr(case, "evidence_items", None)
    if items is None or can_see(user, "evidence.law_enforcement_sensitive"):
        return codes
    hidden_only = set(
        items.filter(law_enforcement_sensitive=True).values_list("source__code", flat=True)
    ) - set(items.filter(law_enforcement_sensitive=False).values_list("source__code", flat=True))
    return [code for code in codes if code not in hidden_only]


def case_get_for_user(*, user, number: str) -> Case:
    qs = (
        case_visible_queryset(user)
        .select_related("commodity", "assigned_analyst", "supervisor", "created_by")
        .filter(number=number)
    )
    return _the_case(qs, number)


def case_head_for_user(*, user, number: str) -> dict:
    """What a case page shows above its body (number, demo flag), for a case ``user`` may see;
    one narrow query."""
    row = next(
        iter(
            case_visible_queryset(user)
            .filter(number=number)
            .order_by()
            .values("pk", "number", "is_demo")[:1]
        ),
        None,
    )
    if row is None:
        raise NotFoundError(f"There is no case {number} that you can see.")
    return row


def case_detail_for_user(*, user, number: str) -> Case:
    """A case with everything its page shows, in a fixed number of queries."""
    qs = (
        case_visible_queryset(user)
        .select_related("commodity", "assigned_analyst", "supervisor", "created_by")
        .prefetch_related(
            Prefetch(
                "case_entities",
                queryset=CaseEntity.objects.select_related("entity").order_by(
                    "role", "entity__name"
                ),
            ),
            "evidence_sources",
            "ilo_indicators",
            Prefetch("transitions", queryset=CaseTransition.objects.select_related("actor")),
            Prefetch("updates", queryset=CaseUpdate.objects.select_related("author")),
            Prefetch("tasks", queryset=Task.objects.select_related("owner", "completed_by")),
            Prefetch(
                "documents",
                queryset=case_documents_visible(user=user).select_related("uploaded_by"),
            ),
        )
    )
    return _the_case(qs.filter(number=number), number)


def _the_case(qs: QuerySet[Case], number: str) -> Case:
    # Numbers are unique: no ORDER BY (``first()`` would add one, and Django spends a third of
    # the query's time on it).
    case = next(iter(qs.order_by()[:1]), None)
    if case is None:
        raise NotFoundError(f"There is no case {number} that you can see.")
    return case


def case_facts(case: Case) -> CaseFacts:
    """What the workflow rules need, read fresh from the database."""
    return CaseFacts(
        phase=case.phase,
        status=case.status,
        title=case.title or "",
        allegation_summary=case.allegation_summary or "",
        commodity_id=case.commodity_id,
        source_country=case.source_country or "",
        referral_source=case.referral_source or "",
        received_on=case.received_on,
        opened_on=case.opened_on,
        assigned_analyst_id=case.assigned_analyst_id,
        supervisor_id=case.supervisor_id,
        entity_roles=frozenset(CaseEntity.objects.filter(case=case).values_list("role", flat=True)),
        # Derived, read from the evidence items themselves (not from a stored copy).
        evidence_source_count=EvidenceSourceKind.objects.filter(evidence_items__case=case)
        .values("pk")
        .distinct()
        .count(),
        ilo_indicator_count=case.ilo_indicators.count(),
        hsi_notified_on=case.hsi_notified_on,
        hsi_case_reference=case.hsi_case_reference or "",
        estimated_annual_import_value=case.estimated_annual_import_value,
        document_kinds=frozenset(case.documents.values_list("kind", flat=True)),
    )


def case_phase_entered_on(case: Case) -> dict[str, date]:
    """The date the case last entered each phase, read from its transition history."""
    entered: dict[str, date] = {}
    for t in case.transitions.all():
        if t.kind in (CaseTransition.Kind.OPENED, CaseTransition.Kind.PHASE):
            entered[t.to_phase] = timezone.localdate(t.at)
    return entered


@dataclass(frozen=True)
class CaseFilters:
    q: str = ""
    phase: str = ""
    status: str = ""
    country: str = ""
    commodity: int | None = None
    analyst: int | None = None
    referral_source: str = ""
    priority: str = ""
    received_from: date | None = None
    received_to: date | None = None
    opened_from: date | None = None
    opened_to: date | None = None
    entity: int | None = None

    @property
    def searched(self) -> bool:
        """Words were typed: the list pages with ``IdFirstPaginator(count_with_page=True)``."""
        return bool(self.q.strip())


CASE_SORTS = {
    "number": "number",
    "title": "title",
    "opened_on": "opened_on",
    "received_on": "received_on",
    "phase": "phase",
    "status": "status",
    "priority": "priority",
    "country": "source_country",
    "commodity": "commodity__name",
    "analyst": "assigned_analyst__last_name",
}
DEFAULT_CASE_SORT = "-opened_on"


def case_list(*, user, filters: CaseFilters, sort: str = DEFAULT_CASE_SORT) -> QuerySet[Case]:
    qs = case_visible_queryset(user).select_related("commodity", "assigned_analyst", "supervisor")
    f = filters
    if f.phase:
        qs = qs.filter(phase=f.phase)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.country:
        qs = qs.filter(source_country=f.country.upper())
    if f.commodity:
        qs = qs.filter(commodity_id=f.commodity)
    if f.analyst:
        qs = qs.filter(assigned_analyst_id=f.analyst)
    if f.referral_source:
        qs = qs.filter(referral_source=f.referral_source)
    if f.priority:
        qs = qs.filter(priority=f.priority)
    if f.received_from:
        qs = qs.filter(received_on__gte=f.received_from)
    if f.received_to:
        qs = qs.filter(received_on__lte=f.received_to)
    if f.opened_from:
        qs = qs.filter(opened_on__gte=f.opened_from)
    if f.opened_to:
        qs = qs.filter(opened_on__lte=f.opened_to)
    if f.entity:
        qs = qs.filter(Exists(CaseEntity.objects.filter(case=OuterRef("pk"), entity_id=f.entity)))
    text = f.q.strip()
    if text:
        qs = CASE_SEARCH.filter(qs, text)
        if sort == RELEVANCE_SORT:
            return CASE_SEARCH.ranked(qs, text).order_by(
                *RANKING, *case_ordering(DEFAULT_CASE_SORT)
            )
    return qs.order_by(*case_ordering(sort))


def _case_named_entity(word: SearchWord) -> QuerySet:
    """Ids of the cases linked to an entity whose name or an alias, normalised, contains the
    word normalised (trigram index on ``Entity.search_key``; index-only scan of
    ``caseentity_entity_case_idx``). Aliases count, so a name merged away still finds the
    cases now linked to the survivor."""
    entities = Entity.objects.filter(search_key__contains=word.key).values("pk")
    return filter_in(CaseEntity.objects.all(), "entity_id", entities).values("case_id")


# Every word must appear in the number, title or summary (or, on PostgreSQL, match the full-text
# document of title and summary), or, normalised, in a linked entity's name or alias. Words the
# company-name normaliser leaves out ("Co.,", "Ltd.", "Sdn.", "Bhd.") are not required. Indexes:
# migrations cases/0004, entities/0003.
CASE_SEARCH = TextSearch(
    fields=("number", "title", "allegation_summary"),
    normalise=normalise_name,
    document=("title", "allegation_summary"),
    exact="number",
    related=(_case_named_entity,),
)
RELEVANCE_SORT = "relevance"


def case_ordering(sort: str) -> list[str]:
    descending = sort.startswith("-")
    key = CASE_SORTS.get(sort.lstrip("-"))
    if key is None:
        return case_ordering(DEFAULT_CASE_SORT)
    return [f"-{key}" if descending else key, "-id" if descending else "id"]


CASE_CSV_HEADER = [
    "number",
    "title",
    "phase",
    "status",
    "status_reason",
    "commodity",
    "hts_code",
    "source_country",
    "source_region",
    "referral_source",
    "received_on",
    "opened_on",
    "assigned_analyst",
    "supervisor",
    "priority",
    "caatsa",
    "law_enforcement_sensitive",
    "estimated_annual_import_value",
    "is_demo",
]


def case_csv_lines(qs: QuerySet[Case], *, batch: int = 500) -> Iterator[str]:
    """The case list as CSV, streamed in chunks of ``batch`` rows, reading only the columns
    exported (no query per row)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CASE_CSV_HEADER)
    rows = qs.values_list(
        "number",
        "title",
        "phase",
        "status",
        "suspension_reason",
        "inactive_reason",
        "closing_outcome",
        "commodity__name",
        "hts_code",
        "source_country",
        "source_region",
        "referral_source",
        "received_on",
        "opened_on",
        "assigned_analyst__username",
        "supervisor__username",
        "priority",
        "caatsa",
        "law_enforcement_sensitive",
        "estimated_annual_import_value",
        "is_demo",
    )
    yes_no = {True: "yes", False: "no"}
    for n, row in enumerate(rows.iterator(chunk_size=2000), start=1):
        (
            number, title, phase, status, suspended, inactive, closed, commodity, hts_code,
            country, region, referral, received_on, opened_on, analyst, supervisor, priority,
            caatsa, sensitive, value, is_demo,
        ) = row  # fmt: skip
        writer.writerow(
            csv_safe(v)
            for v in (
                number, title, phase, status, suspended or inactive or closed, commodity,
                hts_code, country, region, referral, received_on, opened_on, analyst or "",
                supervisor or "", priority, yes_no[caatsa], yes_no[sensitive], value,
                yes_no[is_demo],
            )
        )  # fmt: skip
        if n % batch == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate(0)
    yield buffer.getvalue()


def case_country_label(case: Case) -> str:
    return country_name(case.source_country)


def my_work(*, user, today: date) -> dict:
    """The signed-in user's open tasks (overdue first) and the active cases they carry."""
    visible = case_visible_queryset(user)
    tasks = (
        Task.objects.filter(owner=user, state=Task.State.OPEN, case__in=visible)
        .select_related("case")
        .order_by("due_on", "id")
    )
    cases = (
        visible.filter(Q(assigned_analyst=user) | Q(supervisor=user))
        .exclude(status__in=["closed", "inactive"])
        .select_related("commodity")
        .annotate(open_tasks=Count("tasks", filter=Q(tasks__state=Task.State.OPEN)))
        .order_by("phase", "-opened_on")
    )
    task_list = list(tasks)
    return {
        "overdue_tasks": [t for t in task_list if t.due_on < today],
        "upcoming_tasks": [t for t in task_list if t.due_on >= today],
        "cases": list(cases[:100]),
        "phase_counts": _phase_counts(visible.filter(status="active")),
    }


def _phase_counts(cases: QuerySet[Case]) -> list[tuple[str, str, int]]:
    """(phase, its label, how many) for each phase with cases, in the phases' order."""
    counts = dict(cases.values_list("phase").annotate(n=Count("id")))
    return [(phase, Phase(phase).label, counts[phase]) for phase in PHASE_ORDER if phase in counts]


def task_list_for_owner(*, user, state: str = Task.State.OPEN) -> QuerySet[Task]:
    """The user's tasks on cases they can see; ``state`` "all" for every state."""
    qs = Task.objects.filter(owner=user, case__in=case_visible_queryset(user))
    if state != "all":
        qs = qs.filter(state=state)
    return qs.select_related("case", "owner", "completed_by").order_by("due_on", "id")


def task_get_for_user(*, user, task_id: int) -> Task:
    """A task on a case the user can see; the same "not found" otherwise."""
    task = (
        Task.objects.filter(pk=task_id, case__in=case_visible_queryset(user))
        .select_related("case", "owner")
        .first()
    )
    if task is None:
        raise NotFoundError(f"There is no task {task_id} that you can see.")
    return task
