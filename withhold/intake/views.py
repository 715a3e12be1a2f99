"""Allegation pages: the public report form, receipt and follow-up (no sign-in), and the staff
triage queue. Each view: authenticate (or rate-limit) → access function → validate → one service
→ render."""

import dataclasses

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from withhold.cases.selectors import case_get_for_user
from withhold.core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError
from withhold.core.forms import form_add_service_error
from withhold.core.pages import flash_refusal, require_page_perm
from withhold.entities.models import Entity
from withhold.reference.models import IloIndicator

from . import elements, ratelimit, return_pdf, selectors, services, triage
from .forms import (
    AddFilesForm,
    AllegationForm,
    AnswerForm,
    AttachForm,
    CaseOpenForm,
    DeclineForm,
    InformationRequestForm,
    LitigationHoldForm,
    QueueFilterForm,
    ReturnForm,
    RevealRequestForm,
    StatusLookupForm,
)
from .models import Allegation

RECEIPT_SESSION_KEY = "intake_receipt"
FOLLOW_UP_SESSION_KEY = "intake_follow_up"
MAX_FOLLOW_UPS_IN_SESSION = 5


# --- Public: report, receipt, follow-up ---------------------------------------------------------


def _too_many(request: HttpRequest, setting: str, scope: str) -> int | None:
    """Seconds to wait if this address is over its limit for ``scope``, else None."""
    rate = ratelimit.rate_for(setting)
    if ratelimit.rate_limit_hit(scope=scope, key=ratelimit.client_address(request), rate=rate):
        return ratelimit.rate_limit_retry_after(rate=rate)
    return None


def _reports_used_up(request: HttpRequest) -> int | None:
    """Seconds to wait if this address has sent as many reports as the limit allows, else None;
    counts nothing (``report`` counts a report once it is receipted)."""
    rate = ratelimit.rate_for("INTAKE_SUBMIT_RATE")
    key = ratelimit.client_address(request)
    if ratelimit.rate_limit_reached(scope="report", key=key, rate=rate):
        return ratelimit.rate_limit_retry_after(rate=rate)
    return None


