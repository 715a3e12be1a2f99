"""The importer's three months, and how close a detention is to the end of them.

19 CFR 12.43 and 12.44(a): detained merchandise may be exported, or shown admissible with a
certificate of origin and a detailed statement, within three months after the date of
importation; otherwise it is excluded (or, under a Finding, seized). The count is the clock
engine's ``admissibility_proof`` rule (``withhold.core.clocks``): the same day of the month three
months later, or the last day of a shorter month (Nov 30 + 3 months is Feb 28, or Feb 29 in a
leap year). Nothing here reads the clock: callers pass ``today``.
"""

from datetime import date

from withhold.core import clocks

ADMISSIBILITY_CLOCK = "admissibility_proof"
UFLPA_ADMISSIBILITY_CLOCK = "uflpa_admissibility_decision"

# The days before the deadline at which the responsible officer and the importer are reminded.
REMINDER_DAYS = (30, 14, 7)

# Groups of the deadline desk: (key, label, lowest days remaining, highest days remaining).
DESK_GROUPS = (
    ("overdue", "Past the deadline", None, -1),
    ("week", "0–7 days left", 0, 7),
    ("fortnight", "8–14 days left", 8, 14),
    ("month", "15–30 days left", 15, 30),
    ("later", "More than 30 days left", 31, None),
)


def admissibility_deadline(imported_on: date) -> date:
    """The last day to export or prove admissibility: importation + 3 calendar months."""
    return clocks.due_on(ADMISSIBILITY_CLOCK, imported_on)


def uflpa_admissibility_deadline(presented_on: date) -> date:
    """UFLPA: the last day for a final admissibility decision, 30 days after the goods were
    presented for examination (19 U.S.C. 1499(c)(5)(A)); deemed excluded on it otherwise."""
    return clocks.due_on(UFLPA_ADMISSIBILITY_CLOCK, presented_on)


def days_remaining(deadline: date, *, today: date) -> int:
    """Calendar days from ``today`` to the deadline: 0 on the day itself, negative once past."""
    return clocks.days_left(ADMISSIBILITY_CLOCK, deadline, today=today)


def reminder_due(remaining: int, already_sent: set[int]) -> int | None:
    """Which reminder (30, 14 or 7 days) is due with ``remaining`` days left, if any.

    The most urgent threshold reached and not yet sent: a detention recorded with 10 days left
    gets the 14-day reminder, then the 7-day one — never three at once. None once the deadline
    has passed (the officer is then asked to confirm an exclusion instead)."""
    if remaining < 0:
        return None
    reached = [days for days in REMINDER_DAYS if remaining <= days]
    if not reached:
        return None
    most_urgent = min(reached)
    return None if most_urgent in already_sent else most_urgent


def desk_group(remaining: int) -> str:
    """The deadline-desk group a detention with ``remaining`` days falls in."""
    for key, _label, low, high in DESK_GROUPS:
        if (low is None or remaining >= low) and (high is None or remaining <= high):
            return key
    raise ValueError(remaining)
