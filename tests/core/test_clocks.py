"""The clock engine (withhold.core.clocks), table-driven: UFLPA/151.16 clocks over Thanksgiving,
New Year and 29 February, deemed exclusion on day 30, the 180-day protest window, business days
around observed holidays, the agency's time zone, and every older clock giving the same days as
the arithmetic it replaced (kept below as the reference)."""

import calendar
import datetime as dt
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from withhold.core import clocks

D = dt.date
NEW_YORK = ZoneInfo("America/New_York")


def _days(first: dt.date, last: dt.date):
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


# Every day from 2019 to the end of 2031: month ends, four leap days, 2100 aside.
SPAN = list(_days(D(2019, 1, 1), D(2031, 12, 31)))


# --- business days ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "business", "holiday"),
    [
        (D(2026, 11, 26), False, "Thanksgiving Day"),
        (D(2026, 11, 27), True, ""),  # the Friday after Thanksgiving is a working day
        (D(2026, 6, 19), False, "Juneteenth National Independence Day"),
        (D(2026, 7, 3), False, "Independence Day (observed)"),  # 4 July 2026 is a Saturday
        (D(2021, 12, 31), False, "New Year's Day (observed)"),  # 1 January 2022 is a Saturday
        (D(2023, 1, 2), False, "New Year's Day (observed)"),  # 1 January 2023 is a Sunday
        (D(2027, 12, 24), False, "Christmas Day (observed)"),
        (D(2024, 12, 24), True, ""),  # an executive-order closure, not a legal holiday
        (
            D(2025, 1, 20),
            False,
            "Martin Luther King Jr. Day",
        ),  # Inauguration Day too; not a holiday outside DC
        (D(2024, 2, 29), True, ""),
        (D(2026, 11, 28), False, ""),  # a Saturday
        (D(2026, 11, 29), False, ""),  # a Sunday
    ],
)
def test_business_days_skip_weekends_and_observed_federal_holidays(day, business, holiday):
    assert clocks.is_business_day(day) is business
    assert clocks.holiday_name(day) == holiday


@pytest.mark.parametrize("start", SPAN[::17])
@pytest.mark.parametrize("count", [1, 5, 23])
def test_business_days_between_undoes_add_business_days(start, count):
    end = clocks.add_business_days(start, count)
    assert clocks.is_business_day(end)
    assert clocks.business_days_between(start, end) == count
    assert clocks.business_days_between(end, start) == -count


# --- the UFLPA / 19 CFR 151.16 clocks -----------------------------------------------------------


@pytest.mark.parametrize(
    ("presented", "decide_by", "notice_by", "final_by", "protest_by"),
    [
        # The Wednesday before Thanksgiving: Thursday is a holiday, the weekend follows.
        (D(2026, 11, 25), D(2026, 12, 3), D(2026, 12, 10), D(2026, 12, 25), D(2027, 6, 23)),
        (D(2025, 11, 26), D(2025, 12, 4), D(2025, 12, 11), D(2025, 12, 26), D(2026, 6, 24)),
        # Over New Year: Christmas and 1 January both fall inside the five days.
        (D(2026, 12, 23), D(2026, 12, 31), D(2027, 1, 8), D(2027, 1, 22), D(2027, 7, 21)),
        (D(2026, 12, 30), D(2027, 1, 7), D(2027, 1, 14), D(2027, 1, 29), D(2027, 7, 28)),
        # New Year's Day 2022 fell on a Saturday and was observed on Friday 31 December 2021.
        (D(2021, 12, 28), D(2022, 1, 5), D(2022, 1, 12), D(2022, 1, 27), D(2022, 7, 26)),
        # On 29 February.
        (D(2024, 2, 29), D(2024, 3, 7), D(2024, 3, 14), D(2024, 3, 30), D(2024, 9, 26)),
        (D(2028, 2, 29), D(2028, 3, 7), D(2028, 3, 14), D(2028, 3, 30), D(2028, 9, 26)),
        # Presented on a Saturday: the first business day after it is day 1.
        (D(2026, 5, 23), D(2026, 6, 1), D(2026, 6, 8), D(2026, 6, 22), D(2026, 12, 19)),
    ],
)
def test_uflpa_clocks(presented, decide_by, notice_by, final_by, protest_by):
    assert clocks.due_on("uflpa_detention_decision", presented) == decide_by
    # The notice's five days run from the decision to detain, here on its last day.
    assert clocks.due_on("uflpa_detention_notice", decide_by) == notice_by
    assert clocks.due_on("uflpa_admissibility_decision", presented) == final_by
    assert clocks.due_on("exclusion_protest", final_by) == protest_by


