"""Reads for the screening pages and API: runs, hits and entity lists."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from withhold.core.exceptions import NotFoundError

from .models import EntityList, ScreeningHit, ScreeningRun

HIT_SORTS = {
    "line": ("position",),
    "-score": ("-score", "position"),
    "score": ("score", "position"),
    "ref": ("hit_ref", "position"),
}
RUN_SORTS = {"-created": ("-created_at", "-id"), "created": ("created_at", "id")}


def _may_view(user) -> bool:
    return user.is_authenticated and user.has_perm("screening.view_screeningrun")


def run_list(*, user, status: str = "", sort: str = "-created") -> QuerySet[ScreeningRun]:
    if not _may_view(user):
        return ScreeningRun.objects.none()
    qs = ScreeningRun.objects.select_related("created_by")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by(*RUN_SORTS.get(sort, RUN_SORTS["-created"]))


def run_get_for_user(*, user, run_id: int) -> ScreeningRun:
    """The run, or ``NotFoundError`` alike for a missing run and one the user may not see."""
    run = ScreeningRun.objects.select_related("created_by").filter(pk=run_id).first()
    if run is None or not _may_view(user):
        raise NotFoundError("No such screening run.")
    return run


@dataclass(frozen=True)
class HitFilters:
    text: str = ""
    kind: str = ""
    action: str = ""
    min_score: int | None = None


def hit_list(*, run: ScreeningRun, filters: HitFilters, sort: str = "line") -> QuerySet:
    qs = run.hits.all()
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


def entity_list_list() -> QuerySet[EntityList]:
    return EntityList.objects.select_related("loaded_by").order_by("source")
