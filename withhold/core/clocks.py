"""One clock engine for every legal deadline: each rule a row of ``RULES`` with its citation.

A rule says from which event a clock runs, how far (calendar days, business days or calendar
months, after or before the event) and what happens when it runs out. ``due_on`` turns a start
into the last day; ``expired`` tells whether the clock ran out without the step it waits for,
and on which day.

Counting:

- Calendar days: the event's day is day 0, so "within 10 days" of 1 March ends on 11 March.
- Business days: weekends and U.S. federal holidays are skipped; the event's day is day 0 even
  when it falls on a weekend, and the first business day after it is day 1. Holidays are the
  legal public holidays of 5 U.S.C. 6103(a) (the eleven on OPM's list, Juneteenth included),
  observed on the Friday before when they fall on a Saturday and the Monday after when they fall
  on a Sunday (5 U.S.C. 6103(b); Executive Order 11582), as the ``holidays`` library keeps them.
  One-off closures by executive order (Christmas Eve 2024, for example) are not legal holidays
  and are not skipped.
- Months: the same day of the month that many months later, or the last day of a shorter month
  (30 November + 3 months is 28 February, or 29 in a leap year).

Every count is of the agency's days: an instant (an aware ``datetime``) is turned into the day it
was in ``settings.TIME_ZONE`` first, so goods presented at 22:00 in New York on a Wednesday are
presented on that Wednesday, although it is Thursday in UTC. Nothing here reads the clock:
callers pass ``today``.
"""

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone


class Unit(enum.StrEnum):
    CALENDAR_DAYS = "calendar days"
    BUSINESS_DAYS = "business days"
    MONTHS = "months"


@dataclass(frozen=True)
class ClockRule:
    """One legal (or policy) deadline. ``before`` clocks count back from a planned event;
    ``setting`` names the ``settings.WITHHOLD`` key that may change ``amount`` where the agency
    chose the period; ``then`` names the rule whose clock starts on the day this one runs out."""

    code: str
    name: str
    citation: str
    starts: str
    amount: int
    unit: Unit
    at_expiry: str
    before: bool = False
    setting: str = ""
    then: str = ""

    @property
    def period(self) -> str:
        """The period in words, as the rule table shows it: "5 business days after"."""
        unit = str(self.unit) if self.amount != 1 else str(self.unit).removesuffix("s")
        return f"{self.amount} {unit} {'before' if self.before else 'after'}"


# Who is told, and when, in the two weeks before an order issues (GAO-21-106); the order's
# coordination schedule reads its days from these rows.
_PRE_ISSUANCE = "GAO-21-106 (coordination in the 2 weeks before issuance)"
_PRE_ISSUANCE_STARTS = "planned issuance of an approved order"
_PRE_ISSUANCE_EXPIRY = "The notice task is due (never before the day the order was approved)."

