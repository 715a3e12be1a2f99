"""The rules of an order's life, as tables and small functions. Pure: no database, no clock.

draft → in legal review → (counsel's opinion, then the approving official's decision) approved →
issued → modified / partially revoked / revoked. ``services.py`` asks these functions what is
wrong with a move and refuses it with their words.
"""

from dataclasses import dataclass
from datetime import date

from withhold.core import clocks

from .models import ACTIVE_STATUSES, CoordinationStep, Kind, LegalStandard, Status

# 19 CFR 12.42(e) and (f): the standard counsel must apply for each kind of order. CAATSA actions
# and civil penalties run outside the WRO/Finding process (CBP's general authority), so counsel
# records the standard applied without the table imposing one.
REQUIRED_STANDARD: dict[str, str] = {
    Kind.WRO: LegalStandard.REASONABLE_BUT_NOT_CONCLUSIVE,
    Kind.FINDING: LegalStandard.PROBABLE_CAUSE,
}

# Who is told before the planned issuance, each party's notice a clock rule of its own counted
# back from that day (GAO-21-106: "in the 2 weeks before issuance the division coordinates with
# ports, CEEs, the National Targeting Center, the threat analysis centers and other agencies").
COORDINATION_CLOCKS: list[tuple[str, str]] = [
    (CoordinationStep.Party.NTAC, "coordination_ntac"),
    (CoordinationStep.Party.NTC, "coordination_ntc"),
    (CoordinationStep.Party.HSI, "coordination_hsi"),
    (CoordinationStep.Party.OTHER_AGENCIES, "coordination_other_agencies"),
    (CoordinationStep.Party.CEE, "coordination_cee"),
    (CoordinationStep.Party.PORTS, "coordination_ports"),
]

# Statuses from which each move is allowed.
EDITABLE_STATUSES = {Status.DRAFT}
MODIFIABLE_STATUSES = set(ACTIVE_STATUSES)


@dataclass(frozen=True)
class OrderFacts:
    """What the rules need to know about an order, gathered by ``selectors.order_facts``."""

    kind: str
    status: str
    case_count: int
    scope_rule_count: int
    opinion_sufficient: bool | None  # the latest opinion's verdict; None when there is none
    opinion_standard: str = ""
    decision: str = ""  # the latest decision: "approved", "rejected" or ""


def standard_problem(kind: str, standard: str) -> str | None:
    required = REQUIRED_STANDARD.get(kind)
    if standard not in LegalStandard.values:
        return f"“{standard}” is not a legal standard."
    if required and standard != required:
        return (
            f"A {Kind(kind).label} is judged on the standard "
            f"“{LegalStandard(required).label}”, not “{LegalStandard(standard).label}”."
        )
    return None


def submit_problems(facts: OrderFacts) -> list[str]:
    """A draft goes to counsel only with a backing case and something saying what it covers."""
    problems = []
    if facts.status != Status.DRAFT:
        return [f"Only a draft can be sent to legal review; this order is {_label(facts.status)}."]
    if facts.case_count == 0:
        problems.append("Link at least one backing case.")
    if facts.scope_rule_count == 0:
        problems.append("Add at least one scope rule saying what the order covers.")
    return problems


def opinion_problems(facts: OrderFacts) -> list[str]:
    if facts.status != Status.LEGAL_REVIEW:
        return [
            f"Counsel's opinion is recorded in legal review; this order is {_label(facts.status)}."
        ]
    return []


def decision_problems(facts: OrderFacts, decision: str) -> list[str]:
    """The approving official decides on counsel's opinion (19 CFR 12.42(e)/(f)): approval needs
    an opinion that the standard is met; a rejection needs only the order to be in review."""
    if facts.status != Status.LEGAL_REVIEW:
        return [
            f"Only an order in legal review can be decided; this one is {_label(facts.status)}."
        ]
    if decision == "approved":
        if facts.opinion_sufficient is None:
            return ["Counsel has not yet given a legal-sufficiency opinion."]
        if not facts.opinion_sufficient:
            return ["Counsel's opinion found the evidence insufficient; it cannot be approved."]
    return []


def issue_problems(facts: OrderFacts) -> list[str]:
    """An order issues only with counsel's opinion that the standard is met and the approving
    official's approval (19 CFR 12.42(e)/(f))."""
    problems = []
    if facts.opinion_sufficient is None:
        problems.append("It has no legal-sufficiency opinion from counsel.")
    elif not facts.opinion_sufficient:
        problems.append("Counsel's latest opinion found the evidence insufficient.")
    if facts.decision != "approved":
        problems.append("The approving official has not approved it.")
    if not problems and facts.status != Status.APPROVED:
        problems.append(
            f"Only an approved order can be issued; this one is {_label(facts.status)}."
        )
    return problems


def coordination_due_dates(planned_issue_on: date, *, today: date) -> list[tuple[str, date]]:
    """Each party and the day its notice is due: the schedule's days before the planned date,
    never before today (an issuance planned sooner than two weeks out compresses the schedule)."""
    return [
        (party, max(today, clocks.due_on(code, planned_issue_on)))
        for party, code in COORDINATION_CLOCKS
    ]


def next_review_on(from_date: date, *, interval_days: int) -> date:
    """GAO-21-106 found the division could not re-review active orders: every active order has a
    next review date, ``interval_days`` after issuance or after its last review (the clock
    engine's ``order_review`` rule)."""
    return clocks.due_on("order_review", from_date, amount=interval_days)


def review_is_overdue(status: str, next_review: date | None, *, today: date) -> bool:
    return status in ACTIVE_STATUSES and next_review is not None and next_review < today


# A change to an issued order, by kind, and the status it leaves the order in.
STATUS_AFTER_MODIFICATION = {
    "modification": Status.MODIFIED,
    "partial_revocation": Status.PARTIALLY_REVOKED,
    "revocation": Status.REVOKED,
}

# A petition's decision, and the change to the order it produces (none for a denial).
MODIFICATION_FOR_PETITION_DECISION = {
    "granted_revoke": "revocation",
    "granted_modify": "modification",
    "partially_granted": "partial_revocation",
    "denied": None,
}


def modification_problems(status: str, kind: str) -> list[str]:
    if kind not in STATUS_AFTER_MODIFICATION and kind != "review":
        return [f"“{kind}” is not a kind of change."]
    if status not in MODIFIABLE_STATUSES:
        return [f"Only an active order can be changed or reviewed; this one is {_label(status)}."]
    return []


def _label(status: str) -> str:
    return Status(status).label.lower()
