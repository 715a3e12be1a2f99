"""Screening pages: upload a file and see the runs (and the re-screenings an order or list change
caused); a run's progress and hits, one row per entry line with all its bases, their judgements
and detentions (filter, sort, CSV); judging a hit; the judgements (filter, CSV); a hit turned
into a prefilled detention form; the entity lists, their versions and entries, and the
difference between two versions. Each view: authenticate →
access function → validate → one service or selector → render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from withhold.core.csv_export import csv_response
from withhold.core.exceptions import ApplicationError, NotFoundError
from withhold.core.files import CSV, TEXT, check_upload
from withhold.core.forms import form_add_service_error
from withhold.core.pages import require_page_perm
from withhold.detentions.forms import DetentionForm
from withhold.entities.models import Entity

from . import selectors, services
from .detention_basis import basis_initial
from .forms import (
    EntityListForm,
    EntryFilterForm,
    HitFilterForm,
    JudgementFilterForm,
    JudgementForm,
    RunFilterForm,
    UploadForm,
    VersionDiffForm,
)
from .models import ScreeningHit, ScreeningRun

PAGE_SIZE = 25
VIEW_PERM = "screening.view_screeningrun"


def _run_or_404(request: HttpRequest, run_id: int) -> ScreeningRun:
    require_page_perm(request, VIEW_PERM)
    try:
        return selectors.run_get_for_user(user=request.user, run_id=run_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


@login_required
def run_list(request: HttpRequest) -> HttpResponse:
    require_page_perm(request, VIEW_PERM)
    upload = UploadForm()
    if request.method == "POST":
        require_page_perm(request, "screening.run_screening")
        upload = UploadForm(request.POST, request.FILES)
        if upload.is_valid():
            try:
                run = services.screening_run_create(
                    actor=request.user, upload=upload.cleaned_data["file"]
                )
            except (ValidationError, ApplicationError) as exc:
                form_add_service_error(upload, exc)
            else:
                messages.success(
                    request, _("File received: %(name)s.") % {"name": run.original_name}
                )
                return redirect("screening:run", run_id=run.pk)
    form = RunFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.run_list(
        user=request.user,
        status=data.get("status", ""),
        origin=data.get("origin", ""),
        sort=data.get("sort") or "-created",
    )
    if request.GET.get("format") == "csv":
        rows = (
            [r.pk, r.original_name, r.trigger, r.status, r.created_at,
             r.created_by.username if r.created_by else "", r.summary.get("lines", ""),
             r.summary.get("hits_total", ""), r.summary.get("errors", ""), r.sha256]
            for r in qs
        )  # fmt: skip
        header = [["run", "file", "trigger", "status", "created_at", "created_by", "lines",
                   "hits", "errors", "sha256"]]  # fmt: skip
        return csv_response([*header, *rows], filename="screening-runs.csv")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "screening/run_list.html",
        {
            "form": form,
            "upload": upload,
            "page_obj": page,
            "retention_days": settings.WITHHOLD["SCREENING_RETENTION_DAYS"],
        },
        status=400 if request.method == "POST" else 200,
    )


def _hit_filters(form: HitFilterForm) -> selectors.HitFilters:
    data = form.cleaned_data if form.is_valid() else {}
    return selectors.HitFilters(
        text=data.get("q", ""),
        kind=data.get("kind", ""),
        action=data.get("action", ""),
        min_score=data.get("min_score"),
        judgement=data.get("judgement", ""),
    )


LINE_CSV_COLUMNS = [
    "line_id", "row", "entry_number", "entry_date", "importer_name", "manufacturer_name",
    "shipper_name", "country_of_origin", "hts_code", "hits", "hit_kinds", "hit_refs",
    "hit_names", "best_score", "action", "judgements", "reasons", "detentions",
]  # fmt: skip


def _line_csv_row(group: selectors.LineHits) -> list:
    """One entry line with all its bases, each list in the same order (best hit first)."""
    line, hits = group.line, group.hits

    def each(values) -> str:
        return "; ".join(str(v) for v in values)

    return [
        line.line_id, group.row_number, line.entry_number, line.entry_date, line.importer_name,
        line.manufacturer_name, line.shipper_name, line.country_of_origin, line.hts_code,
        len(hits), each(h.hit_kind for h in hits), each(h.hit_ref for h in hits),
        each(h.hit_name for h in hits), max(h.score for h in hits),
        ScreeningHit.Action.DETAIN
        if any(h.action == ScreeningHit.Action.DETAIN for h in hits)
        else ScreeningHit.Action.REVIEW,
        each(f"{h.hit_ref}: {h.verdict or 'unjudged'}" for h in hits),
        each(f"{h.hit_ref}: {h.reasons}" for h in hits),
        each(f"{d.entry_number} line {d.entry_line} (detention {d.pk})" for d in group.detentions),
    ]  # fmt: skip


@login_required
@require_GET
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run_or_404(request, run_id)
    form = HitFilterForm(request.GET or None)
    filters = _hit_filters(form)
    sort = (form.cleaned_data.get("sort") if form.is_valid() else "") or "line"
    detentions = selectors.run_detentions(run=run, user=request.user)
    if request.GET.get("format") == "csv":
        # One row per entry line, as the page shows them, with the page's filters and sort.
        groups = selectors.hit_lines_all(run=run, filters=filters, sort=sort, detentions=detentions)
        rows = (_line_csv_row(g) for g in groups)
        return csv_response([LINE_CSV_COLUMNS, *rows], filename=f"screening-run-{run.pk}-hits.csv")
    lines = selectors.hit_lines(run=run, filters=filters, sort=sort)
    page = Paginator(lines, PAGE_SIZE).get_page(request.GET.get("page"))
    groups = selectors.lines_page_hits(
        run=run, filters=filters, rows=list(page.object_list), detentions=detentions
    )
    return render(
        request,
        "screening/run_detail.html",
        {
            "run": run,
            "form": form,
            "page_obj": page,
            "groups": groups,
            "suppressed": selectors.suppressed_count(run=run, filters=filters),
            "detained_lines": selectors.run_detained_lines(run=run, detentions=detentions),
            "judge_form": JudgementForm(),
            "row_errors": run.row_errors[:100],
        },
    )


def _back_to(request: HttpRequest, fallback: str) -> str:
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return fallback


@login_required
@require_POST
def hit_judge(request: HttpRequest, hit_id: int) -> HttpResponse:
    """Record a targeting analyst's judgement of a hit, then back to the run's page."""
    require_page_perm(request, VIEW_PERM)
    require_page_perm(request, "screening.add_hitjudgement")
    try:
        hit = selectors.hit_get_for_user(user=request.user, hit_id=hit_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    form = JudgementForm(request.POST)
    back = _back_to(request, reverse("screening:run", args=[hit.run_id]))
    if form.is_valid():
        try:
            judgement = services.hit_judge(
                actor=request.user,
                hit=hit,
                verdict=form.cleaned_data["verdict"],
                note=form.cleaned_data["note"],
            )
        except (ValidationError, ApplicationError) as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("%(party)s against %(ref)s judged: %(verdict)s.")
                % {
                    "party": judgement.party_name,
                    "ref": judgement.hit_ref,
                    "verdict": judgement.get_verdict_display().lower(),
                },
            )
            return redirect(back)
    return render(
        request,
        "screening/hit_judge.html",
        {"form": form, "hit": hit, "next": back},
        status=400,
    )


@login_required
@require_GET
def judgement_list(request: HttpRequest) -> HttpResponse:
    require_page_perm(request, "screening.view_hitjudgement")
    form = JudgementFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.judgement_list(
        user=request.user,
        filters=selectors.JudgementFilters(
            text=data.get("q", ""), verdict=data.get("verdict", ""), kind=data.get("kind", "")
        ),
        sort=data.get("sort") or "-judged",
    )
    if request.GET.get("format") == "csv":
        header = ["party", "party_key", "hit_kind", "hit_ref", "hit_name", "basis_version",
                  "verdict", "note", "judged_by", "judged_at", "run"]  # fmt: skip
        rows = ([j.party_name, j.party_key, j.hit_kind, j.hit_ref, j.hit_name, j.basis_version,
                 j.verdict, j.note, j.judged_by.username, j.updated_at,
                 j.hit.run_id if j.hit else ""] for j in qs)  # fmt: skip
        return csv_response([header, *rows], filename="screening-judgements.csv")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "screening/judgement_list.html", {"form": form, "page_obj": page})


@login_required
@require_GET
def run_progress(request: HttpRequest, run_id: int) -> HttpResponse:
    """The progress box alone, polled by htmx every two seconds until the run is finished."""
    run = _run_or_404(request, run_id)
    response = render(request, "screening/_progress.html", {"run": run})
    if run.is_finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"  # show the hits
    return response


def _entity_named(name: str) -> Entity | None:
    if not name:
        return None
    return Entity.objects.filter(name__iexact=name.strip()).order_by("id").first()


@login_required
@require_GET
def hit_detention(request: HttpRequest, hit_id: int) -> HttpResponse:
    """The detention form, prefilled from the hit (a UFLPA list or XUAR-address hit with the
    UFLPA basis and its nexus), posting to the detentions page."""
    require_page_perm(request, "detentions.add_detention")
    require_page_perm(request, VIEW_PERM)
    try:
        hit = selectors.hit_get_for_user(user=request.user, hit_id=hit_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    initial = {
        "entry_number": hit.entry_number,
        "imported_on": hit.entry_date or None,
        "country_of_origin": hit.country_of_origin,
        "hts_code": hit.hts_code,
        "merchandise": hit.description,
        "importer": _entity_named(hit.importer_name),
        # The line's manufacturer when it is on file, else the order's or list's entity the hit names.
        "manufacturer": _entity_named(hit.manufacturer_name)
        or (_entity_named(hit.hit_name) if hit.hit_kind != ScreeningHit.Kind.CAATSA else None),
        "officer": request.user.pk,
        # The basis the hit gives: its order, CAATSA, or the UFLPA presumption with its nexus.
        **basis_initial(hit),
    }
    if hit.order_id and hit.order.is_active:
        initial["orders"] = [hit.order]
    form = DetentionForm(initial=initial)
    return render(request, "screening/hit_detention.html", {"form": form, "hit": hit})


@login_required
def entity_lists(request: HttpRequest) -> HttpResponse:
    require_page_perm(request, "screening.view_entitylist")
    form = EntityListForm()
    problems: list[str] = []
    if request.method == "POST":
        require_page_perm(request, "screening.add_entitylist")
        form = EntityListForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                # Type by content, size cap, zip-bomb check, like every upload.
                check_upload(
                    upload,
                    allowed=frozenset({CSV, TEXT}),
                    max_bytes=settings.WITHHOLD["SCREENING_UPLOAD_MAX_BYTES"],
                )
                loaded = services.entity_list_load(
                    actor=request.user,
                    source=form.cleaned_data["source"],
                    file_name=upload.name,
                    data=upload.read(),
                    effective_on=form.cleaned_data.get("effective_on"),
                )
            except services.ListRefused as exc:
                problems = exc.problems
                form.add_error(None, exc.message)
            except ApplicationError as exc:
                form_add_service_error(form, exc)
            else:
                messages.success(
                    request,
                    ngettext(
                        "List “%(source)s” version %(version)d: %(n)d entry loaded.",
                        "List “%(source)s” version %(version)d: %(n)d entries loaded.",
                        loaded.entry_count,
                    )
                    % {"source": loaded.source, "version": loaded.version, "n": loaded.entry_count},
                )
                return redirect("screening:lists")
    return render(
        request,
        "screening/entity_lists.html",
        {"form": form, "problems": problems, "lists": selectors.entity_list_list()},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def entity_list_detail(request: HttpRequest, source: str) -> HttpResponse:
    """One list's entries, each with the number the list itself uses: search, sort, pages."""
    require_page_perm(request, "screening.view_entitylist")
    try:
        entity_list = selectors.entity_list_get(source=source)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    return _entries_page(request, entity_list, version=None)


