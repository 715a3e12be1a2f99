"""Order pages and the public register. Each view: authenticate → access function → validate →
one service or selector → render."""

import json
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from withhold.cases.selectors import case_get_for_user
from withhold.core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError
from withhold.core.forms import form_add_service_error
from withhold.core.pages import CSRF_PLACEHOLDER, flash_refusal, require_page_perm, with_reader_csrf

from . import charts, register_cache, selectors, services
from .forms import (
    DecisionForm,
    IssueForm,
    LegalOpinionForm,
    ModificationForm,
    OrderFilterForm,
    OrderForm,
    PetitionDecisionForm,
    PetitionDocumentForm,
    PetitionForm,
    PetitionReviewForm,
    RegisterFilterForm,
    ReviewForm,
    ScopeRuleForm,
)
from .models import ACTIVE_STATUSES, Order, Petition, PetitionDocument, ScopeRule


def _order_or_404(request: HttpRequest, number: str) -> Order:
    if not request.user.has_perm("orders.view_order"):
        raise PermissionDenied(_("Your role does not give access to orders."))
    try:
        return selectors.order_get_for_user(user=request.user, number=number)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


def _action_page(
    request: HttpRequest,
    *,
    order: Order,
    perm: str,
    form_class,
    title: str,
    submit: str,
    call: Callable,
    success: str,
    initial: dict | None = None,
    extra: dict | None = None,
    files: bool = False,
) -> HttpResponse:
    """A form page for one lifecycle step: GET shows the form, POST calls the service and goes
    back to the order, or shows the form again with the service's errors on its fields."""
    require_page_perm(request, perm)
    form = form_class(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            result = call(form)
        except (ValidationError, ApplicationError) as exc:
            if isinstance(exc, PermissionDeniedError):
                raise PermissionDenied(exc.message) from exc
            form_add_service_error(form, exc)
        else:
            messages.success(request, success if not callable(success) else success(result))
            return redirect("orders:detail", number=order.number)
    return render(
        request,
        "orders/action_form.html",
        {
            "order": order,
            "form": form,
            "title": title,
            "submit": submit,
            "files": files,
            "is_demo": order.is_demo,
            **(extra or {}),
        },
        status=400 if request.method == "POST" else 200,
    )


# Staff pages ------------------------------------------------------------------------------------


@login_required
@require_GET
def order_list(request: HttpRequest) -> HttpResponse:
    require_page_perm(request, "orders.view_order")
    form = OrderFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.order_list(
        user=request.user,
        filters=selectors.OrderFilters(
            text=data.get("q", ""), kind=data.get("kind", ""), status=data.get("status", "")
        ),
    )
    page = Paginator(qs, settings.WITHHOLD["ORDER_REGISTER_PAGE_SIZE"]).get_page(
        request.GET.get("page")
    )
    return render(request, "orders/list.html", {"form": form, "page_obj": page})


@login_required
def order_create(request: HttpRequest) -> HttpResponse:
    require_page_perm(request, "orders.add_order")
    initial = {"case_number": request.GET.get("case", "")}
    if request.method == "GET" and initial["case_number"]:
        try:
            case = case_get_for_user(user=request.user, number=initial["case_number"].strip())
        except NotFoundError:
            pass  # the form names the unknown case when it is sent
        else:
            initial = selectors.order_initial_from_case(case)
    form = OrderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = case_get_for_user(user=request.user, number=data["case_number"].strip())
            order = services.order_create(
                actor=request.user,
                kind=data["kind"],
                merchandise=data["merchandise"],
                cases=[case],
                country=data["country"],
                published_entity=data["published_entity"],
                internal_notes=data["internal_notes"],
                scope_rules=form.scope_rules(),
            )
        except NotFoundError as exc:
            form.add_error("case_number", exc.message)
        except (ValidationError, ApplicationError) as exc:
            if isinstance(exc, PermissionDeniedError):
                raise PermissionDenied(exc.message) from exc
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("Order %(n)s drafted.") % {"n": order.number})
            return redirect("orders:detail", number=order.number)
    return render(request, "orders/create.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_GET
def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    order = _order_or_404(request, number)
    context = selectors.order_detail_for_user(user=request.user, number=order.number)
    return render(request, "orders/detail.html", {**context, "is_demo": order.is_demo})


@login_required
def scope_rule_add(request: HttpRequest, number: str) -> HttpResponse:
    order = _order_or_404(request, number)
    return _action_page(
        request,
        order=order,
        perm="orders.change_order",
        form_class=ScopeRuleForm,
        title=_("Add a scope rule to %(n)s") % {"n": order.number},
        submit=_("Add the rule"),
        call=lambda form: services.scope_rule_add(
            order=order, actor=request.user, **form.service_fields()
        ),
        success=_("Scope rule added."),
    )


@login_required
@require_POST
def scope_rule_remove(request: HttpRequest, number: str, rule_id: int) -> HttpResponse:
    order = _order_or_404(request, number)
    rule = ScopeRule.objects.filter(order=order, pk=rule_id).first()
    if rule is None:
        raise Http404(_("No such scope rule."))
    try:
        services.scope_rule_remove(rule=rule, actor=request.user)
        messages.success(request, _("Scope rule removed."))
    except (ValidationError, ApplicationError) as exc:
        flash_refusal(request, exc)
    return redirect("orders:detail", number=order.number)


@login_required
@require_POST
def order_case_add(request: HttpRequest, number: str) -> HttpResponse:
    order = _order_or_404(request, number)
    try:
        case = case_get_for_user(user=request.user, number=request.POST.get("case_number", ""))
        services.order_case_link(order=order, case=case, actor=request.user)
        messages.success(request, _("Case %(n)s now backs the order.") % {"n": case.number})
    except (ValidationError, ApplicationError) as exc:
        flash_refusal(request, exc)
    return redirect("orders:detail", number=order.number)


@login_required
@require_POST
def order_submit(request: HttpRequest, number: str) -> HttpResponse:
    order = _order_or_404(request, number)
    try:
        services.order_submit(order=order, actor=request.user)
        messages.success(request, _("Sent to Chief Counsel for legal review."))
    except (ValidationError, ApplicationError) as exc:
        flash_refusal(request, exc)
    return redirect("orders:detail", number=order.number)


@login_required
def order_opinion(request: HttpRequest, number: str) -> HttpResponse:
    order = _order_or_404(request, number)
    return _action_page(
        request,
        order=order,
        perm="orders.record_legal_opinion",
        form_class=LegalOpinionForm,
        title=_("Legal-sufficiency opinion on %(n)s") % {"n": order.number},
        submit=_("Record the opinion"),
        files=True,
        initial={"opinion_on": timezone.localdate()},
        call=lambda form: services.order_legal_opinion_record(
            order=order, actor=request.user, **form.cleaned_data
        ),
        success=_("Opinion recorded and attached to each backing case."),
    )


@login_required
def order_decide(request: HttpRequest, number: str) -> HttpResponse:
    order = _order_or_404(request, number)
    return _action_page(
        request,
        order=order,
        perm="orders.decide_order",
        form_class=DecisionForm,
        title=_("Decide on %(n)s") % {"n": order.number},
        submit=_("Record the decision"),
        initial={"decided_on": timezone.localdate()},
        extra={"opinions": list(order.legal_opinions.all())},
        call=lambda form: services.order_decide(
            order=order, actor=request.user, **form.cleaned_data
        ),
        success=_("Decision recorded."),
    )


@login_required
def order_issue(request: HttpRequest, number: str) -> HttpResponse:
    order = _order_or_404(request, number)

    def success(result: services.IssueResult) -> str:
        text = _("%(n)s issued.") % {"n": order.number}
        if result.cases_moved:
            text += " " + _("Cases moved to implementation: %(c)s.") % {
                "c": ", ".join(result.cases_moved)
            }
        if result.open_coordination:
            text += " " + _("Coordination still open: %(p)s.") % {
                "p": ", ".join(s.get_party_display() for s in result.open_coordination)
            }
        return text

    return _action_page(
        request,
        order=order,
        perm="orders.issue_order",
        form_class=IssueForm,
        title=_("Issue %(n)s") % {"n": order.number},
        submit=_("Issue the order"),
        initial={"issued_on": timezone.localdate()},
        extra={"open_coordination": selectors.coordination_open(order), "show_coordination": True},
        call=lambda form: services.order_issue(
            order=order, actor=request.user, **form.cleaned_data
        ),
        success=success,
    )


@login_required
def order_modify(request: HttpRequest, number: str) -> HttpResponse:
    order = _order_or_404(request, number)
    return _action_page(
        request,
        order=order,
        perm="orders.modify_order",
        form_class=ModificationForm,
        title=_("Modify or revoke %(n)s") % {"n": order.number},
        submit=_("Record the change"),
        initial={"effective_on": timezone.localdate()},
        call=lambda form: services.order_modify(
            order=order,
            actor=request.user,
            kind=form.cleaned_data["kind"],
            effective_on=form.cleaned_data["effective_on"],
            description=form.cleaned_data["description"],
            exclusions=form.exclusions(),
        ),
        success=_("Change recorded."),
    )


@login_required
def order_review(request: HttpRequest, number: str) -> HttpResponse:
    order = _order_or_404(request, number)
    return _action_page(
        request,
        order=order,
        perm="orders.record_review",
        form_class=ReviewForm,
        title=_("Record a review of %(n)s") % {"n": order.number},
        submit=_("Record the review"),
        initial={"reviewed_on": timezone.localdate()},
        call=lambda form: services.order_review_record(
            order=order, actor=request.user, **form.cleaned_data
        ),
        success=_("Review recorded; the next review date is set."),
    )


@login_required
@require_GET
def opinion_memo(request: HttpRequest, opinion_id: int) -> FileResponse:
    try:
        opinion = selectors.opinion_get_for_user(user=request.user, opinion_id=opinion_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    return FileResponse(opinion.memo.open("rb"), as_attachment=True, filename=opinion.memo_name)


@login_required
@require_GET
def reviews_overdue(request: HttpRequest) -> HttpResponse:
    require_page_perm(request, "orders.view_overdue_reviews")
    today = timezone.localdate()
    return render(
        request,
        "orders/reviews_overdue.html",
        {"orders": list(selectors.reviews_overdue(today=today)), "today": today},
    )


# Petitions --------------------------------------------------------------------------------------


@login_required
def petition_create(request: HttpRequest, number: str) -> HttpResponse:
    require_page_perm(request, "orders.add_petition")
    try:
        order = selectors.order_published_get(number=number)
        row = selectors.register_get(number=number)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    form = PetitionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        documents = []
        if data["evidence"]:
            documents.append(services.PetitionFile("evidence", _("Evidence"), data["evidence"]))
        if data["translation"]:
            documents.append(
                services.PetitionFile(
                    "translation",
                    _("Translation"),
                    data["translation"],
                    data["translation_language"],
                )
            )
        try:
            petition = services.petition_submit(
                order=order,
                actor=request.user,
                request=data["request"],
                petitioner_name=data["petitioner_name"],
                grounds=data["grounds"],
                documents=documents,
            )
        except (ValidationError, ApplicationError) as exc:
            if isinstance(exc, PermissionDeniedError):
                raise PermissionDenied(exc.message) from exc
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("Petition submitted."))
            return redirect("orders:petition_detail", petition_id=petition.pk)
    return render(
        request,
        "orders/petition_form.html",
        {"row": row, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def petition_list(request: HttpRequest) -> HttpResponse:
    if not (
        request.user.has_perm("orders.view_petition")
        or request.user.has_perm("orders.add_petition")
    ):
        raise PermissionDenied(_("Your role does not give access to petitions."))
    return render(
        request,
        "orders/petition_list.html",
        {"petitions": list(selectors.petition_list_for_user(user=request.user))},
    )


def _petition_or_404(request: HttpRequest, petition_id: int) -> Petition:
    try:
        return selectors.petition_get_for_user(user=request.user, petition_id=petition_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


@login_required
def petition_detail(request: HttpRequest, petition_id: int) -> HttpResponse:
    petition = _petition_or_404(request, petition_id)
    review_form = PetitionReviewForm(prefix="review")
    decision_form = PetitionDecisionForm(
        prefix="decision", initial={"decided_on": timezone.localdate()}
    )
    document_form = PetitionDocumentForm(prefix="document")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "review":
                review_form = PetitionReviewForm(request.POST, prefix="review")
                if review_form.is_valid():
                    services.petition_review(
                        petition=petition,
                        actor=request.user,
                        notes=review_form.cleaned_data["notes"],
                    )
                    messages.success(request, _("Review recorded."))
                    return redirect("orders:petition_detail", petition_id=petition.pk)
            elif action == "decide":
                decision_form = PetitionDecisionForm(request.POST, prefix="decision")
                if decision_form.is_valid():
                    data = decision_form.cleaned_data
                    services.petition_decide(
                        petition=petition,
                        actor=request.user,
                        decision=data["decision"],
                        reason=data["reason"],
                        decided_on=data["decided_on"],
                        exclusions=decision_form.exclusions(),
                    )
                    messages.success(request, _("Decision recorded."))
                    return redirect("orders:petition_detail", petition_id=petition.pk)
            elif action == "document":
                document_form = PetitionDocumentForm(request.POST, request.FILES, prefix="document")
                if document_form.is_valid():
                    data = document_form.cleaned_data
                    services.petition_document_add(
                        petition=petition,
                        actor=request.user,
                        document=services.PetitionFile(
                            data["kind"], data["title"], data["file"], data["language"]
                        ),
                    )
                    messages.success(request, _("Document added."))
                    return redirect("orders:petition_detail", petition_id=petition.pk)
            else:
                messages.error(request, _("Choose an action."))
        except (ValidationError, ApplicationError) as exc:
            if isinstance(exc, PermissionDeniedError):
                raise PermissionDenied(exc.message) from exc
            target = {"review": review_form, "decide": decision_form}.get(action, document_form)
            form_add_service_error(target, exc)
    return render(
        request,
        "orders/petition_detail.html",
        {
            "petition": petition,
            "review_form": review_form,
            "decision_form": decision_form,
            "document_form": document_form,
            "decided": petition.state in Petition.DECIDED,
            "can_add_documents": services.petition_documents_addable(petition, request.user),
            "is_demo": petition.is_demo,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def petition_document_download(request: HttpRequest, petition_id: int, document_id: int):
    petition = _petition_or_404(request, petition_id)
    document = PetitionDocument.objects.filter(petition=petition, pk=document_id).first()
    if document is None:
        raise Http404(_("No such document."))
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.original_name
    )


# Public register --------------------------------------------------------------------------------


def _register_filters(form: RegisterFilterForm) -> selectors.RegisterFilters:
    data = form.cleaned_data if form.is_valid() else {}
    return selectors.RegisterFilters(
        text=data.get("q") or "",
        kind=data.get("kind") or "",
        status=data.get("status") or "",
        country=data.get("country") or "",
        year=data.get("year"),
        year_from=data.get("year_from"),
        year_to=data.get("year_to"),
    )


def _register_answer(request: HttpRequest, output: str, *, shared: bool) -> HttpResponse:
    """The register page, CSV or JSON, computed from the database. ``shared``: the page will be
    kept for every anonymous reader, so its CSRF token is a placeholder."""
    form = RegisterFilterForm(request.GET or None)
    sort = request.GET.get("sort", selectors.DEFAULT_REGISTER_SORT)
    if sort not in selectors.REGISTER_SORTS:
        sort = selectors.DEFAULT_REGISTER_SORT
    qs = selectors.register_queryset(filters=_register_filters(form), sort=sort)
    if output == "csv":
        body = "".join(selectors.register_csv_lines(selectors.register_rows(qs)))
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="withhold-orders-register.csv"'
        return response
    if output == "json":
        rows = selectors.register_rows(qs)
        body = json.dumps({"count": len(rows), "orders": [row.as_json() for row in rows]}, indent=1)
        response = HttpResponse(body, content_type="application/json")
        response["Content-Disposition"] = 'inline; filename="withhold-orders-register.json"'
        return response
    page = Paginator(qs, settings.WITHHOLD["ORDER_REGISTER_PAGE_SIZE"]).get_page(
        request.GET.get("page")
    )
    rows = selectors.register_rows(page.object_list)
    by_year = selectors.register_counts_by_year(qs)
    by_country = selectors.register_counts_by_country(qs)
    context = {
        "form": form,
        "page_obj": page,
        "rows": rows,
        "sort": sort,
        "year_chart": charts.bar_chart(
            charts.by_year_rows(by_year), horizontal=True, bar=20, label_width=110
        )
        if by_year
        else None,
        "country_chart": charts.bar_chart(by_country[:15], horizontal=True) if by_country else None,
        "country_rest": sum(n for _label, n in by_country[15:]),
        "total": page.paginator.count,
    }
    if shared:
        # Each reader gets their own CSRF token when the kept page is served.
        context["csrf_token"] = CSRF_PLACEHOLDER
    return render(request, "orders/register.html", context)


def _register_page_shareable(request: HttpRequest) -> bool:
    """An HTML page is the same for every reader only if nobody is signed in and no message
    is waiting to be shown."""
    return not request.user.is_authenticated and not len(messages.get_messages(request))


@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """The public register of orders and findings: no sign-in, only public fields. Answers are
    kept in the shared cache (``register_cache``) while no order changes."""
    output = request.GET.get("format", "")
    if output not in ("csv", "json"):
        output = ""
    cacheable = register_cache.seconds() > 0 and bool(output or _register_page_shareable(request))
    key = register_cache.key_for(request, output) if cacheable else ""
    kept = register_cache.get(key) if cacheable else None
    if kept is None:
        response = _register_answer(request, output, shared=cacheable)
        if not cacheable:
            return response
        kept = {
            "body": response.content,
            "content_type": response["Content-Type"],
            "disposition": response.get("Content-Disposition", ""),
        }
        register_cache.put(key, **kept)
    body = kept["body"]
    if not output:
        body = with_reader_csrf(body, request)
    response = HttpResponse(body, content_type=kept["content_type"])
    if kept["disposition"]:
        response["Content-Disposition"] = kept["disposition"]
    return response


@require_GET
def register_detail(request: HttpRequest, number: str) -> HttpResponse:
    try:
        row = selectors.register_get(number=number)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    descriptions = selectors.source_descriptions({s.source_file for s in row.sources})
    return render(
        request,
        "orders/register_detail.html",
        {
            "row": row,
            "sources": [(s, descriptions.get(s.source_file, "")) for s in row.sources],
            "is_demo": row.is_demo,
            "petition_url": reverse("orders:petition_create", args=[row.number]),
            "petition_open": row.status in ACTIVE_STATUSES,
        },
    )
