"""Reads for the workforce needs assessment: demand, phase times, caseloads, suspensions, skills.

Counts are aggregated by the database (``TruncMonth`` + ``Count``); phase times are read from the
cases' transition history (``CaseTransition``: the date a case entered each phase is never typed),
each stay ending at the next phase change or when the case is closed or made inactive.
"""

import math
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    Count,
    DateField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models import (
    Case as SqlCase,
)
from django.db.models.functions import TruncMonth

from withhold.accounts.roles import Role
from withhold.cases.models import Case, CaseTransition, Phase, Status, SuspensionReason
from withhold.cases.phases import PHASE_ORDER
from withhold.core.exceptions import NotFoundError
from withhold.detentions.models import Basis, Detention, DetentionEvent, UflpaRequest
from withhold.intake.models import Allegation

from . import staffing
from .models import Competency, StaffCompetency, StaffingScenario, TrainingPlan, TrainingStatus

OPEN_STATUSES = [Status.ACTIVE, Status.SUSPENDED]
DETENTION_WORK = ("detentions_section_307", "detentions_uflpa", "reviews_section_307",
                  "reviews_uflpa", "uflpa_reviews_requested", "uflpa_exceptions_requested")  # fmt: skip
_ENTRY_KINDS = [CaseTransition.Kind.OPENED, CaseTransition.Kind.PHASE]


def workforce_settings() -> dict:
    return settings.WITHHOLD_WORKFORCE


# Demand and history ------------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class MonthRow:
    month: date
    allegations: int = 0
    cases_opened: int = 0
    suspensions: int = 0
    suspensions_lack_of_personnel: int = 0
    # Port and CEE work, by the basis of the detention: a WRO or Finding (Section 307) beside the
    # UFLPA presumption — detentions noticed, and detentions taken into review of the proof.
    detentions_section_307: int = 0
    detentions_uflpa: int = 0
    reviews_section_307: int = 0
    reviews_uflpa: int = 0
    # The importers' ways out of the UFLPA presumption, filed in the month: each is a review for
    # a CEE on top of the proof reviews (``detentions.UflpaRequest``).
    uflpa_reviews_requested: int = 0
    uflpa_exceptions_requested: int = 0


def _counts_by_month(qs: QuerySet, field_name: str) -> dict[date, int]:
    rows = (
        qs.annotate(month=TruncMonth(field_name, output_field=DateField()))
        .values("month")
        .annotate(n=Count("id"))
        .values_list("month", "n")
    )
    return {month: n for month, n in rows}


def _detention_work_by_month(first: date, end: date) -> dict[str, dict[date, int]]:
    """Detentions noticed and detentions taken into review in each month, by basis, and the
    importers' UFLPA applicability reviews and exception requests filed: the same records the
    KPIs ``detentions_section_307`` … ``reviews_uflpa``, ``uflpa_reviews_requested`` and
    ``uflpa_exceptions_requested`` count."""
    detentions = Detention.objects.filter(notice_on__gte=first, notice_on__lt=end)
    reviews = DetentionEvent.objects.filter(
        kind=DetentionEvent.Kind.REVIEW_STARTED, on__gte=first, on__lt=end
    )
    work = {}
    for name, basis in (("section_307", Basis.ORDER), ("uflpa", Basis.UFLPA)):
        work[f"detentions_{name}"] = _counts_by_month(detentions.filter(basis=basis), "notice_on")
        work[f"reviews_{name}"] = {
            month: n
            for month, n in reviews.filter(detention__basis=basis)
            .annotate(month=TruncMonth("on", output_field=DateField()))
            .values("month")
            .annotate(n=Count("detention", distinct=True))
            .values_list("month", "n")
        }
    requests = UflpaRequest.objects.filter(submitted_on__gte=first, submitted_on__lt=end)
    for name, path in (
        ("uflpa_reviews_requested", UflpaRequest.Path.APPLICABILITY_REVIEW),
        ("uflpa_exceptions_requested", UflpaRequest.Path.EXCEPTION),
    ):
        work[name] = _counts_by_month(requests.filter(path=path), "submitted_on")
    return work


