"""Detention pages: the list and deadline desk, recording, the detention page with its history,
the importer's proof and export notices, CEE review, disposition, bulk import, statistics and
importer accounts. Each view: authenticate → access function → validate → one service or
selector → render."""

from collections.abc import Callable
from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from withhold.core.csv_export import csv_response
from withhold.core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError
from withhold.core.forms import WholeNumberField, form_add_service_error
from withhold.core.pages import require_page_perm

from . import selectors, services, uflpa_guidance
from .congress_report_pdf import congress_report_pdf
from .forms import (
    EXCEPTION_KINDS,
    TRACING_KINDS,
    ApplicabilityReviewForm,
    CongressReportSentForm,
    DetentionFilterForm,
    DetentionForm,
    DisposeForm,
    DocumentForm,
    ExceptionDecisionForm,
    ExceptionRequestForm,
    ExportNoticeForm,
    ImporterAccountForm,
    ImportForm,
    InformationAnswerForm,
    InformationRequestForm,
    ProofForm,
    RecommendForm,
    StatisticsFilterForm,
)
from .imports import COLUMNS, read_upload
from .models import (
    CongressReport,
    Detention,
    DetentionDocument,
    DetentionEvent,
    ImporterAccount,
    UflpaRequest,
)
from .visibility import (
    for_importer,
    importer_documents,
    importer_history,
    importer_requests,
    importer_thread,
)

PAGE_SIZE = 25
DISPOSALS = {
    "release": (services.detention_release, _("Release the shipment"), _("Released.")),
    "export": (services.detention_export, _("Record the exportation"), _("Recorded as exported.")),
    "exclude": (services.detention_exclude, _("Exclude the shipment"), _("Excluded.")),
    "seize": (services.detention_seize, _("Seize the shipment"), _("Seized.")),
}


def _may_see_detentions(request: HttpRequest) -> None:
    user = request.user
    if not (user.has_perm("detentions.view_detention") or user.has_perm("detentions.submit_proof")):
        raise PermissionDenied(_("Your role does not give access to detentions."))


def _is_staff(request: HttpRequest) -> bool:
    return request.user.has_perm("detentions.view_detention")


def _shown(request: HttpRequest, detention: Detention):
    """The detention as this user may see it: whole for staff, its importer-visible fields
    alone (``visibility.for_importer``) for an importer."""
    return detention if _is_staff(request) else for_importer(detention)


