"""Fuzzy matching of manufacturer names and commodity suggestions. Pure: no database.

Names are normalised (case, accents, punctuation, legal-form words such as "Co., Ltd.") before
they are compared with rapidfuzz's token-set ratio, so "Example Textile Co., Ltd." and "EXAMPLE
TEXTILES COMPANY LIMITED" match.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

NAME_MATCH_THRESHOLD = 85.0

LEGAL_FORM_WORDS = frozenset(
    {
        "co",
        "company",
        "corp",
        "corporation",
        "inc",
        "incorporated",
        "ltd",
        "limited",
        "llc",
        "plc",
        "gmbh",
        "sa",
        "sas",
        "srl",
        "bv",
        "pte",
        "pvt",
        "private",
        "sdn",
        "bhd",
        "tbk",
        "pt",
        "jsc",
        "group",
        "holding",
        "the",
        "and",
    }
)
_NON_WORD = re.compile(r"[^\w\s]", re.UNICODE)


def name_normalise(name: str) -> str:
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = _NON_WORD.sub(" ", text)
    words = [w.rstrip("s") if len(w) > 3 else w for w in text.split()]
    return " ".join(w for w in words if w not in LEGAL_FORM_WORDS)


def name_score(a: str, b: str) -> float:
    """0-100: how alike two names are after normalisation."""
    left, right = name_normalise(a), name_normalise(b)
    if not left or not right:
        return 0.0
    return float(fuzz.token_set_ratio(left, right))


def best_name_score(name: str, candidates: Iterable[str]) -> tuple[float, str]:
    best = (0.0, "")
    for candidate in candidates:
        score = name_score(name, candidate)
        if score > best[0]:
            best = (score, candidate)
    return best


@dataclass(frozen=True)
class CommodityOption:
    pk: int
    name: str
    hs_code: str


def commodity_suggest(
    *, description: str, hts_code: str, commodities: Iterable[CommodityOption]
) -> CommodityOption | None:
    """The controlled-list commodity the report most likely concerns: one whose name appears in
    the description (longest name wins), else one whose HS code starts the submitter's HTS code
    (longest code wins)."""
    options = list(commodities)
    text = f" {name_normalise(description)} "
    named = [c for c in options if name_normalise(c.name) and f" {name_normalise(c.name)} " in text]
    if named:
        return max(named, key=lambda c: len(c.name))
    digits = "".join(ch for ch in hts_code or "" if ch.isdigit())
    coded = [c for c in options if c.hs_code and digits.startswith(c.hs_code)]
    if coded:
        return max(coded, key=lambda c: len(c.hs_code))
    return None