def demand_by_month(*, first_month: date, last_month: date) -> list[MonthRow]:
    """Allegations received, cases opened and suspensions made in each month, and the
    detention work by basis, zeros included."""
    first, last = month_start(first_month), month_start(last_month)
    end = add_months(last, 1)
    allegations = _counts_by_month(
        Allegation.objects.filter(created_at__date__gte=first, created_at__date__lt=end),
        "created_at",
    )
    cases = _counts_by_month(
        Case.objects.filter(opened_on__gte=first, opened_on__lt=end), "opened_on"
    )
    suspended = CaseTransition.objects.filter(
        kind=CaseTransition.Kind.STATUS,
        to_status=Status.SUSPENDED,
        at__date__gte=first,
        at__date__lt=end,
    )
    suspensions = _counts_by_month(suspended, "at")
    lack = _counts_by_month(suspended.filter(reason_code=SuspensionReason.LACK_OF_PERSONNEL), "at")
    work = _detention_work_by_month(first, end)
    rows = []
    month = first
    while month <= last:
        rows.append(
            MonthRow(
                month=month,
                allegations=allegations.get(month, 0),
                cases_opened=cases.get(month, 0),
                suspensions=suspensions.get(month, 0),
                suspensions_lack_of_personnel=lack.get(month, 0),
                **{name: counts.get(month, 0) for name, counts in work.items()},
            )
        )
        month = add_months(month, 1)
    return rows


@dataclass(frozen=True)
class PhaseTime:
    phase: str
    label: str
    completed_stays: int
    open_stays: int
    mean_days: float | None
    median_days: float | None
    cases_entered: int
    share_of_cases: float | None


def _phase_stays(*, since: datetime | None = None) -> QuerySet:
    """Every entry into a phase with the time it ended (None while the case is still in it)."""
    ends = (
        CaseTransition.objects.filter(case=OuterRef("case"), at__gte=OuterRef("at"))
        .filter(
            Q(kind=CaseTransition.Kind.PHASE)
            | Q(kind=CaseTransition.Kind.STATUS, to_status__in=[Status.CLOSED, Status.INACTIVE])
        )
        .exclude(pk=OuterRef("pk"))
        .filter(Q(at__gt=OuterRef("at")) | Q(pk__gt=OuterRef("pk")))
    )
    qs = CaseTransition.objects.filter(kind__in=_ENTRY_KINDS)
    if since is not None:
        qs = qs.filter(at__gte=since)
    return qs.annotate(ended_at=Subquery(ends.order_by("at", "id").values("at")[:1]))


def phase_times(*, since: datetime | None = None) -> list[PhaseTime]:
    """Days spent in each phase by stays that ended, and how many cases ever reached it.

    A case sent back to an earlier phase has two stays there; both count. ``since`` keeps the
    stays that began on or after it.
    """
    durations: dict[str, list[float]] = {phase: [] for phase in PHASE_ORDER}
    open_stays: dict[str, int] = dict.fromkeys(PHASE_ORDER, 0)
    for phase, started, ended in _phase_stays(since=since).values_list(
        "to_phase", "at", "ended_at"
    ):
        if ended is None:
            open_stays[phase] += 1
        else:
            durations[phase].append((ended - started) / timedelta(days=1))
    entered = dict(
        CaseTransition.objects.filter(kind__in=_ENTRY_KINDS)
        .values("to_phase")
        .annotate(n=Count("case", distinct=True))
        .values_list("to_phase", "n")
    )
    total = Case.objects.count()
    rows = []
    for phase in PHASE_ORDER:
        values = durations[phase]
        rows.append(
            PhaseTime(
                phase=phase,
                label=Phase(phase).label,
                completed_stays=len(values),
                open_stays=open_stays[phase],
                mean_days=statistics.fmean(values) if values else None,
                median_days=statistics.median(values) if values else None,
                cases_entered=entered.get(phase, 0),
                share_of_cases=entered.get(phase, 0) / total if total else None,
            )
        )
    return rows


