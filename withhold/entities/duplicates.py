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

# Legal-form words that say nothing about which company it is.
COMPANY_WORDS = frozenset(
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
        "sdn",
        "bhd",
        "pte",
        "pt",
        "the",
        "group",
    }
)
DUPLICATE_THRESHOLD = 85


def normalise_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    kept = [w for w in words if w not in COMPANY_WORDS]
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
