"""Workforce pages. Each view: authenticate → permission → validate → one service or selector →
render. Supervisors see everything; analysts see their own competencies and training."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from withhold.core.csv_export import csv_response
from withhold.core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError
from withhold.core.forms import form_add_service_error
from withhold.core.numbers import ID_MAX, NumberError, parse_int
from withhold.core.pages import flash_refusal, require_page_perm

from . import selectors, services
from .forms import (
    CompetencyFilterForm,
    CompetencyForm,
    ScenarioForm,
    StaffCompetencyFilterForm,
    StaffCompetencyForm,
    TrainingFilterForm,
    TrainingPlanForm,
    TrainingStatusForm,
)
from .models import Competency, StaffingScenario
from .report_pdf import report_pdf

ASSESS = "workforce.view_workforce_assessment"


def _page_size() -> int:
    return settings.WITHHOLD_WORKFORCE["PAGE_SIZE"]


def _refuse_permission(exc: Exception) -> None:
    if isinstance(exc, PermissionDeniedError):
        raise PermissionDenied(exc.message) from exc


def _may_see_skills(request: HttpRequest) -> None:
    if not (
        request.user.has_perm("workforce.view_own_skills")
        or request.user.has_perm("workforce.view_staffcompetency")
    ):
        raise PermissionDenied(_("Your role does not give access to the skills inventory."))


# Assessment and scenarios -----------------------------------------------------------------------


def _compute(form: ScenarioForm):
    """The model's answer (as saved scenarios keep it) for a valid form, or None with the refusal put on the form."""
    if not form.is_valid():
        return None
    try:
        return services.answer_as_dict(services.scenario_compute(form.inputs()))
    except ApplicationError as exc:
        form_add_service_error(form, exc)
        return None


def _id_or_none(text: str | None) -> int | None:
    """A row id from a query string, or None for anything that is not one (then nothing matches)."""
    try:
        return parse_int(text, field="id", minimum=1, maximum=ID_MAX)
    except NumberError:
        return None


@login_required
def assessment(request: HttpRequest) -> HttpResponse:
    """History, and the scenario form with its answer; POST recalculates or saves."""
    require_page_perm(request, ASSESS)
    history = selectors.assessment(today=timezone.localdate())
    if request.method == "POST":
        form = ScenarioForm(request.POST)
        if request.POST.get("action") == "save" and form.is_valid():
            try:
                scenario = services.scenario_save(
                    actor=request.user, name=form.cleaned_data["name"], inputs=form.inputs()
                )
            except (ValidationError, ApplicationError) as exc:
                _refuse_permission(exc)
                form_add_service_error(form, exc)
            else:
                messages.success(request, _("Scenario “%(n)s” saved.") % {"n": scenario.name})
                return redirect("workforce:scenario_detail", scenario_id=scenario.pk)
        answer = _compute(form) if not form.errors else None
    else:
        form = ScenarioForm(ScenarioForm.initial_from_defaults(history.defaults))
        answer = _compute(form)
    return render(
        request,
        "workforce/assessment.html",
        {"history": history, "form": form, "answer": answer},
        status=400 if request.method == "POST" and form.errors else 200,
    )


@login_required
@require_POST
def scenario_compute(request: HttpRequest) -> HttpResponse:
    """The answer alone, for htmx to swap in as the inputs change."""
    require_page_perm(request, ASSESS)
    form = ScenarioForm(request.POST)
    answer = _compute(form)
    return render(request, "workforce/_scenario_result.html", {"form": form, "answer": answer})