RULES: tuple[ClockRule, ...] = (
    ClockRule(
        code="allegation_forwarding",
        name="Forward a conforming allegation to the Commissioner",
        citation="19 CFR 12.42(c)",
        starts="allegation received",
        amount=10,
        unit=Unit.CALENDAR_DAYS,
        setting="INTAKE_TRIAGE_DAYS",
        at_expiry="An allegation still waiting for triage is flagged overdue in the intake queue.",
    ),
    ClockRule(
        code="hsi_notification",
        name="Notify HSI of a case entering investigation",
        citation="GAO-21-106 (other agencies are told when a case enters investigation)",
        starts="case enters the investigation phase",
        amount=10,
        unit=Unit.CALENDAR_DAYS,
        setting="HSI_NOTIFICATION_DAYS",
        at_expiry="The case's HSI notification task is overdue.",
    ),
    ClockRule(
        code="coordination_ntac",
        name="Notify the threat analysis centers",
        citation=_PRE_ISSUANCE,
        starts=_PRE_ISSUANCE_STARTS,
        amount=14,
        unit=Unit.CALENDAR_DAYS,
        before=True,
        at_expiry=_PRE_ISSUANCE_EXPIRY,
    ),
    ClockRule(
        code="coordination_ntc",
        name="Notify the National Targeting Center",
        citation=_PRE_ISSUANCE,
        starts=_PRE_ISSUANCE_STARTS,
        amount=12,
        unit=Unit.CALENDAR_DAYS,
        before=True,
        at_expiry=_PRE_ISSUANCE_EXPIRY,
    ),
    ClockRule(
        code="coordination_hsi",
        name="Notify Homeland Security Investigations",
        citation=_PRE_ISSUANCE,
        starts=_PRE_ISSUANCE_STARTS,
        amount=10,
        unit=Unit.CALENDAR_DAYS,
        before=True,
        at_expiry=_PRE_ISSUANCE_EXPIRY,
    ),
    ClockRule(
        code="coordination_other_agencies",
        name="Notify other agencies",
        citation=_PRE_ISSUANCE,
        starts=_PRE_ISSUANCE_STARTS,
        amount=10,
        unit=Unit.CALENDAR_DAYS,
        before=True,
        at_expiry=_PRE_ISSUANCE_EXPIRY,
    ),
    ClockRule(
        code="coordination_cee",
        name="Notify the Centers of Excellence and Expertise",
        citation=_PRE_ISSUANCE,
        starts=_PRE_ISSUANCE_STARTS,
        amount=7,
        unit=Unit.CALENDAR_DAYS,
        before=True,
        at_expiry=_PRE_ISSUANCE_EXPIRY,
    ),
    ClockRule(
        code="coordination_ports",
        name="Notify the ports",
        citation=_PRE_ISSUANCE,
        starts=_PRE_ISSUANCE_STARTS,
        amount=3,
        unit=Unit.CALENDAR_DAYS,
        before=True,
        at_expiry=_PRE_ISSUANCE_EXPIRY,
    ),
    ClockRule(
        code="order_review",
        name="Review an active order",
        citation="GAO-21-106 (active orders were never re-reviewed)",
        starts="order issued, or its last review",
        amount=365,
        unit=Unit.CALENDAR_DAYS,
        setting="ORDER_REVIEW_INTERVAL_DAYS",
        at_expiry='The order is listed on "Order reviews due".',
    ),
    ClockRule(
        code="admissibility_proof",
        name="Export the goods or prove their admissibility",
        citation="19 CFR 12.43, 12.44(a)",
        starts="date of importation of detained goods",
        amount=3,
        unit=Unit.MONTHS,
        at_expiry="The detention is proposed for exclusion (or, under a Finding, seizure) for an "
        "officer to confirm.",
    ),
    ClockRule(
        code="abandonment",
        name="Export or protest an excluded shipment",
        citation="19 CFR 12.44(a); 19 U.S.C. 1514",
        starts="written notice of exclusion",
        amount=60,
        unit=Unit.CALENDAR_DAYS,
        at_expiry="The goods are deemed abandoned unless exported or protested.",
    ),
    ClockRule(
        code="uflpa_detention_decision",
        name="Decide to release or detain (UFLPA)",
        citation="19 U.S.C. 1499(c)(1); 19 CFR 151.16",
        starts="goods presented for examination",
        amount=5,
        unit=Unit.BUSINESS_DAYS,
        at_expiry="Goods not released by then are detained.",
    ),
    ClockRule(
        code="uflpa_detention_notice",
        name="Send the notice of detention (UFLPA)",
        citation="19 U.S.C. 1499(c)(2); 19 CFR 151.16",
        starts="decision to detain",
        amount=5,
        unit=Unit.BUSINESS_DAYS,
        at_expiry="The notice of detention is late.",
    ),
    ClockRule(
        code="uflpa_admissibility_decision",
        name="Final admissibility decision (UFLPA)",
        citation="19 U.S.C. 1499(c)(5)(A); 19 CFR 151.16",
        starts="goods presented for examination",
        amount=30,
        unit=Unit.CALENDAR_DAYS,
        at_expiry="The goods are deemed excluded on the 30th day; the exclusion may be protested.",
        then="exclusion_protest",
    ),
    ClockRule(
        code="exclusion_protest",
        name="Protest an exclusion",
        citation="19 U.S.C. 1514(a)(4), (c)(3)",
        starts="exclusion (or deemed exclusion)",
        amount=180,
        unit=Unit.CALENDAR_DAYS,
        at_expiry="The exclusion can no longer be protested.",
    ),
    ClockRule(
        code="uflpa_exception_report",
        name="Report a granted exception to Congress (UFLPA)",
        citation="UFLPA (Public Law 117-78) section 3(c)",
        starts="exception granted by the Commissioner",
        amount=30,
        unit=Unit.CALENDAR_DAYS,
        at_expiry="The report to Congress is overdue.",
    ),
)

RULES_BY_CODE: dict[str, ClockRule] = {rule.code: rule for rule in RULES}

# 5 U.S.C. 6103: the legal public holidays, with the library's Saturday → Friday and
# Sunday → Monday observed days. Years are filled in as they are asked for.
FEDERAL_HOLIDAYS = holidays.country_holidays("US", categories=(holidays.PUBLIC,))


def rule_for(code: str) -> ClockRule:
    try:
        return RULES_BY_CODE[code]
    except KeyError:
        raise ValueError(
            f"No clock rule {code!r}; the rules are {', '.join(RULES_BY_CODE)}."
        ) from None


def amount_in_force(rule: ClockRule) -> int:
    """The rule's period: the agency's setting where it chose one, else the table's."""
    if rule.setting:
        return int(settings.WITHHOLD.get(rule.setting, rule.amount))
    return rule.amount


def agency_date(value: date | datetime) -> date:
    """The agency's day of ``value``: an instant is read in ``settings.TIME_ZONE``."""
    if isinstance(value, datetime):
        if timezone.is_naive(value):
            raise ValueError("A clock starts from a day or an aware instant, not a naive time.")
        return timezone.localdate(value)
    return value


