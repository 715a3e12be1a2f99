"""Case pages. Each view: authenticate → access function → validate → one service → render."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from withhold.audit.selectors import audit_csv_rows, audit_entries_for_case
from withhold.core.csv_export import csv_response
from withhold.core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError
from withhold.core.forms import form_add_service_error
from withhold.core.pages import (
    CSRF_PLACEHOLDER,
    flash_refusal,
    require_page_perm,
    with_reader_csrf,
)
from withhold.core.paginator import IdFirstPaginator
from withhold.entities import services as entity_services
from withhold.entities.selectors import entity_duplicate_suggestions
from withhold.reference.countries import subdivision_choices
from withhold.reference.models import EvidenceSource

from . import page_cache, phases, selectors, services
from .forms import (
    CaseDeleteForm,
    CaseFilterForm,
    CaseForm,
    CaseUpdateForm,
    DocumentForm,
    EntityLinkForm,
    HsiReferralForm,
    PhaseTransitionForm,
    StatusTransitionForm,
    TaskForm,
    case_form_initial,
)
from .models import CaseEntity, Phase, Status


def _can_read_cases(user) -> bool:
    return user.has_perm("cases.view_case") or user.has_perm("cases.view_hsi_case")


def _case_or_404(request: HttpRequest, number: str, *, detail: bool = False, head: bool = False):
    if not _can_read_cases(request.user):
        raise PermissionDenied(_("Your role does not give access to cases."))
    try:
        if head:
            return selectors.case_head_for_user(user=request.user, number=number)
        if detail:
            return selectors.case_detail_for_user(user=request.user, number=number)
        return selectors.case_get_for_user(user=request.user, number=number)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


@login_required
@require_GET
def my_work(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = (
        selectors.my_work(user=request.user, today=today) if _can_read_cases(request.user) else {}
    )
    return render(request, "cases/my_work.html", {**context, "today": today})


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    if not _can_read_cases(request.user):
        raise PermissionDenied(_("Your role does not give access to cases."))
    if request.GET.get("format") == "csv":
        require_page_perm(request, "cases.export_case")
        _form, filters, sort = _case_list_filters(request)
        cases = selectors.case_list(user=request.user, filters=filters, sort=sort)
        response = StreamingHttpResponse(
            selectors.case_csv_lines(cases), content_type="text/csv; charset=utf-8"
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="withhold-cases-{stamp}.csv"'
        return response
    # Drawn before for this reader with these filters and unchanged since: from memory
    # (page_cache). The list holds no form that posts, so it carries no CSRF token.
    key = None
    if page_cache.capacity():
        query = urlencode(sorted((k, v) for k, vs in request.GET.lists() for v in vs))
        key = page_cache.list_body_key(query=query, htmx=bool(request.htmx), user=request.user)
        body = page_cache.kept_body(key)
        if body is not None:
            return _case_list_response(request, mark_safe(body))
    body = _case_list_body(request)
    if key is not None:
        page_cache.keep_body(key, body)
    return _case_list_response(request, body)


def _case_list_response(request: HttpRequest, body: str) -> HttpResponse:
    if request.htmx:
        return HttpResponse(body)
    return render(request, "cases/list.html", {"body": body})


def _case_list_filters(request: HttpRequest):
    form = CaseFilterForm(request.GET or None)
    filters = selectors.CaseFilters()
    sort = selectors.DEFAULT_CASE_SORT
    if form.is_bound and form.is_valid():
        data = dict(form.cleaned_data)
        # Searching without a chosen order ranks the matches: an exact case number first.
        sort = data.pop("sort") or (selectors.RELEVANCE_SORT if data["q"].strip() else sort)
        data["commodity"] = data["commodity"].pk if data["commodity"] else None
        data["analyst"] = data["analyst"].pk if data["analyst"] else None
        filters = selectors.CaseFilters(**data)
    return form, filters, sort


def _case_list_body(request: HttpRequest) -> str:
    """The filters and the results (or, for htmx, the results only), as drawn for this reader."""
    form, filters, sort = _case_list_filters(request)
    cases = selectors.case_list(user=request.user, filters=filters, sort=sort)
    page = IdFirstPaginator(cases, 25, count_with_page=filters.searched).get_page(
        request.GET.get("page")
    )
    template = "cases/_case_table.html" if request.htmx else "cases/_list_body.html"
    return render_to_string(
        template,
        {
            "form": form,
            "page_obj": page,
            "sort": sort,
            "more_filters_used": any(
                request.GET.get(name)
                for name in (
                    "country",
                    "commodity",
                    "analyst",
                    "referral_source",
                    "priority",
                    "received_from",
                    "received_to",
                    "opened_from",
                    "opened_to",
                )
            ),
            "sort_columns": [
                ("number", _("Case")),
                ("title", _("Title")),
                ("phase", _("Phase")),
                ("status", _("Status")),
                ("country", _("Country")),
                ("commodity", _("Commodity")),
                ("analyst", _("Analyst")),
                ("opened_on", _("Opened")),
            ],
        },
        request,
    )


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    require_page_perm(request, "cases.add_case")
    form = CaseForm(
        request.POST or None,
        initial={"opened_on": timezone.localdate()},
        actor=request.user,
        may_mark_sensitive=selectors.can_see_sensitive_fields(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(actor=request.user, **form.service_kwargs())
        except (ValidationError, ApplicationError) as exc:
            # A refusal (a permission included) is shown on the form, with what was typed kept.
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
            return redirect("cases:detail", number=case.number)
    return render(request, "cases/form.html", {"form": form, "creating": True})


@login_required
def case_edit(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_or_404(request, number)
    require_page_perm(request, "cases.change_case")
    form = CaseForm(
        request.POST or None,
        initial=case_form_initial(case),
        actor=request.user,
        case=case,
        country=case.source_country,
        may_mark_sensitive=selectors.can_see_sensitive_fields(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.service_kwargs()
        data.setdefault("opened_on", case.opened_on)
        try:
            services.case_update(case=case, actor=request.user, **data)
        except (ValidationError, ApplicationError) as exc:
            # A refusal (a permission included) is shown on the form, with what was typed kept.
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("Case %(number)s saved.") % {"number": case.number})
            return redirect("cases:detail", number=case.number)
    return render(request, "cases/form.html", {"form": form, "case": case, "creating": False})


def _available_moves(user, case) -> dict:
    """The phase and status moves to offer on the case page (the services decide for real)."""
    phase_moves = []
    if case.status == Status.ACTIVE:
        for target in phases.adjacent_phases(case.phase):
            if user.has_perm(phases.phase_permission(case.phase, target)):
                forward = phases.phase_index(target) > phases.phase_index(case.phase)
                phase_moves.append(
                    {"phase": target, "label": Phase(target).label, "forward": forward}
                )
    status_moves = [
        {"status": s, "label": Status(s).label}
        for s in sorted(phases.STATUS_MOVES[case.status])
        if user.has_perm(phases.status_permission(case.status, s))
    ]
    return {"phase_moves": phase_moves, "status_moves": status_moves}


def _case_body(request: HttpRequest, case, *, csrf_token: str | None = None) -> str:
    """The body of a case page (``cases/_detail_body.html``), as drawn for this reader."""
    can_audit = request.user.has_perm("audit.view_auditentry")
    audit = list(audit_entries_for_case(case_id=case.pk)[:50]) if can_audit else []
    today = timezone.localdate()
    context = {
        "case": case,
        "today": today,
        "phase_entered_on": selectors.case_phase_entered_on(case),
        "phase_order": [(p, Phase(p).label) for p in phases.PHASE_ORDER],
        "show_sensitive": selectors.can_see_sensitive_fields(request.user),
        "evidence_sources": [
            EvidenceSource(code).label
            for code in selectors.case_evidence_source_codes_for_user(case=case, user=request.user)
        ],
        "audit_entries": audit,
        "can_audit": can_audit,
        "entity_form": EntityLinkForm(
            search=request.GET.get("entity_q", ""), country=case.source_country
        ),
        "entity_q": request.GET.get("entity_q", ""),
        "update_form": CaseUpdateForm(initial={"occurred_on": today}),
        "task_form": TaskForm(initial={"owner": request.user.pk}),
        "hsi_form": HsiReferralForm(initial={"notified_on": today}),
        "document_form": DocumentForm(),
        **_available_moves(request.user, case),
    }
    if csrf_token is not None:
        context["csrf_token"] = csrf_token
    return render_to_string("cases/_detail_body.html", context, request)


@login_required
@require_GET
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    if not (page_cache.capacity() and not request.GET):
        case = _case_or_404(request, number, detail=True)
        body = _case_body(request, case)
        return render(
            request, "cases/detail.html", {"case": case, "is_demo": case.is_demo, "body": body}
        )
    # A body drawn before for this reader and unchanged since is served from memory
    # (page_cache); the reader's right to see the case is checked on every request.
    head = _case_or_404(request, number, head=True)
    key = page_cache.case_body_key(case_pk=head["pk"], user=request.user)
    body = page_cache.kept_body(key)
    if body is None:
        case = _case_or_404(request, number, detail=True)
        body = _case_body(request, case, csrf_token=CSRF_PLACEHOLDER)
        page_cache.keep_body(key, body)
    body = mark_safe(with_reader_csrf(body, request))
    return render(
        request, "cases/detail.html", {"case": head, "is_demo": head["is_demo"], "body": body}
    )


@login_required
def case_transition(request: HttpRequest, number: str) -> HttpResponse:
    """The transition dialog: what the move needs, what is missing, and the confirm button."""
    case = _case_or_404(request, number)
    source = request.POST if request.method == "POST" else request.GET
    to_phase, to_status = source.get("to_phase", ""), source.get("to_status", "")
    if to_phase not in Phase.values and to_status not in Status.values:
        raise Http404(_("Choose a phase or status to move the case to."))
    facts = selectors.case_facts(case)
    if to_phase:
        forward = phases.phase_index(to_phase) > phases.phase_index(case.phase)
        form = PhaseTransitionForm(
            request.POST or None, initial={"to_phase": to_phase}, backward=not forward
        )
        missing = phases.missing_for(facts, to_phase) if forward else []
        checklist = [
            (r, r.is_met(facts))
            for r in phases.REQUIREMENTS
            if forward and r.from_phase == to_phase
        ] + [(r, False) for r in missing if r.from_phase != to_phase]
        target_label = Phase(to_phase).label
        allowed = request.user.has_perm(phases.phase_permission(case.phase, to_phase))
    else:
        form = StatusTransitionForm(
            request.POST or None, initial={"to_status": to_status}, to_status=to_status
        )
        missing, checklist, forward = [], [], False
        target_label = Status(to_status).label
        allowed = request.user.has_perm(phases.status_permission(case.status, to_status))
    if not allowed:
        raise PermissionDenied(_("Your role cannot make this change."))
    if request.method == "POST" and form.is_valid():
        try:
            if to_phase:
                services.case_phase_change(
                    case=case,
                    to_phase=to_phase,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                )
            else:
                services.case_status_change(
                    case=case,
                    to_status=to_status,
                    actor=request.user,
                    reason_code=form.cleaned_data.get("reason_code", ""),
                    reason=form.cleaned_data["reason"],
                )
        except (ValidationError, ApplicationError) as exc:
            if isinstance(exc, PermissionDeniedError):
                raise PermissionDenied(exc.message) from exc
            form_add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("%(number)s moved to %(target)s.")
                % {"number": case.number, "target": target_label},
            )
            url = reverse("cases:detail", kwargs={"number": case.number})
            if request.htmx:
                response = HttpResponse(status=204)
                response["HX-Redirect"] = url
                return response
            return redirect(url)
    template = "cases/_transition_dialog.html" if request.htmx else "cases/transition.html"
    return render(
        request,
        template,
        {
            "case": case,
            "form": form,
            "to_phase": to_phase,
            "to_status": to_status,
            "target_label": target_label,
            "missing": missing,
            "missing_text": phases.describe_missing(missing) if missing else "",
            "checklist": checklist,
            "forward": forward,
        },
    )


def _post_form_then_back(request, case, form, call, success: str) -> HttpResponse:
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except (ValidationError, ApplicationError) as exc:
            flash_refusal(request, exc)
        else:
            messages.success(request, success)
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label or field if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    return redirect("cases:detail", number=case.number)


@login_required
@require_POST
def case_entity_add(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_or_404(request, number)
    require_page_perm(request, "cases.change_case")

    def call(data):
        entity = data["entity"]
        if entity is None and not data["confirm_new"]:
            similar = entity_duplicate_suggestions(
                name=data["new_name"], country=data["new_country"]
            )
            if similar:
                names = "; ".join(s.name for s in similar[:5])
                raise ApplicationError(
                    _(
                        "Likely already on file: %(names)s. Find it under “Existing entity”, or tick "
                        "“create it even if…” to add a new one."
                    )
                    % {"names": names}
                )
        if entity is None:
            entity = entity_services.entity_create(
                actor=request.user,
                name=data["new_name"],
                kind=data["new_kind"] or "company",
                country=data["new_country"],
                address=data["new_address"],
            )
        services.case_entity_link(case=case, entity=entity, role=data["role"], actor=request.user)

    return _post_form_then_back(
        request, case, EntityLinkForm(request.POST), call, _("Supply-chain entity linked.")
    )


@login_required
@require_POST
def case_entity_remove(request: HttpRequest, number: str, link_id: int) -> HttpResponse:
    case = _case_or_404(request, number)
    require_page_perm(request, "cases.change_case")
    link = get_object_or_404(
        CaseEntity.objects.select_related("entity", "case"), pk=link_id, case=case
    )
    try:
        services.case_entity_unlink(link=link, actor=request.user)
    except (ValidationError, ApplicationError) as exc:
        flash_refusal(request, exc)
    else:
        messages.success(request, _("Entity removed from the supply chain."))
    return redirect("cases:detail", number=case.number)


@login_required
@require_POST
def case_update_add(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_or_404(request, number)
    require_page_perm(request, "cases.add_caseupdate")
    return _post_form_then_back(
        request,
        case,
        CaseUpdateForm(request.POST),
        lambda d: services.case_update_add(
            case=case, actor=request.user, occurred_on=d["occurred_on"], text=d["text"]
        ),
        _("Update added to the timeline."),
    )


@login_required
@require_POST
def case_task_add(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_or_404(request, number)
    require_page_perm(request, "cases.add_task")
    return _post_form_then_back(
        request,
        case,
        TaskForm(request.POST),
        lambda d: services.task_create(case=case, actor=request.user, **d),
        _("Task created."),
    )


@login_required
@require_POST
def task_complete(request: HttpRequest, task_id: int) -> HttpResponse:
    require_page_perm(request, "cases.change_task")
    try:
        task = selectors.task_get_for_user(user=request.user, task_id=task_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    cancel = request.POST.get("cancel") == "1"
    try:
        services.task_complete(task=task, actor=request.user, cancel=cancel)
    except (ValidationError, ApplicationError) as exc:
        flash_refusal(request, exc)
    else:
        messages.success(request, _("Task cancelled.") if cancel else _("Task done."))
    next_url = request.POST.get("next")
    if next_url == "my_work":
        return redirect("cases:my_work")
    return redirect("cases:detail", number=task.case.number)


@login_required
@require_POST
def case_hsi_referral(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_or_404(request, number)
    require_page_perm(request, "cases.record_hsi_referral")
    return _post_form_then_back(
        request,
        case,
        HsiReferralForm(request.POST),
        lambda d: services.case_hsi_referral_record(
            case=case,
            actor=request.user,
            notified_on=d["notified_on"],
            case_reference=d["case_reference"],
        ),
        _("HSI notification recorded."),
    )


@login_required
@require_POST
def case_document_add(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_or_404(request, number)
    form = DocumentForm(request.POST, request.FILES)
    return _post_form_then_back(
        request,
        case,
        form,
        lambda d: services.case_document_add(
            case=case, actor=request.user, kind=d["kind"], title=d["title"], uploaded_file=d["file"]
        ),
        _("Document attached."),
    )


@login_required
@require_GET
def case_document_download(request: HttpRequest, number: str, document_id: int) -> FileResponse:
    case = _case_or_404(request, number)
    require_page_perm(request, "cases.view_casedocument")
    document = get_object_or_404(
        selectors.case_documents_visible(user=request.user), pk=document_id, case=case
    )
    services.case_document_downloaded(document=document, actor=request.user)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )


@login_required
@require_GET
def case_audit_csv(request: HttpRequest, number: str) -> StreamingHttpResponse:
    case = _case_or_404(request, number)
    require_page_perm(request, "audit.view_auditentry")

    entries = audit_entries_for_case(case_id=case.pk).iterator()
    return csv_response(audit_csv_rows(entries), filename=f"{case.number}-audit.csv")


@login_required
def case_delete(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_or_404(request, number)
    require_page_perm(request, "cases.delete_case")
    form = CaseDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_delete(case=case, actor=request.user, reason=form.cleaned_data["reason"])
        except (ValidationError, ApplicationError) as exc:
            if isinstance(exc, PermissionDeniedError):
                raise PermissionDenied(exc.message) from exc
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("Case %(number)s deleted.") % {"number": number})
            return redirect("cases:list")
    return render(request, "cases/delete.html", {"case": case, "form": form})


@login_required
@require_GET
def entity_options(request: HttpRequest, number: str) -> HttpResponse:
    """htmx: the existing-entity choices matching what was typed in the entity search box."""
    case = _case_or_404(request, number)
    form = EntityLinkForm(search=request.GET.get("entity_q", ""), country=case.source_country)
    return render(request, "cases/_entity_options.html", {"field": form["entity"]})


@login_required
@require_GET
def region_options(request: HttpRequest) -> HttpResponse:
    """htmx: the region choices for the country picked on the case form."""
    country = request.GET.get("source_country", "")
    return render(
        request,
        "cases/_region_options.html",
        {"regions": subdivision_choices(country), "selected": request.GET.get("source_region", "")},
    )
