"""Fixed data for the KPI definitions, straddling the FY2026/FY2027 boundary (30 September /
1 October 2026). Records are made directly: the other apps' tests cover how they come about.

Expected figures for October 2026 (FY2027), as a supervisor sees them, with the FY2026 baseline:

| indicator   | Oct 2026 | FYTD Oct | FY2026 baseline |
| outreach    | 2        | 2        | 2               |
| WROs        | 2        | 2        | 1               |
| penalties   | 1        | 1        | 0               |
| seizures    | 1        | 1        | 0               |
| detentions  | 2        | 2        | 1               |
| active      | 1        | 1        | 1 (at 30 Sep)   |
| suspended   | 1        | 1        | 1               |
| closed      | 2        | 2        | 0               |
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from withhold.accounts.roles import Role
from withhold.cases.models import CaseTransition
from withhold.detentions.models import Detention
from withhold.orders.models import Order
from withhold.performance.models import OutreachActivity

from ..factories import CaseFactory, EntityFactory, UserFactory


def at(y, m, d, hh=12, mm=0):
    """A moment in the project's time zone."""
    return dt.datetime(y, m, d, hh, mm, tzinfo=timezone.get_current_timezone())


def outreach(held_on, title="Briefing for apparel importers", **kw):
    fields = {
        "held_on": held_on,
        "title": title,
        "kind": "presentation",
        "audience": "industry",
        "country": "US",
        "participants": 40,
        "organisations": "American Apparel Association\nRetail Industry Council",
    }
    fields.update(kw)
    return OutreachActivity.objects.create(**fields)


def order(number, kind, status, issued_on, **kw):
    return Order.objects.create(
        number=number,
        kind=kind,
        status=status,
        merchandise="Cotton garments from Example Mill",
        country="CN",
        issued_on=issued_on,
        **kw,
    )


def detention(entry, notice_on, officer, importer, status="detained", disposed_on=None):
    return Detention.objects.create(
        entry_number=entry,
        port_of_entry="2704 Los Angeles, CA",
        imported_on=notice_on - dt.timedelta(days=3),
        notice_on=notice_on,
        admissibility_deadline=notice_on + dt.timedelta(days=90),
        importer=importer,
        country_of_origin="CN",
        merchandise="Men's cotton shirts",
        hts_code="6205.20",
        quantity=Decimal("100"),
        quantity_unit="pcs",
        value_usd=Decimal("1000"),
        officer=officer,
        status=status,
        disposed_on=disposed_on,
    )


def case_with_history(number, steps, **kw):
    """A case whose transitions are exactly ``steps``: (moment, kind, to_status). Its recorded
    status and reason follow the last step."""
    final = steps[-1][2]
    reasons = {
        "suspended": {"suspension_reason": "lack_of_personnel"},
        "closed": {"closing_outcome": "no_violation"},
    }.get(final, {})
    case = CaseFactory(
        number=number,
        status=final,
        received_on=dt.date(2026, 7, 1),
        opened_on=dt.date(2026, 7, 1),
        **reasons,
        **kw,
    )
    CaseTransition.objects.filter(case=case).delete()
    previous = ""
    for moment, kind, to_status in steps:
        CaseTransition.objects.create(
            case=case,
            kind=kind,
            to_phase="investigation",
            from_status=previous,
            to_status=to_status,
            at=moment,
        )
        previous = to_status
    return case


OPENED, STATUS = CaseTransition.Kind.OPENED, CaseTransition.Kind.STATUS


@pytest.fixture
def kpi_data(db):
    officer = UserFactory(username="kpi-officer", role=Role.PORT_OFFICER)
    importer = EntityFactory(name="Acme Imports LLC", country="US")
    data = {
        "outreach": [
            outreach(dt.date(2025, 10, 1), "FY2026 first day"),
            outreach(dt.date(2026, 9, 30), "FY2026 last day"),
            outreach(dt.date(2026, 10, 1), "FY2027 first day"),
            outreach(dt.date(2026, 10, 31), "October last day"),
            outreach(dt.date(2026, 11, 15), "November briefing"),
        ],
        "orders": [
            order("WRO-T-1", "wro", "issued", dt.date(2026, 9, 30)),
            order("WRO-T-2", "wro", "issued", dt.date(2026, 10, 1)),
            order(
                "WRO-T-3", "wro", "revoked", dt.date(2026, 10, 20), revoked_on=dt.date(2026, 11, 1)
            ),
            order("WRO-T-4", "wro", "draft", None),
            order("FND-T-1", "finding", "issued", dt.date(2026, 10, 5)),
            order("PEN-T-1", "penalty", "issued", dt.date(2026, 10, 2)),
            order("PEN-T-2", "penalty", "legal_review", None),
        ],
        "detentions": [
            detention(
                "AAA-0000001-1",
                dt.date(2026, 9, 30),
                officer,
                importer,
                "seized",
                dt.date(2026, 10, 1),
            ),
            detention("AAA-0000002-1", dt.date(2026, 10, 1), officer, importer),
            detention(
                "AAA-0000003-1",
                dt.date(2026, 10, 15),
                officer,
                importer,
                "released",
                dt.date(2026, 10, 20),
            ),
        ],
        "cases": {
            # Suspended half an hour before FY2026 ends, reactivated just after FY2027 starts.
            "A": case_with_history(
                "FL-2026-7001",
                [
                    (at(2026, 9, 15), OPENED, "active"),
                    (at(2026, 9, 30, 23, 30), STATUS, "suspended"),
                    (at(2026, 10, 1, 0, 30), STATUS, "active"),
                ],
            ),
            # Closed at the first instant of FY2027.
            "B": case_with_history(
                "FL-2026-7002",
                [
                    (at(2026, 8, 1), OPENED, "active"),
                    (at(2026, 10, 1, 0, 0), STATUS, "closed"),
                ],
            ),
            # Suspended twice in October: counts once.
            "C": case_with_history(
                "FL-2026-7003",
                [
                    (at(2026, 10, 10), OPENED, "active"),
                    (at(2026, 10, 12), STATUS, "suspended"),
                    (at(2026, 10, 14), STATUS, "active"),
                    (at(2026, 10, 20), STATUS, "suspended"),
                ],
            ),
            # Law-enforcement-sensitive, closed in October.
            "D": case_with_history(
                "FL-2026-7004",
                [
                    (at(2026, 10, 2), OPENED, "active"),
                    (at(2026, 10, 3), STATUS, "closed"),
                ],
                law_enforcement_sensitive=True,
            ),
        },
    }
    return data


@pytest.fixture
def kpi_reader_without_sensitive(db):
    """A targeting analyst (sees cases, not law-enforcement-sensitive ones) given KPI access."""
    from django.contrib.auth.models import Permission

    user = UserFactory(username="kpi-targeter", role=Role.TARGETING_ANALYST)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="performance", codename="view_kpis"),
        Permission.objects.get(
            content_type__app_label="performance", codename="view_outreachactivity"
        ),
    )
    return type(user).objects.get(pk=user.pk)
