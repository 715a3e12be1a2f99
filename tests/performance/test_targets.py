"""Targets and entered baselines: set by a supervisor, audited, kept as history, and turned into
target to date and variance on the dashboard."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from withhold.audit.models import AuditAction, AuditEntry
from withhold.core.exceptions import PermissionDeniedError
from withhold.performance import services
from withhold.performance.models import Indicator, KpiTarget
from withhold.performance.selectors import kpi_dashboard, targets_in_force

pytestmark = pytest.mark.django_db
OCT, NOV = dt.date(2026, 10, 1), dt.date(2026, 11, 1)


def _row(board, indicator):
    return next(r for r in board.rows if r.indicator == indicator)


def test_setting_a_target_is_audited_with_old_and_new_values(supervisor):
    services.kpi_target_set(
        actor=supervisor, indicator="outreach", fiscal_year=2027, target=20, reason="First year."
    )
    row = services.kpi_target_set(
        actor=supervisor,
        indicator="outreach",
        fiscal_year=2027,
        target=24,
        reason="Two a month, per the FY2027 priorities.",
    )
    entries = AuditEntry.objects.filter(action=AuditAction.KPI_TARGET_SET, object_id=str(row.pk))
    target_entry = entries.get(field="target")
    assert (target_entry.old_value, target_entry.new_value) == ("20", "24")
    assert target_entry.actor == supervisor
    assert target_entry.data["reason"] == "Two a month, per the FY2027 priorities."


def test_the_latest_setting_is_in_force_and_the_earlier_one_stays_as_history(supervisor):
    for target in (10, 12, 9):
        services.kpi_target_set(
            actor=supervisor, indicator="wros", fiscal_year=2027, target=target, reason="Plan."
        )
    assert targets_in_force(2027)["wros"].target == 9
    assert list(
        KpiTarget.objects.filter(indicator="wros")
        .order_by("set_at", "id")
        .values_list("target", flat=True)
    ) == [10, 12, 9]


@pytest.mark.parametrize("role_fixture", ["case_analyst", "approving_official", "port_officer"])
def test_only_a_supervisor_sets_targets(role_fixture, request):
    user = request.getfixturevalue(role_fixture)
    with pytest.raises(PermissionDeniedError):
        services.kpi_target_set(
            actor=user, indicator="wros", fiscal_year=2027, target=3, reason="x"
        )
    assert not KpiTarget.objects.exists()


def test_bad_target_input_names_each_field(supervisor):
    with pytest.raises(ValidationError) as exc:
        services.kpi_target_set(
            actor=supervisor, indicator="arrests", fiscal_year=1999, target=-1, reason=" "
        )
    assert set(exc.value.message_dict) == {"indicator", "fiscal_year", "target", "reason"}


def test_variance_against_target_to_date_on_the_dashboard(kpi_data, supervisor):
    services.kpi_target_set(
        actor=supervisor, indicator="outreach", fiscal_year=2027, target=24, reason="Plan."
    )
    services.kpi_target_set(
        actor=supervisor,
        indicator=Indicator.ACTIVE,
        fiscal_year=2027,
        target=3,
        reason="Level.",
    )
    october = kpi_dashboard(user=supervisor, month=OCT)
    outreach = _row(october, "outreach")
    assert (outreach.target, outreach.target_to_date) == (24, Decimal("2.0"))
    assert (outreach.variance.absolute, outreach.variance.percent) == (
        Decimal("0.0"),
        Decimal("0.0"),
    )
    november = _row(kpi_dashboard(user=supervisor, month=NOV), "outreach")
    assert november.fytd_value == 3 and november.target_to_date == Decimal("4.0")
    assert (november.variance.absolute, november.variance.percent) == (
        Decimal("-1.0"),
        Decimal("-25.0"),
    )
    active = _row(october, Indicator.ACTIVE)
    assert active.target_to_date == 3
    assert (active.variance.absolute, active.variance.percent) == (Decimal("-2"), Decimal("-66.7"))


def test_an_entered_baseline_replaces_the_computed_one(kpi_data, supervisor):
    assert _row(kpi_dashboard(user=supervisor, month=OCT), "wros").baseline == 1
    services.kpi_target_set(
        actor=supervisor,
        indicator="wros",
        fiscal_year=2027,
        target=6,
        baseline=4,
        reason="FY2026 figure from the old spreadsheet.",
    )
    row = _row(kpi_dashboard(user=supervisor, month=OCT), "wros")
    assert (row.baseline, row.baseline_entered) == (4, True)


def test_without_a_target_there_is_no_variance(kpi_data, supervisor):
    row = _row(kpi_dashboard(user=supervisor, month=OCT), "penalties")
    assert row.target is None and row.variance is None