@login_required
@require_GET
def scenario_list(request: HttpRequest) -> HttpResponse:
    require_page_perm(request, "workforce.view_staffingscenario")
    qs = selectors.scenario_list(user=request.user)
    text = request.GET.get("q", "").strip()
    if text:
        qs = qs.filter(name__icontains=text)
    sort = request.GET.get("sort", "")
    if sort in ("name", "-analysts_needed", "-gap", "-created_at"):
        qs = qs.order_by(sort, "-id")
    if request.GET.get("format") == "csv":
        rows = (
            [s.pk, s.name, timezone.localdate(s.created_at), s.created_by or "", s.allegations_per_year,
             s.case_share, s.analysts_on_board, s.productive_hours_per_month,
             s.max_utilisation, s.analysts_needed, s.gap]
            for s in qs
        )  # fmt: skip
        header = ["id", "name", "saved_on", "saved_by", "allegations_per_year", "case_share",
                  "analysts_on_board", "productive_hours_per_month", "max_utilisation",
                  "analysts_needed", "gap"]  # fmt: skip
        return csv_response([header, *rows], filename="staffing-scenarios.csv")
    page = Paginator(qs, _page_size()).get_page(request.GET.get("page"))
    return render(
        request, "workforce/scenario_list.html", {"page_obj": page, "q": text, "sort": sort}
    )


def _scenario_or_404(request: HttpRequest, scenario_id: int) -> StaffingScenario:
    require_page_perm(request, "workforce.view_staffingscenario")
    try:
        return selectors.scenario_get_for_user(user=request.user, scenario_id=scenario_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


@login_required
@require_GET
def scenario_detail(request: HttpRequest, scenario_id: int) -> HttpResponse:
    scenario = _scenario_or_404(request, scenario_id)
    return render(request, "workforce/scenario_detail.html", {"scenario": scenario})


@login_required
@require_GET
def scenario_compare(request: HttpRequest) -> HttpResponse:
    """Saved scenarios side by side: inputs, analysts needed per phase, gap."""
    require_page_perm(request, "workforce.view_staffingscenario")
    ids = [i for i in map(_id_or_none, request.GET.getlist("ids")) if i is not None][:6]
    scenarios = list(selectors.scenario_list(user=request.user).filter(pk__in=ids))
    if len(scenarios) < 2:
        messages.error(request, _("Choose at least two scenarios to compare."))
        return redirect("workforce:scenario_list")
    phases = [(p["phase"], p.get("label", p["phase"])) for p in scenarios[0].result["phases"]]
    rows = [
        (
            label,
            [next((p for p in s.result["phases"] if p["phase"] == phase), None) for s in scenarios],
        )
        for phase, label in phases
    ]
    return render(
        request, "workforce/scenario_compare.html", {"scenarios": scenarios, "rows": rows}
    )


# Competencies -----------------------------------------------------------------------------------


@login_required
@require_GET
def competency_list(request: HttpRequest) -> HttpResponse:
    require_page_perm(request, "workforce.view_competency")
    form = CompetencyFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    active = {"yes": True, "no": False}.get(data.get("active", ""))
    qs = selectors.competency_list(
        text=data.get("q", ""), category=data.get("category", ""), active=active
    ).order_by(data.get("sort") or "category", "name")
    if request.GET.get("format") == "csv":
        header = ["name", "category", "required_level", "required_headcount", "active",
                  "description"]  # fmt: skip
        rows = (
            [c.name, c.category, c.required_level, c.required_headcount,
             "yes" if c.is_active else "no", c.description]
            for c in qs
        )  # fmt: skip
        return csv_response([header, *rows], filename="competencies.csv")
    page = Paginator(qs, _page_size()).get_page(request.GET.get("page"))
    return render(request, "workforce/competency_list.html", {"form": form, "page_obj": page})


def _competency_form_page(request, *, competency: Competency | None) -> HttpResponse:
    initial = None
    if competency is not None:
        initial = {
            "name": competency.name,
            "category": competency.category,
            "description": competency.description,
            "required_level": competency.required_level,
            "required_headcount": competency.required_headcount,
            "is_active": competency.is_active,
        }
    form = CompetencyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if competency is None:
                competency = services.competency_create(
                    actor=request.user,
                    name=data["name"],
                    category=data["category"],
                    description=data["description"],
                    required_level=data["required_level"],
                    required_headcount=data["required_headcount"],
                )
                if not data["is_active"]:
                    services.competency_update(
                        actor=request.user, competency=competency, is_active=False
                    )
            else:
                services.competency_update(actor=request.user, competency=competency, **data)
        except (ValidationError, ApplicationError) as exc:
            _refuse_permission(exc)
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("Competency “%(n)s” saved.") % {"n": data["name"]})
            return redirect("workforce:competency_list")
    return render(
        request,
        "workforce/form.html",
        {
            "form": form,
            "title": _("Edit competency") if competency else _("Add a required competency"),
            "back": "workforce:competency_list",
        },
        status=400 if form.errors else 200,
    )


