"""The demo UFLPA shipments: sized from the transcribed dashboard snapshots, labelled made up,
loaded once."""

import datetime as dt
import io
from collections import Counter
from decimal import Decimal

import pytest
from django.utils import timezone

from withhold.accounts.roles import Role
from withhold.detentions.models import Detention
from withhold.uflpa_statistics import demo
from withhold.uflpa_statistics.selectors import uflpa_statistics

from ..factories import UserFactory

HOST = {"HTTP_HOST": "127.0.0.1"}


def test_the_plan_has_the_snapshots_proportions():
    plan = demo.demo_plan(today=dt.date(2026, 12, 7))
    assert len(plan) == 180  # (490 + 1,323 + 1,778) / 20
    # Denied, pending, released: 490 / 1,778 / 1,323 of 3,591.
    assert Counter(s.group for s in plan) == {"denied": 25, "pending": 89, "released": 66}
    industries = Counter(s.industry for s in plan)
    assert (industries["electronics"], industries["apparel_textiles"]) == (88, 34)  # 48.9, 18.9 %
    assert industries["industrial_materials"] == 25  # 14.2 %
    value = sum(s.value_usd for s in plan)
    assert value == Decimal("53438369.00")  # 180 × $961 million / 3,237
    by_country = Counter()
    for s in plan:
        by_country[s.country] += s.value_usd
    # Malaysia 834.77, Vietnam 388.71, China 161.10 of 1,395.23 ($ million)
    assert round(by_country["MY"] / value * 100, 1) == Decimal("59.8")
    assert round(by_country["VN"] / value * 100, 1) == Decimal("27.9")
    assert round(by_country["CN"] / value * 100, 1) == Decimal("11.5")
    # Pending shipments are within their 30 days; denied ones past them.
    today = dt.date(2026, 12, 7)
    assert all((today - s.presented_on).days <= 25 for s in plan if s.group == "pending")
    assert all((today - s.presented_on).days >= 35 for s in plan if s.group != "pending")


@pytest.mark.django_db
def test_the_loader_records_labelled_demo_shipments_once(client):
    UserFactory(username="port", role=Role.PORT_OFFICER, is_demo=True)
    out = io.StringIO()
    assert demo.uflpa_statistics_demo_load(stdout=out) == {"uflpa_shipments": 180}
    assert demo.uflpa_statistics_demo_load() == {"uflpa_shipments": 0}
    made = Detention.objects.filter(entry_number__startswith="DMU-")
    assert made.count() == 180 and made.filter(is_demo=True).count() == 180
    assert all(m.startswith("DEMO ") for m in made.values_list("merchandise", flat=True))
    stats = uflpa_statistics(today=timezone.localdate())
    assert [(r.key, r.shipments) for r in stats.by_status] == [
        ("denied", 25),
        ("pending", 89),
        ("released", 66),
    ]
    assert stats.by_country[-1].key == "other"  # three countries of one shipment each
    page = client.get("/uflpa-statistics/", **HOST).content.decode()
    assert "180 of these shipments are made-up demo records." in page
