from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from withhold.cases.models import Status
from withhold.cases.selectors import case_get_for_user
from withhold.core.csv_export import csv_response
from withhold.core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError
from withhold.core.files import CSV, TEXT, XLSX, check_upload
from withhold.core.pages import flash_refusal, require_page_perm

from . import rules, selectors, services, suggest
from .charts import line_chart
from .forms import (
    DrillDownForm,
    LegacyUploadForm,
    MappingSuggestForm,
    ReviewForm,
    ReviewQueueForm,
)

PAGE_SIZE = 50


def _require_report(request: HttpRequest) -> None:
    require_page_perm(request, "quality.view_quality_report")


@login_required
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    """The data-quality report: GAO's summary, every field per status, every rule, the trend."""
    _require_report(request)
    cases = selectors.quality_cases_for_user(request.user)
    result = selectors.quality_report(cases=cases)
    if request.GET.get("format") == "csv":
        header = ["field", "required"]
        for s in result.statuses:
            header += [f"missing {s}", f"blank {s}", f"inconsistent {s}"]
        rows = [header]
        for row in result.fields:
            line = [row.spec.name, row.spec.required]
            for s in result.statuses:
                line += [row.missing[s], row.blank[s], row.inconsistent[s]]
            rows.append(line)
        return csv_response(rows, filename="data-quality.csv")
    chart = None
    history = []
    if request.user.has_perm("quality.view_all_quality"):
        history = selectors.snapshot_history()
        if len(history) >= 2:
            chart = line_chart(
                [f"{timezone.localdate(s.taken_at):%Y-%m-%d}" for s in history],
                [
                    (_("Fields with missing entries"), [s.fields_missing for s in history]),
                    (
                        _("Fields with inconsistent values"),
                        [s.fields_inconsistent for s in history],
                    ),
                    (_("Cases flagged"), [s.cases_flagged for s in history]),
                ],
            )
    return render(
        request,
        "quality/report.html",
        {
            "report": result,
            "own_only": not request.user.has_perm("quality.view_all_quality"),
            "history": history,
            "chart": chart,
            "status_labels": [(s, Status(s).label) for s in result.statuses],
        },
    )


def _sorted_cases(items: list, sort: str, key=lambda item: item):
    if sort == "analyst":
        return sorted(
            items,
            key=lambda i: (
                key(i).assigned_analyst is None,
                str(key(i).assigned_analyst or ""),
                key(i).number,
            ),
        )
    if sort in ("opened_on", "-opened_on"):
        return sorted(
            items, key=lambda i: (key(i).opened_on, key(i).number), reverse=sort.startswith("-")
        )
    return sorted(items, key=lambda i: key(i).number)


def _drill_down(request: HttpRequest, *, title: str, items: list, filename: str, context: dict):
    """One page shape for every drill-down: filters, sort, pagination, CSV."""
    form = DrillDownForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    text = (data.get("q") or "").casefold()
    if text:
        items = [
            i for i in items if text in i.case.number.casefold() or text in i.case.title.casefold()
        ]
    items = _sorted_cases(items, data.get("sort") or "number", key=lambda i: i.case)
    if request.GET.get("format") == "csv":
        rows = [["case", "title", "status", "phase", "analyst", "supervisor", "problem"]]
        for item in items:
            case = item.case
            rows.append(
                [
                    case.number,
                    case.title,
                    case.status,
                    case.phase,
                    str(case.assigned_analyst or ""),
                    str(case.supervisor or ""),
                    " | ".join(item.messages),
                ]
            )
        return csv_response(rows, filename=filename)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "quality/drill_down.html",
        {"title": title, "form": form, "page_obj": page, **context},
    )


def _status_filter(request: HttpRequest) -> str:
    status = request.GET.get("status", "")
    return status if status in selectors.REPORT_STATUSES else ""


