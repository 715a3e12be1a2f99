"""The rule that recognises one order in GAO's and CBP's lists (``orders/matching.py``)."""

from datetime import date

import pytest

from withhold.orders.matching import ListedOrder, match_listed_orders, same_order_score


def listed(key, *, kind="wro", country="CN", vessel=False, first, last=None, text):
    return ListedOrder(key, kind, country, vessel, first, last or first, text)


GAO_SANYOU = listed(
    "G1",
    first=date(2016, 3, 1),
    last=date(2016, 3, 31),
    text="Tangshan Sanyou Group Soda ash, calcium chloride, and caustic soda",
)


@pytest.mark.parametrize(
    ("cbp", "matches"),
    [
        (
            listed(
                "29", first=date(2016, 3, 29), text="Tangshan Sanyou Group and its Subsidiaries"
            ),
            True,
        ),
        # Same words, but CBP's date falls outside GAO's month.
        (listed("30", first=date(2016, 4, 1), text="Tangshan Sanyou Group"), False),
        # Same words and month, another country.
        (listed("31", country="MX", first=date(2016, 3, 29), text="Tangshan Sanyou Group"), False),
        # A Finding is never the same order as a WRO.
        (listed("32", kind="finding", first=date(2016, 3, 29), text="Tangshan Sanyou"), False),
        # Same country and month, nothing in common but stopwords.
        (listed("33", first=date(2016, 3, 10), text="All products of the Group Ltd"), False),
    ],
)
def test_same_order_needs_kind_place_date_and_words(cbp, matches):
    assert (same_order_score(GAO_SANYOU, cbp) >= 0.5) is matches


def test_vessels_match_each_other_regardless_of_country():
    gao = listed(
        "G7",
        country="",
        vessel=True,
        first=date(2019, 2, 1),
        last=date(2019, 2, 28),
        text="Seafood from the Tunago No. 61 fishing vessel Tunago No. 61",
    )
    cbp = listed(
        "99",
        country="",
        vessel=True,
        first=date(2019, 2, 5),
        text="Fishing Vessel: Tunago No. 61 Seafood",
    )
    assert match_listed_orders([gao], [cbp]) == {"99": "G7"}


def test_two_alike_rows_pair_one_to_one():
    """GAO's two May–July 2020 "hair products from China" rows take one CBP order each."""
    span = {"first": date(2020, 5, 1), "last": date(2020, 7, 31)}
    gao = [listed("N14", text="Hair products", **span), listed("N15", text="Hair products", **span)]
    cbp = [
        listed("38", first=date(2020, 5, 1), text="Hetian Haolin Hair Accessories Hair Products"),
        listed("39", first=date(2020, 6, 17), text="Lop County Meixin Hair Products"),
        listed("43", first=date(2020, 8, 25), text="Lop County Hair Product Industrial Park"),
    ]
    assert match_listed_orders(gao, cbp) == {"38": "N14", "39": "N15"}