def _wait_message(seconds: int) -> str:
    minutes = max(1, (seconds + 59) // 60)
    return _(
        "Too many attempts from your network address. Please try again in %(minutes)d minutes."
    ) % {"minutes": minutes}


def _ilo_options(form: AllegationForm) -> list[dict]:
    """The ILO indicators as checkboxes, each with its plain-language explanation."""
    chosen = {str(v) for v in (form["ilo_indicators"].value() or [])}
    return [
        {
            "id": f"id_ilo_indicators_{indicator.pk}",
            "value": indicator.pk,
            "name": indicator.name,
            "explanation": indicator.explanation,
            "checked": str(indicator.pk) in chosen,
        }
        for indicator in IloIndicator.objects.all()
    ]


def _upload_too_large(request: HttpRequest) -> bool:
    """Refuse a body bigger than every allowed file together before parsing it."""
    limit = (
        settings.WITHHOLD["INTAKE_MAX_ATTACHMENTS"]
        * settings.WITHHOLD["INTAKE_ATTACHMENT_MAX_BYTES"]
        + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    )
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > limit
    except ValueError:
        return True


def _report_page(request: HttpRequest, form: AllegationForm, *, status: int = 200, **extra):
    context = {
        "form": form,
        "ilo_options": _ilo_options(form),
        "max_files": settings.WITHHOLD["INTAKE_MAX_ATTACHMENTS"],
        "max_megabytes": settings.WITHHOLD["INTAKE_ATTACHMENT_MAX_BYTES"] // (1024 * 1024),
        **extra,
    }
    return render(request, "intake/report.html", context, status=status)


def _session_key(request: HttpRequest) -> str:
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key


def _pending(request: HttpRequest):
    return selectors.pending_files(session_key=_session_key(request))


def _keep_files(request: HttpRequest, form: AllegationForm) -> None:
    """Keep this round's chosen files (checked) for the next round, unless the files themselves
    were refused; a refusal of the service is shown on the files field."""
    files = request.FILES.getlist("attachments")
    if not files or "attachments" in form.errors:
        return
    try:
        services.pending_files_keep(session_key=_session_key(request), files=files)
    except (ValidationError, ApplicationError) as exc:
        form_add_service_error(form, exc)


def report(request: HttpRequest) -> HttpResponse:
    """The public report form. "Check my report" shows which elements are thin; "Send" sends,
    but first asks once more if an element is still missing or thin. Files chosen in one round
    are kept (checked, server-side, tied to the session) for the next, and sent with the
    report."""
    if request.method != "POST":
        return _report_page(request, AllegationForm(), pending_files=_pending(request))
    if _upload_too_large(request):
        message = _(
            "Your files are too large together. Send at most %(n)d files of %(mb)d MB each."
        ) % {
            "n": settings.WITHHOLD["INTAKE_MAX_ATTACHMENTS"],
            "mb": settings.WITHHOLD["INTAKE_ATTACHMENT_MAX_BYTES"] // (1024 * 1024),
        }
        return _report_page(request, AllegationForm(), status=413, page_error=message)
    session_key = _session_key(request)
    removed = [int(i) for i in request.POST.getlist("remove_pending") if i.isdigit()]
    if removed:
        services.pending_files_remove(session_key=session_key, ids=removed)
    form = AllegationForm(request.POST, request.FILES)
    sending = request.POST.get("action") == "send"
    if sending:
        # Only receipted reports count against the limit (counted below, once sent): a report
        # checked, corrected and checked again costs nothing.
        wait = _reports_used_up(request)
        if wait is not None:
            form = AllegationForm(request.POST)
            response = _report_page(
                request,
                form,
                status=429,
                page_error=_wait_message(wait),
                pending_files=_pending(request),
            )
            response["Retry-After"] = str(wait)
            return response
    if not form.is_valid():
        _keep_files(request, form)
        return _report_page(request, form, status=400, pending_files=_pending(request))
    pending = _pending(request)
    facts = dataclasses.replace(
        form.report_facts(),
        attachment_count=len(form.cleaned_data["attachments"]) + len(pending),
    )
    assessments = elements.assess(facts)
    all_good = all(a.is_good for a in assessments)
    if not sending or (not all_good and not form.cleaned_data["confirmed"]):
        _keep_files(request, form)
        data = request.POST.copy()
        data["confirmed"] = "on" if sending else ""
        checked = AllegationForm(data)
        checked.is_valid()
        for field, errors in form.errors.items():  # a refused file stays named
            for error in errors:
                checked.add_error(field if field in checked.fields else None, error)
        return _report_page(
            request,
            checked,
            assessments=assessments,
            all_good=all_good,
            asking_to_confirm=sending,
            pending_files=_pending(request),
            status=400 if checked.errors else 200,
        )
    kwargs = form.service_kwargs()
    kwargs["files"] = [
        *services.pending_files_as_uploads(session_key=session_key),
        *kwargs["files"],
    ]
    try:
        receipt = services.allegation_submit(**kwargs)
    except (ValidationError, ApplicationError) as exc:
        form_add_service_error(form, exc)
        return _report_page(request, form, status=400, pending_files=pending)
    services.pending_files_remove(session_key=session_key, every=True)
    ratelimit.rate_limit_hit(
        scope="report",
        key=ratelimit.client_address(request),
        rate=ratelimit.rate_for("INTAKE_SUBMIT_RATE"),
    )
    request.session[RECEIPT_SESSION_KEY] = {
        "receipt_number": receipt.allegation.receipt_number,
        "code": receipt.follow_up_code,
    }
    return redirect("intake:receipt")


@require_GET
def receipt(request: HttpRequest) -> HttpResponse:
    """Shown once: the code is removed from the session as the page is rendered."""
    shown = request.session.pop(RECEIPT_SESSION_KEY, None)
    response = render(request, "intake/receipt.html", {"receipt": shown})
    response["Cache-Control"] = "no-store"
    return response


def _authorised_receipts(request: HttpRequest) -> list[str]:
    return list(request.session.get(FOLLOW_UP_SESSION_KEY, []))


def status_lookup(request: HttpRequest) -> HttpResponse:
    """Receipt number + follow-up code → the report's status page. A wrong code and an unknown
    receipt get the same answer, and each address may try only so often."""
    form = StatusLookupForm(request.POST or None)
    if request.method == "POST":
        wait = _too_many(request, "INTAKE_FOLLOW_UP_RATE", "follow-up")
        if wait is not None:
            response = render(
                request,
                "intake/status_lookup.html",
                {"form": StatusLookupForm(), "page_error": _wait_message(wait)},
                status=429,
            )
            response["Retry-After"] = str(wait)
            return response
        if form.is_valid():
            try:
                allegation = selectors.allegation_get_for_submitter(
                    receipt_number=form.cleaned_data["receipt_number"],
                    code=form.cleaned_data["code"],
                )
            except NotFoundError:
                form.add_error(None, _(selectors.NOT_FOUND_SUBMITTER))
            else:
                request.session.cycle_key()
                allowed = [allegation.receipt_number] + [
                    r for r in _authorised_receipts(request) if r != allegation.receipt_number
                ]
                request.session[FOLLOW_UP_SESSION_KEY] = allowed[:MAX_FOLLOW_UPS_IN_SESSION]
                return redirect("intake:status", receipt_number=allegation.receipt_number)
        return render(request, "intake/status_lookup.html", {"form": form}, status=400)
    return render(request, "intake/status_lookup.html", {"form": form})


def _submitter_allegation(request: HttpRequest, receipt_number: str) -> Allegation | None:
    if receipt_number not in _authorised_receipts(request):
        return None
    return selectors.allegation_get_for_session(receipt_number=receipt_number)


def status(request: HttpRequest, receipt_number: str) -> HttpResponse:
    """The submitter's view: status, questions asked, answers and files sent (names only)."""
    allegation = _submitter_allegation(request, receipt_number)
    if allegation is None:
        messages.info(request, _("Enter your receipt number and follow-up code to continue."))
        return redirect("intake:status_lookup")
    answer_form = AnswerForm()
    files_form = AddFilesForm()
    http_status = 200
    if request.method == "POST":
        wait = _too_many(request, "INTAKE_FOLLOW_UP_RATE", "follow-up")
        if wait is not None:
            messages.error(request, _wait_message(wait))
            return redirect("intake:status", receipt_number=receipt_number)
        action = request.POST.get("action")
        if action == "answer":
            answer_form = AnswerForm(request.POST, request.FILES)
            form, call = answer_form, services.allegation_information_answer
        else:
            files_form = AddFilesForm(request.POST, request.FILES)
            form, call = files_form, services.allegation_files_add
        if form.is_valid():
            kwargs = {"allegation": allegation, "files": form.cleaned_data["attachments"]}
            if action == "answer":
                kwargs["answer"] = form.cleaned_data["answer"]
            try:
                call(**kwargs)
            except (ValidationError, ApplicationError) as exc:
                form_add_service_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Thank you. Your answer was sent.")
                    if action == "answer"
                    else _("Thank you. Your files were added."),
                )
                return redirect("intake:status", receipt_number=receipt_number)
        http_status = 400
    public_status = selectors.allegation_public_status(allegation)
    response = render(
        request,
        "intake/status.html",
        {
            "allegation": allegation,
            "public_status": public_status,
            "public_status_label": triage.PUBLIC_STATUS_LABELS[public_status],
            "open_question": next(
                (q for q in allegation.information_requests.all() if q.is_open), None
            ),
            "answer_form": answer_form,
            "files_form": files_form,
            "closed": public_status == triage.CLOSED,
            "return_notices": list(allegation.return_notices.all()),
        },
        status=http_status,
    )
    response["Cache-Control"] = "no-store"
    return response


