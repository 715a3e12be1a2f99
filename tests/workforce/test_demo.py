"""The demo data set: made-up, flagged, and enough to show a gap and an overdue course."""

import pytest
from django.utils import timezone

from withhold.accounts.demo import demo_users_ensure
from withhold.workforce import selectors
from withhold.workforce.demo import workforce_demo_load
from withhold.workforce.models import StaffCompetency, StaffingScenario, TrainingPlan

pytestmark = pytest.mark.django_db


def test_demo_adds_flagged_competencies_training_and_a_scenario():
    users = {u.username: u for u in demo_users_ensure()}
    workforce_demo_load()
    assert StaffCompetency.objects.exists()
    assert not StaffCompetency.objects.filter(is_demo=False).exists()
    assert not TrainingPlan.objects.filter(is_demo=False).exists()
    assert StaffingScenario.objects.filter(is_demo=True).count() == 1
    overdue = selectors.training_list_for_user(
        user=users["supervisor"], today=timezone.localdate(), overdue_only=True
    )
    assert overdue.exists()
    assert any(row.gap for row in selectors.gap_matrix())
    before = StaffCompetency.objects.count()
    workforce_demo_load()
    assert StaffCompetency.objects.count() == before
