"""UFLPA statistics fixtures: detentions written straight to the database (the detention services
are tested in tests/detentions), so every date, status and value is exactly what a test says."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from withhold.accounts.roles import Role
from withhold.detentions.deadlines import uflpa_admissibility_deadline
from withhold.detentions.models import Detention

from ..factories import EntityFactory, UserFactory

# The day the statistics are read: 10 March 2026, noon in New York.
TODAY = dt.date(2026, 3, 10)
NOON = dt.datetime(2026, 3, 10, 12, tzinfo=ZoneInfo("America/New_York"))

# (presented, status, disposed on, country, HTS code, value)
UFLPA_ROWS = [
    (dt.date(2025, 12, 5), "released", dt.date(2025, 12, 20), "CN", "620520", "1000.00"),
    (dt.date(2025, 12, 15), "excluded", dt.date(2026, 1, 10), "CN", "854143", "2500.50"),
    # open past its 30 days: deemed excluded, so denied
    (dt.date(2026, 1, 8), "detained", None, "MY", "854143", "4000.00"),
    (dt.date(2026, 2, 20), "under_review", None, "MY", "280461", "300.00"),
    (dt.date(2026, 3, 2), "detained", None, "MY", "030487", "150.25"),
    (dt.date(2026, 3, 5), "exported", dt.date(2026, 3, 9), "VN", "611020", "700.00"),
    (dt.date(2026, 1, 20), "seized", dt.date(2026, 2, 10), "TH", "847130", "50.00"),
    (dt.date(2026, 2, 3), "released", dt.date(2026, 2, 25), "VN", "901890", "1200.00"),
    (dt.date(2026, 2, 25), "detained", None, "CN", "950300", "10.00"),
    # presented before the presumption took effect (21 June 2022): not counted
    (dt.date(2022, 6, 20), "released", dt.date(2022, 7, 1), "CN", "620520", "99999.00"),
]


@pytest.fixture
def at_noon():
    with time_machine.travel(NOON, tick=False):
        yield TODAY


def make_detention(n, *, officer, importer, basis="uflpa", presented=None, status="detained",
                   disposed_on=None, country="CN", hts="620520", value="1.00", **extra):  # fmt: skip
    imported = presented or dt.date(2026, 1, 5)
    fields = {
        "entry_number": f"AB{n % 10}-{n:07d}-{n % 10}",
        "port_of_entry": "2704 Los Angeles, CA",
        "imported_on": imported,
        "notice_on": imported + dt.timedelta(days=2),
        "importer": importer,
        "country_of_origin": country,
        "merchandise": "Goods",
        "hts_code": hts,
        "quantity": Decimal("10"),
        "quantity_unit": "pcs",
        "value_usd": Decimal(value),
        "basis": basis,
        "officer": officer,
        "status": status,
        "disposed_on": disposed_on,
    }
    if basis == "uflpa":
        fields.update(
            presented_on=presented,
            uflpa_nexus="xuar_origin",
            xuar_input="cotton",
            xuar_evidence="certificate",
            admissibility_deadline=uflpa_admissibility_deadline(presented),
        )
    else:
        fields["admissibility_deadline"] = imported + dt.timedelta(days=90)
    fields.update(extra)
    return Detention.objects.create(**fields)


@pytest.fixture
def officer(db):
    return UserFactory(username="officer-x", role=Role.PORT_OFFICER)


@pytest.fixture
def uflpa_detentions(officer):
    importer = EntityFactory(name="Importer of record", country="US")
    made = [
        make_detention(n, officer=officer, importer=importer, presented=p, status=s,
                       disposed_on=d, country=c, hts=h, value=v)
        for n, (p, s, d, c, h, v) in enumerate(UFLPA_ROWS, start=1)
    ]  # fmt: skip
    # A Section 307 detention is not a UFLPA shipment.
    made.append(
        make_detention(99, officer=officer, importer=importer, basis="order", value="5555.00")
    )
    return made