def _list_or_404(request: HttpRequest, source: str):
    require_page_perm(request, "screening.view_entitylist")
    try:
        return selectors.entity_list_get(source=source)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


def _version_or_404(entity_list, number: int):
    try:
        return selectors.list_version_get(entity_list=entity_list, number=number)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


def _entries_page(request: HttpRequest, entity_list, *, version) -> HttpResponse:
    form = EntryFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    sort = data.get("sort") or "number"
    qs = selectors.list_entries(
        entity_list=entity_list, text=data.get("q", ""), sort=sort, version=version
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "screening/entity_list_detail.html",
        {
            "entity_list": entity_list,
            "version": version or entity_list.current_version,
            "form": form,
            "page_obj": page,
            "sort": sort,
        },
    )


@login_required
@require_GET
def list_versions(request: HttpRequest, source: str) -> HttpResponse:
    """A list's versions, newest first: file, SHA-256, who loaded it and when, its effective
    date, and how many entries it holds, added, removed and changed (CSV too)."""
    entity_list = _list_or_404(request, source)
    qs = selectors.list_versions(entity_list=entity_list)
    if request.GET.get("format") == "csv":
        header = ["version", "effective_on", "loaded_at", "loaded_by", "file", "sha256",
                  "entries", "added", "removed", "changed", "current"]  # fmt: skip
        rows = ([v.number, v.effective_on, v.loaded_at,
                 v.loaded_by.username if v.loaded_by else "", v.file_name, v.sha256,
                 v.entry_count, v.added_count, v.removed_count, v.changed_count,
                 "yes" if v.pk == entity_list.current_version_id else "no"]
                for v in qs)  # fmt: skip
        return csv_response([header, *rows], filename=f"{entity_list.source}-versions.csv")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "screening/list_versions.html",
        {"entity_list": entity_list, "page_obj": page, "first": qs.order_by("number").first()},
    )


