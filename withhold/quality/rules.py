"""The data-quality rules, each with a code and a description. Pure: no database, no clock.

GAO-21-106 found the division's case data incomplete (11 of 21 fields with missing entries for
active cases) and inconsistent (5 of 21 fields): a status column mixing spellings, a "current
update" column holding manufacturers' names, a narrative saying "sent to Chief Counsel" while the
phase said investigation. Completeness is counted in ``selectors`` by database aggregation; the
consistency rules are here, and ``selectors`` applies them (by aggregation where a rule is a
comparison of columns, by streaming the text where it reads prose).
"""

import re
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from withhold.entities.duplicates import normalise_name

PHASE_ORDER = ("initiation", "investigation", "legal_review", "implementation")
PHASE_LABELS = {
    "initiation": "Initiation",
    "investigation": "Investigation",
    "legal_review": "Legal review",
    "implementation": "Implementation",
}
MIN_NARRATIVE_WORDS = 4


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    description: str


VOCABULARY = Rule(
    "QC-VOCAB",
    "Value outside the vocabulary",
    "A coded field (phase, status, reason, referral source, priority, country, HTS code) holds a "
    "value that is not in its vocabulary.",
)
DATE_ORDER = Rule(
    "QC-DATES",
    "Phase dates out of order",
    "Dates that must follow one another do not: opened before received, HSI notified before the "
    "allegation was received, a later phase entered before an earlier one, or a date in the future.",
)
LATER_PHASE = Rule(
    "QC-PHASE-TEXT",
    "Narrative mentions a later phase",
    "A timeline update or narrative field mentions a step of a later phase than the recorded one "
    "(e.g. “sent to Chief Counsel” while in Investigation).",
)
NAME_IN_NARRATIVE = Rule(
    "QC-NAME-TEXT",
    "Entity name in a narrative field",
    "A narrative field is only the name of a supply-chain entity (or a short text ending like a "
    "company's name), or names a known entity that is not linked to the case: the name belongs "
    "in the supply chain, not the narrative.",
)
STRUCTURED_IN_NARRATIVE = Rule(
    "QC-DATA-TEXT",
    "Date or code in a narrative field",
    "A narrative field is only a date or a number, or holds an HTS code that is not the case's "
    "HTS code: dates and codes belong in the case's fields.",
)
RULES: dict[str, Rule] = {
    r.code: r
    for r in (VOCABULARY, DATE_ORDER, LATER_PHASE, NAME_IN_NARRATIVE, STRUCTURED_IN_NARRATIVE)
}


@dataclass(frozen=True)
class PhaseMention:
    phrase: str
    phase: str


# Phrases that only make sense once a case has reached a phase.
PHASE_PHRASES: list[tuple[str, str]] = [
    (r"sent to (the )?chief counsel", "legal_review"),
    (r"referred to (the )?chief counsel", "legal_review"),
    (r"(sent|referred|forwarded) to (the )?(office of )?(chief )?counsel", "legal_review"),
    (r"with (the )?chief counsel", "legal_review"),
    (r"legal[- ]sufficiency (review|opinion)", "legal_review"),
    (r"in legal review", "legal_review"),
    (r"(wro|withhold release order|finding) (was )?(issued|published|signed)", "implementation"),
    (r"(issued|published) (a |the )?(wro|withhold release order|finding)", "implementation"),
    (r"published in the federal register", "implementation"),
    (r"(moved|advanced|sent) (in)?to investigation", "investigation"),
    (r"investigation (was )?opened", "investigation"),
]
_NEGATION = re.compile(
    r"\b(not|no|never|before|yet to|prepar\w*|draft\w*|plan\w*|will)\W+(\w+\W+){0,3}$"
)


def phase_index(phase: str) -> int:
    return PHASE_ORDER.index(phase) if phase in PHASE_ORDER else 0


def narrative_later_phase(text: str, phase: str) -> PhaseMention | None:
    """The first mention of a step of a later phase than ``phase``, if any (negated mentions,
    such as "not yet sent to Chief Counsel", do not count)."""
    lowered = " ".join((text or "").casefold().split())
    best: PhaseMention | None = None
    for pattern, mentioned in PHASE_PHRASES:
        if phase_index(mentioned) <= phase_index(phase):
            continue
        for match in re.finditer(r"\b" + pattern + r"\b", lowered):
            if _NEGATION.search(lowered[: match.start()]):
                continue
            if best is None or phase_index(mentioned) > phase_index(best.phase):
                best = PhaseMention(match.group(0), mentioned)
            break
    return best


def normal_words(text: str) -> str:
    """Lower case, punctuation gone, single spaces: how names are compared."""
    return " ".join(re.sub(r"[^\w&]+", " ", (text or "").casefold()).split())


def entity_key(text: str) -> str:
    """How a spreadsheet's name is looked up among the entities on file: legal forms, plurals,
    case and punctuation folded (``entities.duplicates.normalise_name``), so "Example Textile
    Co., Ltd." finds "EXAMPLE TEXTILES LIMITED" instead of becoming a second entity."""
    return normalise_name(text)


class NameIndex:
    """Entity names, compared without case or punctuation, found in text in one pass over its
    words (not one pass per name), so a narrative is checked against every entity on file."""

    MAX_WORDS = 10

    def __init__(self, names=()):
        self.names: dict[str, str] = {}
        for name in names:
            self.add(name)

    def add(self, name: str) -> None:
        words = normal_words(name)
        if words:
            self.names.setdefault(words, name)

    def is_only(self, text: str) -> bool:
        """Whether ``text`` is nothing but one of the names."""
        return normal_words(text) in self.names

    def mentioned(self, text: str) -> list[str]:
        """Names (of at least 2 words or 6 letters, to avoid chance matches) appearing in
        ``text`` as whole words."""
        words = normal_words(text).split()
        found: list[str] = []
        for i in range(len(words)):
            for n in range(1, min(self.MAX_WORDS, len(words) - i) + 1):
                candidate = " ".join(words[i : i + n])
                name = self.names.get(candidate)
                if name and (n > 1 or len(candidate) >= 6) and name not in found:
                    found.append(name)
        return found