def test_deemed_exclusion_happens_on_day_30_exactly_and_opens_the_protest_window():
    presented = D(2026, 1, 1)
    day_30 = D(2026, 1, 31)
    code = "uflpa_admissibility_decision"
    # Up to and on day 30 CBP may still decide: nothing has happened yet.
    assert clocks.expired(code, presented, today=D(2026, 1, 30)) is None
    assert clocks.expired(code, presented, today=day_30) is None
    # From day 31 the goods are shown deemed excluded, with the day it happened: day 30.
    expiry = clocks.expired(code, presented, today=D(2026, 2, 1))
    assert expiry.happened_on == day_30
    assert expiry.rule.code == code
    assert "deemed excluded" in expiry.rule.at_expiry
    # The 180-day protest window runs from that day.
    assert expiry.follow_on.code == "exclusion_protest"
    assert expiry.follow_on_due == D(2026, 7, 30) == day_30 + dt.timedelta(days=180)
    assert clocks.days_left("exclusion_protest", expiry.follow_on_due, today=day_30) == 180
    # A decision on day 30 is in time; one on day 31 comes after the deemed exclusion.
    assert clocks.expired(code, presented, today=D(2026, 3, 1), done_on=day_30) is None
    late = clocks.expired(code, presented, today=D(2026, 3, 1), done_on=D(2026, 2, 1))
    assert late.happened_on == day_30


def test_business_day_clocks_count_days_left_in_business_days():
    due = clocks.due_on("uflpa_detention_decision", D(2026, 11, 25))
    assert due == D(2026, 12, 3)
    assert clocks.days_left("uflpa_detention_decision", due, today=D(2026, 11, 25)) == 5
    assert clocks.days_left("uflpa_detention_decision", due, today=D(2026, 11, 27)) == 4
    assert clocks.days_left("uflpa_detention_decision", due, today=D(2026, 12, 4)) == -1
    # A calendar-day clock counts every day.
    assert clocks.days_left("exclusion_protest", D(2026, 12, 3), today=D(2026, 11, 25)) == 8


@pytest.mark.parametrize(
    ("instant", "agency_day"),
    [
        # 22:30 in New York on the Wednesday before Thanksgiving is already Thursday in UTC.
        (dt.datetime(2026, 11, 26, 3, 30, tzinfo=dt.UTC), D(2026, 11, 25)),
        (dt.datetime(2026, 11, 25, 23, 0, tzinfo=NEW_YORK), D(2026, 11, 25)),
        # 00:30 on 1 March in UTC is still 29 February in New York.
        (dt.datetime(2024, 3, 1, 0, 30, tzinfo=dt.UTC), D(2024, 2, 29)),
    ],
)
def test_an_instant_starts_the_clock_on_the_agency_day(instant, agency_day):
    assert clocks.agency_date(instant) == agency_day
    for rule in clocks.RULES:
        assert clocks.due_on(rule.code, instant) == clocks.due_on(rule.code, agency_day)


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError, match="naive"):
        clocks.due_on("exclusion_protest", dt.datetime(2026, 1, 1, 12, 0))  # noqa: DTZ001


def test_an_unknown_rule_is_named():
    with pytest.raises(ValueError, match="'uflpa_typo'"):
        clocks.due_on("uflpa_typo", D(2026, 1, 1))


# --- the table ----------------------------------------------------------------------------------


def test_every_rule_is_complete_and_chains_to_a_rule():
    assert len(clocks.RULES_BY_CODE) == len(clocks.RULES)
    for rule in clocks.RULES:
        assert rule.name and rule.citation and rule.starts and rule.at_expiry, rule.code
        assert rule.amount > 0, rule.code
        assert not rule.then or rule.then in clocks.RULES_BY_CODE, rule.code