@login_required
@require_GET
def list_version_detail(request: HttpRequest, source: str, version_number: int) -> HttpResponse:
    """The entries of one version of a list, as it stood when loaded."""
    entity_list = _list_or_404(request, source)
    return _entries_page(request, entity_list, version=_version_or_404(entity_list, version_number))


@login_required
@require_GET
def list_version_entry(
    request: HttpRequest, source: str, version_number: int, entry_number: int
) -> HttpResponse:
    """One entry of one version, and whether the list still holds it (a detention links here
    to the entry it relied on)."""
    entity_list = _list_or_404(request, source)
    version = _version_or_404(entity_list, version_number)
    try:
        entry = selectors.list_version_entry_get(version=version, number=entry_number)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    return render(
        request,
        "screening/list_entry.html",
        {
            "entity_list": entity_list,
            "version": version,
            "entry": entry,
            "current": entry.current_counterpart(),
        },
    )


DIFF_CSV_COLUMNS = [
    "change", "fields_changed", "number_before", "number_after", "name_before", "name_after",
    "aliases_before", "aliases_after", "country_before", "country_after", "address_before",
    "address_after", "effective_on",
]  # fmt: skip


def _diff_csv_row(change) -> list:
    old, new = change.old, change.new

    def of(entry, name):
        if entry is None:
            return ""
        value = getattr(entry, name)
        return "; ".join(value) if name == "aliases" else value

    return [
        change.kind, "; ".join(change.fields), of(old, "number"), of(new, "number"),
        of(old, "name"), of(new, "name"), of(old, "aliases"), of(new, "aliases"),
        of(old, "country"), of(new, "country"), of(old, "address"), of(new, "address"),
        of(new or old, "effective_on"),
    ]  # fmt: skip


