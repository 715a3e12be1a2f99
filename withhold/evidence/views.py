"""Evidence pages. Each view: authenticate → access function → validate → one service or
selector → render. The case's evidence page holds the evidence list, the indicator matrix, the
supply-chain graph and links, trade data and the allegation report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from withhold.cases.models import Case
from withhold.cases.selectors import case_get_for_user
from withhold.core.csv_export import csv_response
from withhold.core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError
from withhold.core.forms import form_add_service_error
from withhold.core.pages import require_page_perm
from withhold.entities.models import Entity
from withhold.entities.selectors import entity_duplicate_suggestions, entity_get

from . import selectors, services
from .forms import (
    CaseEntityAddForm,
    EvidenceForm,
    EvidenceRemoveForm,
    MergeForm,
    SupplyLinkForm,
    TradeUploadForm,
)


def _case_or_404(request: HttpRequest, number: str) -> Case:
    require_page_perm(request, "evidence.view_evidenceitem")
    try:
        return case_get_for_user(user=request.user, number=number)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


def _item_or_404(request: HttpRequest, pk: int):
    try:
        return selectors.evidence_get_for_user(user=request.user, pk=pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


def _refuse_or_form(form, exc: Exception) -> None:
    if isinstance(exc, PermissionDeniedError):
        raise PermissionDenied(exc.message) from exc
    form_add_service_error(form, exc)


def _forms(request: HttpRequest, case: Case, items, **bound) -> dict:
    entities = Entity.objects.filter(case_links__case=case).distinct().order_by("name")
    return {
        "evidence_form": bound.get("evidence_form")
        or EvidenceForm(initial={"obtained_on": timezone.localdate()}),
        "link_form": bound.get("link_form") or SupplyLinkForm(entities=entities, items=items),
        "entity_form": bound.get("entity_form") or CaseEntityAddForm(),
        "trade_form": bound.get("trade_form") or TradeUploadForm(),
        "suggestions": bound.get("suggestions", []),
        "trade_errors": bound.get("trade_errors", []),
    }


def _render_case_page(request: HttpRequest, case: Case, status: int = 200, **bound) -> HttpResponse:
    items = selectors.evidence_list_for_case(case=case, user=request.user)
    context = {
        "case": case,
        "items": items,
        "matrix": selectors.case_indicator_matrix(case=case, user=request.user),
        "grades": selectors.matrix.GRADES,
        "graph": selectors.case_supply_graph(case=case, user=request.user),
        "links": selectors.supply_links_for_case(case=case, user=request.user),
        "case_entities": case.case_entities.select_related("entity").order_by(
            "role", "entity__name"
        ),
        "trade": selectors.trade_summary(case=case),
        "is_demo": case.is_demo,
        **_forms(request, case, items, **bound),
    }
    return render(request, "evidence/case.html", context, status=status)


@login_required
@require_GET
def case_evidence(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_or_404(request, number)
    return _render_case_page(request, case)


@login_required
@require_GET
def case_section(request: HttpRequest, number: str) -> HttpResponse:
    """The fragment the case page loads into its "Evidence" section: matrix and graph."""
    case = _case_or_404(request, number)
    return render(
        request,
        "evidence/_case_section.html",
        {
            "case": case,
            "matrix": selectors.case_indicator_matrix(case=case, user=request.user),
            "grades": selectors.matrix.GRADES,
            "graph": selectors.case_supply_graph(case=case, user=request.user),
            "item_count": selectors.evidence_visible_queryset(user=request.user, case=case).count(),
        },
    )


@login_required
@require_POST
def evidence_add(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_or_404(request, number)
    require_page_perm(request, "evidence.add_evidenceitem")
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            item = services.evidence_add(case=case, actor=request.user, **form.service_kwargs())
        except (ValidationError, ApplicationError) as exc:
            _refuse_or_form(form, exc)
        else:
            messages.success(request, _("Evidence added."))
            return redirect(reverse("evidence:case", args=[case.number]) + f"#item-{item.pk}")
    return _render_case_page(request, case, status=400, evidence_form=form)


@login_required
@require_GET
def evidence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_or_404(request, pk)
    services.evidence_viewed(item=item, actor=request.user)
    return render(
        request,
        "evidence/detail.html",
        {
            "item": item,
            "case": item.case,
            "custody": selectors.evidence_custody(item),
            "remove_form": EvidenceRemoveForm(),
            "is_demo": item.is_demo,
        },
    )


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    item = _item_or_404(request, pk)
    if not item.file:
        raise Http404(_("This evidence item has no file."))
    services.evidence_downloaded(item=item, actor=request.user)
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.original_name,
        content_type=item.content_type,
    )


@login_required
@require_POST
def evidence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_or_404(request, pk)
    require_page_perm(request, "evidence.delete_evidenceitem")
    form = EvidenceRemoveForm(request.POST)
    if form.is_valid():
        try:
            services.evidence_remove(item=item, actor=request.user, **form.cleaned_data)
        except (ValidationError, ApplicationError) as exc:
            _refuse_or_form(form, exc)
        else:
            messages.success(request, _("Evidence removed."))
            return redirect("evidence:case", number=item.case.number)
    return render(
        request,
        "evidence/detail.html",
        {
            "item": item,
            "case": item.case,
            "custody": selectors.evidence_custody(item),
            "remove_form": form,
        },
        status=400,
    )


@login_required
@require_POST
def case_entity_add(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_or_404(request, number)
    require_page_perm(request, "cases.change_case")
    form = CaseEntityAddForm(request.POST)
    suggestions = []
    if form.is_valid():
        data = form.cleaned_data
        new = {k: data[k] for k in ("name", "kind", "country", "address")}
        try:
            services.case_entity_add(
                case=case,
                actor=request.user,
                role=data["role"],
                entity=data["entity"],
                new_entity=None if data["entity"] else new,
                confirm_new=data["confirm_new"],
            )
        except services.DuplicateSuggested as exc:
            suggestions = [
                {"entity": entity_get(pk=s.pk), "score": s.score} for s in exc.suggestions
            ]
            form.add_error(None, exc.message)
        except (ValidationError, ApplicationError) as exc:
            _refuse_or_form(form, exc)
        else:
            messages.success(request, _("Entity added to the supply chain."))
            return redirect(reverse("evidence:case", args=[case.number]) + "#supply-map")
    return _render_case_page(request, case, status=400, entity_form=form, suggestions=suggestions)


@login_required
@require_POST
def supply_link_add(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_or_404(request, number)
    require_page_perm(request, "evidence.add_supplylink")
    entities = Entity.objects.filter(case_links__case=case).distinct()
    items = selectors.evidence_list_for_case(case=case, user=request.user)
    form = SupplyLinkForm(request.POST, entities=entities, items=items)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.supply_link_add(
                case=case,
                actor=request.user,
                supplier=data["supplier"],
                buyer=data["buyer"],
                goods=data["goods"],
                evidence_ids=[i.pk for i in data["evidence"]],
            )
        except (ValidationError, ApplicationError) as exc:
            _refuse_or_form(form, exc)
        else:
            messages.success(request, _("Supply link added."))
            return redirect(reverse("evidence:case", args=[case.number]) + "#supply-map")
    return _render_case_page(request, case, status=400, link_form=form)


@login_required
@require_POST
def supply_link_remove(request: HttpRequest, number: str, link_id: int) -> HttpResponse:
    case = _case_or_404(request, number)
    require_page_perm(request, "evidence.delete_supplylink")
    link = get_object_or_404(
        selectors.supply_links_visible(case=case, user=request.user), pk=link_id
    )
    try:
        services.supply_link_remove(link=link, actor=request.user)
    except ApplicationError as exc:
        if isinstance(exc, PermissionDeniedError):
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Supply link removed."))
    return redirect(reverse("evidence:case", args=[case.number]) + "#supply-map")


@login_required
@require_POST
def trade_upload(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_or_404(request, number)
    require_page_perm(request, "evidence.add_tradeupload")
    form = TradeUploadForm(request.POST, request.FILES)
    errors = []
    if form.is_valid():
        try:
            upload = services.trade_data_upload(
                case=case, actor=request.user, uploaded_file=form.cleaned_data["file"]
            )
        except services.TradeDataRejected as exc:
            errors = exc.errors
            form.add_error("file", _("The file was not stored; fix the rows listed below."))
        except (ValidationError, ApplicationError) as exc:
            _refuse_or_form(form, exc)
        else:
            messages.success(request, _("%(n)d import entries stored.") % {"n": upload.row_count})
            return redirect(reverse("evidence:case", args=[case.number]) + "#trade")
    return _render_case_page(request, case, status=400, trade_form=form, trade_errors=errors)


@login_required
@require_GET
def trade_csv(request: HttpRequest, number: str) -> HttpResponse:
    """The case's stored import entries as CSV, in the columns they were uploaded with."""
    case = _case_or_404(request, number)
    require_page_perm(request, "evidence.view_tradeupload")
    header = [["date", "importer", "manufacturer", "hts", "quantity", "value", "port"]]
    entries = (
        [e.entry_date, e.importer, e.manufacturer, e.hts_code, e.quantity, e.value, e.port]
        for e in case.trade_entries.order_by("entry_date", "id")
    )
    return csv_response([*header, *entries], filename=f"{case.number}-trade.csv")