@dataclass(frozen=True)
class CaseloadRow:
    analyst_id: int | None
    username: str
    name: str
    active: int
    suspended: int
    total: int


def caseload_by_analyst() -> list[CaseloadRow]:
    """Open cases (active or suspended) per assigned analyst, heaviest first; None = unassigned."""
    rows = (
        Case.objects.filter(status__in=OPEN_STATUSES)
        .values(
            "assigned_analyst",
            "assigned_analyst__username",
            "assigned_analyst__first_name",
            "assigned_analyst__last_name",
        )
        .annotate(
            active=Count("id", filter=Q(status=Status.ACTIVE)),
            suspended=Count("id", filter=Q(status=Status.SUSPENDED)),
            total=Count("id"),
        )
        .order_by("-total", F("assigned_analyst__username").asc(nulls_first=True))
    )
    return [
        CaseloadRow(
            analyst_id=r["assigned_analyst"],
            username=r["assigned_analyst__username"] or "",
            name=" ".join(
                p
                for p in (r["assigned_analyst__first_name"], r["assigned_analyst__last_name"])
                if p
            ),
            active=r["active"],
            suspended=r["suspended"],
            total=r["total"],
        )
        for r in rows
    ]


@dataclass(frozen=True)
class SuspensionSummary:
    suspended_now: int
    lack_of_personnel_now: int
    by_reason: list[tuple[str, int]]


def suspension_summary() -> SuspensionSummary:
    """Cases suspended now, by reason; lack of personnel is what the staffing model removes."""
    counts = dict(
        Case.objects.filter(status=Status.SUSPENDED)
        .values("suspension_reason")
        .annotate(n=Count("id"))
        .values_list("suspension_reason", "n")
    )
    by_reason = [(label, counts.get(value, 0)) for value, label in SuspensionReason.choices]
    return SuspensionSummary(
        suspended_now=sum(counts.values()),
        lack_of_personnel_now=counts.get(SuspensionReason.LACK_OF_PERSONNEL, 0),
        by_reason=by_reason,
    )


@dataclass
class Assessment:
    first_month: date
    last_month: date
    months: list[MonthRow]
    phases: list[PhaseTime]
    caseloads: list[CaseloadRow]
    suspensions: SuspensionSummary
    allegations_per_year: float
    cases_per_year: float
    case_share: float | None
    # Detention work a year on average over the same months, by basis (``MonthRow``).
    detentions_section_307_per_year: float = 0.0
    detentions_uflpa_per_year: float = 0.0
    reviews_section_307_per_year: float = 0.0
    reviews_uflpa_per_year: float = 0.0
    uflpa_reviews_requested_per_year: float = 0.0
    uflpa_exceptions_requested_per_year: float = 0.0
    defaults: dict = field(default_factory=dict)


def assessment(*, today: date, months: int | None = None) -> Assessment:
    """The history the scenario starts from: the last ``months`` full months up to ``today``."""
    months = months or workforce_settings()["HISTORY_MONTHS"]
    last = month_start(today)
    first = add_months(last, -(months - 1))
    rows = demand_by_month(first_month=first, last_month=last)
    phases = phase_times()
    allegations = sum(r.allegations for r in rows)
    cases = sum(r.cases_opened for r in rows)
    per_year = 12 / months
    # Cases the division opens on its own (no allegation behind them) still need analysts, so
    # the demand the scenario starts from is never below the cases actually opened.
    demand = max(allegations, cases)
    case_share = cases / demand if demand else None
    result = Assessment(
        first_month=first,
        last_month=last,
        months=rows,
        phases=phases,
        caseloads=caseload_by_analyst(),
        suspensions=suspension_summary(),
        allegations_per_year=allegations * per_year,
        cases_per_year=cases * per_year,
        case_share=case_share,
        **{
            f"{name}_per_year": sum(getattr(r, name) for r in rows) * per_year
            for name in DETENTION_WORK
        },
    )
    result.defaults = scenario_defaults(result)
    return result


