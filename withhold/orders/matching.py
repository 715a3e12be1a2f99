"""Recognising one order in two public lists that name it differently. Pure: no database.

GAO-21-106 table 2 (2020) and CBP's current list (2026) describe the same 2016–2019 orders in
different words: "Tangshan Sanyou Group" is "Tangshan Sanyou Group and its Subsidiaries"; "All
goods produced with Turkmenistan cotton" is the entity "All Turkmenistan Cotton or products
produced in whole or in part with Turkmenistan cotton" with merchandise "Cotton". The rule:

A GAO row and a CBP row are the same order when all of these hold:

1. **kind**: both are WROs, or both are Findings;
2. **place**: the same ISO country, or both concern fishing vessels (GAO's scope ``vessel``,
   CBP's country code ``FV``);
3. **date**: CBP's effective date lies within GAO's date — the same day when GAO gives a day,
   the same month when it gives a month, inside the span when it gives a span of months;
4. **words**: the significant words of the two rows (entity, aliases, merchandise, region and
   vessel names; lower-cased, accents removed, words under three letters and ``STOPWORDS``
   dropped) overlap by at least ``MIN_OVERLAP`` of the smaller set — the overlap coefficient
   |A ∩ B| / min(|A|, |B|).

Each row matches at most one row of the other list: candidate pairs are taken best first
(highest overlap, then earliest GAO key and CBP row), so the two May–July 2020 "hair products
from China" rows of GAO pair with the two CBP hair-product orders of that span one each.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from withhold.core.numbers import NumberError, parse_int

MIN_OVERLAP = 0.5

STOPWORDS = frozenset(
    [
        "all",
        "and",
        "any",
        "are",
        "for",
        "from",
        "its",
        "the",
        "with",
        "this",
        "that",
        "other",
        "others",
        "into",
        "produced",
        "production",
        "products",
        "product",
        "goods",
        "made",
        "company",
        "group",
        "ltd",
        "llc",
        "inc",
        "corp",
        "corporation",
        "limited",
        "sdn",
        "bhd",
        "subsidiaries",
        "subsidiary",
        "whole",
        "part",
        "containing",
        "extracted",
    ]
)


@dataclass(frozen=True)
class ListedOrder:
    """One row of a public list, as far as matching needs it."""

    key: str  # GAO's ref, or CBP's row number
    kind: str  # "wro" or "finding"
    country: str  # ISO alpha-2, or "" for a fishing vessel
    is_vessel: bool
    first_day: date  # the earliest date the row's date can mean
    last_day: date  # the latest
    text: str  # entity, aliases, merchandise, region and vessel names, joined


def significant_words(text: str) -> frozenset[str]:
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    words = re.findall(r"[a-z0-9]+", plain)
    return frozenset(w for w in words if len(w) >= 3 and w not in STOPWORDS)


def overlap(a: str, b: str) -> float:
    words_a, words_b = significant_words(a), significant_words(b)
    if not words_a or not words_b:
        return 0.0
    return len(words_a & words_b) / min(len(words_a), len(words_b))


def same_order_score(gao: ListedOrder, cbp: ListedOrder) -> float:
    """The words' overlap when rules 1–3 hold, else 0. A score of ``MIN_OVERLAP`` or more is a
    match."""
    if gao.kind != cbp.kind:
        return 0.0
    if gao.is_vessel or cbp.is_vessel:
        if not (gao.is_vessel and cbp.is_vessel):
            return 0.0
    elif gao.country != cbp.country:
        return 0.0
    if not (gao.first_day <= cbp.first_day and cbp.last_day <= gao.last_day):
        return 0.0
    return overlap(gao.text, cbp.text)


def match_listed_orders(gao: list[ListedOrder], cbp: list[ListedOrder]) -> dict[str, str]:
    """CBP key → GAO key for every pair the rule recognises as one order, one-to-one."""
    pairs = []
    for g in gao:
        for c in cbp:
            score = same_order_score(g, c)
            if score >= MIN_OVERLAP:
                pairs.append((-score, g.key, _row_order(c.key), c.key))
    pairs.sort()
    matched: dict[str, str] = {}
    used_gao: set[str] = set()
    for _score, gao_key, _order, cbp_key in pairs:
        if gao_key in used_gao or cbp_key in matched:
            continue
        matched[cbp_key] = gao_key
        used_gao.add(gao_key)
    return matched


def _row_order(key: str) -> tuple[int, str]:
    try:
        return (parse_int(key, field="row", minimum=0), key)
    except NumberError:
        return (0, key)