def _detention_or_404(request: HttpRequest, detention_id: int) -> Detention:
    _may_see_detentions(request)
    try:
        return selectors.detention_get_for_user(user=request.user, detention_id=detention_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


def _action_page(
    request: HttpRequest,
    *,
    detention: Detention,
    form_class,
    title: str,
    submit: str,
    call: Callable,
    success: str,
    initial: dict | None = None,
    files: bool = False,
    extra: dict | None = None,
) -> HttpResponse:
    """A form for one step: GET shows it, POST calls the service and goes back to the detention,
    or shows the form again with the service's errors on its fields."""
    form = form_class(request.POST or None, request.FILES or None, initial=initial)
    # The version the page was opened at: a step taken from a page someone else has since
    # changed is refused rather than applied to a detention the user has not seen.
    form.fields["version"] = WholeNumberField(
        widget=forms.HiddenInput, required=False, initial=detention.version
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.detention_step_at_version(
                detention=detention, version=version, step=lambda: call(data)
            )
        except (ValidationError, ApplicationError) as exc:
            if isinstance(exc, PermissionDeniedError):
                raise PermissionDenied(exc.message) from exc
            if isinstance(exc, NotFoundError):
                raise Http404(exc.message) from exc
            form_add_service_error(form, exc)
        else:
            messages.success(request, success)
            return redirect("detentions:detail", detention_id=detention.pk)
    return render(
        request,
        "detentions/action_form.html",
        {
            "detention": _shown(request, detention),
            "form": form,
            "title": title,
            "submit": submit,
            "files": files,
            "today": timezone.localdate(),
            **(extra or {}),
        },
        status=400 if request.method == "POST" else 200,
    )


# Lists -------------------------------------------------------------------------------------------


@login_required
@require_GET
def detention_list(request: HttpRequest) -> HttpResponse:
    _may_see_detentions(request)
    today = timezone.localdate()
    form = DetentionFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.detention_list(
        user=request.user,
        filters=selectors.DetentionFilters(
            text=data.get("q", ""),
            status=data.get("status", ""),
            order=data.get("order", ""),
            basis=data.get("basis", ""),
            deemed_excluded_by=today if data.get("deemed_excluded") else None,
        ),
        sort=data.get("sort") or "deadline",
    )
    if request.GET.get("format") == "csv":
        header = [
            ["entry_number", "entry_line", "port_of_entry", "imported_on", "notice_on",
             "admissibility_deadline", "days_remaining", "importer", "manufacturer",
             "country_of_origin", "merchandise", "hts_code", "quantity", "quantity_unit",
             "value_usd", "basis", "uflpa_nexus", "uflpa_listed_entity", "xuar_input",
             "presented_on", "deemed_excluded_on", "protest_due", "orders", "status",
             "disposed_on"]
        ]  # fmt: skip

        def row(d):
            clock = d.uflpa_clocks(today)
            return [
                d.entry_number, d.entry_line, d.port_of_entry, d.imported_on, d.notice_on,
                d.admissibility_deadline, d.days_remaining(today) if d.is_open else "",
                d.importer.name, d.manufacturer.name if d.manufacturer else "",
                d.country_of_origin, d.merchandise, d.hts_code, d.quantity, d.quantity_unit,
                d.value_usd, d.basis, d.uflpa_nexus, d.uflpa_entity_name, d.xuar_input,
                d.presented_on or "", (clock and clock.deemed_excluded_on) or "",
                (clock and clock.protest_due) or "", ";".join(o.number for o in d.orders.all()),
                d.status, d.disposed_on or "",
            ]  # fmt: skip

        rows = (row(_shown(request, d)) for d in qs)
        return csv_response([*header, *rows], filename="detentions.csv")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = [_shown(request, d) for d in page.object_list]
    return render(
        request,
        "detentions/list.html",
        {"form": form, "page_obj": page, "detentions": shown, "today": today},
    )


@login_required
@require_GET
def detention_desk(request: HttpRequest) -> HttpResponse:
    _may_see_detentions(request)
    today = timezone.localdate()
    groups = selectors.detention_desk(user=request.user, today=today)
    for group in groups:
        group.detentions = [_shown(request, d) for d in group.detentions]
    return render(request, "detentions/desk.html", {"groups": groups, "today": today})


# Recording ---------------------------------------------------------------------------------------


@login_required
def detention_create(request: HttpRequest) -> HttpResponse:
    require_page_perm(request, "detentions.add_detention")
    form = DetentionForm(request.POST or None, initial={"officer": request.user.pk})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        orders = data.pop("orders")
        try:
            detention = services.detention_record(actor=request.user, orders=orders, **data)
        except (ValidationError, ApplicationError) as exc:
            if isinstance(exc, PermissionDeniedError):
                raise PermissionDenied(exc.message) from exc
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("Detention recorded."))
            return redirect("detentions:detail", detention_id=detention.pk)
    return render(
        request,
        "detentions/create.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def detention_import(request: HttpRequest) -> HttpResponse:
    require_page_perm(request, "detentions.import_detentions")
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_upload(upload)
            stored = services.detentions_import(
                actor=request.user, rows=rows, file_name=upload.name
            )
        except services.ImportRefused as exc:
            errors = exc.errors
            form.add_error(None, exc.message)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Imported %(n)d detention(s).") % {"n": len(stored)})
            return redirect("detentions:list")
    return render(
        request,
        "detentions/import.html",
        {"form": form, "errors": errors, "columns": COLUMNS},
        status=400 if request.method == "POST" else 200,
    )


# One detention -----------------------------------------------------------------------------------


@login_required
@require_GET
def detention_detail(request: HttpRequest, detention_id: int) -> HttpResponse:
    detention = _detention_or_404(request, detention_id)
    user = request.user
    is_staff = _is_staff(request)
    today = timezone.localdate()
    requests = selectors.uflpa_requests(detention) if detention.is_uflpa else []
    thread = selectors.information_thread(detention)
    if is_staff:
        shown = {
            "detention": detention,
            "documents": list(detention.documents.select_related("uploaded_by")),
            "events": selectors.detention_history(detention),
            "audit": list(selectors.detention_audit(detention)),
            "uflpa_listing": _uflpa_listing(detention),
            "uflpa_requests": requests,
            "thread": thread,
        }
    else:
        # The importer's page draws only from the importer-visible fields (an allow-list).
        shown = {
            "detention": for_importer(detention),
            "documents": importer_documents(detention),
            "events": importer_history(detention),
            "audit": [],
            "uflpa_requests": importer_requests(requests),
            "thread": importer_thread(thread),
        }
    may_file = detention.is_uflpa and not services.uflpa_request_refusal(detention, today=today)
    pending_paths = {r.path for r in requests if r.is_pending}
    return render(
        request,
        "detentions/detail.html",
        {
            **shown,
            "today": today,
            "uflpa_clocks": shown["detention"].uflpa_clocks(today),
            "is_staff": is_staff,
            "is_importer": not is_staff and user.has_perm("detentions.submit_proof"),
            "may_receive_proof": detention.may_receive_proof(today),
            "may_receive_export_notice": detention.may_receive_export_notice(today),
            "under_finding": any(o.kind == "finding" for o in detention.orders.all()),
            "checklists": selectors.uflpa_checklists(detention, shown["uflpa_requests"]),
            "may_request_applicability": may_file
            and UflpaRequest.Path.APPLICABILITY_REVIEW not in pending_paths,
            "may_request_exception": may_file and UflpaRequest.Path.EXCEPTION not in pending_paths,
            "congress_reports": (
                list(CongressReport.objects.filter(request__detention=detention))
                if is_staff
                else []
            ),
        },
    )


def _uflpa_listing(detention: Detention) -> dict | None:
    """The UFLPA Entity List entry a detention relied on, in the version it relied on (a later
    load of the list keeps it), and the same party in today's list: None when removed since."""
    entry = detention.uflpa_list_entry
    if entry is None:
        return None
    return {"entry": entry, "version": entry.list_version, "current": entry.current_counterpart()}


@login_required
def detention_document_download(
    request: HttpRequest, detention_id: int, document_id: int
) -> FileResponse:
    detention = _detention_or_404(request, detention_id)
    documents = DetentionDocument.objects.filter(detention=detention, pk=document_id)
    if not _is_staff(request):
        documents = documents.filter(by_importer=True)
    document = documents.first()
    if document is None:
        raise Http404(_("No such document."))
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )


def _importer_answer_closed(
    request: HttpRequest, detention: Detention, *, may: Callable[[date], bool]
) -> HttpResponse | None:
    """Back to the detention, saying why, when the importer can no longer send what this page
    takes (``may``: the detention's rule for it); None while it can."""
    today = timezone.localdate()
    if may(today):
        return None
    if detention.is_open and today > detention.admissibility_deadline:
        messages.error(
            request,
            _("The time to answer this detention ended on %(date)s.")
            % {"date": f"{detention.admissibility_deadline:%Y-%m-%d}"},
        )
    else:
        messages.info(
            request,
            _("This detention is “%(status)s”: this page has nothing more to take.")
            % {"status": detention.get_status_display().lower()},
        )
    return redirect("detentions:detail", detention_id=detention.pk)


@login_required
def detention_proof(request: HttpRequest, detention_id: int) -> HttpResponse:
    detention = _detention_or_404(request, detention_id)
    require_page_perm(request, "detentions.submit_proof")
    if closed := _importer_answer_closed(request, detention, may=detention.may_receive_proof):
        return closed

    def call(data):
        files = [
            services.DetentionFile(kind, DetentionDocument.Kind(kind).label, data[kind])
            for kind in (
                "certificate_of_origin",
                "detailed_statement",
                "supply_chain",
                "audit_report",
            )
            if data.get(kind)
        ]
        services.detention_proof_submit(
            detention=detention, actor=request.user, documents=files, statement=data["statement"]
        )

    return _action_page(
        request,
        detention=detention,
        form_class=ProofForm,
        title=_("Submit proof of admissibility"),
        submit=_("Submit proof"),
        call=call,
        success=_("Proof submitted."),
        files=True,
    )


@login_required
def detention_export_notice(request: HttpRequest, detention_id: int) -> HttpResponse:
    detention = _detention_or_404(request, detention_id)
    require_page_perm(request, "detentions.submit_proof")
    closed = _importer_answer_closed(request, detention, may=detention.may_receive_export_notice)
    if closed:
        return closed
    return _action_page(
        request,
        detention=detention,
        form_class=ExportNoticeForm,
        title=_("File an export notice"),
        submit=_("File the notice"),
        call=lambda d: services.detention_export_notice_file(
            detention=detention,
            actor=request.user,
            document=services.DetentionFile("export_notice", d["title"], d["file"], "file"),
        ),
        success=_("Export notice filed."),
        files=True,
    )


@login_required
def detention_document_add(request: HttpRequest, detention_id: int) -> HttpResponse:
    detention = _detention_or_404(request, detention_id)
    return _action_page(
        request,
        detention=detention,
        form_class=DocumentForm,
        title=_("Add a document"),
        submit=_("Upload"),
        call=lambda d: services.detention_document_add(
            detention=detention,
            actor=request.user,
            document=services.DetentionFile(d["kind"], d["title"], d["file"], "file"),
        ),
        success=_("Document added."),
        files=True,
    )


@login_required
@require_POST
def detention_review_start(request: HttpRequest, detention_id: int) -> HttpResponse:
    detention = _detention_or_404(request, detention_id)
    require_page_perm(request, "detentions.review_detention")
    try:
        services.detention_review_start(detention=detention, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Review started."))
    return redirect("detentions:detail", detention_id=detention.pk)


@login_required
def detention_information_request(request: HttpRequest, detention_id: int) -> HttpResponse:
    detention = _detention_or_404(request, detention_id)
    require_page_perm(request, "detentions.review_detention")
    return _action_page(
        request,
        detention=detention,
        form_class=InformationRequestForm,
        title=_("Request more information"),
        submit=_("Send the request"),
        call=lambda d: services.detention_information_request(
            detention=detention, actor=request.user, message=d["message"]
        ),
        success=_("Request recorded; the importer sees it on the detention page."),
    )


@login_required
def detention_recommend(request: HttpRequest, detention_id: int) -> HttpResponse:
    detention = _detention_or_404(request, detention_id)
    require_page_perm(request, "detentions.review_detention")
    return _action_page(
        request,
        detention=detention,
        form_class=RecommendForm,
        title=_("Recommend a disposition"),
        submit=_("Record the recommendation"),
        call=lambda d: services.detention_recommend(detention=detention, actor=request.user, **d),
        success=_("Recommendation recorded."),
    )


@login_required
def detention_dispose(request: HttpRequest, detention_id: int, outcome: str) -> HttpResponse:
    if outcome not in DISPOSALS:
        raise Http404(_("No such step."))
    detention = _detention_or_404(request, detention_id)
    require_page_perm(request, "detentions.dispose_detention")
    service, title, success = DISPOSALS[outcome]
    return _action_page(
        request,
        detention=detention,
        form_class=DisposeForm,
        title=title,
        submit=title,
        call=lambda d: service(detention=detention, actor=request.user, **d),
        success=success,
        initial={"on": timezone.localdate()},
    )


# UFLPA: the importer's two paths, answers, the exception and its report to Congress -----------

UFLPA_PATHS = {
    "applicability": (
        UflpaRequest.Path.APPLICABILITY_REVIEW,
        ApplicabilityReviewForm,
        TRACING_KINDS,
        _("Request an applicability review"),
        _("Applicability review requested; a CEE reviews it."),
    ),
    "exception": (
        UflpaRequest.Path.EXCEPTION,
        ExceptionRequestForm,
        EXCEPTION_KINDS,
        _("Request an exception (UFLPA section 3(b))"),
        _("Exception requested; a CEE reviews it and the approving official decides."),
    ),
}


def _guidance_sectors(path: str) -> list:
    """Each sector with the documents the guidance names for ``path``: (label, what, citation)."""
    return [
        (
            sector,
            [
                (DetentionDocument.Kind(item.kind).label, item.what, item.citation)
                for item in uflpa_guidance.CHECKLISTS[sector.code]
                if path in item.paths
            ],
        )
        for sector in uflpa_guidance.SECTORS
    ]


@login_required
def detention_uflpa_request(request: HttpRequest, detention_id: int, path: str) -> HttpResponse:
    if path not in UFLPA_PATHS:
        raise Http404(_("No such request."))
    detention = _detention_or_404(request, detention_id)
    require_page_perm(request, "detentions.submit_proof")
    refusal = services.uflpa_request_refusal(detention, today=timezone.localdate())
    if refusal:
        messages.error(request, refusal)
        return redirect("detentions:detail", detention_id=detention.pk)
    path_value, form_class, kinds, title, success = UFLPA_PATHS[path]

    def call(data):
        files = [
            services.DetentionFile(kind, DetentionDocument.Kind(kind).label, data[kind], kind)
            for kind in kinds
            if data.get(kind)
        ]
        services.uflpa_request_file(
            detention=detention,
            actor=request.user,
            path=path_value,
            sector=data["sector"],
            statement=data["statement"],
            guidance_compliance=data.get("guidance_compliance", ""),
            evidence_summary=data.get("evidence_summary", ""),
            documents=files,
        )

    return _action_page(
        request,
        detention=detention,
        form_class=form_class,
        title=title,
        submit=title,
        call=call,
        success=success,
        files=True,
        extra={"guidance_sectors": _guidance_sectors(path_value)},
    )


@login_required
def detention_information_answer(
    request: HttpRequest, detention_id: int, event_id: int
) -> HttpResponse:
    detention = _detention_or_404(request, detention_id)
    require_page_perm(request, "detentions.submit_proof")
    asked = DetentionEvent.objects.filter(
        detention=detention, pk=event_id, kind=DetentionEvent.Kind.INFORMATION_REQUESTED
    ).first()
    if asked is None:
        raise Http404(_("No such request for information."))
    if not detention.is_open:
        messages.info(request, _("The detention has been disposed of; it takes no more answers."))
        return redirect("detentions:detail", detention_id=detention.pk)

    def call(data):
        files = []
        if data.get("file"):
            kind = data["kind"]
            files = [services.DetentionFile(kind, data["file"].name, data["file"], "file")]
        services.detention_information_answer(
            detention=detention,
            actor=request.user,
            request_event=asked,
            message=data["message"],
            documents=files,
        )

    return _action_page(
        request,
        detention=detention,
        form_class=InformationAnswerForm,
        title=_("Answer CBP's request for information"),
        submit=_("Send the answer"),
        call=call,
        success=_("Answer sent; CBP sees it under its request."),
        files=True,
        extra={"asked": for_importer(asked)},
    )


@login_required
def uflpa_exception_decide(
    request: HttpRequest, detention_id: int, request_id: int
) -> HttpResponse:
    detention = _detention_or_404(request, detention_id)
    require_page_perm(request, "detentions.decide_uflpa_exception")
    asked = UflpaRequest.objects.filter(
        detention=detention, pk=request_id, path=UflpaRequest.Path.EXCEPTION
    ).first()
    if asked is None:
        raise Http404(_("No such exception request."))

    def call(data):
        services.uflpa_exception_decide(request=asked, actor=request.user, **data)

    return _action_page(
        request,
        detention=detention,
        form_class=ExceptionDecisionForm,
        title=_("Decide the exception request"),
        submit=_("Record the decision"),
        call=call,
        success=_("Decision recorded."),
        initial={"evidence_considered": services.congress_report_evidence_default(detention)},
        extra={
            "exception_request": asked,
            "unanswered": list(selectors.information_requests_unanswered(detention)),
            "goods": services.congress_report_goods(detention),
        },
    )


def _congress_report_or_404(request: HttpRequest, report_id: int) -> CongressReport:
    require_page_perm(request, "detentions.view_detention")
    try:
        return selectors.congress_report_get(report_id=report_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


@login_required
@require_GET
def congress_report_list(request: HttpRequest) -> HttpResponse:
    require_page_perm(request, "detentions.view_detention")
    today = timezone.localdate()
    reports = list(selectors.congress_report_list())
    return render(
        request,
        "detentions/congress_reports.html",
        {"reports": reports, "today": today},
    )


@login_required
@require_GET
def congress_report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _congress_report_or_404(request, report_id)
    return render(
        request,
        "detentions/congress_report.html",
        {
            "report": report,
            "days_left": report.days_left(timezone.localdate()),
            "public": False,
        },
    )


def _pdf_response(report: CongressReport) -> HttpResponse:
    response = HttpResponse(congress_report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.number}.pdf"'
    return response


@login_required
@require_GET
def congress_report_download(request: HttpRequest, report_id: int) -> HttpResponse:
    return _pdf_response(_congress_report_or_404(request, report_id))


@login_required
def congress_report_sent(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _congress_report_or_404(request, report_id)
    require_page_perm(request, "detentions.decide_uflpa_exception")
    form = CongressReportSentForm(request.POST or None, initial={"sent_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.congress_report_mark_sent(
                report=report, actor=request.user, sent_on=form.cleaned_data["sent_on"]
            )
        except (ValidationError, ApplicationError) as exc:
            if isinstance(exc, PermissionDeniedError):
                raise PermissionDenied(exc.message) from exc
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("Report marked sent and published on the public register."))
            return redirect("detentions:congress_report", report_id=report.pk)
    return render(
        request,
        "detentions/congress_report_sent.html",
        {"report": report, "form": form},
        status=400 if request.method == "POST" else 200,
    )


# The public register of granted exceptions: no sign-in, each sent report's public fields only.


@require_GET
def uflpa_exceptions_public(request: HttpRequest) -> HttpResponse:
    reports = selectors.congress_reports_published()
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "detentions/public_exceptions.html", {"page_obj": page})


def _published_or_404(number: str) -> CongressReport:
    try:
        return selectors.congress_report_published_get(number=number)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


@require_GET
def uflpa_exception_public(request: HttpRequest, number: str) -> HttpResponse:
    report = _published_or_404(number)
    return render(request, "detentions/congress_report.html", {"report": report, "public": True})


@require_GET
def uflpa_exception_public_pdf(request: HttpRequest, number: str) -> HttpResponse:
    return _pdf_response(_published_or_404(number))


# Statistics and importer accounts ----------------------------------------------------------------


@login_required
@require_GET
def detention_statistics(request: HttpRequest) -> HttpResponse:
    require_page_perm(request, "detentions.view_detention_statistics")
    form = StatisticsFilterForm(request.GET or None)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    stats = selectors.detention_statistics(year=year)
    if request.GET.get("format") == "csv":
        return csv_response(
            selectors.statistics_csv_rows(stats), filename="detention-statistics.csv"
        )
    tables = [
        ("month", _("By month of the notice"), stats.by_month),
        ("basis", _("By basis (order, CAATSA, UFLPA)"), stats.by_basis),
        ("order", _("By order"), stats.by_order),
        ("country", _("By country of origin"), stats.by_country),
        ("industry", _("By industry"), stats.by_industry),
        ("outcome", _("By outcome"), stats.by_outcome),
    ]
    return render(
        request, "detentions/statistics.html", {"form": form, "stats": stats, "tables": tables}
    )


@login_required
def importer_accounts(request: HttpRequest) -> HttpResponse:
    require_page_perm(request, "detentions.view_importeraccount")
    form = ImporterAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = get_user_model().objects.filter(username=form.cleaned_data["username"]).first()
        if user is None:
            form.add_error("username", _("No user has this name."))
        else:
            try:
                services.importer_account_add(
                    actor=request.user, user=user, entity=form.cleaned_data["entity"]
                )
            except (ValidationError, ApplicationError) as exc:
                if isinstance(exc, PermissionDeniedError):
                    raise PermissionDenied(exc.message) from exc
                form_add_service_error(form, exc)
            else:
                messages.success(request, _("Importer user tied to the company."))
                return redirect("detentions:importers")
    return render(
        request,
        "detentions/importers.html",
        {"form": form, "accounts": selectors.importer_account_list()},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def importer_account_remove(request: HttpRequest, account_id: int) -> HttpResponse:
    require_page_perm(request, "detentions.delete_importeraccount")
    account = ImporterAccount.objects.filter(pk=account_id).select_related("user", "entity").first()
    if account is None:
        raise Http404(_("No such importer user."))
    services.importer_account_remove(actor=request.user, account=account)
    messages.success(request, _("Importer user untied."))
    return redirect("detentions:importers")
