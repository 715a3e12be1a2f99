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
