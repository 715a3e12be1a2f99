"""Fuzzy matching of manufacturer names and commodity suggestions. Pure: no database.

Names are normalised by ``entities.duplicates.normalise_name`` (case, accents, punctuation,
legal-form words such as "Co., Ltd.") before they are compared with rapidfuzz's token-set ratio,
so "Example Textile Co., Ltd." and "EXAMPLE TEXTILES COMPANY LIMITED" match.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from withhold.entities.duplicates import normalise_name

NAME_MATCH_THRESHOLD = 85.0


def name_score(a: str, b: str) -> float:
    """0-100: how alike two names are after normalisation."""
    left, right = normalise_name(a), normalise_name(b)
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
    text = f" {normalise_name(description)} "
    named = [c for c in options if normalise_name(c.name) and f" {normalise_name(c.name)} " in text]
    if named:
        return max(named, key=lambda c: len(c.name))
    digits = "".join(ch for ch in hts_code or "" if ch in "0123456789")
    coded = [c for c in options if c.hs_code and digits.startswith(c.hs_code)]
    if coded:
        return max(coded, key=lambda c: len(c.hs_code))
    return None
