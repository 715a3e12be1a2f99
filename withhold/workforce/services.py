"""Every write of the workforce app: competencies, staff levels, training plans, scenarios.

Each function takes the acting user first, checks the permission, and records what changed in
the audit log in the same transaction.
"""

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from withhold.accounts.permissions import require_perm
from withhold.audit.models import AuditAction
from withhold.audit.services import audit_record, model_changes
from withhold.cases.models import Phase
from withhold.core.exceptions import ApplicationError

from . import selectors, staffing
from .models import Competency, StaffCompetency, StaffingScenario, TrainingPlan, TrainingStatus

COMPETENCY_FIELDS = ["name", "category", "description", "required_level", "required_headcount"]


def _snapshot(obj, names) -> dict:
    return {name: getattr(obj, name) for name in names}


@transaction.atomic
def competency_create(
    *,
    actor,
    name: str,
    category: str,
    required_level: int,
    required_headcount: int,
    description: str = "",
) -> Competency:
    require_perm(actor, "workforce.add_competency")
    competency = Competency(
        name=name.strip(),
        category=category,
        description=description,
        required_level=required_level,
        required_headcount=required_headcount,
    )
    competency.full_clean()
    competency.save()
    audit_record(
        actor=actor,
        action=AuditAction.WORKFORCE_COMPETENCY_ADDED,
        target=competency,
        changes={n: (None, getattr(competency, n)) for n in COMPETENCY_FIELDS},
    )
    return competency


@transaction.atomic
def competency_update(*, actor, competency: Competency, **fields) -> Competency:
    """Change a required competency; ``is_active=False`` retires it from the gap matrix."""
    require_perm(actor, "workforce.change_competency")
    allowed = {*COMPETENCY_FIELDS, "is_active"}
    unknown = set(fields) - allowed
    if unknown:
        raise ApplicationError(f"Unknown competency fields: {', '.join(sorted(unknown))}.")
    competency = Competency.objects.select_for_update().get(pk=competency.pk)
    before = _snapshot(competency, allowed)
    for name, value in fields.items():
        setattr(competency, name, value.strip() if name == "name" else value)
    competency.full_clean()
    changes = model_changes(before, _snapshot(competency, allowed))
    if changes:
        competency.save()
        audit_record(
            actor=actor,
            action=AuditAction.WORKFORCE_COMPETENCY_CHANGED,
            target=competency,
            changes=changes,
        )
    return competency


def _require_staff(user) -> None:
    if not selectors.staff_users().filter(pk=user.pk).exists():
        raise ApplicationError(f"{user.username} is not an active member of the division's staff.")


def _record_level(
    *, actor, user, competency: Competency, level: int, evidence: str, assessed_on: date
) -> StaffCompetency:
    held = (
        StaffCompetency.objects.select_for_update().filter(user=user, competency=competency).first()
    )
    before = (
        {"level": held.level, "evidence": held.evidence, "assessed_on": held.assessed_on}
        if held
        else {"level": None, "evidence": None, "assessed_on": None}
    )
    if held is None:
        held = StaffCompetency(user=user, competency=competency)
    held.level = level
    held.evidence = evidence
    held.assessed_on = assessed_on
    held.full_clean()
    held.save()
    changes = model_changes(
        before, {"level": held.level, "evidence": held.evidence, "assessed_on": held.assessed_on}
    )
    if changes:
        audit_record(
            actor=actor,
            action=AuditAction.WORKFORCE_STAFF_COMPETENCY_RECORDED,
            target=held,
            changes=changes,
        )
    return held


@transaction.atomic
def staff_competency_record(
    *, actor, user, competency: Competency, level: int, evidence: str, assessed_on: date
) -> StaffCompetency:
    """Record (or re-assess) the level at which ``user`` holds ``competency``."""
    require_perm(actor, "workforce.change_staffcompetency")
    _require_staff(user)
    return _record_level(
        actor=actor,
        user=user,
        competency=competency,
        level=level,
        evidence=evidence.strip(),
        assessed_on=assessed_on,
    )


@transaction.atomic
def training_plan_create(
    *, actor, user, competency: Competency, title: str, target_level: int, due_on: date
) -> TrainingPlan:
    require_perm(actor, "workforce.add_trainingplan")
    _require_staff(user)
    plan = TrainingPlan(
        user=user,
        competency=competency,
        title=title.strip(),
        target_level=target_level,
        due_on=due_on,
        created_by=actor,
    )
    plan.full_clean()
    plan.save()
    audit_record(
        actor=actor,
        action=AuditAction.WORKFORCE_TRAINING_PLANNED,
        target=plan,
        data={
            "user": user.username,
            "competency": competency.name,
            "target_level": target_level,
            "due_on": due_on.isoformat(),
        },
    )
    return plan


@transaction.atomic
def training_status_change(*, actor, plan: TrainingPlan, status: str, today: date) -> TrainingPlan:
    """Move a training plan along; completing it raises the person's level to the target.

    A level already above the target stays where it is: training never lowers a competency.
    """
    require_perm(actor, "workforce.change_trainingplan")
    plan = (
        TrainingPlan.objects.select_for_update()
        .select_related("user", "competency")
        .get(pk=plan.pk)
    )
    if status not in TrainingStatus.values:
        raise ApplicationError(f"Unknown training status {status!r}.")
    if plan.status == TrainingStatus.COMPLETED:
        raise ApplicationError("This training is already completed; plan new training instead.")
    if status == plan.status:
        raise ApplicationError(f"The training is already {plan.get_status_display().lower()}.")
    before = plan.status
    plan.status = status
    plan.completed_on = today if status == TrainingStatus.COMPLETED else None
    plan.full_clean()
    plan.save()
    audit_record(
        actor=actor,
        action=AuditAction.WORKFORCE_TRAINING_STATUS_CHANGED,
        target=plan,
        changes={"status": (before, status)},
    )
    if status == TrainingStatus.COMPLETED:
        held = StaffCompetency.objects.filter(user=plan.user, competency=plan.competency).first()
        if held is None or held.level < plan.target_level:
            _record_level(
                actor=actor,
                user=plan.user,
                competency=plan.competency,
                level=plan.target_level,
                evidence=f"Training completed: {plan.title}"[:300],
                assessed_on=today,
            )
    return plan