@login_required
@require_GET
def allegation_report(request: HttpRequest, number: str) -> HttpResponse:
    """The printable allegation report (the PDF attached to the case has the same content)."""
    case = _case_or_404(request, number)
    report = selectors.allegation_report_data(case=case, user=request.user)
    return render(
        request,
        "evidence/report.html",
        {
            "report": report,
            "case": report.case,
            "grades": selectors.matrix.GRADES,
            "graph": report.graph,
            "now": timezone.now(),
            "is_demo": case.is_demo,
        },
    )


@login_required
@require_POST
def allegation_report_generate(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_or_404(request, number)
    require_page_perm(request, "evidence.generate_allegation_report")
    try:
        document = services.allegation_report_generate(case=case, actor=request.user)
    except (ValidationError, ApplicationError) as exc:
        if isinstance(exc, PermissionDeniedError):
            raise PermissionDenied(exc.message) from exc
        messages.error(request, getattr(exc, "message", None) or " ".join(exc.messages))
        return redirect("evidence:report", number=case.number)
    messages.success(
        request, _("Allegation report attached to the case: %(t)s.") % {"t": document.title}
    )
    return redirect(reverse("cases:detail", args=[case.number]) + "#documents")


@login_required
def entity_duplicates(request: HttpRequest, pk: int) -> HttpResponse:
    """Likely duplicates of an entity (fuzzy name, same country), each with "merge into this"."""
    require_page_perm(request, "entities.view_entity")
    entity = entity_get(pk=pk)
    if entity is None:
        raise Http404(_("There is no such entity."))
    form = MergeForm(request.POST or None)
    if request.method == "POST":
        require_page_perm(request, "evidence.merge_entities")
        if form.is_valid():
            duplicate = entity_get(pk=form.cleaned_data["duplicate"])
            if duplicate is None:
                raise Http404(_("There is no such entity."))
            try:
                services.entity_merge(survivor=entity, duplicate=duplicate, actor=request.user)
            except (ValidationError, ApplicationError) as exc:
                _refuse_or_form(form, exc)
            else:
                messages.success(
                    request,
                    _("%(dup)s merged into %(name)s.")
                    % {"dup": duplicate.name, "name": entity.name},
                )
                return redirect("entities:detail", pk=entity.pk)
    suggestions = entity_duplicate_suggestions(
        name=entity.name, country=entity.country, exclude=entity.pk
    )
    found = {e.pk: e for e in Entity.objects.filter(pk__in=[s.pk for s in suggestions])}
    return render(
        request,
        "evidence/duplicates.html",
        {
            "entity": entity,
            "form": form,
            "suggestions": [{"entity": found[s.pk], "score": s.score} for s in suggestions],
        },
        status=400 if form.errors else 200,
    )