@lru_cache(maxsize=4096)
def is_business_day(day: date) -> bool:
    """Monday to Friday and not a federal holiday (observed day included)."""
    return day.weekday() < 5 and day not in FEDERAL_HOLIDAYS


def holiday_name(day: date) -> str:
    """The federal holiday observed on ``day``, or ""."""
    return FEDERAL_HOLIDAYS.get(day) or ""


def add_business_days(start: date, days: int) -> date:
    """The ``days``-th business day after ``start`` (before it when negative); 0 is ``start``."""
    step = 1 if days >= 0 else -1
    day, left = start, abs(days)
    while left:
        day += timedelta(days=step)
        if is_business_day(day):
            left -= 1
    return day


def business_days_between(start: date, end: date) -> int:
    """Business days after ``start`` up to and including ``end`` (negative when ``end`` is
    earlier): the inverse of ``add_business_days`` on business days."""
    if end < start:
        return -business_days_between(end, start)
    return sum(
        1
        for offset in range(1, (end - start).days + 1)
        if is_business_day(start + timedelta(offset))
    )


def due_on(code: str, start: date | datetime, *, amount: int | None = None) -> date:
    """The last day of the clock ``code`` started on ``start``: the step is on time on it.

    ``amount`` replaces the period in force (for a caller holding its own setting)."""
    rule = rule_for(code)
    count = amount_in_force(rule) if amount is None else amount
    if rule.before:
        count = -count
    day = agency_date(start)
    if rule.unit == Unit.CALENDAR_DAYS:
        return day + timedelta(days=count)
    if rule.unit == Unit.BUSINESS_DAYS:
        return add_business_days(day, count)
    return day + relativedelta(months=count)


def days_left(code: str, due: date, *, today: date) -> int:
    """Days from ``today`` to ``due`` in the rule's own count (business days for business-day
    rules, calendar days otherwise): 0 on the day itself, negative once past."""
    if rule_for(code).unit == Unit.BUSINESS_DAYS:
        return business_days_between(today, due)
    return (due - today).days


def overdue_if_started_before(code: str, *, today: date, amount: int | None = None) -> date:
    """The first start day whose clock has not yet run out on ``today``: every clock started
    earlier is past its last day. For filtering stored start dates in the database."""
    rule = rule_for(code)
    if rule.before:
        raise ValueError(f"{code} counts back from a planned event; nothing starts before it.")
    cutoff = today
    while due_on(code, cutoff - timedelta(days=1), amount=amount) >= today:
        cutoff -= timedelta(days=1)
    return cutoff


@dataclass(frozen=True)
class Expiry:
    """A clock that ran out without the step it waited for: what happened, and on which day.
    ``follow_on`` is the clock the expiry started (the protest window after a deemed
    exclusion), with its last day."""

    rule: ClockRule
    happened_on: date
    follow_on: ClockRule | None = None
    follow_on_due: date | None = None


def expired(
    code: str, start: date | datetime, *, today: date, done_on: date | None = None
) -> Expiry | None:
    """The expiry of clock ``code`` started on ``start``, if it ran out by ``today`` without the
    step being taken (``done_on``) on or before its last day; None while it still runs or once
    the step was taken in time. The expiry happens on the last day itself, and is known from the
    day after: a decision may still be taken on the 30th day, so goods presented on 1 January
    are deemed excluded on 31 January, shown so from 1 February."""
    last = due_on(code, start)
    if done_on is not None and done_on <= last:
        return None
    if today <= last:
        return None
    rule = rule_for(code)
    if not rule.then:
        return Expiry(rule=rule, happened_on=last)
    return Expiry(
        rule=rule,
        happened_on=last,
        follow_on=rule_for(rule.then),
        follow_on_due=due_on(rule.then, last),
    )


def rule_table_markdown() -> str:
    """The rule table as docs/deadlines.md shows it (a test keeps the page equal to this)."""
    lines = [
        "| Rule | Code | Period | From | Citation | When it runs out | Setting |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for rule in RULES:
        then = f" Starts `{rule.then}`." if rule.then else ""
        setting = f'`WITHHOLD["{rule.setting}"]`' if rule.setting else ""
        lines.append(
            f"| {rule.name} | `{rule.code}` | {rule.period} | {rule.starts} | {rule.citation} "
            f"| {rule.at_expiry}{then} | {setting} |"
        )
    return "\n".join(lines) + "\n"


def federal_holidays(first_year: int, last_year: int) -> list[tuple[date, str]]:
    """The federal holidays observed from ``first_year`` to ``last_year``, in order."""
    found = holidays.country_holidays(
        "US", categories=(holidays.PUBLIC,), years=range(first_year, last_year + 1)
    )
    return sorted((day, name) for day, name in found.items() if first_year <= day.year <= last_year)