# Scenarios ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioInputs:
    allegations_per_year: float
    case_share: float
    analysts_on_board: int
    productive_hours_per_month: float
    max_utilisation: float
    phases: list[staffing.PhaseInput]
    #: The CEE review queue, or None to leave it out of the scenario.
    review_queue: staffing.ReviewQueueInput | None = None

    @property
    def cases_per_year(self) -> float:
        return self.allegations_per_year * self.case_share


def review_queue_input(
    *,
    reviews_per_year: float | None,
    hours_per_review: float | None = None,
    target_days: float | None = None,
) -> staffing.ReviewQueueInput | None:
    """The CEE review queue from the inputs given: none without reviews a year; the hours per
    review and the target falling back to ``CEE_HOURS_PER_REVIEW`` and ``CEE_REVIEW_TARGET_DAYS``."""
    if reviews_per_year is None:
        return None
    conf = selectors.workforce_settings()
    return staffing.ReviewQueueInput(
        reviews_per_year=reviews_per_year,
        hours_per_review=conf["CEE_HOURS_PER_REVIEW"]
        if hours_per_review is None
        else hours_per_review,
        target_days=conf["CEE_REVIEW_TARGET_DAYS"] if target_days is None else target_days,
    )


def scenario_compute(inputs: ScenarioInputs) -> staffing.ScenarioAnswer:
    """Run the staffing model; an input it cannot answer for becomes an ``ApplicationError``."""
    if not 0 <= inputs.case_share <= 1:
        raise ApplicationError("The share of allegations that become cases must be 0–1.")
    try:
        return staffing.scenario(
            cases_per_year=inputs.cases_per_year,
            analysts_on_board=inputs.analysts_on_board,
            productive_hours_per_month=inputs.productive_hours_per_month,
            max_utilisation=inputs.max_utilisation,
            phases=inputs.phases,
            review_queue=inputs.review_queue,
        )
    except staffing.StaffingInputError as exc:
        raise ApplicationError(str(exc)) from exc


def answer_as_dict(answer: staffing.ScenarioAnswer) -> dict:
    return {
        "cases_per_year": answer.cases_per_year,
        "analysts_needed": answer.analysts_needed,
        "analysts_on_board": answer.analysts_on_board,
        "gap": answer.gap,
        "workload_hours_per_month": answer.workload_hours_per_month,
        "overall_utilisation": answer.overall_utilisation,
        "phases": [{**asdict(p), "label": _phase_label(p.phase)} for p in answer.phases],
        "cee_review": (
            {**asdict(answer.cee_review), "label": CEE_REVIEW_LABEL} if answer.cee_review else None
        ),
    }


CEE_REVIEW_LABEL = "CEE review (proof reviews and UFLPA requests)"


def _phase_label(phase: str) -> str:
    return Phase(phase).label if phase in Phase.values else phase


def _review_queue_fields(queue: staffing.ReviewQueueInput | None) -> dict:
    if queue is None:
        return {}
    return {
        "cee_reviews_per_year": Decimal(str(round(queue.reviews_per_year, 1))),
        "cee_hours_per_review": Decimal(str(round(queue.hours_per_review, 1))),
        "cee_target_days": Decimal(str(round(queue.target_days, 1))),
    }


@transaction.atomic
def scenario_save(*, actor, name: str, inputs: ScenarioInputs) -> StaffingScenario:
    """Compute and keep a scenario, so it can be listed and compared with others later."""
    require_perm(actor, "workforce.add_staffingscenario")
    if not name.strip():
        raise ApplicationError("Give the scenario a name.")
    answer = scenario_compute(inputs)
    scenario = StaffingScenario(
        name=name.strip(),
        allegations_per_year=Decimal(str(round(inputs.allegations_per_year, 1))),
        case_share=Decimal(str(round(inputs.case_share, 3))),
        analysts_on_board=inputs.analysts_on_board,
        productive_hours_per_month=Decimal(str(round(inputs.productive_hours_per_month, 1))),
        max_utilisation=Decimal(str(round(inputs.max_utilisation, 3))),
        phases=[{**asdict(p), "label": _phase_label(p.phase)} for p in inputs.phases],
        **_review_queue_fields(inputs.review_queue),
        result=answer_as_dict(answer),
        analysts_needed=answer.analysts_needed,
        gap=answer.gap,
        created_by=actor,
    )
    scenario.full_clean()
    scenario.save()
    audit_record(
        actor=actor,
        action=AuditAction.WORKFORCE_SCENARIO_SAVED,
        target=scenario,
        data={
            "allegations_per_year": inputs.allegations_per_year,
            "analysts_on_board": inputs.analysts_on_board,
            "analysts_needed": answer.analysts_needed,
            "gap": answer.gap,
            "cee_reviews_per_year": (
                inputs.review_queue.reviews_per_year if inputs.review_queue else None
            ),
            "cee_specialists_needed": (
                answer.cee_review.analysts_needed if answer.cee_review else None
            ),
        },
    )
    return scenario