# --- Staff: triage ------------------------------------------------------------------------------


def _allegation_or_404(request: HttpRequest, receipt_number: str) -> Allegation:
    if not selectors.can_read_allegations(request.user):
        raise PermissionDenied(_("Your role does not give access to allegations."))
    try:
        return selectors.allegation_get_for_user(user=request.user, receipt_number=receipt_number)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    require_page_perm(request, "intake.view_allegation")
    today = timezone.localdate()
    form = QueueFilterForm(request.GET or None)
    filters = selectors.QueueFilters()
    sort = selectors.DEFAULT_QUEUE_SORT
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        sort = data.pop("sort") or sort
        data["state"] = data["state"] or "waiting"
        filters = selectors.QueueFilters(**data)
    qs = selectors.allegation_queue(user=request.user, filters=filters, today=today, sort=sort)
    if request.GET.get("format") == "csv":
        response = StreamingHttpResponse(
            selectors.allegation_queue_csv_lines(qs, today=today),
            content_type="text/csv; charset=utf-8",
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="withhold-allegations-{stamp}.csv"'
        return response
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    rows = [selectors.allegation_queue_row(a, today=today) for a in page.object_list]
    return render(
        request,
        "intake/queue.html",
        {
            "form": form,
            "page_obj": page,
            "rows": rows,
            "sort": sort,
            "triage_days": settings.WITHHOLD["INTAKE_TRIAGE_DAYS"],
        },
    )


@login_required
@require_GET
def detail(request: HttpRequest, receipt_number: str) -> HttpResponse:
    allegation = _allegation_or_404(request, receipt_number)
    can_triage = request.user.has_perm("intake.triage_allegation")
    assessments = elements.assess(
        selectors.allegation_facts(
            allegation,
            ilo_count=len(allegation.ilo_indicators.all()),
            attachment_count=len(allegation.attachments.all()),
        )
    )
    today = timezone.localdate()
    received_on = timezone.localdate(allegation.created_at)
    waiting = triage.needs_triage(
        decision=allegation.decision, has_open_question=allegation.has_open_question
    )
    days_left = triage.triage_days_left(
        received_on=received_on, today=today, days=settings.WITHHOLD["INTAKE_TRIAGE_DAYS"]
    )
    context = {
        "allegation": allegation,
        "is_demo": allegation.is_demo,
        "assessments": assessments,
        "public_status_label": triage.PUBLIC_STATUS_LABELS[
            selectors.allegation_public_status(allegation)
        ],
        "age_days": (today - received_on).days,
        "waiting": waiting,
        "due_on": triage.triage_due_on(received_on, days=settings.WITHHOLD["INTAKE_TRIAGE_DAYS"]),
        "days_left": days_left,
        "days_overdue": -days_left,
        "overdue": triage.is_overdue(
            received_on=received_on,
            today=today,
            days=settings.WITHHOLD["INTAKE_TRIAGE_DAYS"],
            waiting=waiting,
        ),
        "can_triage": can_triage and not allegation.is_final,
        "can_download": request.user.has_perm("intake.view_allegationattachment"),
        "suggestions": selectors.allegation_suggestions(allegation=allegation, user=request.user)
        if can_triage
        else [],
        "attach_form": AttachForm(),
        "request_form": InformationRequestForm(),
        "decline_form": DeclineForm(),
        "return_form": ReturnForm(),
        "missing_elements": [a for a in assessments if not a.is_good],
        "can_hold": request.user.has_perm("intake.hold_allegation"),
        "hold_form": LitigationHoldForm(),
        "retention_days": settings.WITHHOLD["INTAKE_IDENTITY_RETENTION_DAYS"],
        **_identity_context(request, allegation),
    }
    return render(request, "intake/detail.html", context)


def _identity_context(request: HttpRequest, allegation: Allegation) -> dict:
    """The submitter's identity as this reader may see it (the visibility policy), the reader's
    waiting request, and — for a supervisor — the requests to decide."""
    access = selectors.submitter_identity_access(user=request.user, allegation=allegation)
    if access == selectors.IDENTITY_GRANTED:
        services.identity_revealed(allegation=allegation, actor=request.user)
    can_grant = request.user.has_perm("intake.grant_identity_reveal")
    return {
        "case_number": selectors.visible_case_number(allegation),
        "identity_access": access,
        "identity": selectors.submitter_identity(allegation, access),
        "reveal_waiting": selectors.reveal_request_waiting(user=request.user, allegation=allegation)
        if access == selectors.IDENTITY_WITHHELD
        else None,
        "reveal_form": RevealRequestForm(),
        "reveal_requests": selectors.reveal_requests_for_allegation(allegation)
        if can_grant
        else [],
        "can_grant_reveal": can_grant,
    }


@login_required
@require_POST
def reveal_request(request: HttpRequest, receipt_number: str) -> HttpResponse:
    """Ask a supervisor to see who submitted the allegation, for a stated reason."""
    allegation = _allegation_or_404(request, receipt_number)
    form = RevealRequestForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"reason": _("Say why you need to know who the submitter is.")})
        services.identity_reveal_request(
            allegation=allegation, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except (ValidationError, ApplicationError) as exc:
        flash_refusal(request, exc)
        return _back(allegation)
    messages.success(request, _("Request sent: a supervisor will grant or refuse it."))
    return _back(allegation)


@login_required
@require_GET
def reveal_requests(request: HttpRequest) -> HttpResponse:
    """The requests to see a submitter's identity that wait for a supervisor."""
    require_page_perm(request, "intake.grant_identity_reveal")
    return render(
        request, "intake/reveal_requests.html", {"requests": selectors.reveal_requests_waiting()}
    )


@login_required
@require_POST
def reveal_decide(request: HttpRequest, request_id: int) -> HttpResponse:
    require_page_perm(request, "intake.grant_identity_reveal")
    try:
        reveal = selectors.reveal_request_get(pk=request_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    grant = request.POST.get("decision") == "grant"
    try:
        services.identity_reveal_decide(request=reveal, actor=request.user, grant=grant)
    except (ValidationError, ApplicationError) as exc:
        flash_refusal(request, exc)
    else:
        messages.success(
            request,
            _("Request granted: %(who)s now sees the submitter of %(receipt)s.")
            % {"who": reveal.requested_by, "receipt": reveal.allegation.receipt_number}
            if grant
            else _("Request refused."),
        )
    if request.POST.get("next") == "list":
        return redirect("intake:reveal_requests")
    return redirect("intake:detail", receipt_number=reveal.allegation.receipt_number)


@login_required
def open_case(request: HttpRequest, receipt_number: str) -> HttpResponse:
    allegation = _allegation_or_404(request, receipt_number)
    require_page_perm(request, "intake.triage_allegation")
    require_page_perm(request, "cases.add_case")
    suggestions = selectors.allegation_suggestions(allegation=allegation, user=request.user)
    entity_ids = [s.entity_id for s in suggestions if s.entity_id]
    entities = Entity.objects.in_bulk(entity_ids)
    entity_choices = [(pk, str(entities[pk])) for pk in dict.fromkeys(entity_ids)]
    commodity = selectors.allegation_commodity_suggestion(allegation)
    form = CaseOpenForm(
        request.POST or None,
        entity_choices=entity_choices,
        initial={
            "title": services.allegation_case_title(allegation),
            "commodity": commodity.pk if commodity else None,
            "source_country": allegation.country,
            "priority": "medium",
            "manufacturer": "new",
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = data["manufacturer"]
        opening = services.CaseOpening(
            commodity=data["commodity"],
            title=data["title"],
            source_country=data["source_country"],
            priority=data["priority"],
            # ``chosen`` is one of the form's choices: "new", or an entity's id as text.
            manufacturer_entity={str(pk): e for pk, e in entities.items()}.get(chosen),
        )
        try:
            case = services.allegation_case_open(
                allegation=allegation, actor=request.user, opening=opening
            )
        except (ValidationError, ApplicationError) as exc:
            if isinstance(exc, PermissionDeniedError):
                raise PermissionDenied(exc.message) from exc
            form_add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("Case %(number)s opened from %(receipt)s.")
                % {"number": case.number, "receipt": allegation.receipt_number},
            )
            return redirect("cases:detail", number=case.number)
    return render(
        request,
        "intake/open_case.html",
        {"allegation": allegation, "form": form, "commodity_suggestion": commodity},
    )


def _back(allegation: Allegation) -> HttpResponse:
    return redirect("intake:detail", receipt_number=allegation.receipt_number)


@login_required
@require_POST
def attach(request: HttpRequest, receipt_number: str) -> HttpResponse:
    allegation = _allegation_or_404(request, receipt_number)
    require_page_perm(request, "intake.triage_allegation")
    form = AttachForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the number of the case to attach the allegation to."))
        return _back(allegation)
    try:
        case = case_get_for_user(
            user=request.user, number=form.cleaned_data["case_number"].strip().upper()
        )
        services.allegation_case_attach(
            allegation=allegation, case=case, actor=request.user, note=form.cleaned_data["note"]
        )
    except (ValidationError, ApplicationError) as exc:
        flash_refusal(request, exc)
        return _back(allegation)
    messages.success(
        request,
        _("%(receipt)s attached to case %(number)s.")
        % {"receipt": allegation.receipt_number, "number": case.number},
    )
    return _back(allegation)


@login_required
@require_POST
def request_information(request: HttpRequest, receipt_number: str) -> HttpResponse:
    allegation = _allegation_or_404(request, receipt_number)
    require_page_perm(request, "intake.triage_allegation")
    form = InformationRequestForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"question": _("Write the question for the submitter.")})
        services.allegation_information_request(
            allegation=allegation, actor=request.user, question=form.cleaned_data["question"]
        )
    except (ValidationError, ApplicationError) as exc:
        flash_refusal(request, exc)
        return _back(allegation)
    messages.success(request, _("Question sent: the submitter sees it on the receipt page."))
    return _back(allegation)


@login_required
@require_POST
def return_with_reasons(request: HttpRequest, receipt_number: str) -> HttpResponse:
    """19 CFR 12.42(c): return the report with a written notice naming what is missing."""
    allegation = _allegation_or_404(request, receipt_number)
    require_page_perm(request, "intake.triage_allegation")
    form = ReturnForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"reasons": _("Say why the report is returned.")})
        notice = services.allegation_return_with_reasons(
            allegation=allegation, actor=request.user, reasons=form.cleaned_data["reasons"]
        )
    except (ValidationError, ApplicationError) as exc:
        flash_refusal(request, exc)
        return _back(allegation)
    messages.success(
        request,
        _("Report returned with reasons: the submitter reads the notice through the receipt."),
    )
    return redirect(
        "intake:return_notice", receipt_number=allegation.receipt_number, notice_id=notice.pk
    )


