"""The rules of the four-phase workflow, as tables. Pure: no database, no clock.

``REQUIREMENTS`` says which facts a case must have from which phase on; the data dictionary is
generated from it, ``services.case_phase_change`` refuses a move while anything is missing, and
``services.case_update`` refuses an edit that would take away something the current phase needs.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .models import ClosingOutcome, InactiveReason, Phase, Status, SuspensionReason

PHASE_ORDER: list[str] = [
    Phase.INITIATION,
    Phase.INVESTIGATION,
    Phase.LEGAL_REVIEW,
    Phase.IMPLEMENTATION,
]


def phase_index(phase: str) -> int:
    return PHASE_ORDER.index(phase)


@dataclass(frozen=True)
class CaseFacts:
    """What the rules need to know about a case, gathered by ``selectors.case_facts``."""

    phase: str
    status: str
    title: str = ""
    allegation_summary: str = ""
    commodity_id: int | None = None
    source_country: str = ""
    referral_source: str = ""
    received_on: date | None = None
    opened_on: date | None = None
    assigned_analyst_id: int | None = None
    supervisor_id: int | None = None
    entity_roles: frozenset[str] = field(default_factory=frozenset)
    evidence_source_count: int = 0
    ilo_indicator_count: int = 0
    hsi_notified_on: date | None = None
    hsi_case_reference: str = ""
    estimated_annual_import_value: Decimal | None = None
    document_kinds: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Requirement:
    field: str
    message: str
    from_phase: str
    is_met: Callable[[CaseFacts], bool]
    why: str = ""


REQUIREMENTS: list[Requirement] = [
    Requirement("title", "a title", Phase.INITIATION, lambda f: bool(f.title.strip())),
    Requirement(
        "allegation_summary",
        "an allegation summary",
        Phase.INITIATION,
        lambda f: bool(f.allegation_summary.strip()),
        "19 CFR 12.42(b)(1): the reasons for the belief.",
    ),
    Requirement("commodity", "a commodity", Phase.INITIATION, lambda f: f.commodity_id is not None),
    Requirement(
        "source_country", "a source country", Phase.INITIATION, lambda f: bool(f.source_country)
    ),
    Requirement(
        "referral_source", "a referral source", Phase.INITIATION, lambda f: bool(f.referral_source)
    ),
    Requirement(
        "received_on", "the date received", Phase.INITIATION, lambda f: f.received_on is not None
    ),
    Requirement(
        "opened_on", "the date opened", Phase.INITIATION, lambda f: f.opened_on is not None
    ),
    Requirement(
        "assigned_analyst",
        "an assigned analyst",
        Phase.INVESTIGATION,
        lambda f: f.assigned_analyst_id is not None,
        "Someone must own the research once the case is investigated.",
    ),
    Requirement(
        "supervisor",
        "a supervisor",
        Phase.INVESTIGATION,
        lambda f: f.supervisor_id is not None,
        "A supervisor answers for the case's workload and its next steps.",
    ),
    Requirement(
        "entities",
        "at least one supply-chain entity",
        Phase.INVESTIGATION,
        lambda f: bool(f.entity_roles),
        "GAO-21-106: investigation maps the global supply chain of the merchandise.",
    ),
    Requirement(
        "evidence_sources",
        "at least one evidence source",
        Phase.INVESTIGATION,
        lambda f: f.evidence_source_count > 0,
        "GAO-21-106 found evidence sources missing for almost all active cases.",
    ),
    Requirement(
        "entities.manufacturer",
        "a manufacturer among the supply-chain entities",
        Phase.LEGAL_REVIEW,
        lambda f: "manufacturer" in f.entity_roles or "vessel" in f.entity_roles,
        "An order names who produces the goods (or the vessel that harvests them).",
    ),
    Requirement(
        "ilo_indicators",
        "at least one ILO indicator",
        Phase.LEGAL_REVIEW,
        lambda f: f.ilo_indicator_count > 0,
        "Counsel judges the evidence against the ILO indicators of forced labour.",
    ),
    Requirement(
        "hsi_notified_on",
        "the date HSI was notified",
        Phase.LEGAL_REVIEW,
        lambda f: f.hsi_notified_on is not None,
        "Other agencies (HSI) are notified when a case enters investigation.",
    ),
    Requirement(
        "estimated_annual_import_value",
        "an estimated annual U.S. import value",
        Phase.LEGAL_REVIEW,
        lambda f: f.estimated_annual_import_value is not None,
        "An order needs a U.S. nexus: the goods must be imported.",
    ),
    Requirement(
        "documents.allegation_report",
        "an attached allegation report",
        Phase.LEGAL_REVIEW,
        lambda f: "allegation_report" in f.document_kinds,
        "Chief Counsel reviews the allegation report for legal sufficiency.",
    ),
    Requirement(
        "documents.legal_opinion",
        "an attached legal-sufficiency opinion",
        Phase.IMPLEMENTATION,
        lambda f: "legal_opinion" in f.document_kinds,
        "19 CFR 12.42(e)/(f): an order issues only on counsel's opinion that the standard is met.",
    ),
]


def missing_for(facts: CaseFacts, phase: str) -> list[Requirement]:
    """Requirements of ``phase`` (and every earlier phase) that ``facts`` does not meet."""
    target = phase_index(phase)
    return [r for r in REQUIREMENTS if phase_index(r.from_phase) <= target and not r.is_met(facts)]


def describe_missing(missing: list[Requirement]) -> str:
    items = [r.message for r in missing]
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def phase_move_problem(from_phase: str, to_phase: str, *, status: str, reason: str) -> str | None:
    """Phases move one step at a time; a step back needs a reason; only active cases move."""
    if to_phase not in PHASE_ORDER:
        return f"“{to_phase}” is not a phase."
    if status != Status.ACTIVE:
        return f"Only an active case can change phase; this case is {Status(status).label.lower()}."
    step = phase_index(to_phase) - phase_index(from_phase)
    if step == 0:
        return f"The case is already in {Phase(to_phase).label}."
    if abs(step) > 1:
        return (
            f"A case moves one phase at a time: from {Phase(from_phase).label} it can go to "
            f"{' or '.join(Phase(p).label for p in adjacent_phases(from_phase))}."
        )
    if step < 0 and not reason.strip():
        return "Give a reason for sending the case back to an earlier phase."
    return None


def adjacent_phases(phase: str) -> list[str]:
    i = phase_index(phase)
    return [PHASE_ORDER[j] for j in (i + 1, i - 1) if 0 <= j < len(PHASE_ORDER)]


def phase_permission(from_phase: str, to_phase: str) -> str:
    """The permission a move needs: implementation is the approving official's decision."""
    if to_phase == Phase.IMPLEMENTATION:
        return "cases.approve_implementation"
    return "cases.advance_phase"


