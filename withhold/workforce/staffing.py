"""The staffing model: how many analysts each phase needs. Pure: no database, no clock.

Each phase of the workflow is treated as an M/M/c queue (Erlang C): cases arrive at rate λ per
month (Poisson), each needs on average ``hours`` of analyst work (exponential), and ``c`` analysts
each give ``productive_hours`` a month. The service rate of one analyst is μ = productive_hours /
hours cases a month, the offered load is a = λ/μ (in analysts) and the utilisation ρ = a/c.

* ρ ≥ 1 means work arrives faster than it is done: the backlog grows without bound, which is what
  ends in cases suspended "for lack of personnel". So c must be more than a.
* Erlang C gives the probability that a case waits for an analyst, and the expected wait
  Wq = P(wait) / (cμ − λ); the time in the phase is W = Wq + 1/μ.

``analysts_needed`` returns the least c with ρ < 1, ρ ≤ the utilisation ceiling, and W within the
target time for the phase. ``docs/workforce.md`` sets out the formulas and their limits.

The CEE review queue is one more M/M/c queue beside the case phases, with its own arrivals: the
detentions taken into review of the importer's proof and the importers' UFLPA applicability
reviews and exception requests, each a file a Center of Excellence and Expertise reviews. Its
reviewers are import specialists, not the division's case analysts, so they are counted on their
own line (``ScenarioAnswer.cee_review``) and not in the analysts needed or the gap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

#: Average calendar days in a month: targets and history are both in calendar days.
DAYS_PER_MONTH = 365.25 / 12
#: A safety cap: no phase is ever staffed beyond this many analysts by the search.
MAX_ANALYSTS = 10_000


class StaffingInputError(ValueError):
    """Inputs the model cannot answer for, with a message naming the input."""


def erlang_c(*, servers: int, offered_load: float) -> float:
    """Probability that an arrival waits in an M/M/c queue (Erlang's C formula).

    ``offered_load`` is a = λ/μ. Needs ``servers`` > a; computed with the stable Erlang B
    recursion B(k) = a·B(k−1) / (k + a·B(k−1)), then C = c·B / (c − a(1 − B)).
    """
    if servers < 1:
        raise StaffingInputError("The number of analysts must be at least 1.")
    if offered_load < 0:
        raise StaffingInputError("The offered load cannot be negative.")
    if offered_load == 0:
        return 0.0
    if offered_load >= servers:
        raise StaffingInputError(
            f"{servers} analyst(s) cannot keep up with a load of {offered_load:.2f} analysts' "
            "work: the queue grows without end."
        )
    blocking = 1.0
    for k in range(1, servers + 1):
        blocking = offered_load * blocking / (k + offered_load * blocking)
    return servers * blocking / (servers - offered_load * (1 - blocking))


@dataclass(frozen=True)
class QueueResult:
    servers: int
    arrival_rate: float  # λ, cases per month
    service_rate: float  # μ, cases per analyst per month
    offered_load: float  # a = λ/μ
    utilisation: float  # ρ = a/c
    wait_probability: float  # Erlang C
    expected_wait: float  # Wq, months
    expected_time_in_phase: float  # W = Wq + 1/μ, months
    expected_queue_length: float  # Lq = λ·Wq, cases


def mmc(*, arrival_rate: float, service_rate: float, servers: int) -> QueueResult:
    """The steady state of an M/M/c queue; an error when it has none (ρ ≥ 1)."""
    if arrival_rate < 0:
        raise StaffingInputError("The arrival rate cannot be negative.")
    if service_rate <= 0:
        raise StaffingInputError("The service rate must be more than zero.")
    load = arrival_rate / service_rate
    p_wait = erlang_c(servers=servers, offered_load=load)
    wait = p_wait / (servers * service_rate - arrival_rate) if arrival_rate else 0.0
    return QueueResult(
        servers=servers,
        arrival_rate=arrival_rate,
        service_rate=service_rate,
        offered_load=load,
        utilisation=load / servers,
        wait_probability=p_wait,
        expected_wait=wait,
        expected_time_in_phase=wait + 1 / service_rate,
        expected_queue_length=arrival_rate * wait,
    )


@dataclass(frozen=True)
class PhaseInput:
    phase: str
    hours_per_case: float
    target_days: float
    #: Share of the cases arriving that reach this phase (1.0 for initiation).
    share: float = 1.0


@dataclass(frozen=True)
class ReviewQueueInput:
    """The CEE review queue: files arriving a year (proof reviews and UFLPA requests), the
    specialist hours each takes, and the target calendar days from arrival to recommendation."""

    reviews_per_year: float
    hours_per_review: float
    target_days: float


#: The CEE review queue's name in answers.
CEE_REVIEW = "cee_review"


@dataclass(frozen=True)
class PhaseAnswer:
    phase: str
    arrival_rate: float
    hours_per_case: float
    target_days: float
    analysts_needed: int
    utilisation: float
    wait_probability: float
    expected_wait_days: float
    expected_days_in_phase: float
    meets_target: bool
    note: str = ""


@dataclass(frozen=True)
class ScenarioAnswer:
    cases_per_year: float
    productive_hours_per_month: float
    max_utilisation: float
    analysts_on_board: int
    phases: list[PhaseAnswer] = field(default_factory=list)
    #: Specialists the CEE review queue needs; None when the scenario does not model it.
    cee_review: PhaseAnswer | None = None

    @property
    def analysts_needed(self) -> int:
        return sum(p.analysts_needed for p in self.phases)

    @property
    def gap(self) -> int:
        """Analysts still to find (positive) or to spare (negative)."""
        return self.analysts_needed - self.analysts_on_board

    @property
    def workload_hours_per_month(self) -> float:
        return sum(p.arrival_rate * p.hours_per_case for p in self.phases)

    @property
    def overall_utilisation(self) -> float | None:
        """Share of the analysts on board's hours the work would take (None with no analysts)."""
        if self.analysts_on_board <= 0:
            return None
        return self.workload_hours_per_month / (
            self.analysts_on_board * self.productive_hours_per_month
        )


def days(months: float) -> float:
    return months * DAYS_PER_MONTH


def analysts_needed(
    *,
    arrival_rate: float,
    hours_per_case: float,
    productive_hours_per_month: float,
    target_days: float,
    max_utilisation: float = 1.0,
) -> QueueResult | None:
    """The smallest staffing that keeps the queue stable and the time in phase within target.

    Returns None when no work arrives. Raises ``StaffingInputError`` when no number of analysts
    can meet the target: the target is shorter than the work on one case takes one analyst.
    """
    if hours_per_case <= 0:
        raise StaffingInputError("Hours per case must be more than zero.")
    if productive_hours_per_month <= 0:
        raise StaffingInputError("Productive hours per analyst per month must be more than zero.")
    if target_days <= 0:
        raise StaffingInputError("The target time in phase must be more than zero days.")
    if not 0 < max_utilisation <= 1:
        raise StaffingInputError("The utilisation ceiling must be above 0 and at most 1.")
    if arrival_rate < 0:
        raise StaffingInputError("Expected cases cannot be negative.")
    if arrival_rate == 0:
        return None
    service_rate = productive_hours_per_month / hours_per_case
    service_days = days(1 / service_rate)
    if service_days > target_days:
        raise StaffingInputError(
            f"The target of {target_days:g} days is shorter than the "
            f"{service_days:.1f} days one analyst needs for one case "
            f"({hours_per_case:g} hours at {productive_hours_per_month:g} productive hours a month); "
            "no number of analysts can meet it."
        )
    load = arrival_rate / service_rate
    servers = max(1, math.floor(load) + 1)
    while servers <= MAX_ANALYSTS:
        result = mmc(arrival_rate=arrival_rate, service_rate=service_rate, servers=servers)
        if (
            result.utilisation <= max_utilisation
            and days(result.expected_time_in_phase) <= target_days
        ):
            return result
        servers += 1
    raise StaffingInputError(
        f"More than {MAX_ANALYSTS} analysts would be needed; check the inputs."
    )


def scenario(
    *,
    cases_per_year: float,
    analysts_on_board: int,
    productive_hours_per_month: float,
    phases: list[PhaseInput],
    max_utilisation: float = 0.85,
    review_queue: ReviewQueueInput | None = None,
) -> ScenarioAnswer:
    """Analysts needed per phase and in total for a year's expected cases, and, given a
    ``review_queue``, the CEE specialists its reviews need (on their own line).

    Each phase is staffed separately (analysts are not pooled across phases), which is the
    conservative reading: pooling would need fewer analysts but assumes everyone can do everything.
    """
    if cases_per_year < 0:
        raise StaffingInputError("Expected cases per year cannot be negative.")
    if analysts_on_board < 0:
        raise StaffingInputError("Analysts on board cannot be negative.")
    if not phases:
        raise StaffingInputError("At least one phase is needed.")
    answers = []
    for item in phases:
        if not 0 <= item.share <= 1:
            raise StaffingInputError(f"{item.phase}: the share reaching the phase must be 0–1.")
        answers.append(
            _queue_answer(
                name=item.phase,
                rate=cases_per_year / 12 * item.share,
                hours=item.hours_per_case,
                target_days=item.target_days,
                productive_hours_per_month=productive_hours_per_month,
                max_utilisation=max_utilisation,
            )
        )
    cee = None
    if review_queue is not None:
        if review_queue.reviews_per_year < 0:
            raise StaffingInputError("CEE reviews per year cannot be negative.")
        cee = _queue_answer(
            name=CEE_REVIEW,
            rate=review_queue.reviews_per_year / 12,
            hours=review_queue.hours_per_review,
            target_days=review_queue.target_days,
            productive_hours_per_month=productive_hours_per_month,
            max_utilisation=max_utilisation,
        )
    return ScenarioAnswer(
        cases_per_year=cases_per_year,
        productive_hours_per_month=productive_hours_per_month,
        max_utilisation=max_utilisation,
        analysts_on_board=analysts_on_board,
        phases=answers,
        cee_review=cee,
    )


def _queue_answer(
    *,
    name: str,
    rate: float,
    hours: float,
    target_days: float,
    productive_hours_per_month: float,
    max_utilisation: float,
) -> PhaseAnswer:
    """One queue's staffing: a case phase, or the CEE review queue."""
    try:
        result = analysts_needed(
            arrival_rate=rate,
            hours_per_case=hours,
            productive_hours_per_month=productive_hours_per_month,
            target_days=target_days,
            max_utilisation=max_utilisation,
        )
    except StaffingInputError as error:
        label = "CEE review" if name == CEE_REVIEW else name
        raise StaffingInputError(f"{label}: {error}") from error
    if result is None:
        return PhaseAnswer(
            phase=name,
            arrival_rate=0.0,
            hours_per_case=hours,
            target_days=target_days,
            analysts_needed=0,
            utilisation=0.0,
            wait_probability=0.0,
            expected_wait_days=0.0,
            expected_days_in_phase=0.0,
            meets_target=True,
            note="No cases expected." if name != CEE_REVIEW else "No reviews expected.",
        )
    return PhaseAnswer(
        phase=name,
        arrival_rate=rate,
        hours_per_case=hours,
        target_days=target_days,
        analysts_needed=result.servers,
        utilisation=result.utilisation,
        wait_probability=result.wait_probability,
        expected_wait_days=days(result.expected_wait),
        expected_days_in_phase=days(result.expected_time_in_phase),
        meets_target=days(result.expected_time_in_phase) <= target_days,
    )


def simulate_mmc(
    *,
    arrival_rate: float,
    service_rate: float,
    servers: int,
    customers: int,
    seed: int,
) -> float:
    """Mean wait in queue of a discrete-event M/M/c simulation (first come, first served).

    A check on the closed form, not used for answers: with enough customers it converges to Wq.
    """
    import heapq
    import random

    if arrival_rate <= 0 or service_rate <= 0 or servers < 1 or customers < 1:
        raise StaffingInputError("Simulation needs positive rates, analysts and cases.")
    rng = random.Random(seed)
    free_at = [0.0] * servers
    heapq.heapify(free_at)
    clock = 0.0
    total_wait = 0.0
    for _ in range(customers):
        clock += rng.expovariate(arrival_rate)
        earliest = heapq.heappop(free_at)
        start = max(clock, earliest)
        total_wait += start - clock
        heapq.heappush(free_at, start + rng.expovariate(service_rate))
    return total_wait / customers
