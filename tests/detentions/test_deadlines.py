"""The three-month rule (19 CFR 12.43, 12.44) on month ends and leap years, and the reminders."""

import datetime as dt

import pytest

from withhold.detentions import deadlines
from withhold.detentions.entry_numbers import entry_number_normalise, entry_number_problem

D = dt.date


@pytest.mark.parametrize(
    ("imported_on", "deadline"),
    [
        (D(2026, 1, 15), D(2026, 4, 15)),  # an ordinary day keeps its number
        (D(2026, 1, 31), D(2026, 4, 30)),  # April has 30 days
        (D(2025, 11, 30), D(2026, 2, 28)),  # February of a common year
        (D(2023, 11, 30), D(2024, 2, 29)),  # February of a leap year
        (D(2023, 11, 29), D(2024, 2, 29)),
        (D(2025, 11, 29), D(2026, 2, 28)),
        (D(2099, 11, 30), D(2100, 2, 28)),  # 2100 is not a leap year
        (D(1999, 11, 30), D(2000, 2, 29)),  # 2000 is
        (D(2026, 8, 31), D(2026, 11, 30)),
        (D(2026, 10, 31), D(2027, 1, 31)),  # across the year end
        (D(2026, 12, 31), D(2027, 3, 31)),
        (D(2024, 2, 29), D(2024, 5, 29)),  # from a leap day
    ],
)
def test_admissibility_deadline_is_three_calendar_months_clamped_to_month_end(
    imported_on, deadline
):
    assert deadlines.admissibility_deadline(imported_on) == deadline


@pytest.mark.parametrize(
    ("today", "remaining"),
    [(D(2026, 4, 30), 0), (D(2026, 4, 1), 29), (D(2026, 5, 2), -2)],
)
def test_days_remaining_counts_from_today(today, remaining):
    assert deadlines.days_remaining(D(2026, 4, 30), today=today) == remaining


@pytest.mark.parametrize(
    ("remaining", "sent", "due"),
    [
        (45, set(), None),
        (30, set(), 30),
        (29, {30}, None),
        (14, {30}, 14),
        (10, set(), 14),  # recorded late: the most urgent reached, not all three
        (7, {30, 14}, 7),
        (3, {30, 14, 7}, None),
        (-1, set(), None),
    ],
)
def test_reminder_due_is_the_most_urgent_unsent(remaining, sent, due):
    assert deadlines.reminder_due(remaining, sent) == due


@pytest.mark.parametrize(
    ("remaining", "group"),
    [(-5, "overdue"), (0, "week"), (7, "week"), (8, "fortnight"), (30, "month"), (31, "later")],
)
def test_desk_groups(remaining, group):
    assert deadlines.desk_group(remaining) == group


@pytest.mark.parametrize(
    ("value", "normalised", "ok"),
    [
        ("ABC-1234567-8", "ABC-1234567-8", True),
        ("abc12345678", "ABC-1234567-8", True),
        ("9Z1 1234567 0", "9Z1-1234567-0", True),
        ("AB-1234567-8", None, False),
        ("ABC-123456-8", None, False),
        ("ABC-1234567-X", None, False),
        ("", None, False),
    ],
)
def test_entry_number_format(value, normalised, ok):
    assert (entry_number_problem(value) is None) is ok
    if ok:
        assert entry_number_normalise(value) == normalised