STATUS_MOVES: dict[str, set[str]] = {
    Status.ACTIVE: {Status.SUSPENDED, Status.INACTIVE, Status.CLOSED},
    Status.SUSPENDED: {Status.ACTIVE, Status.INACTIVE, Status.CLOSED},
    Status.INACTIVE: {Status.ACTIVE, Status.CLOSED},
    Status.CLOSED: {Status.ACTIVE},
}

# Reasons only an import may record; a person always chooses a real one.
NOT_CHOOSABLE_REASONS = {SuspensionReason.NOT_RECORDED}

STATUS_REASON_CHOICES: dict[str, type] = {
    Status.SUSPENDED: SuspensionReason,
    Status.INACTIVE: InactiveReason,
    Status.CLOSED: ClosingOutcome,
}


def status_permission(from_status: str, to_status: str) -> str:
    """Closing a case, or reopening a closed one, is a supervisor's call."""
    if Status.CLOSED in (from_status, to_status):
        return "cases.close_case"
    return "cases.change_status"


def status_move_problems(
    facts: CaseFacts, to_status: str, *, reason_code: str, reason: str
) -> list[str]:
    """Everything wrong with moving ``facts`` to ``to_status``; empty when the move is allowed."""
    if to_status not in STATUS_MOVES:
        return [f"“{to_status}” is not a status."]
    if to_status not in STATUS_MOVES[facts.status]:
        allowed = ", ".join(sorted(Status(s).label.lower() for s in STATUS_MOVES[facts.status]))
        return [
            f"A {Status(facts.status).label.lower()} case cannot become "
            f"{Status(to_status).label.lower()}; it can become {allowed}."
        ]
    problems = []
    choices = STATUS_REASON_CHOICES.get(to_status)
    if choices is not None:
        noun = {
            Status.SUSPENDED: "a suspension reason",
            Status.INACTIVE: "an inactive reason",
            Status.CLOSED: "a closing outcome",
        }[to_status]
        if reason_code not in choices.values or reason_code in NOT_CHOOSABLE_REASONS:
            problems.append(f"Choose {noun}.")
        elif reason_code == "other" and not reason.strip():
            problems.append(f"Explain the reason when you choose “Other” as {noun}.")
    elif reason_code:
        problems.append("Reactivating a case takes no reason code.")
    if to_status == Status.ACTIVE and not reason.strip():
        problems.append("Give a reason for reactivating the case.")
    if to_status == Status.CLOSED:
        if reason_code == ClosingOutcome.ORDER_ISSUED and facts.phase != Phase.IMPLEMENTATION:
            problems.append("Only a case in implementation can close with an order issued.")
        if reason_code == ClosingOutcome.REFERRED_TO_HSI and not facts.hsi_case_reference:
            problems.append("Record the HSI case reference before closing as referred to HSI.")
    return problems
