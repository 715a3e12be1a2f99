"""ISO 3166 countries and subdivisions, from pycountry."""

from functools import cache

import pycountry


@cache
def country_choices() -> list[tuple[str, str]]:
    return sorted(((c.alpha_2, c.name) for c in pycountry.countries), key=lambda c: c[1])


@cache
def _country_names() -> dict[str, str]:
    return dict(country_choices())


def country_name(code: str) -> str:
    return _country_names().get((code or "").upper(), code or "")


def is_country(code: str) -> bool:
    return (code or "").upper() in _country_names()


@cache
def subdivision_choices(country_code: str) -> list[tuple[str, str]]:
    subs = pycountry.subdivisions.get(country_code=(country_code or "").upper()) or []
    return sorted(((s.code, f"{s.name} ({s.type})") for s in subs), key=lambda s: s[1])


def subdivision_name(code: str) -> str:
    sub = pycountry.subdivisions.get(code=(code or "").upper()) if code else None
    return sub.name if sub else (code or "")


def is_subdivision_of(code: str, country_code: str) -> bool:
    return code.upper() in {c for c, _ in subdivision_choices(country_code)}


# Spellings that ISO 3166 does not carry but case records use: abbreviations and short forms
# (the names in pycountry, common names included, are tried first).
COUNTRY_SPELLINGS = {
    "prc": "CN",
    "p.r.c.": "CN",
    "china prc": "CN",
    "mainland china": "CN",
    "drc": "CD",
    "dr congo": "CD",
    "congo drc": "CD",
    "congo (kinshasa)": "CD",
    "democratic republic of congo": "CD",
    "congo (brazzaville)": "CG",
    "ivory coast": "CI",
    "burma": "MM",
    "north korea": "KP",
    "dprk": "KP",
    "south korea": "KR",
    "rok": "KR",
    "russia": "RU",
    "vietnam": "VN",
    "laos": "LA",
    "uae": "AE",
    "uk": "GB",
    "great britain": "GB",
    "usa": "US",
    "u.s.": "US",
    "u.s.a.": "US",
    "turkey": "TR",
    "hong kong sar": "HK",
    "macau": "MO",
    "east timor": "TL",
    "swaziland": "SZ",
    "cape verde": "CV",
}


def _plain(text: str) -> str:
    from anyascii import anyascii

    return " ".join(anyascii(text).casefold().replace("’", "'").split())


@cache
def _country_spellings() -> dict[str, str]:
    spellings: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            name = getattr(country, attribute, None)
            if name:
                spellings.setdefault(_plain(name), country.alpha_2)
        spellings.setdefault(_plain(country.alpha_3), country.alpha_2)
    for spelling, code in COUNTRY_SPELLINGS.items():
        spellings.setdefault(_plain(spelling), code)
    return spellings


def country_from_spelling(text: str) -> str | None:
    """The ISO 3166 code a spelling most likely means — ISO names, common and official names,
    alpha-3 codes, accents ignored ("Cote d'Ivoire"), and ``COUNTRY_SPELLINGS`` ("PRC", "DRC",
    "Ivory Coast") — or None. For proposing value maps; an import uses only what the mapping
    says, never this guess."""
    plain = _plain(text).strip(" .")
    if len(plain) == 2 and is_country(plain.upper()):
        return plain.upper()
    return _country_spellings().get(plain) or _country_spellings().get(plain + ".")
