"""The staffing model against answers known in closed form."""

import math

import pytest

from withhold.workforce import staffing
from withhold.workforce.staffing import PhaseInput, StaffingInputError


def test_erlang_c_textbook_value_two_erlangs_three_servers():
    # a = λ/μ = 2, c = 3: P0 = 1/9, P(wait) = (a^c/c!)·(c/(c−a))·P0 = 4/9.
    assert staffing.erlang_c(servers=3, offered_load=2) == pytest.approx(4 / 9)


def test_erlang_c_with_one_server_is_the_utilisation():
    # M/M/1: the probability of waiting is ρ.
    assert staffing.erlang_c(servers=1, offered_load=0.75) == pytest.approx(0.75)


@pytest.mark.parametrize(("lam", "mu"), [(3.0, 4.0), (0.5, 2.0), (9.0, 10.0)])
def test_mm1_wait_matches_closed_form(lam, mu):
    result = staffing.mmc(arrival_rate=lam, service_rate=mu, servers=1)
    rho = lam / mu
    assert result.expected_wait == pytest.approx(rho / (mu - lam))
    assert result.expected_time_in_phase == pytest.approx(1 / (mu - lam))
    assert result.expected_queue_length == pytest.approx(rho**2 / (1 - rho))


def test_mm2_wait_matches_closed_form():
    # M/M/2: Wq = ρ² / (μ(1 − ρ²)) with ρ = λ/(2μ).
    lam, mu = 3.0, 2.0
    rho = lam / (2 * mu)
    result = staffing.mmc(arrival_rate=lam, service_rate=mu, servers=2)
    assert result.expected_wait == pytest.approx(rho**2 / (mu * (1 - rho**2)))


def test_simulation_agrees_with_closed_form():
    closed = staffing.mmc(arrival_rate=2.0, service_rate=1.0, servers=3).expected_wait
    simulated = staffing.simulate_mmc(
        arrival_rate=2.0, service_rate=1.0, servers=3, customers=200_000, seed=7
    )
    assert simulated == pytest.approx(closed, rel=0.08)


def test_unstable_queue_is_refused_with_a_clear_message():
    with pytest.raises(StaffingInputError, match="cannot keep up"):
        staffing.mmc(arrival_rate=5.0, service_rate=1.0, servers=5)


def test_analysts_needed_is_the_least_c_meeting_the_target():
    # λ = 2, μ = 1 case/analyst-month (160 h per case, 160 h a month).
    target_months = 1.5
    result = staffing.analysts_needed(
        arrival_rate=2.0,
        hours_per_case=160,
        productive_hours_per_month=160,
        target_days=staffing.days(target_months),
    )
    # c = 3: W = 4/9 / (3 − 2) + 1 = 1.444 months ≤ 1.5; c = 2 is unstable (ρ = 1).
    assert result.servers == 3
    assert result.expected_time_in_phase == pytest.approx(4 / 9 + 1)


def test_a_tighter_target_needs_more_analysts():
    common = dict(arrival_rate=2.0, hours_per_case=160, productive_hours_per_month=160)
    loose = staffing.analysts_needed(**common, target_days=staffing.days(1.5))
    tight = staffing.analysts_needed(**common, target_days=staffing.days(1.1))
    assert tight.servers > loose.servers


@pytest.mark.parametrize("lam", [4.0, 16.0, 64.0])
def test_more_arrivals_need_more_analysts(lam):
    common = dict(hours_per_case=40, productive_hours_per_month=120, target_days=30)
    fewer = staffing.analysts_needed(arrival_rate=lam, **common)
    more = staffing.analysts_needed(arrival_rate=lam * 2, **common)
    assert more.servers > fewer.servers
    assert more.utilisation < 1


def test_analysts_needed_never_falls_as_arrivals_rise():
    common = dict(hours_per_case=40, productive_hours_per_month=120, target_days=30)
    needed = [
        staffing.analysts_needed(arrival_rate=lam / 2, **common).servers for lam in range(1, 60)
    ]
    assert needed == sorted(needed)


def test_answer_always_keeps_utilisation_below_one():
    result = staffing.analysts_needed(
        arrival_rate=10, hours_per_case=16, productive_hours_per_month=16, target_days=1000
    )
    # a = 10 exactly: 10 analysts would be ρ = 1 (backlog grows), so 11.
    assert result.servers == 11
    assert result.utilisation < 1


def test_target_shorter_than_one_case_is_infeasible():
    with pytest.raises(StaffingInputError, match="no number of analysts can meet it"):
        staffing.analysts_needed(
            arrival_rate=1, hours_per_case=320, productive_hours_per_month=160, target_days=10
        )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"hours_per_case": 0}, "Hours per case"),
        ({"productive_hours_per_month": 0}, "Productive hours"),
        ({"target_days": 0}, "target time"),
        ({"arrival_rate": -1}, "cannot be negative"),
        ({"max_utilisation": 1.5}, "utilisation ceiling"),
    ],
)
def test_bad_inputs_are_named(kwargs, message):
    args = dict(arrival_rate=1, hours_per_case=10, productive_hours_per_month=100, target_days=30)
    args.update(kwargs)
    with pytest.raises(StaffingInputError, match=message):
        staffing.analysts_needed(**args)


def test_scenario_totals_phases_and_gap():
    answer = staffing.scenario(
        cases_per_year=24,
        analysts_on_board=2,
        productive_hours_per_month=160,
        max_utilisation=1.0,
        phases=[
            PhaseInput("initiation", hours_per_case=160, target_days=staffing.days(1.5)),
            PhaseInput("investigation", hours_per_case=160, target_days=staffing.days(1.5)),
        ],
    )
    assert [p.analysts_needed for p in answer.phases] == [3, 3]
    assert answer.analysts_needed == 6
    assert answer.gap == 4
    assert answer.overall_utilisation == pytest.approx(2.0)
    assert answer.phases[0].wait_probability == pytest.approx(4 / 9)


def test_scenario_error_names_the_phase():
    with pytest.raises(StaffingInputError, match=r"^legal_review:"):
        staffing.scenario(
            cases_per_year=12,
            analysts_on_board=1,
            productive_hours_per_month=100,
            phases=[PhaseInput("legal_review", hours_per_case=1000, target_days=5)],
        )


def test_scenario_with_no_cases_needs_no_analysts():
    answer = staffing.scenario(
        cases_per_year=0,
        analysts_on_board=3,
        productive_hours_per_month=100,
        phases=[PhaseInput("initiation", hours_per_case=10, target_days=5)],
    )
    assert answer.analysts_needed == 0
    assert answer.gap == -3
    assert math.isclose(answer.workload_hours_per_month, 0)
