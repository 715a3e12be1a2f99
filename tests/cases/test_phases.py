"""The workflow tables, tested without a database."""

from datetime import date
from decimal import Decimal

import pytest

from withhold.cases import phases
from withhold.cases.models import ClosingOutcome, Phase, Status
from withhold.cases.phases import CaseFacts

COMPLETE_INITIATION = dict(
    phase=Phase.INITIATION,
    status=Status.ACTIVE,
    title="Gloves from Example",
    allegation_summary="Workers' passports are held.",
    commodity_id=1,
    source_country="MY",
    referral_source="ngo",
    received_on=date(2026, 1, 5),
    opened_on=date(2026, 1, 6),
)
READY_FOR_INVESTIGATION = dict(
    COMPLETE_INITIATION,
    assigned_analyst_id=1,
    supervisor_id=2,
    entity_roles=frozenset({"supplier"}),
    evidence_source_count=1,
)
READY_FOR_LEGAL_REVIEW = dict(
    READY_FOR_INVESTIGATION,
    phase=Phase.INVESTIGATION,
    entity_roles=frozenset({"manufacturer"}),
    ilo_indicator_count=2,
    hsi_notified_on=date(2026, 2, 1),
    estimated_annual_import_value=Decimal("1000000"),
    document_kinds=frozenset({"allegation_report"}),
)
READY_FOR_IMPLEMENTATION = dict(
    READY_FOR_LEGAL_REVIEW,
    phase=Phase.LEGAL_REVIEW,
    document_kinds=frozenset({"allegation_report", "legal_opinion"}),
)


def fields_missing(facts: dict, phase: str) -> set[str]:
    return {r.field for r in phases.missing_for(CaseFacts(**facts), phase)}


@pytest.mark.parametrize(
    ("facts", "to_phase", "removed", "expected_missing"),
    [
        (READY_FOR_INVESTIGATION, Phase.INVESTIGATION, {}, set()),
        (READY_FOR_INVESTIGATION, Phase.INVESTIGATION, {"entity_roles": frozenset()}, {"entities"}),
        (
            READY_FOR_INVESTIGATION,
            Phase.INVESTIGATION,
            {"evidence_source_count": 0},
            {"evidence_sources"},
        ),
        (
            READY_FOR_INVESTIGATION,
            Phase.INVESTIGATION,
            {"assigned_analyst_id": None},
            {"assigned_analyst"},
        ),
        (READY_FOR_INVESTIGATION, Phase.INVESTIGATION, {"supervisor_id": None}, {"supervisor"}),
        (
            COMPLETE_INITIATION,
            Phase.INVESTIGATION,
            {},
            {"assigned_analyst", "supervisor", "entities", "evidence_sources"},
        ),
        (READY_FOR_LEGAL_REVIEW, Phase.LEGAL_REVIEW, {}, set()),
        (
            READY_FOR_LEGAL_REVIEW,
            Phase.LEGAL_REVIEW,
            {"document_kinds": frozenset()},
            {"documents.allegation_report"},
        ),
        (
            READY_FOR_LEGAL_REVIEW,
            Phase.LEGAL_REVIEW,
            {"entity_roles": frozenset({"supplier"})},
            {"entities.manufacturer"},
        ),
        (
            READY_FOR_LEGAL_REVIEW,
            Phase.LEGAL_REVIEW,
            {"entity_roles": frozenset({"vessel"})},
            set(),
        ),
        (
            READY_FOR_LEGAL_REVIEW,
            Phase.LEGAL_REVIEW,
            {"hsi_notified_on": None},
            {"hsi_notified_on"},
        ),
        (
            READY_FOR_LEGAL_REVIEW,
            Phase.LEGAL_REVIEW,
            {"ilo_indicator_count": 0},
            {"ilo_indicators"},
        ),
        (
            READY_FOR_LEGAL_REVIEW,
            Phase.LEGAL_REVIEW,
            {"estimated_annual_import_value": None},
            {"estimated_annual_import_value"},
        ),
        (READY_FOR_LEGAL_REVIEW, Phase.IMPLEMENTATION, {}, {"documents.legal_opinion"}),
        (READY_FOR_IMPLEMENTATION, Phase.IMPLEMENTATION, {}, set()),
        # Later phases need everything earlier phases need.
        (
            READY_FOR_IMPLEMENTATION,
            Phase.IMPLEMENTATION,
            {"evidence_source_count": 0},
            {"evidence_sources"},
        ),
    ],
)
def test_phase_requirements_table(facts, to_phase, removed, expected_missing):
    assert fields_missing({**facts, **removed}, to_phase) == expected_missing


