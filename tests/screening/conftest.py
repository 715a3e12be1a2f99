"""Screening fixtures: issued orders with scope rules, written straight to the database (the
orders app's own tests cover how orders get there)."""

import datetime as dt

import pytest

from withhold.orders.models import Order, ScopeRule

from ..factories import EntityFactory

HEADER = (
    "line_id,entry_number,entry_date,importer_name,manufacturer_name,manufacturer_address,"
    "shipper_name,country_of_origin,hts_code,description,vessel_name\n"
)


def make_order(number, *, status="issued", country="CN", kind="wro", merchandise="Apparel"):
    return Order.objects.create(
        number=number,
        kind=kind,
        status=status,
        merchandise=merchandise,
        country=country,
        issued_on=dt.date(2025, 1, 5),
        revoked_on=dt.date(2026, 1, 5) if status == "revoked" else None,
    )


@pytest.fixture
def taida_order(db):
    order = make_order("WRO-2026-0001", merchandise="Garments")
    taida = EntityFactory(
        name="Hetian Taida Apparel Co., Ltd.",
        aliases=["Hetian TEDA Garment"],
        country="CN",
        address="Hetian, Xinjiang",
    )
    ScopeRule.objects.create(order=order, kind=ScopeRule.Kind.ENTITY, entity=taida)
    return order


@pytest.fixture
def glove_order(db):
    """An order with a partial revocation: goods imported by Glove Buyers are out of it."""
    order = make_order("WRO-2026-0002", status="partially_revoked", country="MY")
    maker = EntityFactory(name="Example Glove Sdn. Bhd.", country="MY", address="Klang")
    buyer = EntityFactory(name="Glove Buyers of America Inc", country="US")
    ScopeRule.objects.create(order=order, kind=ScopeRule.Kind.ENTITY, entity=maker)
    ScopeRule.objects.create(order=order, kind=ScopeRule.Kind.EXCLUDED_IMPORTER, entity=buyer)
    return order


def csv_file(*rows: str) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode()