@login_required
def competency_create(request: HttpRequest) -> HttpResponse:
    require_page_perm(request, "workforce.add_competency")
    return _competency_form_page(request, competency=None)


@login_required
def competency_edit(request: HttpRequest, competency_id: int) -> HttpResponse:
    require_page_perm(request, "workforce.change_competency")
    try:
        competency = selectors.competency_get(competency_id=competency_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    return _competency_form_page(request, competency=competency)


# Staff competencies and the gap matrix ----------------------------------------------------------

_STAFF_SORTS = {
    "person": ["user__username", "competency__name"],
    "competency": ["competency__name", "user__username"],
    "-level": ["-level", "user__username"],
    "-assessed_on": ["-assessed_on", "user__username"],
}


@login_required
@require_GET
def staff_competency_list(request: HttpRequest) -> HttpResponse:
    _may_see_skills(request)
    form = StaffCompetencyFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.staff_competency_list_for_user(
        user=request.user,
        person_id=data["person"].pk if data.get("person") else None,
        competency_id=data["competency"].pk if data.get("competency") else None,
        below_required=data.get("below_required", False),
    ).order_by(*_STAFF_SORTS.get(data.get("sort") or "person"))
    if request.GET.get("format") == "csv":
        header = ["username", "name", "competency", "level", "required_level", "evidence",
                  "assessed_on"]  # fmt: skip
        rows = (
            [s.user.username, s.user.get_full_name(), s.competency.name, s.level,
             s.competency.required_level, s.evidence, s.assessed_on]
            for s in qs
        )  # fmt: skip
        return csv_response([header, *rows], filename="staff-competencies.csv")
    page = Paginator(qs, _page_size()).get_page(request.GET.get("page"))
    return render(
        request,
        "workforce/staff_competency_list.html",
        {"form": form, "page_obj": page, "sees_everyone": _sees_all(request, "staffcompetency")},
    )


def _sees_all(request: HttpRequest, model: str) -> bool:
    return request.user.has_perm(f"workforce.view_{model}")


@login_required
def staff_competency_record(request: HttpRequest) -> HttpResponse:
    require_page_perm(request, "workforce.change_staffcompetency")
    form = StaffCompetencyForm(
        request.POST or None,
        initial={"assessed_on": timezone.localdate(), "user": request.GET.get("user")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.staff_competency_record(actor=request.user, **data)
        except (ValidationError, ApplicationError) as exc:
            _refuse_permission(exc)
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("Competency recorded."))
            return redirect("workforce:staff_competency_list")
    return render(
        request,
        "workforce/form.html",
        {
            "form": form,
            "title": _("Record a staff competency"),
            "back": "workforce:staff_competency_list",
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def gap_matrix(request: HttpRequest) -> HttpResponse:
    require_page_perm(request, "workforce.view_staffcompetency")
    rows = selectors.gap_matrix()
    if request.GET.get("format") == "csv":
        header = ["competency", "category", "required_level", "required_headcount", "held",
                  "held_below_level", "in_training", "gap"]  # fmt: skip
        body = (
            [r.competency.name, r.competency.category, r.required_level, r.required_headcount,
             r.held, r.held_below, r.in_training, r.gap]
            for r in rows
        )  # fmt: skip
        return csv_response([header, *body], filename="skills-gap-matrix.csv")
    people, competencies, levels = selectors.people_grid()
    grid = [
        (person, [(c, levels.get((person.pk, c.pk))) for c in competencies]) for person in people
    ]
    return render(
        request,
        "workforce/gap_matrix.html",
        {"rows": rows, "competencies": competencies, "grid": grid},
    )


# Training ---------------------------------------------------------------------------------------

_TRAINING_SORTS = {
    "due_on": ["due_on", "id"],
    "person": ["user__username", "due_on"],
    "competency": ["competency__name", "due_on"],
    "status": ["status", "due_on"],
}


@login_required
@require_GET
def training_list(request: HttpRequest) -> HttpResponse:
    _may_see_skills(request)
    today = timezone.localdate()
    form = TrainingFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.training_list_for_user(
        user=request.user,
        today=today,
        person_id=data["person"].pk if data.get("person") else None,
        competency_id=data["competency"].pk if data.get("competency") else None,
        status=data.get("status", ""),
        overdue_only=data.get("overdue", False),
    ).order_by(*_TRAINING_SORTS.get(data.get("sort") or "due_on"))
    if request.GET.get("format") == "csv":
        header = ["username", "competency", "title", "target_level", "due_on", "status",
                  "completed_on", "overdue"]  # fmt: skip
        rows = (
            [p.user.username, p.competency.name, p.title, p.target_level, p.due_on, p.status,
             p.completed_on or "", "yes" if p.is_overdue else "no"]
            for p in qs
        )  # fmt: skip
        return csv_response([header, *rows], filename="training-plans.csv")
    page = Paginator(qs, _page_size()).get_page(request.GET.get("page"))
    return render(
        request,
        "workforce/training_list.html",
        {
            "form": form,
            "page_obj": page,
            "status_form": TrainingStatusForm(),
            "sees_everyone": _sees_all(request, "trainingplan"),
        },
    )


@login_required
def training_create(request: HttpRequest) -> HttpResponse:
    require_page_perm(request, "workforce.add_trainingplan")
    form = TrainingPlanForm(request.POST or None, initial={"user": request.GET.get("user")})
    if request.method == "POST" and form.is_valid():
        try:
            services.training_plan_create(actor=request.user, **form.cleaned_data)
        except (ValidationError, ApplicationError) as exc:
            _refuse_permission(exc)
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("Training planned."))
            return redirect("workforce:training_list")
    return render(
        request,
        "workforce/form.html",
        {"form": form, "title": _("Plan training"), "back": "workforce:training_list"},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def training_status(request: HttpRequest, plan_id: int) -> HttpResponse:
    require_page_perm(request, "workforce.change_trainingplan")
    today = timezone.localdate()
    try:
        plan = selectors.training_get_for_user(user=request.user, plan_id=plan_id, today=today)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    form = TrainingStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid status."))
    else:
        try:
            services.training_status_change(
                actor=request.user, plan=plan, status=form.cleaned_data["status"], today=today
            )
        except (ValidationError, ApplicationError) as exc:
            flash_refusal(request, exc)
        else:
            messages.success(
                request,
                _("“%(t)s” is now %(s)s.") % {"t": plan.title, "s": form.cleaned_data["status"]},
            )
    return redirect("workforce:training_list")


# The printable report ---------------------------------------------------------------------------


@login_required
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    """Demand, phase times, caseloads, the model's answer and the skill gaps on one page."""
    require_page_perm(request, ASSESS)
    today = timezone.localdate()
    history = selectors.assessment(today=today)
    scenario = None
    if (chosen := _id_or_none(request.GET.get("scenario"))) is not None:
        scenario = selectors.scenario_list(user=request.user).filter(pk=chosen).first()
    answer = None
    if scenario is None:
        form = ScenarioForm(ScenarioForm.initial_from_defaults(history.defaults))
        answer = _compute(form)
    gaps = selectors.gap_matrix()
    overdue = selectors.training_list_for_user(
        user=request.user, today=today, overdue_only=True
    ).count()
    if request.GET.get("format") == "pdf":
        content = report_pdf(
            history=history,
            answer=scenario.result if scenario else answer,
            answer_source=f"Saved scenario: {scenario.name}."
            if scenario
            else "Computed from the history with the default settings.",
            gaps=gaps,
            overdue_training=overdue,
            generated_at=timezone.now(),
            generated_by=request.user.get_username(),
        )
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="workforce-assessment-{today:%Y-%m-%d}.pdf"'
        )
        return response
    return render(
        request,
        "workforce/report.html",
        {
            "history": history,
            "answer": answer,
            "scenario": scenario,
            "gaps": gaps,
            "overdue_training": overdue,
            "today": today,
            "scenarios": selectors.scenario_list(user=request.user)[:20],
        },
    )
