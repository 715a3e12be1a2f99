"""The pure rules of intake as tables: completeness, what the submitter is told, overdue,
follow-up codes, fuzzy names, commodity suggestions and the rate limiter."""

from datetime import date

import pytest
from django.core.cache import cache

from withhold.intake import elements, matching, ratelimit, receipts, triage
from withhold.intake.models import Decision

from .conftest import GOOD_REASONS

FULL = elements.ReportFacts(
    reasons=GOOD_REASONS,
    merchandise_description="Combed cotton yarn on cones, 30s count, in woven bags",
    manufacturer_name="Example Spinning Mill",
    manufacturer_address="12 Mill Road",
    country="CN",
    supply_chain_companies="Example Trading",
    production_period="Spring 2025",
    ilo_indicator_count=2,
    attachment_count=1,
)


@pytest.mark.parametrize(
    ("changes", "levels"),
    [
        ({}, ["good", "good", "good"]),
        ({"reasons": ""}, ["missing", "good", "good"]),
        ({"reasons": "They are forced to work."}, ["thin", "good", "good"]),
        ({"merchandise_description": ""}, ["good", "missing", "good"]),
        ({"merchandise_description": "Yarn"}, ["good", "thin", "good"]),
        ({"merchandise_description": "Yarn", "hts_code": "5205"}, ["good", "good", "good"]),
        ({"manufacturer_name": "", "country": ""}, ["good", "good", "missing"]),
        ({"manufacturer_name": ""}, ["good", "good", "thin"]),
        ({"manufacturer_address": "", "production_period": ""}, ["good", "good", "thin"]),
        ({"production_period": ""}, ["good", "good", "good"]),
    ],
)
def test_completeness_against_the_three_elements(changes, levels):
    facts = elements.ReportFacts(**{**FULL.__dict__, **changes})
    assessed = elements.assess(facts)
    assert [a.level for a in assessed] == levels
    for a in assessed:
        assert (a.level == "good") or a.advice, "a thin or missing element always says what to add"


@pytest.mark.parametrize(
    ("decision", "open_question", "case_status", "expected"),
    [
        ("", False, "", "received"),
        (Decision.INFO_REQUESTED, True, "", "info_requested"),
        (Decision.INFO_REQUESTED, False, "", "under_review"),
        (Decision.CASE_OPENED, False, "active", "under_review"),
        (Decision.ATTACHED, False, "suspended", "under_review"),
        (Decision.CASE_OPENED, False, "closed", "closed"),
        (Decision.ATTACHED, False, "inactive", "closed"),
        (Decision.DECLINED, False, "", "closed"),
        (Decision.DECLINED, True, "", "closed"),
    ],
)
def test_what_the_submitter_is_told(decision, open_question, case_status, expected):
    assert (
        triage.public_status(
            decision=decision, has_open_question=open_question, case_status=case_status
        )
        == expected
    )


@pytest.mark.parametrize(
    ("received", "today", "waiting", "overdue"),
    [
        (date(2026, 3, 1), date(2026, 3, 11), True, False),
        (date(2026, 3, 1), date(2026, 3, 12), True, True),
        (date(2026, 3, 1), date(2026, 4, 1), False, False),
    ],
)
def test_untriaged_allegations_are_overdue_after_the_configured_days(
    received, today, waiting, overdue
):
    assert triage.is_overdue(received_on=received, today=today, days=10, waiting=waiting) is overdue


def test_follow_up_codes_are_random_and_forgiving_to_type():
    code = receipts.follow_up_code_new()
    assert code != receipts.follow_up_code_new()
    stored = receipts.follow_up_code_hash(code)
    assert receipts.follow_up_code_matches(f"  {code.lower().replace('-', ' ')} ", stored)
    assert not receipts.follow_up_code_matches(
        code[:-1] + ("0" if code[-1] != "0" else "1"), stored
    )
    assert receipts.follow_up_code_normalise("ab-cO-il") == "ABC011"


@pytest.mark.parametrize(
    ("a", "b", "similar"),
    [
        ("Example Textile Co., Ltd.", "EXAMPLE TEXTILES COMPANY LIMITED", True),
        ("Exämple Spinning Mill", "Example Spinning Mill Co.", True),
        ("Example Spinning Mill", "Sample Glove Factory", False),
        ("", "Example", False),
    ],
)
def test_manufacturer_names_match_after_normalisation(a, b, similar):
    assert (matching.name_score(a, b) >= matching.NAME_MATCH_THRESHOLD) is similar


OPTIONS = [
    matching.CommodityOption(1, "Cotton", "5201"),
    matching.CommodityOption(2, "Garments", "61"),
    matching.CommodityOption(3, "Gloves", "4015"),
]


@pytest.mark.parametrize(
    ("description", "hts", "expected"),
    [
        ("Cotton yarn on cones", "", "Cotton"),
        ("Disposable nitrile gloves", "", "Gloves"),
        ("T-shirts", "6109.10", "Garments"),
        ("Widgets", "", None),
    ],
)
def test_commodity_suggestion(description, hts, expected):
    chosen = matching.commodity_suggest(description=description, hts_code=hts, commodities=OPTIONS)
    assert (chosen.name if chosen else None) == expected


def test_rate_limiter_allows_the_limit_then_refuses_until_the_next_window():
    cache.clear()
    rate = ratelimit.Rate.parse("3/60")
    hits = [
        ratelimit.rate_limit_hit(scope="t", key="10.0.0.1", rate=rate, now=1200.0) for _ in range(4)
    ]
    assert hits == [False, False, False, True]
    assert not ratelimit.rate_limit_hit(scope="t", key="10.0.0.2", rate=rate, now=1200.0)
    assert not ratelimit.rate_limit_hit(scope="t", key="10.0.0.1", rate=rate, now=1260.0)
    assert ratelimit.rate_limit_retry_after(rate=rate, now=1250.0) == 11


@pytest.mark.parametrize("text", ["0/60", "5/0", "five/60"])
def test_a_bad_rate_setting_is_an_error(text):
    with pytest.raises(ValueError):
        ratelimit.Rate.parse(text)
