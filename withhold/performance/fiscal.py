"""Fiscal-year arithmetic and the figures derived from a count. Pure: no database, no clock.

The U.S. federal fiscal year starts on 1 October and is named after the calendar year it ends in:
FY2027 runs from 2026-10-01 to 2027-09-30.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from withhold.core.numbers import parse_int


@dataclass(frozen=True)
class Period:
    """A span of whole days, both ends included."""

    start: date
    end: date

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


def fiscal_year(day: date) -> int:
    """The fiscal year ``day`` falls in: 2026-09-30 is FY2026, 2026-10-01 is FY2027."""
    return day.year + 1 if day.month >= 10 else day.year


def fiscal_year_period(fy: int) -> Period:
    return Period(date(fy - 1, 10, 1), date(fy, 9, 30))


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def month_period(month: date) -> Period:
    return Period(month_start(month), month_end(month))


def fytd_period(month: date) -> Period:
    """From the start of ``month``'s fiscal year to the end of ``month``."""
    return Period(fiscal_year_period(fiscal_year(month)).start, month_end(month))


def fiscal_months(fy: int) -> list[date]:
    """The first day of each month of fiscal year ``fy``, October first."""
    return [date(fy - 1 if m >= 10 else fy, m, 1) for m in (10, 11, 12, *range(1, 10))]


def months_elapsed(month: date) -> int:
    """How many months of its fiscal year have ended by the end of ``month``: October is 1."""
    return (month.month - 10) % 12 + 1


def parse_month(text: str) -> date | None:
    """``YYYY-MM`` as the first day of that month, or None if it is not one."""
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}", text or ""):
        return None
    year, mon = text.split("-")
    try:
        return date(parse_int(year, field="month"), parse_int(mon, field="month"), 1)
    except ValueError:  # a month 00 or 13
        return None


def target_to_date(target: int, month: date, *, level: bool) -> Decimal:
    """The part of a full-year target due by the end of ``month``: the whole target for a level
    (it applies at every month end), a straight-line share of it for a count of events."""
    if level:
        return Decimal(target)
    share = Decimal(target) * months_elapsed(month) / 12
    return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Variance:
    absolute: Decimal
    percent: Decimal | None  # None when the target to date is zero


def variance(actual: int, expected: Decimal) -> Variance:
    """Actual minus expected, and that as a percentage of expected (one decimal)."""
    diff = Decimal(actual) - expected
    if expected == 0:
        return Variance(diff, None)
    pct = (diff * 100 / expected).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return Variance(diff, pct)