def test_a_setting_changes_the_period_in_force(settings):
    settings.WITHHOLD = {**settings.WITHHOLD, "INTAKE_TRIAGE_DAYS": 3}
    assert clocks.due_on("allegation_forwarding", D(2026, 3, 1)) == D(2026, 3, 4)
    assert clocks.due_on("allegation_forwarding", D(2026, 3, 1), amount=10) == D(2026, 3, 11)


# --- the older clocks, unchanged ----------------------------------------------------------------
# The arithmetic each clock used before it moved onto the engine, as the reference.


def _old_add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


OLD_COORDINATION_DAYS = {
    "coordination_ntac": 14,
    "coordination_ntc": 12,
    "coordination_hsi": 10,
    "coordination_other_agencies": 10,
    "coordination_cee": 7,
    "coordination_ports": 3,
}


def test_the_three_months_of_12_43_are_unchanged():
    for day in SPAN + [D(2099, 11, 30), D(2099, 11, 29), D(1999, 11, 30)]:
        assert clocks.due_on("admissibility_proof", day) == _old_add_months(day, 3), day


@pytest.mark.parametrize("days", [10, 1, 30])
def test_the_ten_days_of_12_42c_are_unchanged(days):
    for day in SPAN:
        old = day + dt.timedelta(days=days)
        assert clocks.due_on("allegation_forwarding", day, amount=days) == old, day
    for today in SPAN[::5]:
        # The queue's filter: received before the cutoff means overdue (today > received + days).
        cutoff = clocks.overdue_if_started_before("allegation_forwarding", today=today, amount=days)
        assert cutoff == today - dt.timedelta(days=days), today


def test_the_pre_issuance_notices_are_unchanged():
    for day in SPAN:
        for code, days in OLD_COORDINATION_DAYS.items():
            assert clocks.due_on(code, day) == day - dt.timedelta(days=days), (code, day)


@pytest.mark.parametrize("interval", [365, 90])
def test_order_reviews_and_hsi_notification_are_unchanged(interval):
    for day in SPAN:
        old = day + dt.timedelta(days=interval)
        assert clocks.due_on("order_review", day, amount=interval) == old, day
        assert clocks.due_on("hsi_notification", day, amount=interval) == old, day
    assert clocks.due_on("order_review", D(2024, 2, 29)) == D(2025, 2, 28)  # 365 days on
    assert clocks.due_on("hsi_notification", D(2026, 12, 25)) == D(2027, 1, 4)


def test_overdue_cutoff_agrees_with_due_on_for_months_and_business_days():
    for code in ("admissibility_proof", "uflpa_detention_decision"):
        for today in SPAN[::11]:
            cutoff = clocks.overdue_if_started_before(code, today=today)
            assert clocks.due_on(code, cutoff) >= today
            assert clocks.due_on(code, cutoff - dt.timedelta(days=1)) < today


def test_counting_back_from_a_planned_event_has_no_overdue_cutoff():
    with pytest.raises(ValueError, match="counts back"):
        clocks.overdue_if_started_before("coordination_ntac", today=D(2026, 1, 1))


def test_the_docs_rule_table_is_the_code_table():
    page = (Path(__file__).resolve().parents[2] / "docs" / "deadlines.md").read_text()
    shown = page.split("<!-- clock-rules:start -->\n")[1].split("<!-- clock-rules:end -->")[0]
    assert shown == clocks.rule_table_markdown(), (
        "docs/deadlines.md differs from clocks.RULES: run `make docs`."
    )


def test_the_clock_rules_command_redraws_the_table_and_checks_it(tmp_path):
    page = tmp_path / "deadlines.md"
    page.write_text(
        "# Deadlines\n\n<!-- clock-rules:start -->\n| old |\n<!-- clock-rules:end -->\n\nEnd.\n"
    )
    with pytest.raises(CommandError, match="stale"):
        call_command("clock_rules", output=str(page), check=True)
    call_command("clock_rules", output=str(page), stdout=io.StringIO())
    text = page.read_text()
    assert "| old |" not in text and text.startswith("# Deadlines\n") and text.endswith("End.\n")
    assert clocks.rule_table_markdown() in text
    call_command("clock_rules", output=str(page), check=True, stdout=io.StringIO())
    (tmp_path / "bare.md").write_text("# No table here\n")
    with pytest.raises(CommandError, match="no <!-- clock-rules:start -->"):
        call_command("clock_rules", output=str(tmp_path / "bare.md"))