@login_required
@require_GET
def field_cases(request: HttpRequest, name: str) -> HttpResponse:
    """The cases behind one figure of the report: missing or inconsistent entries of a field."""
    _require_report(request)
    try:
        spec = selectors.field_spec(name)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    kind = "inconsistent" if request.GET.get("kind") == "inconsistent" else "missing"
    items = selectors.field_problem_cases(
        cases=selectors.quality_cases_for_user(request.user),
        name=name,
        kind=kind,
        status=_status_filter(request),
    )
    if kind == "inconsistent":
        title = _("Inconsistent entries: %(f)s") % {"f": spec.label}
    elif spec.expected is not None:
        title = _("Missing entries: %(f)s") % {"f": spec.label}
    else:
        title = _("Blank entries: %(f)s") % {"f": spec.label}
    return _drill_down(
        request,
        title=title,
        items=items,
        filename=f"data-quality-{name}-{kind}.csv",
        context={"spec": spec, "kind": kind},
    )


@login_required
@require_GET
def rule_cases(request: HttpRequest, code: str) -> HttpResponse:
    _require_report(request)
    rule = rules.RULES.get(code)
    if rule is None:
        raise Http404(_("No such rule."))
    items = selectors.flagged_cases(
        cases=selectors.quality_cases_for_user(request.user),
        rule=code,
        status=_status_filter(request),
    )
    return _drill_down(
        request,
        title=f"{rule.code} · {rule.title}",
        items=items,
        filename=f"data-quality-{code}.csv",
        context={"rule": rule},
    )


@login_required
@require_POST
def snapshot_take(request: HttpRequest) -> HttpResponse:
    require_page_perm(request, "quality.add_qualitysnapshot")
    try:
        snapshot = services.quality_snapshot_take(actor=request.user)
    except ApplicationError as exc:
        flash_refusal(request, exc)
    else:
        messages.success(
            request,
            _("Snapshot saved: %(n)s of %(m)s fields have missing entries.")
            % {"n": snapshot.fields_missing, "m": snapshot.fields_total},
        )
    return redirect("quality:report")


@login_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    """Imported legacy cases flagged "needs review", with what could not be mapped."""
    _require_report(request)
    form = ReviewQueueForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.legacy_review_queue(
        user=request.user,
        text=data.get("q", ""),
        run_id=data["run"].pk if data.get("run") else None,
        sort=data.get("sort") or "row",
    )
    if request.GET.get("format") == "csv":
        rows = [["case", "title", "analyst", "file", "row", "legacy number", "issues"]]
        rows += [
            [
                r.case.number,
                r.case.title,
                str(r.case.assigned_analyst or ""),
                r.run.file_name,
                r.row_number,
                r.legacy_number,
                " | ".join(r.issues),
            ]
            for r in qs
        ]
        return csv_response(rows, filename="legacy-needs-review.csv")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "quality/review_queue.html",
        {
            "page_obj": page,
            "form": form,
            "runs": [
                (run, services.outcome_counts(run.counts)) for run in selectors.legacy_runs()[:10]
            ],
        },
    )


