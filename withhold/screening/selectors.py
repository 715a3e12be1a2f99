"""Reads for the screening pages and API: runs, hits (grouped by entry line, with their
judgements and the detentions already recorded for their entries), judgements, entity lists
and their versions (with the difference between two versions)."""

from dataclasses import dataclass, field

from django.db.models import Max, Min, OuterRef, Q, QuerySet, Subquery

from withhold.core.exceptions import NotFoundError
from withhold.detentions.selectors import detention_visible_queryset

from .entity_lists import EntryChange, diff_entries
from .models import EntityList, HitJudgement, ListEntry, ListVersion, ScreeningHit, ScreeningRun

HIT_SORTS = {
    "line": ("position",),
    "-score": ("-score", "position"),
    "score": ("score", "position"),
    "ref": ("hit_ref", "position"),
}
RUN_SORTS = {"-created": ("-created_at", "-id"), "created": ("created_at", "id")}
LINE_SORTS = {
    "line": ("first",),
    "-score": ("-best", "first"),
    "score": ("best", "first"),
    "ref": ("ref", "first"),
}
JUDGEMENT_SORTS = {
    "-judged": ("-updated_at", "-id"),
    "judged": ("updated_at", "id"),
    "party": ("party_name", "id"),
    "ref": ("hit_ref", "id"),
}
ENTRY_SORTS = {
    "number": ("number",),
    "-number": ("-number",),
    "name": ("name", "number"),
    "country": ("country", "number"),
}


def _may_view(user) -> bool:
    return user.is_authenticated and user.has_perm("screening.view_screeningrun")


def run_list(
    *, user, status: str = "", origin: str = "", sort: str = "-created"
) -> QuerySet[ScreeningRun]:
    """Runs, newest first; ``origin`` "upload" keeps uploaded files, "rescreen" the
    re-screenings of stored lines that an order or list change caused."""
    if not _may_view(user):
        return ScreeningRun.objects.none()
    qs = ScreeningRun.objects.select_related("created_by")
    if status:
        qs = qs.filter(status=status)
    if origin == "upload":
        qs = qs.filter(trigger="")
    elif origin == "rescreen":
        qs = qs.exclude(trigger="")
    return qs.order_by(*RUN_SORTS.get(sort, RUN_SORTS["-created"]))


def run_get_for_user(*, user, run_id: int) -> ScreeningRun:
    """The run, or ``NotFoundError`` alike for a missing run and one the user may not see."""
    run = ScreeningRun.objects.select_related("created_by").filter(pk=run_id).first()
    if run is None or not _may_view(user):
        raise NotFoundError("No such screening run.")
    return run


@dataclass(frozen=True)
class HitFilters:
    """``judgement``: "" hides hits judged false positive (they stay countable and one click
    away), "unjudged", "true_match", "false_positive", "all"."""

    text: str = ""
    kind: str = ""
    action: str = ""
    min_score: int | None = None
    judgement: str = ""


def _judgement_of(column: str) -> Subquery:
    return Subquery(
        HitJudgement.objects.filter(
            party_key=OuterRef("party_key"),
            hit_kind=OuterRef("hit_kind"),
            hit_ref=OuterRef("hit_ref"),
            basis_version=OuterRef("basis_version"),
        ).values(column)[:1]
    )


def hits_with_judgements(qs: QuerySet[ScreeningHit]) -> QuerySet[ScreeningHit]:
    """Each hit with ``verdict`` and ``judgement_pk`` of the judgement stored under its key
    (None when unjudged)."""
    return qs.annotate(verdict=_judgement_of("verdict"), judgement_pk=_judgement_of("pk"))


def _judgement_filter(qs: QuerySet, judgement: str) -> QuerySet:
    false_positive = HitJudgement.Verdict.FALSE_POSITIVE
    if judgement == "":
        return qs.filter(Q(verdict__isnull=True) | ~Q(verdict=false_positive))
    if judgement == "unjudged":
        return qs.filter(verdict__isnull=True)
    if judgement in HitJudgement.Verdict.values:
        return qs.filter(verdict=judgement)
    return qs


