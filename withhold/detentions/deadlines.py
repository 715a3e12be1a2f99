"""The importer's three months, and how close a detention is to the end of them.

19 CFR 12.43 and 12.44(a): detained merchandise may be exported, or shown admissible with a
certificate of origin and a detailed statement, within three months after the date of
importation; otherwise it is excluded (or, under a Finding, seized).

Month-end rule: "three calendar months" lands on the same day of the month three months later;
when that month is shorter, the deadline is its last day. So Nov 30 + 3 months is Feb 28 (Feb 29
in a leap year), Jan 31 is Apr 30 and Aug 31 is Nov 30, while Jan 15 is Apr 15. Nothing here reads
the clock: callers pass ``today``.
"""

import calendar
from datetime import date

ADMISSIBILITY_MONTHS = 3

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


def add_months(day: date, months: int) -> date:
    """``day`` moved ``months`` calendar months on, clamped to the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def admissibility_deadline(imported_on: date) -> date:
    """The last day to export or prove admissibility: importation + 3 calendar months."""
    return add_months(imported_on, ADMISSIBILITY_MONTHS)


def days_remaining(deadline: date, *, today: date) -> int:
    """Calendar days from ``today`` to the deadline: 0 on the day itself, negative once past."""
    return (deadline - today).days


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
