"""Skills inventory, gap matrix and training plans."""

import datetime as dt

import pytest

from withhold.accounts.roles import Role
from withhold.audit.models import AuditAction, AuditEntry
from withhold.core.exceptions import ApplicationError, PermissionDeniedError
from withhold.workforce import selectors, services
from withhold.workforce.models import Competency, StaffCompetency

from ..factories import (
    CompetencyFactory,
    StaffCompetencyFactory,
    TrainingPlanFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


def test_seeded_required_list_includes_the_division_competencies():
    names = set(Competency.objects.values_list("name", flat=True))
    assert "Supply-chain tracing" in names
    assert "Uyghur" in names
    assert "Trade data analysis" in names


def test_gap_matrix_counts_holders_at_the_required_level():
    need = CompetencyFactory(name="Malay reading", required_level=3, required_headcount=3)
    StaffCompetencyFactory(competency=need, level=3)
    StaffCompetencyFactory(competency=need, level=4)
    StaffCompetencyFactory(competency=need, level=2)
    StaffCompetencyFactory(competency=need, level=4, user=UserFactory(is_active=False))
    TrainingPlanFactory(competency=need, target_level=3)
    TrainingPlanFactory(competency=need, target_level=3, status="completed", completed_on=TODAY)

    row = next(r for r in selectors.gap_matrix() if r.competency == need)

    assert (row.held, row.held_below, row.in_training, row.gap) == (2, 1, 1, 1)


def test_retired_competency_leaves_the_gap_matrix(supervisor):
    need = CompetencyFactory(name="Old system")
    services.competency_update(actor=supervisor, competency=need, is_active=False)
    assert need not in [r.competency for r in selectors.gap_matrix()]


def test_completing_training_raises_the_competency_and_is_audited(supervisor, case_analyst):
    need = CompetencyFactory(name="Trade data basics", required_level=3)
    StaffCompetencyFactory(user=case_analyst, competency=need, level=1)
    plan = services.training_plan_create(
        actor=supervisor,
        user=case_analyst,
        competency=need,
        title="HTS classification course",
        target_level=3,
        due_on=TODAY,
    )
    services.training_status_change(actor=supervisor, plan=plan, status="in_progress", today=TODAY)
    services.training_status_change(actor=supervisor, plan=plan, status="completed", today=TODAY)

    held = StaffCompetency.objects.get(user=case_analyst, competency=need)
    assert held.level == 3
    assert held.evidence == "Training completed: HTS classification course"
    plan.refresh_from_db()
    assert plan.completed_on == TODAY
    actions = list(
        AuditEntry.objects.filter(action__startswith="WORKFORCE").values_list("action", flat=True)
    )
    assert AuditAction.WORKFORCE_TRAINING_PLANNED in actions
    assert actions.count(AuditAction.WORKFORCE_TRAINING_STATUS_CHANGED) == 2
    assert AuditAction.WORKFORCE_STAFF_COMPETENCY_RECORDED in actions


def test_completing_training_never_lowers_a_level(supervisor, case_analyst):
    need = CompetencyFactory()
    StaffCompetencyFactory(user=case_analyst, competency=need, level=4)
    plan = TrainingPlanFactory(user=case_analyst, competency=need, target_level=2)
    services.training_status_change(actor=supervisor, plan=plan, status="completed", today=TODAY)
    assert StaffCompetency.objects.get(user=case_analyst, competency=need).level == 4


def test_completed_training_cannot_change_again(supervisor):
    plan = TrainingPlanFactory(status="completed", completed_on=TODAY)
    with pytest.raises(ApplicationError, match="already completed"):
        services.training_status_change(actor=supervisor, plan=plan, status="planned", today=TODAY)


def test_overdue_training_is_flagged(supervisor):
    late = TrainingPlanFactory(due_on=TODAY - dt.timedelta(days=1))
    TrainingPlanFactory(due_on=TODAY + dt.timedelta(days=1))
    TrainingPlanFactory(due_on=TODAY - dt.timedelta(days=5), status="completed", completed_on=TODAY)
    overdue = selectors.training_list_for_user(user=supervisor, today=TODAY, overdue_only=True)
    assert list(overdue) == [late]


def test_recording_a_level_records_old_and_new_in_the_audit_log(supervisor, case_analyst):
    need = CompetencyFactory()
    services.staff_competency_record(
        actor=supervisor,
        user=case_analyst,
        competency=need,
        level=2,
        evidence="Course",
        assessed_on=TODAY,
    )
    services.staff_competency_record(
        actor=supervisor,
        user=case_analyst,
        competency=need,
        level=3,
        evidence="Casework",
        assessed_on=TODAY,
    )
    entry = (
        AuditEntry.objects.filter(
            action=AuditAction.WORKFORCE_STAFF_COMPETENCY_RECORDED, field="level"
        )
        .order_by("id")
        .last()
    )
    assert (entry.old_value, entry.new_value) == ("2", "3")
    assert StaffCompetency.objects.filter(user=case_analyst, competency=need).count() == 1


def test_analyst_cannot_record_competencies(case_analyst):
    with pytest.raises(PermissionDeniedError):
        services.staff_competency_record(
            actor=case_analyst,
            user=case_analyst,
            competency=CompetencyFactory(),
            level=4,
            evidence="",
            assessed_on=TODAY,
        )


def test_analyst_sees_only_own_competencies_and_training(case_analyst, make_user):
    other = make_user(Role.CASE_ANALYST, username="other")
    mine = StaffCompetencyFactory(user=case_analyst)
    StaffCompetencyFactory(user=other)
    my_plan = TrainingPlanFactory(user=case_analyst)
    TrainingPlanFactory(user=other)
    assert list(selectors.staff_competency_list_for_user(user=case_analyst)) == [mine]
    assert list(selectors.training_list_for_user(user=case_analyst, today=TODAY)) == [my_plan]


def test_port_officer_sees_no_competencies(port_officer):
    StaffCompetencyFactory(user=port_officer)
    assert not selectors.staff_competency_list_for_user(user=port_officer).exists()


def test_competency_create_is_audited_and_names_must_be_unique(supervisor):
    services.competency_create(
        actor=supervisor,
        name="Vietnamese",
        category="language",
        required_level=3,
        required_headcount=1,
    )
    assert AuditEntry.objects.filter(action=AuditAction.WORKFORCE_COMPETENCY_ADDED).exists()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        services.competency_create(
            actor=supervisor,
            name="Vietnamese",
            category="language",
            required_level=3,
            required_headcount=1,
        )
    assert "name" in caught.value.message_dict


def test_importers_and_the_public_are_not_staff(supervisor, importer, public_reader):
    for outsider in (importer, public_reader):
        with pytest.raises(ApplicationError, match="not an active member"):
            services.staff_competency_record(
                actor=supervisor,
                user=outsider,
                competency=CompetencyFactory(),
                level=2,
                evidence="",
                assessed_on=TODAY,
            )
    assert importer not in selectors.staff_users()