def hit_list(*, run: ScreeningRun, filters: HitFilters, sort: str = "line") -> QuerySet:
    qs = _judgement_filter(hits_with_judgements(run.hits.all()), filters.judgement)
    if filters.kind:
        qs = qs.filter(hit_kind=filters.kind)
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.min_score is not None:
        qs = qs.filter(score__gte=filters.min_score)
    if filters.text:
        t = filters.text
        qs = qs.filter(
            Q(line_id__icontains=t)
            | Q(manufacturer_name__icontains=t)
            | Q(shipper_name__icontains=t)
            | Q(importer_name__icontains=t)
            | Q(hit_name__icontains=t)
            | Q(hit_ref__icontains=t)
            | Q(entry_number__icontains=t)
        )
    return qs.order_by(*HIT_SORTS.get(sort, HIT_SORTS["line"]))


def hit_get_for_user(*, user, hit_id: int) -> ScreeningHit:
    hit = ScreeningHit.objects.select_related("run", "order").filter(pk=hit_id).first()
    if hit is None or not _may_view(user):
        raise NotFoundError("No such screening hit.")
    return hit


def suppressed_count(*, run: ScreeningRun, filters: HitFilters) -> int:
    """How many hits the default view hides because they were judged false positive."""
    if filters.judgement:
        return 0
    hidden = HitFilters(
        text=filters.text, kind=filters.kind, action=filters.action,
        min_score=filters.min_score, judgement=HitJudgement.Verdict.FALSE_POSITIVE,
    )  # fmt: skip
    return hit_list(run=run, filters=hidden).count()


@dataclass
class LineHits:
    """One entry line of a run with all its hits (order, list, CAATSA), best first, and the
    detentions already recorded for its entry."""

    row_number: int
    hits: list[ScreeningHit] = field(default_factory=list)
    detentions: list = field(default_factory=list)

    @property
    def line(self) -> ScreeningHit:
        return self.hits[0]

    @property
    def kinds(self) -> list[str]:
        return sorted({h.get_hit_kind_display() for h in self.hits})

    @property
    def unjudged(self) -> int:
        return sum(1 for h in self.hits if h.verdict is None)


def hit_lines(*, run: ScreeningRun, filters: HitFilters, sort: str = "line") -> QuerySet:
    """One row per entry line that has a hit passing ``filters``: ``row_number`` with its best
    score, first position and first reference, for paging; ``lines_page_hits`` fills a page."""
    qs = hit_list(run=run, filters=filters)
    return (
        qs.order_by()
        .values("row_number")
        .annotate(first=Min("position"), best=Max("score"), ref=Min("hit_ref"))
        .order_by(*LINE_SORTS.get(sort, LINE_SORTS["line"]))
    )


def hit_lines_all(
    *, run: ScreeningRun, filters: HitFilters, sort: str, detentions: dict[str, list]
) -> list[LineHits]:
    """Every line of ``hit_lines`` with its hits, in the page's order (for the CSV download)."""
    groups: dict[int, LineHits] = {}
    for hit in hit_list(run=run, filters=filters).order_by("row_number", "-score", "position"):
        groups.setdefault(hit.row_number, LineHits(row_number=hit.row_number)).hits.append(hit)
    for group in groups.values():
        group.detentions = detentions.get(group.line.entry_number, [])
    ordered = hit_lines(run=run, filters=filters, sort=sort).values_list("row_number", flat=True)
    return [groups[n] for n in ordered if n in groups]


def run_detentions(*, run: ScreeningRun, user) -> dict[str, list]:
    """The detentions the user may see recorded for the entry numbers of the run's hits, by
    entry number (one query; empty for a user who may not see detentions)."""
    if not user.has_perm("detentions.view_detention"):
        return {}
    found: dict[str, list] = {}
    entries = run.hits.exclude(entry_number="").values("entry_number")
    for detention in detention_visible_queryset(user).filter(entry_number__in=entries):
        found.setdefault(detention.entry_number, []).append(detention)
    return found


def run_detained_lines(*, run: ScreeningRun, detentions: dict[str, list]) -> int:
    """Lines of the run whose entry already has a detention (from ``run_detentions``)."""
    if not detentions:
        return 0
    return (
        run.hits.filter(entry_number__in=list(detentions))
        .order_by()
        .values("row_number")
        .distinct()
        .count()
    )


