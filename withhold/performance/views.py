"""KPI dashboard, drill-down, targets and the outreach log. Each view: authenticate → permission
→ validate → one service or selector → render."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from withhold.core.csv_export import csv_response
from withhold.core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError
from withhold.core.forms import form_add_service_error
from withhold.core.pages import flash_refusal, require_page_perm

from . import exports, fiscal, kpis, selectors, services
from .charts import trend_chart
from .forms import (
    MonthForm,
    OutreachFilterForm,
    OutreachForm,
    TargetForm,
    TargetHistoryFilterForm,
)
from .models import Indicator, OutreachActivity

PAGE_SIZE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _month(request: HttpRequest) -> tuple[MonthForm, date]:
    form = MonthForm(request.GET or None, initial={"month": f"{timezone.localdate():%Y-%m}"})
    month = None
    if form.is_valid() and form.cleaned_data.get("month"):
        month = fiscal.parse_month(form.cleaned_data["month"])
        if month is None:
            form.add_error("month", _("Give the month as YYYY-MM, e.g. 2026-10."))
    return form, month or fiscal.month_start(timezone.localdate())


def _monthly_reference(row: selectors.KpiRow) -> float | None:
    if row.target is None:
        return None
    return float(row.target) if row.level else row.target / 12


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    require_page_perm(request, "performance.view_kpis")
    form, month = _month(request)
    board = selectors.kpi_dashboard(user=request.user, month=month)
    stamp = f"{board.month:%Y-%m}"
    wanted = "" if form.errors else request.GET.get("format")
    if wanted == "csv":
        return csv_response(exports.dashboard_rows(board), filename=f"kpis-{stamp}.csv")
    if wanted == "xlsx":
        response = HttpResponse(exports.dashboard_xlsx(board), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="kpis-{stamp}.xlsx"'
        return response
    charts = {
        row.indicator: trend_chart(
            [(m.strftime("%b"), v) for m, v in row.trend],
            reference=_monthly_reference(row),
            hrefs=[
                f"{reverse('performance:drilldown', args=[row.indicator])}?month={m:%Y-%m}"
                "&span=month"
                for m, _v in row.trend
            ],
        )
        for row in board.rows
        if row.available
    }
    return render(
        request,
        "performance/dashboard.html",
        {
            "form": form,
            "board": board,
            "rows": [(row, charts.get(row.indicator)) for row in board.rows],
            "month_param": stamp,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def drilldown(request: HttpRequest, indicator: str) -> HttpResponse:
    require_page_perm(request, "performance.view_kpis")
    if indicator not in Indicator.values:
        raise Http404(_("There is no such indicator."))
    form, month = _month(request)
    if form.errors:
        return HttpResponseBadRequest(_("Give the month as YYYY-MM, e.g. 2026-10."))
    span = request.GET.get("span", "month")
    if span not in selectors.SPANS:
        span = "month"
    period = selectors.kpi_span_period(indicator, month, span)
    try:
        qs = selectors.kpi_records_for_user(user=request.user, indicator=indicator, period=period)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    definition = kpis.DEFINITIONS[indicator]
    if request.GET.get("format") == "csv":
        return csv_response(
            selectors.kpi_record_csv_rows(definition.record, qs),
            filename=f"kpi-{indicator}-{span}-{month:%Y-%m}.csv",
        )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "performance/drilldown.html",
        {
            "indicator": indicator,
            "label": Indicator(indicator).label,
            "definition": definition,
            "period": period,
            "span": span,
            "month_param": f"{month:%Y-%m}",
            "page_obj": page,
            "record": definition.record,
        },
    )


@login_required
@require_GET
def targets(request: HttpRequest) -> HttpResponse:
    require_page_perm(request, "performance.view_kpis")
    form = TargetHistoryFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    history = selectors.target_history(
        indicator=data.get("indicator") or None, fiscal_year=data.get("fiscal_year")
    )
    if request.GET.get("format") == "csv":
        return csv_response(selectors.target_csv_rows(history), filename="kpi-targets.csv")
    page = Paginator(history, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "performance/targets.html", {"form": form, "page_obj": page})


@login_required
def target_set(request: HttpRequest) -> HttpResponse:
    require_page_perm(request, "performance.set_kpi_target")
    today = timezone.localdate()
    initial = {
        "indicator": request.GET.get("indicator", ""),
        "fiscal_year": fiscal.fiscal_year(today),
    }
    form = TargetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            row = services.kpi_target_set(
                actor=request.user,
                indicator=data["indicator"],
                fiscal_year=data["fiscal_year"],
                target=data["target"],
                baseline=data["baseline"],
                reason=data["reason"],
            )
        except (ValidationError, ApplicationError) as exc:
            if isinstance(exc, PermissionDeniedError):
                raise PermissionDenied(exc.message) from exc
            form_add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("Target for %(i)s in FY%(y)s set to %(t)s.")
                % {"i": row.get_indicator_display(), "y": row.fiscal_year, "t": row.target},
            )
            return redirect("performance:dashboard")
    return render(
        request, "performance/target_form.html", {"form": form}, status=400 if form.errors else 200
    )


# Outreach log -----------------------------------------------------------------------------------


def _activity_or_404(request: HttpRequest, activity_id: int) -> OutreachActivity:
    require_page_perm(request, "performance.view_outreachactivity")
    try:
        return selectors.outreach_get_for_user(user=request.user, activity_id=activity_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


@login_required
@require_GET
def outreach_list(request: HttpRequest) -> HttpResponse:
    require_page_perm(request, "performance.view_outreachactivity")
    form = OutreachFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.outreach_list(
        user=request.user,
        filters=selectors.OutreachFilters(
            q=data.get("q", ""),
            kind=data.get("kind", ""),
            audience=data.get("audience", ""),
            country=data.get("country", ""),
            held_from=data.get("held_from"),
            held_to=data.get("held_to"),
        ),
        sort=data.get("sort") or selectors.DEFAULT_OUTREACH_SORT,
    )
    if request.GET.get("format") == "csv":
        return csv_response(selectors.outreach_csv_rows(qs), filename="outreach.csv")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "performance/outreach_list.html", {"form": form, "page_obj": page})


@login_required
@require_GET
def outreach_detail(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _activity_or_404(request, activity_id)
    return render(
        request,
        "performance/outreach_detail.html",
        {"activity": activity, "is_demo": activity.is_demo},
    )


def _outreach_form_page(request, *, activity: OutreachActivity | None) -> HttpResponse:
    initial = None
    if activity is not None:
        initial = {name: getattr(activity, name) for name in services.OUTREACH_FIELDS}
    form = OutreachForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.OUTREACH_FIELDS}
        try:
            if activity is None:
                activity = services.outreach_create(actor=request.user, **data)
                messages.success(request, _("Outreach activity recorded."))
            else:
                activity = services.outreach_update(actor=request.user, activity=activity, **data)
                messages.success(request, _("Outreach activity saved."))
        except (ValidationError, ApplicationError) as exc:
            if isinstance(exc, PermissionDeniedError):
                raise PermissionDenied(exc.message) from exc
            form_add_service_error(form, exc)
        else:
            return redirect("performance:outreach_detail", activity_id=activity.pk)
    return render(
        request,
        "performance/outreach_form.html",
        {"form": form, "activity": activity},
        status=400 if form.errors else 200,
    )


@login_required
def outreach_create(request: HttpRequest) -> HttpResponse:
    require_page_perm(request, "performance.add_outreachactivity")
    return _outreach_form_page(request, activity=None)


@login_required
def outreach_edit(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _activity_or_404(request, activity_id)
    require_page_perm(request, "performance.change_outreachactivity")
    return _outreach_form_page(request, activity=activity)


@login_required
@require_POST
def outreach_delete(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _activity_or_404(request, activity_id)
    try:
        services.outreach_delete(actor=request.user, activity=activity)
    except (ValidationError, ApplicationError) as exc:
        flash_refusal(request, exc)
        return redirect("performance:outreach_detail", activity_id=activity.pk)
    messages.success(request, _("Outreach activity deleted."))
    return redirect("performance:outreach_list")
