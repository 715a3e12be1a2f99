"""Which step may follow which, and what each step needs (no database here).

detained → proof submitted → under review → released / exported / excluded / seized, and
detained → proposed exclusion once the three months have passed with no proof (19 CFR 12.44):
an officer then confirms the exclusion — nothing is excluded without a person. Seizure only
under a Finding (19 CFR 12.42(f), 12.44(b)).
"""

from dataclasses import dataclass
from datetime import date

from .models import Status

OPEN = (Status.DETAINED, Status.PROOF_SUBMITTED, Status.UNDER_REVIEW, Status.PROPOSED_EXCLUSION)

# move → (statuses it may start from, status it leads to)
MOVES: dict[str, tuple[tuple[str, ...], str]] = {
    "proof_submit": ((Status.DETAINED,), Status.PROOF_SUBMITTED),
    # A UFLPA applicability review or exception request: the importer's answer, for a CEE.
    "uflpa_request": ((Status.DETAINED,), Status.PROOF_SUBMITTED),
    "review_start": ((Status.PROOF_SUBMITTED,), Status.UNDER_REVIEW),
    "propose_exclusion": ((Status.DETAINED,), Status.PROPOSED_EXCLUSION),
    "release": (OPEN, Status.RELEASED),
    "export": (OPEN, Status.EXPORTED),
    "exclude": ((Status.UNDER_REVIEW, Status.PROPOSED_EXCLUSION), Status.EXCLUDED),
    "seize": ((Status.UNDER_REVIEW, Status.PROPOSED_EXCLUSION), Status.SEIZED),
}

VERBS = {
    "proof_submit": "receive proof",
    "uflpa_request": "receive a UFLPA request",
    "review_start": "be taken into review",
    "propose_exclusion": "be proposed for exclusion",
    "release": "be released",
    "export": "be recorded as exported",
    "exclude": "be excluded",
    "seize": "be seized",
}


@dataclass(frozen=True)
class Facts:
    """What the rules need to know about a detention."""

    status: str
    deadline: date
    under_finding: bool
    proof_kinds: frozenset[str] = frozenset()
    has_export_notice: bool = False
    uflpa: bool = False  # the deadline is the UFLPA's 30 days, not 12.43's three months


def move_problems(move: str, facts: Facts, *, today: date) -> list[str]:
    """Everything that stops ``move`` now, as sentences saying what to do; empty if allowed."""
    starts, _ = MOVES[move]
    problems = []
    if facts.status not in starts:
        label = Status(facts.status).label.lower()
        problems.append(f"A detention that is “{label}” cannot {VERBS[move]}.")
        return problems
    if move == "proof_submit":
        if today > facts.deadline and facts.uflpa:
            problems.append(
                f"The 30 days for a final admissibility decision ended on "
                f"{facts.deadline:%Y-%m-%d}: the goods are deemed excluded (19 U.S.C. 1499(c)(5)); "
                "the exclusion may be protested."
            )
        elif today > facts.deadline:
            problems.append(
                f"The three months to prove admissibility ended on {facts.deadline:%Y-%m-%d} "
                "(19 CFR 12.43)."
            )
        missing = [
            label
            for kind, label in (
                ("certificate_of_origin", "a certificate of origin"),
                ("detailed_statement", "a detailed statement"),
            )
            if kind not in facts.proof_kinds
        ]
        if missing:
            problems.append(
                f"Proof of admissibility needs {' and '.join(missing)} (19 CFR 12.43(a), (b))."
            )
    if move == "propose_exclusion" and today <= facts.deadline:
        problems.append(f"The importer has until {facts.deadline:%Y-%m-%d}.")
    if move == "export" and not facts.has_export_notice:
        problems.append("The importer has filed no export notice for this detention.")
    if move == "seize" and not facts.under_finding:
        problems.append(
            "Seizure needs a Finding (19 CFR 12.42(f)); this detention is under no Finding — "
            "exclude it instead."
        )
    return problems


def next_status(move: str) -> str:
    return MOVES[move][1]
