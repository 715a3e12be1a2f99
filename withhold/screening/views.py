"""Screening pages: upload a file and see the runs; a run's progress and hits (filter, sort,
CSV); a hit turned into a prefilled detention form; the entity lists. Each view: authenticate →
access function → validate → one service or selector → render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from withhold.core.csv_export import csv_response
from withhold.core.exceptions import ApplicationError, NotFoundError
from withhold.core.files import CSV, TEXT, check_upload
from withhold.core.forms import form_add_service_error
from withhold.core.pages import require_page_perm
from withhold.detentions.forms import DetentionForm
from withhold.detentions.from_hit import basis_initial
from withhold.entities.models import Entity

from . import selectors, services
from .engine import HIT_COLUMNS
from .forms import EntityListForm, HitFilterForm, RunFilterForm, UploadForm
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
                messages.success(request, _("File received; screening has started."))
                return redirect("screening:run", run_id=run.pk)
    form = RunFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.run_list(
        user=request.user, status=data.get("status", ""), sort=data.get("sort") or "-created"
    )
    if request.GET.get("format") == "csv":
        rows = (
            [r.pk, r.original_name, r.status, r.created_at, r.created_by.username,
             r.summary.get("lines", ""), r.summary.get("hits_total", ""),
             r.summary.get("errors", ""), r.sha256]
            for r in qs
        )  # fmt: skip
        header = [["run", "file", "status", "created_at", "created_by", "lines", "hits",
                   "errors", "sha256"]]  # fmt: skip
        return csv_response([*header, *rows], filename="screening-runs.csv")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "screening/run_list.html",
        {"form": form, "upload": upload, "page_obj": page},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run_or_404(request, run_id)
    form = HitFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.hit_list(
        run=run,
        filters=selectors.HitFilters(
            text=data.get("q", ""),
            kind=data.get("kind", ""),
            action=data.get("action", ""),
            min_score=data.get("min_score"),
        ),
        sort=data.get("sort") or "line",
    )
    if request.GET.get("format") == "csv":
        rows = ([h.line_id, h.hit_kind, h.hit_ref, h.hit_name, h.score, h.action, h.reasons]
                for h in qs.iterator())  # fmt: skip
        return csv_response([HIT_COLUMNS, *rows], filename=f"screening-run-{run.pk}-hits.csv")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "screening/run_detail.html",
        {"run": run, "form": form, "page_obj": page, "row_errors": run.row_errors[:100]},
    )


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
                        "List “%(source)s”: %(n)d entry loaded.",
                        "List “%(source)s”: %(n)d entries loaded.",
                        loaded.entry_count,
                    )
                    % {"source": loaded.source, "n": loaded.entry_count},
                )
                return redirect("screening:lists")
    return render(
        request,
        "screening/entity_lists.html",
        {"form": form, "problems": problems, "lists": selectors.entity_list_list()},
        status=400 if request.method == "POST" else 200,
    )