@login_required
@require_GET
def list_version_diff(request: HttpRequest, source: str) -> HttpResponse:
    """What changed between two versions of a list (by default the current version and the
    one before it): entries added, removed, and changed in name, aliases, country, address or
    number; filter by change, pages, CSV."""
    entity_list = _list_or_404(request, source)
    form = VersionDiffForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    current = entity_list.version if entity_list.current_version_id else 0
    versions = selectors.list_versions(entity_list=entity_list)
    new_number = data.get("new") or current
    earlier = versions.filter(number__lt=new_number).first()
    old_number = data.get("old") or (earlier.number if earlier else new_number)
    context = {
        "entity_list": entity_list,
        "form": form,
        "versions": versions,
        "old": None,
        "new": None,
        "page_obj": None,
        "counts": {},
    }
    if current and versions.count() > 1:
        old = _version_or_404(entity_list, old_number)
        new = _version_or_404(entity_list, new_number)
        changes = selectors.list_version_diff(old=old, new=new, kind=data.get("kind", ""))
        if request.GET.get("format") == "csv":
            rows = (_diff_csv_row(c) for c in changes)
            return csv_response(
                [DIFF_CSV_COLUMNS, *rows],
                filename=f"{entity_list.source}-v{old.number}-v{new.number}.csv",
            )
        every = selectors.list_version_diff(old=old, new=new) if data.get("kind") else changes
        context.update(
            old=old,
            new=new,
            page_obj=Paginator(changes, PAGE_SIZE).get_page(request.GET.get("page")),
            counts={k: sum(1 for c in every if c.kind == k) for k in selectors.DIFF_KINDS},
        )
    return render(request, "screening/list_diff.html", context)