def scenario_defaults(history: Assessment) -> dict:
    """Starting inputs for the scenario page: history where there is some, settings otherwise.

    A target from history is never set below twice the days one analyst needs for one case of
    the phase: a shorter target cannot be met by any number of analysts.
    """
    conf = workforce_settings()
    hours_per_month = conf["PRODUCTIVE_HOURS_PER_MONTH"]
    phases = {}
    for row in history.phases:
        hours = conf["HOURS_PER_CASE"][row.phase]
        floor = math.ceil(2 * staffing.days(hours / hours_per_month))
        observed = row.median_days if row.median_days and row.median_days >= 1 else None
        target = round(observed) if observed is not None else conf["TARGET_DAYS"][row.phase]
        phases[row.phase] = {
            "share": round(row.share_of_cases, 3) if row.share_of_cases is not None else 1.0,
            "hours_per_case": hours,
            "target_days": max(target, floor),
        }
    analysts = get_user_model().objects.filter(is_active=True, groups__name=Role.CASE_ANALYST.label)
    return {
        "allegations_per_year": round(max(history.allegations_per_year, history.cases_per_year), 1),
        "case_share": round(history.case_share, 3) if history.case_share is not None else 1.0,
        "analysts_on_board": analysts.values("id").distinct().count(),
        "productive_hours_per_month": hours_per_month,
        "max_utilisation": conf["MAX_UTILISATION"],
        # The CEE review queue's arrivals: detentions taken into review of the proof, of either
        # basis, and the importers' UFLPA applicability reviews and exception requests.
        "cee_reviews_per_year": round(
            history.reviews_section_307_per_year
            + history.reviews_uflpa_per_year
            + history.uflpa_reviews_requested_per_year
            + history.uflpa_exceptions_requested_per_year,
            1,
        ),
        "cee_hours_per_review": conf["CEE_HOURS_PER_REVIEW"],
        "cee_target_days": conf["CEE_REVIEW_TARGET_DAYS"],
        "phases": phases,
    }


# Scenarios ----------------------------------------------------------------------------------------


def scenario_list(*, user) -> QuerySet[StaffingScenario]:
    if not user.has_perm("workforce.view_staffingscenario"):
        return StaffingScenario.objects.none()
    return StaffingScenario.objects.select_related("created_by")


def scenario_get_for_user(*, user, scenario_id: int) -> StaffingScenario:
    found = scenario_list(user=user).filter(pk=scenario_id).first()
    if found is None:
        raise NotFoundError("No such scenario.")
    return found


# Skills ------------------------------------------------------------------------------------------


def competency_list(*, text: str = "", category: str = "", active: bool | None = None):
    qs = Competency.objects.all()
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(description__icontains=text))
    if category:
        qs = qs.filter(category=category)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def _sees_everyone(user, model: str) -> bool:
    return user.has_perm(f"workforce.view_{model}")


def staff_competency_list_for_user(
    *, user, person_id: int | None = None, competency_id: int | None = None, below_required=False
) -> QuerySet[StaffCompetency]:
    """Everyone's competencies for a supervisor; one's own for an analyst; nothing otherwise."""
    qs = StaffCompetency.objects.select_related("user", "competency")
    if not _sees_everyone(user, "staffcompetency"):
        if not user.has_perm("workforce.view_own_skills"):
            return qs.none()
        qs = qs.filter(user=user)
    if person_id:
        qs = qs.filter(user_id=person_id)
    if competency_id:
        qs = qs.filter(competency_id=competency_id)
    if below_required:
        qs = qs.filter(level__lt=F("competency__required_level"))
    return qs