def is_only_a_name(text: str, names) -> bool:
    index = names if isinstance(names, NameIndex) else NameIndex(names)
    return index.is_only(text)


_COMPANY_SUFFIX = re.compile(
    r"\b(co|company|corp|corporation|inc|incorporated|ltd|limited|llc|plc|gmbh|ag|s\.?a|"
    r"sdn\.? bhd|bhd|pvt|pte|group|holdings|factory|mill|mills|industries|enterprises?)\.?\s*$",
    re.IGNORECASE,
)


_NAME_LINKS = {"and", "of", "de", "the", "for"}


def looks_like_a_company(text: str) -> bool:
    """A short, capitalised text ending like a company's name ("Top Glove Sdn Bhd", "Acme
    Textiles Co."), not a sentence ("Debt bondage at the glove factory.")."""
    text = (text or "").strip().rstrip(".,;")
    words = [w for w in text.split() if w[:1].isalpha()]
    capitalised = all(w[0].isupper() or w.casefold() in _NAME_LINKS for w in words)
    return 0 < len(text.split()) <= 8 and capitalised and bool(_COMPANY_SUFFIX.search(text))


_DATE_ONLY = re.compile(
    r"^\s*(\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{1,2} \w+ \d{4}|\w+ \d{1,2},? \d{4})\s*\.?\s*$"
)
_NUMBER_ONLY = re.compile(r"^\s*[\d\s.\-/]+\s*$")
_HTS = re.compile(r"\b(\d{4}\.\d{2}(?:\.\d{2}(?:\.\d{2})?)?)\b")


def narrative_problems(
    text: str,
    *,
    phase: str,
    entity_names: NameIndex | None = None,
    linked_names=(),
    hts_code: str = "",
    field: str = "update",
) -> list[tuple[str, str]]:
    """(rule code, message) for everything wrong with one narrative text."""
    text = text or ""
    if not text.strip():
        return []
    problems: list[tuple[str, str]] = []
    later = narrative_later_phase(text, phase)
    if later:
        problems.append(
            (
                LATER_PHASE.code,
                f"The {field} says “{later.phrase}” ({PHASE_LABELS[later.phase]}) but the case is "
                f"in {PHASE_LABELS.get(phase, phase)}.",
            )
        )
    entity_names = entity_names or NameIndex()
    if entity_names.is_only(text) or is_only_a_name(text, linked_names):
        problems.append((NAME_IN_NARRATIVE.code, f"The {field} is only a name: “{text.strip()}”."))
    elif looks_like_a_company(text):
        problems.append(
            (NAME_IN_NARRATIVE.code, f"The {field} looks like a company's name: “{text.strip()}”.")
        )
    else:
        linked = {normal_words(n) for n in linked_names}
        for name in entity_names.mentioned(text):
            if normal_words(name) not in linked:
                problems.append(
                    (
                        NAME_IN_NARRATIVE.code,
                        f"The {field} names “{name}”, an entity not linked to the case.",
                    )
                )
    if _DATE_ONLY.match(text) or _NUMBER_ONLY.match(text):
        problems.append(
            (
                STRUCTURED_IN_NARRATIVE.code,
                f"The {field} is only a date or number: “{text.strip()}”.",
            )
        )
    digits = re.sub(r"\D", "", hts_code or "")
    for code in _HTS.findall(text):
        plain = code.replace(".", "")
        if not digits or not (plain.startswith(digits) or digits.startswith(plain)):
            problems.append(
                (
                    STRUCTURED_IN_NARRATIVE.code,
                    f"The {field} holds the HTS code {code}"
                    + (f", not the case's {hts_code}." if digits else "; the case has none."),
                )
            )
            break
    return problems


def date_order_problems(
    *,
    received_on: date | None,
    opened_on: date | None,
    hsi_notified_on: date | None,
    phase_entered: dict[str, date],
    today: date,
) -> list[str]:
    """Every pair of dates that is out of order, in words."""
    problems = []
    if received_on and opened_on and opened_on < received_on:
        problems.append(f"Opened {opened_on} before it was received {received_on}.")
    if received_on and hsi_notified_on and hsi_notified_on < received_on:
        problems.append(f"HSI notified {hsi_notified_on} before the allegation {received_on}.")
    for name, value in (
        ("received", received_on),
        ("opened", opened_on),
        ("HSI notified", hsi_notified_on),
    ):
        if value and value > today:
            problems.append(f"Date {name} {value} is in the future.")
    seen: list[tuple[str, date]] = [
        (p, phase_entered[p]) for p in PHASE_ORDER if p in phase_entered
    ]
    for (earlier, d1), (later, d2) in pairwise(seen):
        if d2 < d1:
            problems.append(
                f"Entered {PHASE_LABELS[later]} {d2} before {PHASE_LABELS[earlier]} {d1}."
            )
    if opened_on and seen and seen[0][1] < opened_on:
        problems.append(
            f"Entered {PHASE_LABELS[seen[0][0]]} {seen[0][1]} before opening {opened_on}."
        )
    return problems


def summary_sentence(missing_fields: int, inconsistent_fields: int, total_fields: int) -> str:
    """GAO's way: "11 of 21 fields have missing entries; 5 of 21 hold inconsistent values"."""
    return (
        f"{missing_fields} of {total_fields} fields have missing entries; "
        f"{inconsistent_fields} of {total_fields} hold inconsistent values."
    )
