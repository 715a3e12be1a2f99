"""Saving staffing scenarios."""

import pytest

from withhold.audit.models import AuditAction, AuditEntry
from withhold.core.exceptions import ApplicationError, PermissionDeniedError
from withhold.workforce import services
from withhold.workforce.staffing import PhaseInput, days

pytestmark = pytest.mark.django_db


def inputs(**overrides):
    base = dict(
        allegations_per_year=48,
        case_share=0.5,
        analysts_on_board=2,
        productive_hours_per_month=160,
        max_utilisation=1.0,
        phases=[PhaseInput("initiation", hours_per_case=160, target_days=days(1.5))],
    )
    base.update(overrides)
    return services.ScenarioInputs(**base)


def test_saved_scenario_keeps_inputs_answer_and_audit(supervisor):
    scenario = services.scenario_save(actor=supervisor, name="FY27 baseline", inputs=inputs())
    # 24 cases a year = 2 a month, μ = 1: three analysts (the Erlang C case P(wait) = 4/9).
    assert scenario.analysts_needed == 3
    assert scenario.gap == 1
    assert scenario.result["phases"][0]["wait_probability"] == pytest.approx(4 / 9)
    entry = AuditEntry.objects.get(action=AuditAction.WORKFORCE_SCENARIO_SAVED)
    assert entry.data["analysts_needed"] == 3


def test_infeasible_scenario_is_refused_with_the_phase_named(supervisor):
    bad = inputs(phases=[PhaseInput("legal_review", hours_per_case=1000, target_days=3)])
    with pytest.raises(ApplicationError, match="legal_review"):
        services.scenario_save(actor=supervisor, name="Too fast", inputs=bad)


def test_analyst_cannot_save_scenarios(case_analyst):
    with pytest.raises(PermissionDeniedError):
        services.scenario_save(actor=case_analyst, name="Mine", inputs=inputs())