def training_list_for_user(
    *,
    user,
    today: date,
    person_id: int | None = None,
    competency_id: int | None = None,
    status: str = "",
    overdue_only: bool = False,
) -> QuerySet[TrainingPlan]:
    """Training plans with ``is_overdue`` (due before ``today`` and not completed)."""
    qs = TrainingPlan.objects.select_related("user", "competency").annotate(
        is_overdue=SqlCase(
            When(~Q(status=TrainingStatus.COMPLETED) & Q(due_on__lt=today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )
    if not _sees_everyone(user, "trainingplan"):
        if not user.has_perm("workforce.view_own_skills"):
            return qs.none()
        qs = qs.filter(user=user)
    if person_id:
        qs = qs.filter(user_id=person_id)
    if competency_id:
        qs = qs.filter(competency_id=competency_id)
    if status:
        qs = qs.filter(status=status)
    if overdue_only:
        qs = qs.filter(is_overdue=True)
    return qs


def training_get_for_user(*, user, plan_id: int, today: date) -> TrainingPlan:
    found = training_list_for_user(user=user, today=today).filter(pk=plan_id).first()
    if found is None:
        raise NotFoundError("No such training plan.")
    return found


@dataclass(frozen=True)
class GapRow:
    competency: Competency
    required_level: int
    required_headcount: int
    held: int
    held_below: int
    in_training: int

    @property
    def gap(self) -> int:
        return max(0, self.required_headcount - self.held)


def gap_matrix() -> list[GapRow]:
    """Each active competency: people needed at the required level against people holding it.

    ``held`` counts active staff at or above the required level; ``held_below`` those who hold it
    at a lower level; ``in_training`` open training plans that would bring someone up to it.
    """
    qs = (
        Competency.objects.filter(is_active=True)
        .annotate(
            held=Count(
                "holders",
                filter=Q(holders__level__gte=F("required_level"), holders__user__is_active=True),
                distinct=True,
            ),
            held_below=Count(
                "holders",
                filter=Q(holders__level__lt=F("required_level"), holders__user__is_active=True),
                distinct=True,
            ),
            in_training=Count(
                "training_plans",
                filter=~Q(training_plans__status=TrainingStatus.COMPLETED)
                & Q(
                    training_plans__target_level__gte=F("required_level"),
                    training_plans__user__is_active=True,
                ),
                distinct=True,
            ),
        )
        .order_by("category", "name")
    )
    return [
        GapRow(
            competency=c,
            required_level=c.required_level,
            required_headcount=c.required_headcount,
            held=c.held,
            held_below=c.held_below,
            in_training=c.in_training,
        )
        for c in qs
    ]


def people_grid() -> tuple[list, list[Competency], dict[tuple[int, int], int]]:
    """Staff holding any competency × active competencies → level, for the people view."""
    competencies = list(Competency.objects.filter(is_active=True).order_by("category", "name"))
    levels = {
        (user_id, competency_id): level
        for user_id, competency_id, level in StaffCompetency.objects.filter(
            user__is_active=True, competency__is_active=True
        ).values_list("user_id", "competency_id", "level")
    }
    people = list(
        get_user_model().objects.filter(pk__in={u for u, _ in levels}).order_by("username")
    )
    return people, competencies, levels


#: Accounts that are not division staff: they hold no competencies and get no training plans.
NOT_STAFF_ROLES = [Role.IMPORTER, Role.PUBLIC]


def staff_users():
    """Active division staff, for choosing whom a competency or training plan is about."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(groups__name__in=[role.label for role in NOT_STAFF_ROLES])
        .order_by("username")
    )


def competency_get(*, competency_id: int) -> Competency:
    found = Competency.objects.filter(pk=competency_id).first()
    if found is None:
        raise NotFoundError("No such competency.")
    return found
