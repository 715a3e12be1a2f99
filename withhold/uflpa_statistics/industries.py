"""Which industry a shipment belongs to, from the HTS code declared: the table is data
(``industries.csv``), this module only reads it. Pure: no database.

CBP's UFLPA statistics dashboard groups shipments by industry in the names of its Centers of
Excellence and Expertise (CEEs), which split the tariff schedule among them by chapter. The
table gives each HTS chapter (two digits) its industry, and a few headings (four digits) their
own where the chapter's industry would mislead: polysilicon (2804) is a manufacturing material
although chapter 28 is chemicals; computers (8471, 8473) are electronics although chapter 84 is
machinery; medical instruments (9018–9022) belong with health. The longest prefix wins. A code
the table does not cover (chapter 77 is reserved; a mistyped code) is "Other".

The table is Withhold's own reading of the CEEs' commodity lists, not CBP's published mapping,
so a figure by industry is close to the dashboard's but need not equal it.
"""

import csv
from functools import cache
from pathlib import Path

from django.db import models

TABLE = Path(__file__).with_name("industries.csv")


class Industry(models.TextChoices):
    """The industries of CBP's UFLPA dashboard (its CEEs), in the dashboard's words."""

    AGRICULTURE = "agriculture", "Agriculture and Prepared Products"
    APPAREL_TEXTILES = "apparel_textiles", "Apparel, Footwear and Textiles"
    AUTOMOTIVE_AEROSPACE = "automotive_aerospace", "Automotive and Aerospace"
    BASE_METALS = "base_metals", "Base Metals"
    CONSUMER_PRODUCTS = "consumer_products", "Consumer Products and Mass Merchandising"
    ELECTRONICS = "electronics", "Electronics"
    INDUSTRIAL_MATERIALS = "industrial_materials", "Industrial and Manufacturing Materials"
    MACHINERY = "machinery", "Machinery"
    PETROLEUM_MINERALS = "petroleum_minerals", "Petroleum, Natural Gas and Minerals"
    PHARMACEUTICALS_CHEMICALS = "pharmaceuticals_chemicals", "Pharmaceuticals, Health and Chemicals"
    OTHER = "other", "Other"


@cache
def table() -> dict[str, str]:
    """``{hts_prefix: industry}`` from ``industries.csv``; an unknown industry is an error, so a
    typing slip in the table cannot silently become "Other"."""
    with TABLE.open(newline="", encoding="utf-8") as handle:
        rows = {row["hts_prefix"]: row["industry"] for row in csv.DictReader(handle)}
    unknown = {value for value in rows.values() if value not in Industry.values}
    if unknown:
        raise ValueError(f"{TABLE.name} names unknown industries: {', '.join(sorted(unknown))}.")
    return rows


def industry_of(hts_code: str) -> str:
    """The industry of ``hts_code`` (digits, dots allowed): its heading's if the table has one,
    else its chapter's, else "other"."""
    digits = (hts_code or "").replace(".", "").strip()
    rows = table()
    for length in (4, 2):
        found = rows.get(digits[:length]) if len(digits) >= length else None
        if found:
            return found
    return Industry.OTHER