@login_required
@require_POST
def record_review(request: HttpRequest, record_id: int) -> HttpResponse:
    require_page_perm(request, "quality.review_legacy")
    try:
        record = selectors.legacy_record_get_for_user(user=request.user, record_id=record_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    form = ReviewForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.legacy_record_review(actor=request.user, record=record, note=note)
    except ApplicationError as exc:
        flash_refusal(request, exc)
    else:
        messages.success(request, _("%(case)s marked reviewed.") % {"case": record.case.number})
    return redirect("quality:review_queue")


def _mapping_text(mapping_file) -> str:
    if mapping_file.size > services.MAPPING_MAX_BYTES:
        raise ApplicationError(_("The mapping file is larger than 200 KB."))
    # Type by content (TOML is text), size cap and zip-bomb check, like every upload.
    check_upload(mapping_file, allowed=frozenset({TEXT, CSV}), max_bytes=services.MAPPING_MAX_BYTES)
    try:
        return mapping_file.read().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApplicationError(_("The mapping file is not UTF-8 text.")) from exc


SUGGESTED_MAPPING_SESSION_KEY = "quality.suggested_mapping"


@login_required
def legacy_suggest(request: HttpRequest) -> HttpResponse:
    """The mapping assistant: send a sheet, read each column's values and the proposed field,
    download the proposed mapping file to edit. Nothing is imported."""
    require_page_perm(request, "quality.import_legacy")
    form = MappingSuggestForm(request.POST or None, request.FILES or None)
    proposal = text = None
    if request.method == "POST" and form.is_valid():
        spreadsheet = form.cleaned_data["file"]
        try:
            check_upload(spreadsheet, allowed=frozenset({CSV, XLSX, TEXT}))
            spreadsheet.seek(0)
            proposal, text = services.legacy_mapping_suggest(
                data=spreadsheet.read(),
                file_name=spreadsheet.name or "upload",
                sheet=form.cleaned_data["sheet"],
            )
        except ApplicationError as exc:
            form.add_error("file", exc.message)
        else:
            request.session[SUGGESTED_MAPPING_SESSION_KEY] = {
                "file": spreadsheet.name or "upload",
                "text": text,
            }
    return render(
        request,
        "quality/suggest.html",
        {
            "form": form,
            "proposal": proposal,
            "text": text,
            "shown": suggest.SHOWN_VALUES,
            "max_bytes": settings.UPLOAD_MAX_BYTES,
        },
    )


@login_required
@require_GET
def legacy_suggest_download(request: HttpRequest) -> HttpResponse:
    """The last mapping the assistant proposed to this user, as a file."""
    require_page_perm(request, "quality.import_legacy")
    kept = request.session.get(SUGGESTED_MAPPING_SESSION_KEY)
    if not kept:
        raise Http404(_("No mapping was proposed in this session; send a spreadsheet first."))
    response = HttpResponse(kept["text"], content_type="application/toml; charset=utf-8")
    stem = (kept["file"].rsplit(".", 1)[0] or "legacy")[:60]
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in stem)
    response["Content-Disposition"] = f'attachment; filename="{safe}-mapping.toml"'
    return response


@login_required
def legacy_upload(request: HttpRequest) -> HttpResponse:
    """Upload a legacy spreadsheet and its mapping. A dry run shows the report and keeps both
    files, offering to import them without choosing them again; unticking it imports at once."""
    require_page_perm(request, "quality.import_legacy")
    form = LegacyUploadForm(request.POST or None, request.FILES or None)
    result = upload = None
    if request.method == "POST" and form.is_valid():
        try:
            mapping_text = _mapping_text(form.cleaned_data["mapping"])
            spreadsheet = form.cleaned_data["file"]
            if form.cleaned_data["dry_run"]:
                upload, result = services.legacy_upload_store(
                    actor=request.user, uploaded=spreadsheet, mapping_text=mapping_text
                )
            else:
                check_upload(spreadsheet, allowed=frozenset({CSV, XLSX, TEXT}))
                spreadsheet.seek(0)
                result = services.legacy_import(
                    actor=request.user,
                    data=spreadsheet.read(),
                    file_name=spreadsheet.name or "upload",
                    mapping_text=mapping_text,
                )
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            if not result.dry_run:
                messages.success(request, _("Import saved."))
    return render(
        request,
        "quality/upload.html",
        {
            "form": form,
            "result": result,
            "upload": upload,
            "max_bytes": settings.UPLOAD_MAX_BYTES,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def legacy_upload_import(request: HttpRequest, upload_id: int) -> HttpResponse:
    """Import the spreadsheet and mapping kept after a dry run."""
    require_page_perm(request, "quality.import_legacy")
    try:
        upload = selectors.pending_upload_get(upload_id=upload_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    try:
        result = services.legacy_upload_import(actor=request.user, upload=upload)
    except ApplicationError as exc:
        flash_refusal(request, exc)
        return redirect("quality:legacy_upload")
    messages.success(request, _("Import saved."))
    return render(
        request,
        "quality/upload.html",
        {
            "form": LegacyUploadForm(),
            "result": result,
            "upload": None,
            "max_bytes": settings.UPLOAD_MAX_BYTES,
        },
    )


@login_required
@require_GET
def case_section(request: HttpRequest, number: str) -> HttpResponse:
    """The legacy-import panel of a case page: which spreadsheet row it came from, and what
    could not be mapped."""
    _require_report(request)
    try:
        case = case_get_for_user(user=request.user, number=number)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    records = selectors.legacy_records_for_case(user=request.user, case=case)
    return render(request, "quality/_case_section.html", {"case": case, "records": records})