def _notice_lines(notice) -> list[tuple[str, str]]:
    return return_pdf.return_notice_text(
        receipt_number=notice.allegation.receipt_number,
        received_on=timezone.localdate(notice.allegation.created_at),
        issued_on=timezone.localdate(notice.issued_at),
        missing=notice.missing,
        reasons=notice.reasons,
    )


def _notice_pdf_response(notice) -> FileResponse:
    return FileResponse(
        notice.pdf.open("rb"),
        as_attachment=False,
        filename=f"return-{notice.allegation.receipt_number}.pdf",
        content_type="application/pdf",
    )


def _notice_or_404(allegation: Allegation, notice_id: int):
    notice = selectors.return_notice_for_allegation(allegation=allegation, notice_id=notice_id)
    if notice is None:
        raise Http404(_("There is no such notice."))
    return notice


@login_required
@require_GET
def return_notice(request: HttpRequest, receipt_number: str, notice_id: int) -> HttpResponse:
    allegation = _allegation_or_404(request, receipt_number)
    notice = _notice_or_404(allegation, notice_id)
    return render(
        request,
        "intake/return_notice.html",
        {
            "notice": notice,
            "lines": _notice_lines(notice),
            "pdf_url": reverse(
                "intake:return_notice_pdf", args=[allegation.receipt_number, notice.pk]
            ),
            "staff": True,
        },
    )


