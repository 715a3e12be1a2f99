"""The history the staffing model starts from, on fixed data."""

import datetime as dt

import pytest

from withhold.cases.models import Case, CaseTransition
from withhold.intake.models import Allegation
from withhold.workforce import selectors

from ..factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def at(y, m, d):
    return dt.datetime(y, m, d, 12, tzinfo=UTC)


def allegation(n, received):
    obj = Allegation.objects.create(
        receipt_number=f"FLA-2026-{n:06d}",
        follow_up_code_hash="x",
        reasons="Workers report withheld wages.",
        merchandise_description="Gloves",
        submitter_type="ngo",
        anonymous=True,
    )
    Allegation.objects.filter(pk=obj.pk).update(created_at=received)
    return obj


def move(case, kind, when, **fields):
    CaseTransition.objects.create(case=case, kind=kind, at=when, **fields)


def test_demand_by_month_counts_allegations_cases_and_suspensions_with_zero_months():
    allegation(1, at(2026, 1, 3))
    allegation(2, at(2026, 1, 30))
    allegation(3, at(2026, 3, 1))
    CaseFactory(opened_on=dt.date(2026, 1, 15), received_on=dt.date(2026, 1, 10))
    suspended = CaseFactory(opened_on=dt.date(2026, 3, 2), received_on=dt.date(2026, 3, 1))
    move(
        suspended,
        "status",
        at(2026, 3, 20),
        to_phase="initiation",
        from_status="active",
        to_status="suspended",
        reason_code="lack_of_personnel",
    )
    move(
        suspended,
        "status",
        at(2026, 3, 25),
        to_phase="initiation",
        from_status="suspended",
        to_status="active",
    )
    move(
        suspended,
        "status",
        at(2026, 3, 28),
        to_phase="initiation",
        from_status="active",
        to_status="suspended",
        reason_code="litigation",
    )

    rows = selectors.demand_by_month(
        first_month=dt.date(2026, 1, 1), last_month=dt.date(2026, 3, 1)
    )

    assert [r.month for r in rows] == [
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
        dt.date(2026, 3, 1),
    ]
    assert [r.allegations for r in rows] == [2, 0, 1]
    assert [r.cases_opened for r in rows] == [1, 0, 1]
    assert [r.suspensions for r in rows] == [0, 0, 2]
    assert [r.suspensions_lack_of_personnel for r in rows] == [0, 0, 1]


def test_phase_times_read_stays_from_transitions():
    # Case A: initiation 10 days, investigation 30 days, then closed.
    a = CaseFactory(opened=False)
    move(a, "opened", at(2026, 1, 1), to_phase="initiation", to_status="active")
    move(
        a,
        "phase",
        at(2026, 1, 11),
        from_phase="initiation",
        to_phase="investigation",
        to_status="active",
    )
    move(
        a,
        "status",
        at(2026, 2, 10),
        to_phase="investigation",
        from_status="active",
        to_status="closed",
        reason_code="no_violation",
    )
    # Case B: initiation 20 days, still in investigation.
    b = CaseFactory(opened=False)
    move(b, "opened", at(2026, 1, 1), to_phase="initiation", to_status="active")
    move(
        b,
        "phase",
        at(2026, 1, 21),
        from_phase="initiation",
        to_phase="investigation",
        to_status="active",
    )
    # A suspension does not end a stay.
    move(
        b,
        "status",
        at(2026, 1, 25),
        to_phase="investigation",
        from_status="active",
        to_status="suspended",
        reason_code="lack_of_personnel",
    )

    rows = {r.phase: r for r in selectors.phase_times()}

    assert rows["initiation"].completed_stays == 2
    assert rows["initiation"].mean_days == pytest.approx(15)
    assert rows["initiation"].median_days == pytest.approx(15)
    assert rows["investigation"].completed_stays == 1
    assert rows["investigation"].mean_days == pytest.approx(30)
    assert rows["investigation"].open_stays == 1
    assert rows["investigation"].share_of_cases == pytest.approx(1.0)
    assert rows["legal_review"].cases_entered == 0
    assert rows["legal_review"].mean_days is None


def test_caseload_counts_open_cases_per_analyst():
    ann = UserFactory(username="ann")
    bob = UserFactory(username="bob")
    CaseFactory(assigned_analyst=ann)
    CaseFactory(
        assigned_analyst=ann, status=Case.Status.SUSPENDED, suspension_reason="lack_of_personnel"
    )
    CaseFactory(assigned_analyst=ann, status=Case.Status.CLOSED, closing_outcome="no_violation")
    CaseFactory(assigned_analyst=bob)
    CaseFactory()

    rows = selectors.caseload_by_analyst()

    assert [(r.username, r.active, r.suspended, r.total) for r in rows] == [
        ("ann", 1, 1, 2),
        ("", 1, 0, 1),
        ("bob", 1, 0, 1),
    ]


def test_suspension_summary_singles_out_lack_of_personnel():
    CaseFactory(status=Case.Status.SUSPENDED, suspension_reason="lack_of_personnel")
    CaseFactory(status=Case.Status.SUSPENDED, suspension_reason="lack_of_personnel")
    CaseFactory(status=Case.Status.SUSPENDED, suspension_reason="litigation")
    CaseFactory()

    summary = selectors.suspension_summary()

    assert summary.suspended_now == 3
    assert summary.lack_of_personnel_now == 2
    assert ("Pending litigation", 1) in summary.by_reason


def test_assessment_annualises_demand_and_sets_defaults_from_history():
    for n in range(6):
        allegation(n, at(2026, 5, 1 + n))
    for _ in range(3):
        CaseFactory(opened_on=dt.date(2026, 5, 10), received_on=dt.date(2026, 5, 1))

    result = selectors.assessment(today=dt.date(2026, 6, 15), months=12)

    assert result.allegations_per_year == pytest.approx(6)
    assert result.cases_per_year == pytest.approx(3)
    assert result.defaults["case_share"] == pytest.approx(0.5)
    assert result.defaults["allegations_per_year"] == pytest.approx(6)


def test_cases_opened_without_allegations_still_count_as_demand():
    for _ in range(4):
        CaseFactory(opened_on=dt.date(2026, 5, 10), received_on=dt.date(2026, 5, 1))

    result = selectors.assessment(today=dt.date(2026, 6, 15), months=12)

    assert result.defaults["allegations_per_year"] == pytest.approx(4)
    assert result.defaults["case_share"] == pytest.approx(1.0)


def test_default_target_is_never_one_the_model_cannot_meet():
    # Investigation took 5 days in history, but 300 hours at 120 a month is 76 days of work.
    case = CaseFactory(opened=False)
    move(case, "opened", at(2026, 5, 1), to_phase="initiation", to_status="active")
    move(
        case,
        "phase",
        at(2026, 5, 3),
        from_phase="initiation",
        to_phase="investigation",
        to_status="active",
    )
    move(
        case,
        "phase",
        at(2026, 5, 8),
        from_phase="investigation",
        to_phase="legal_review",
        to_status="active",
    )

    defaults = selectors.assessment(today=dt.date(2026, 6, 15), months=12).defaults

    assert defaults["phases"]["investigation"]["target_days"] >= 2 * 300 / 120 * 365.25 / 12