def lines_page_hits(
    *, run: ScreeningRun, filters: HitFilters, rows: list[dict], detentions: dict[str, list]
) -> list[LineHits]:
    """The hits of one page of ``hit_lines``, grouped by line, with the detentions recorded for
    the lines' entries (``run_detentions``)."""
    numbers = [r["row_number"] for r in rows]
    groups = {n: LineHits(row_number=n) for n in numbers}
    hits = hit_list(run=run, filters=filters).filter(row_number__in=numbers)
    for hit in hits.select_related("order").order_by("row_number", "-score", "position"):
        groups[hit.row_number].hits.append(hit)
    for group in groups.values():
        if group.hits and group.line.entry_number:
            group.detentions = detentions.get(group.line.entry_number, [])
    return [groups[n] for n in numbers if groups[n].hits]


# Judgements -------------------------------------------------------------------------------------


def _may_view_judgements(user) -> bool:
    return user.is_authenticated and user.has_perm("screening.view_hitjudgement")


@dataclass(frozen=True)
class JudgementFilters:
    text: str = ""
    verdict: str = ""
    kind: str = ""


def judgement_list(
    *, user, filters: JudgementFilters, sort: str = "-judged"
) -> QuerySet[HitJudgement]:
    if not _may_view_judgements(user):
        return HitJudgement.objects.none()
    qs = HitJudgement.objects.select_related("judged_by", "hit")
    if filters.verdict:
        qs = qs.filter(verdict=filters.verdict)
    if filters.kind:
        qs = qs.filter(hit_kind=filters.kind)
    if filters.text:
        t = filters.text
        qs = qs.filter(
            Q(party_name__icontains=t)
            | Q(party_key__icontains=t)
            | Q(hit_ref__icontains=t)
            | Q(hit_name__icontains=t)
            | Q(note__icontains=t)
        )
    return qs.order_by(*JUDGEMENT_SORTS.get(sort, JUDGEMENT_SORTS["-judged"]))


def entity_list_list() -> QuerySet[EntityList]:
    return EntityList.objects.select_related("loaded_by", "current_version").order_by("source")


def entity_list_get(*, source: str) -> EntityList:
    entity_list = (
        EntityList.objects.select_related("loaded_by", "current_version")
        .filter(source=source)
        .first()
    )
    if entity_list is None:
        raise NotFoundError("No such entity list.")
    return entity_list


def list_entries(
    *,
    entity_list: EntityList,
    text: str = "",
    sort: str = "number",
    version: ListVersion | None = None,
):
    """The entries of one version of a list (the current one unless ``version`` is given),
    searched in names and aliases, sorted by the list's own number (or name, country)."""
    version_id = version.pk if version is not None else entity_list.current_version_id
    entries = ListEntry.objects.filter(list_version_id=version_id)
    qs = entries
    if text:
        t = text.strip()
        qs = qs.filter(Q(name__icontains=t) | Q(aliases__icontains=t) | Q(address__icontains=t))
        if t.lstrip("#").isdigit():
            qs = entries.filter(Q(number=int(t.lstrip("#"))) | Q(pk__in=qs.values("pk")))
    return qs.order_by(*ENTRY_SORTS.get(sort, ENTRY_SORTS["number"]))


def list_versions(*, entity_list: EntityList) -> QuerySet[ListVersion]:
    """A list's versions, newest first, with who loaded each."""
    return entity_list.versions.select_related("loaded_by").order_by("-number")


def list_version_get(*, entity_list: EntityList, number: int) -> ListVersion:
    version = (
        entity_list.versions.select_related("loaded_by", "entity_list")
        .filter(number=number)
        .first()
    )
    if version is None:
        raise NotFoundError(f"The list “{entity_list.source}” has no version {number}.")
    return version


def list_version_entry_get(*, version: ListVersion, number: int) -> ListEntry:
    entry = (
        version.entries.select_related("entity_list", "list_version").filter(number=number).first()
    )
    if entry is None:
        raise NotFoundError(f"Version {version.number} of the list has no entry #{number}.")
    return entry


DIFF_KINDS = ("added", "removed", "changed")


def list_version_diff(*, old: ListVersion, new: ListVersion, kind: str = "") -> list[EntryChange]:
    """The entries added, removed and changed from version ``old`` to version ``new`` (two
    queries, whatever the list's size), in the new list's order; ``kind`` keeps one sort."""
    fields = ("pk", "number", "name", "aliases", "country", "address", "effective_on")
    changes = diff_entries(list(old.entries.only(*fields)), list(new.entries.only(*fields)))
    if kind in DIFF_KINDS:
        changes = [c for c in changes if c.kind == kind]
    return changes