@login_required
@require_GET
def return_notice_pdf(request: HttpRequest, receipt_number: str, notice_id: int):
    allegation = _allegation_or_404(request, receipt_number)
    return _notice_pdf_response(_notice_or_404(allegation, notice_id))


@require_GET
def public_return_notice(request: HttpRequest, receipt_number: str, notice_id: int):
    """The submitter's copy of the notice, once the follow-up code was given in this session."""
    allegation = _submitter_allegation(request, receipt_number)
    if allegation is None:
        messages.info(request, _("Enter your receipt number and follow-up code to continue."))
        return redirect("intake:status_lookup")
    notice = _notice_or_404(allegation, notice_id)
    response = render(
        request,
        "intake/public_return_notice.html",
        {
            "notice": notice,
            "lines": _notice_lines(notice),
            "pdf_url": reverse(
                "intake:public_return_notice_pdf", args=[allegation.receipt_number, notice.pk]
            ),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def public_return_notice_pdf(request: HttpRequest, receipt_number: str, notice_id: int):
    allegation = _submitter_allegation(request, receipt_number)
    if allegation is None:
        return redirect("intake:status_lookup")
    response = _notice_pdf_response(_notice_or_404(allegation, notice_id))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def decline(request: HttpRequest, receipt_number: str) -> HttpResponse:
    allegation = _allegation_or_404(request, receipt_number)
    require_page_perm(request, "intake.triage_allegation")
    form = DeclineForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"reason": _("Say why the allegation is declined.")})
        services.allegation_decline(
            allegation=allegation, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except (ValidationError, ApplicationError) as exc:
        flash_refusal(request, exc)
        return _back(allegation)
    messages.success(request, _("%(receipt)s declined.") % {"receipt": allegation.receipt_number})
    return redirect(reverse("intake:queue"))


@login_required
@require_POST
def litigation_hold(request: HttpRequest, receipt_number: str) -> HttpResponse:
    """Set (``action=set``) or release (``action=release``) the hold that keeps the submitter's
    identity past the retention period; supervisors only, audited."""
    allegation = _allegation_or_404(request, receipt_number)
    require_page_perm(request, "intake.hold_allegation")
    form = LitigationHoldForm(request.POST)
    releasing = request.POST.get("action") == "release"
    change = (
        services.allegation_litigation_hold_release
        if releasing
        else services.allegation_litigation_hold_set
    )
    try:
        if not form.is_valid():
            raise ValidationError({"reason": _("Give the reason for the change of hold.")})
        change(allegation=allegation, actor=request.user, reason=form.cleaned_data["reason"])
    except (ValidationError, ApplicationError) as exc:
        flash_refusal(request, exc)
        return _back(allegation)
    messages.success(
        request,
        _("Litigation hold released on %(receipt)s.") % {"receipt": allegation.receipt_number}
        if releasing
        else _("%(receipt)s is on litigation hold: the submitter's identity will be kept.")
        % {"receipt": allegation.receipt_number},
    )
    return _back(allegation)


@login_required
@require_GET
def attachment_download(request: HttpRequest, receipt_number: str, attachment_id: int):
    if not selectors.can_read_allegations(request.user):
        raise PermissionDenied(_("Your role does not give access to allegations."))
    try:
        attachment = selectors.attachment_get_for_user(
            user=request.user, receipt_number=receipt_number, attachment_id=attachment_id
        )
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    services.allegation_attachment_downloaded(attachment=attachment, actor=request.user)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type="application/octet-stream",
    )
