"""How complete a report is against the three elements of 19 CFR 12.42(b), in plain words.

Pure: takes the report's text, returns one assessment per element. The public form shows it to
the submitter before they send (so a thin report can be strengthened), and the triage queue shows
it to the analyst (12.42(c): a report lacking the elements is returned with written advice on what
is missing).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

MISSING = "missing"
THIN = "thin"
GOOD = "good"

# A statement of reasons shorter than this rarely says who, what, where and how the submitter knows.
REASONS_GOOD_WORDS = 40
MERCHANDISE_GOOD_WORDS = 8


@dataclass(frozen=True)
class ElementAssessment:
    key: str
    label: str
    level: str
    advice: list[str]

    @property
    def is_good(self) -> bool:
        return self.level == GOOD


@dataclass(frozen=True)
class ReportFacts:
    reasons: str = ""
    merchandise_description: str = ""
    hts_code: str = ""
    manufacturer_name: str = ""
    manufacturer_address: str = ""
    country: str = ""
    region: str = ""
    supply_chain_companies: str = ""
    us_importers: str = ""
    production_period: str = ""
    ilo_indicator_count: int = 0
    attachment_count: int = 0


def _words(text: str) -> int:
    return len((text or "").split())


def assess_reasons(facts: ReportFacts) -> ElementAssessment:
    words = _words(facts.reasons)
    advice = []
    if words == 0:
        level = MISSING
        advice.append(str(_("Say why you believe the goods are made with forced labor.")))
    elif words < REASONS_GOOD_WORDS:
        level = THIN
        advice.append(
            str(
                _(
                    "Say more: what you saw or heard, when and where, who the workers are, and "
                    "how you know it."
                )
            )
        )
    else:
        level = GOOD
    if facts.ilo_indicator_count == 0:
        advice.append(str(_("Tick the signs of forced labor you observed, if any.")))
    if facts.attachment_count == 0:
        advice.append(
            str(_("Attach any documents, photos or reports that support what you say, if you can."))
        )
    return ElementAssessment("reasons", str(_("Reasons for your belief")), level, advice)


def assess_merchandise(facts: ReportFacts) -> ElementAssessment:
    words = _words(facts.merchandise_description)
    advice = []
    if words == 0:
        level = MISSING
        advice.append(str(_("Describe the goods: what they are, and their brand or model.")))
    elif words < MERCHANDISE_GOOD_WORDS and not facts.hts_code:
        level = THIN
        advice.append(
            str(
                _(
                    "Describe the goods in more detail (kind, material, brand, packaging), or "
                    "give their tariff (HTS) code if you know it."
                )
            )
        )
    else:
        level = GOOD
    return ElementAssessment("merchandise", str(_("Description of the goods")), level, advice)


def assess_production(facts: ReportFacts) -> ElementAssessment:
    advice = []
    if not facts.manufacturer_name.strip():
        advice.append(str(_("Name the producer or manufacturer, if you know it.")))
    if not facts.country:
        advice.append(str(_("Choose the country where the goods are made.")))
    core_missing = len(advice)
    if not (facts.manufacturer_address.strip() or facts.region.strip()):
        advice.append(str(_("Give the factory's address or at least its region or town.")))
    if not (facts.supply_chain_companies.strip() or facts.us_importers.strip()):
        advice.append(
            str(_("Name other companies in the supply chain or U.S. importers, if you know any."))
        )
    if not facts.production_period.strip():
        advice.append(str(_("Say when the goods were made or shipped.")))
    if core_missing == 2:
        level = MISSING
    elif core_missing or len(advice) >= 2:
        level = THIN
    else:
        level = GOOD
    return ElementAssessment("production", str(_("Facts about production abroad")), level, advice)


def assess(facts: ReportFacts) -> list[ElementAssessment]:
    """The three elements of 19 CFR 12.42(b), in the regulation's order."""
    return [assess_reasons(facts), assess_merchandise(facts), assess_production(facts)]


def complete_count(assessments: list[ElementAssessment]) -> int:
    return sum(1 for a in assessments if a.is_good)
