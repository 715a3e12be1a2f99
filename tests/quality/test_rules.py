"""Each consistency rule on named examples (pure: no database)."""

from datetime import date

import pytest

from withhold.quality import rules
from withhold.quality.rules import NameIndex, narrative_problems

NAMES = NameIndex(["Hetian Taida Apparel Co., Ltd.", "Mill One Textiles", "Zhong"])


@pytest.mark.parametrize(
    ("text", "phase", "expected"),
    [
        ("Sent to Chief Counsel on 3 May.", "investigation", "legal_review"),
        ("Referred to the Office of Chief Counsel for review", "initiation", "legal_review"),
        ("WRO issued and published in the Federal Register", "legal_review", "implementation"),
        ("Moved to investigation after triage", "initiation", "investigation"),
        # the same phase, or an earlier one, is no contradiction
        ("Sent to Chief Counsel on 3 May.", "legal_review", None),
        ("Sent to Chief Counsel on 3 May.", "implementation", None),
        # negated or planned steps are not claims that it happened
        ("Not yet sent to Chief Counsel; awaiting the audit.", "investigation", None),
        ("Preparing the package before it is sent to Chief Counsel", "investigation", None),
        ("Importer interviews continue this week.", "investigation", None),
    ],
    ids=[
        "counsel-while-investigating",
        "occ-while-initiating",
        "wro-issued-in-legal-review",
        "investigation-while-initiating",
        "counsel-in-legal-review",
        "counsel-in-implementation",
        "negated",
        "planned",
        "plain-update",
    ],
)
def test_narrative_mentioning_a_later_phase(text, phase, expected):
    found = rules.narrative_later_phase(text, phase)
    assert (found.phase if found else None) == expected


def test_gao_example_sent_to_chief_counsel_while_in_investigation():
    problems = narrative_problems("Sent to Chief Counsel.", phase="investigation")
    assert problems == [
        (
            rules.LATER_PHASE.code,
            "The update says “sent to chief counsel” (Legal review) but the case is in "
            "Investigation.",
        )
    ]


def test_manufacturer_name_as_the_whole_update():
    problems = narrative_problems(
        "Hetian Taida Apparel Co. Ltd", phase="initiation", entity_names=NAMES
    )
    assert [code for code, _ in problems] == [rules.NAME_IN_NARRATIVE.code]
    assert "only a name" in problems[0][1]


def test_a_known_entity_named_in_prose_but_not_linked():
    text = "Site visit to Mill One Textiles confirmed the dormitories."
    assert [c for c, _ in narrative_problems(text, phase="investigation", entity_names=NAMES)] == [
        rules.NAME_IN_NARRATIVE.code
    ]
    # once the entity is linked to the case, naming it in prose is fine
    assert (
        narrative_problems(
            text,
            phase="investigation",
            entity_names=NAMES,
            linked_names=["Mill One Textiles"],
        )
        == []
    )


def test_short_names_do_not_match_by_chance():
    # "Zhong" is one word of five letters: too short to find inside prose
    assert (
        narrative_problems(
            "Zhong said the wages were held.", phase="initiation", entity_names=NAMES
        )
        == []
    )


@pytest.mark.parametrize("text", ["2019-05-03", "05/03/2019", "3 May 2019", "5201.00"])
def test_a_narrative_that_is_only_a_date_or_number(text):
    codes = [c for c, _ in narrative_problems(text, phase="initiation")]
    assert rules.STRUCTURED_IN_NARRATIVE.code in codes


def test_hts_code_in_a_narrative():
    text = "Shipments under 6109.10.00 continue to arrive at Los Angeles."
    problems = narrative_problems(text, phase="investigation")
    assert problems == [
        (
            rules.STRUCTURED_IN_NARRATIVE.code,
            "The update holds the HTS code 6109.10.00; the case has none.",
        )
    ]
    # the case's own code, mentioned again, is not a defect
    assert narrative_problems(text, phase="investigation", hts_code="610910") == []


def test_phase_dates_out_of_order():
    today = date(2026, 1, 1)
    assert rules.date_order_problems(
        received_on=date(2020, 5, 1),
        opened_on=date(2020, 4, 1),
        hsi_notified_on=date(2020, 3, 1),
        phase_entered={"initiation": date(2020, 6, 1), "investigation": date(2020, 5, 1)},
        today=today,
    ) == [
        "Opened 2020-04-01 before it was received 2020-05-01.",
        "HSI notified 2020-03-01 before the allegation 2020-05-01.",
        "Entered Investigation 2020-05-01 before Initiation 2020-06-01.",
    ]


def test_dates_in_the_future():
    assert rules.date_order_problems(
        received_on=date(2027, 1, 1),
        opened_on=None,
        hsi_notified_on=None,
        phase_entered={},
        today=date(2026, 1, 1),
    ) == ["Date received 2027-01-01 is in the future."]


def test_summary_sentence_the_gao_way():
    assert (
        rules.summary_sentence(11, 5, 21)
        == "11 of 21 fields have missing entries; 5 of 21 hold inconsistent values."
    )


def test_every_rule_has_a_code_title_and_description():
    assert len(rules.RULES) == 5
    for code, rule in rules.RULES.items():
        assert code == rule.code and rule.title and rule.description


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Top Glove Sdn Bhd", True),
        ("Acme Textiles Co.", True),
        ("Xinjiang Cotton Mill", True),
        ("Interviews with former workers at the mill continue this month and next.", False),
        ("Awaiting the importer's response.", False),
        ("Debt bondage at glove factory.", False),
    ],
)
def test_an_update_that_looks_like_a_company_name(text, expected):
    codes = [c for c, _ in narrative_problems(text, phase="investigation")]
    assert (rules.NAME_IN_NARRATIVE.code in codes) == expected
