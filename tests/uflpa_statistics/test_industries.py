"""Industry from the HTS code: every chapter of the tariff schedule has one (the table is data,
``withhold/uflpa_statistics/industries.csv``), and a heading can override its chapter."""

import pytest

from withhold.uflpa_statistics.industries import Industry, industry_of, table


def test_every_chapter_but_the_reserved_77_has_an_industry():
    chapters = {prefix for prefix in table() if len(prefix) == 2}
    assert chapters == {f"{n:02d}" for n in range(1, 100)} - {"77"}


@pytest.mark.parametrize(
    "hts, industry",
    [
        ("6205.20", Industry.APPAREL_TEXTILES),  # cotton shirts
        ("5201.00", Industry.APPAREL_TEXTILES),  # raw cotton
        ("8541.43", Industry.ELECTRONICS),  # solar modules
        ("2804.61", Industry.INDUSTRIAL_MATERIALS),  # polysilicon: heading beats chapter 28
        ("2833.11", Industry.PHARMACEUTICALS_CHEMICALS),  # chapter 28 otherwise
        ("3818.00", Industry.ELECTRONICS),  # silicon wafers
        ("8471.30", Industry.ELECTRONICS),  # computers: heading beats machinery
        ("8479.89", Industry.MACHINERY),
        ("9018.90", Industry.PHARMACEUTICALS_CHEMICALS),  # medical instruments
        ("9013.80", Industry.ELECTRONICS),
        ("2002.90", Industry.AGRICULTURE),  # tomato paste
        ("0304.87", Industry.AGRICULTURE),  # seafood
        ("7604.29", Industry.BASE_METALS),  # aluminum extrusions
        ("3904.10", Industry.INDUSTRIAL_MATERIALS),  # PVC
        ("8708.99", Industry.AUTOMOTIVE_AEROSPACE),
        ("9503.00", Industry.CONSUMER_PRODUCTS),
        ("2709.00", Industry.PETROLEUM_MINERALS),
        ("7700", Industry.OTHER),  # reserved chapter
        ("", Industry.OTHER),
    ],
)
def test_industry_of(hts, industry):
    assert industry_of(hts) == industry