@pytest.mark.parametrize(
    ("from_phase", "to_phase", "status", "reason", "allowed"),
    [
        (Phase.INITIATION, Phase.INVESTIGATION, Status.ACTIVE, "", True),
        (Phase.INITIATION, Phase.LEGAL_REVIEW, Status.ACTIVE, "", False),
        (Phase.INVESTIGATION, Phase.INITIATION, Status.ACTIVE, "", False),
        (Phase.INVESTIGATION, Phase.INITIATION, Status.ACTIVE, "Allegation lacked detail", True),
        (Phase.INVESTIGATION, Phase.INVESTIGATION, Status.ACTIVE, "", False),
        (Phase.INITIATION, Phase.INVESTIGATION, Status.SUSPENDED, "", False),
        (Phase.LEGAL_REVIEW, Phase.IMPLEMENTATION, Status.ACTIVE, "", True),
        (Phase.IMPLEMENTATION, Phase.LEGAL_REVIEW, Status.CLOSED, "x", False),
    ],
)
def test_phase_moves_one_step_at_a_time_only_when_active(
    from_phase, to_phase, status, reason, allowed
):
    problem = phases.phase_move_problem(from_phase, to_phase, status=status, reason=reason)
    assert (problem is None) == allowed, problem


def test_implementation_is_the_approving_officials_decision():
    assert (
        phases.phase_permission(Phase.LEGAL_REVIEW, Phase.IMPLEMENTATION)
        == "cases.approve_implementation"
    )
    assert phases.phase_permission(Phase.INITIATION, Phase.INVESTIGATION) == "cases.advance_phase"


@pytest.mark.parametrize(
    ("from_status", "to_status", "reason_code", "reason", "phase", "ok"),
    [
        (Status.ACTIVE, Status.SUSPENDED, "lack_of_personnel", "", Phase.INITIATION, True),
        (Status.ACTIVE, Status.SUSPENDED, "", "", Phase.INITIATION, False),
        (Status.ACTIVE, Status.SUSPENDED, "no_violation", "", Phase.INITIATION, False),
        (Status.ACTIVE, Status.SUSPENDED, "other", "", Phase.INITIATION, False),
        (Status.ACTIVE, Status.SUSPENDED, "other", "Analyst on leave", Phase.INITIATION, True),
        (Status.ACTIVE, Status.INACTIVE, "no_us_nexus", "", Phase.INVESTIGATION, True),
        (Status.ACTIVE, Status.CLOSED, "", "", Phase.INVESTIGATION, False),
        (Status.ACTIVE, Status.CLOSED, ClosingOutcome.ORDER_ISSUED, "", Phase.INVESTIGATION, False),
        (Status.ACTIVE, Status.CLOSED, ClosingOutcome.ORDER_ISSUED, "", Phase.IMPLEMENTATION, True),
        (
            Status.ACTIVE,
            Status.CLOSED,
            ClosingOutcome.REFERRED_TO_HSI,
            "",
            Phase.INVESTIGATION,
            False,
        ),
        (Status.SUSPENDED, Status.ACTIVE, "", "Staff available", Phase.INITIATION, True),
        (Status.SUSPENDED, Status.ACTIVE, "", "", Phase.INITIATION, False),
        (Status.INACTIVE, Status.SUSPENDED, "lack_of_personnel", "", Phase.INITIATION, False),
        (Status.CLOSED, Status.SUSPENDED, "lack_of_personnel", "", Phase.INITIATION, False),
        (Status.CLOSED, Status.ACTIVE, "", "New evidence", Phase.INITIATION, True),
    ],
)
def test_status_moves_need_their_reason(from_status, to_status, reason_code, reason, phase, ok):
    facts = CaseFacts(phase=phase, status=from_status)
    problems = phases.status_move_problems(facts, to_status, reason_code=reason_code, reason=reason)
    assert (not problems) == ok, problems


def test_closing_and_reopening_is_a_supervisors_call():
    assert phases.status_permission(Status.ACTIVE, Status.CLOSED) == "cases.close_case"
    assert phases.status_permission(Status.CLOSED, Status.ACTIVE) == "cases.close_case"
    assert phases.status_permission(Status.ACTIVE, Status.SUSPENDED) == "cases.change_status"


def test_missing_requirements_are_named_in_words():
    missing = phases.missing_for(CaseFacts(**COMPLETE_INITIATION), Phase.INVESTIGATION)
    text = phases.describe_missing(missing)
    assert text == (
        "an assigned analyst, a supervisor, at least one supply-chain entity and at least one "
        "evidence source"
    )
