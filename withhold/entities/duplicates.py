"""Likely duplicate entities: fuzzy names within the same country. Pure, no database.

The same manufacturer typed into two cases as "Xinjiang Example Textile Co., Ltd." and "XINJIANG
EXAMPLE TEXTILES CO LTD" must become one record, or a later order would name only half its cases.
Names are normalised (case, punctuation, common company suffixes) before rapidfuzz compares them.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

# Legal-form and filler words that say nothing about which company it is ("Co., Ltd.",
# "Sdn. Bhd.", "PT ... Tbk"). Shared by every fuzzy company-name comparison outside screening
# (which has its own multilingual table, ``screening/normalise.py``).
LEGAL_FORM_WORDS = frozenset(
    {
        "co", "company", "corp", "corporation", "inc", "incorporated", "ltd", "limited", "llc",
        "plc", "gmbh", "sa", "sas", "srl", "bv", "pte", "pvt", "private", "sdn", "bhd", "tbk",
        "pt", "jsc", "group", "holding", "the", "and",
    }
)  # fmt: skip
_NON_WORD = re.compile(r"[^\w\s]", re.UNICODE)
DUPLICATE_THRESHOLD = 85


def normalise_name(name: str) -> str:
    """Lower case without accents or punctuation, plurals folded ("Textiles" → "textile"),
    legal-form words dropped unless nothing else is left. Letters of other scripts are kept."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    words = [w.rstrip("s") if len(w) > 3 else w for w in _NON_WORD.sub(" ", text).split()]
    kept = [w for w in words if w not in LEGAL_FORM_WORDS]
    return " ".join(kept or words)


@dataclass(frozen=True)
class Candidate:
    pk: int
    name: str
    aliases: tuple[str, ...]
    country: str


@dataclass(frozen=True)
class Suggestion:
    pk: int
    name: str
    score: int


def likely_duplicates(
    name: str, country: str, candidates: Iterable[Candidate], *, exclude: int | None = None
) -> list[Suggestion]:
    """Candidates in the same country whose name or an alias scores at least
    ``DUPLICATE_THRESHOLD`` (0–100) against ``name``, best first."""
    wanted = normalise_name(name)
    if not wanted:
        return []
    found = []
    for c in candidates:
        if c.pk == exclude or (c.country or "").upper() != (country or "").upper():
            continue
        score = max(fuzz.token_sort_ratio(wanted, normalise_name(n)) for n in (c.name, *c.aliases))
        if score >= DUPLICATE_THRESHOLD:
            found.append(Suggestion(pk=c.pk, name=c.name, score=round(score)))
    return sorted(found, key=lambda s: (-s.score, s.name))
