"""What readers see: labels, never stored codes, and no label twice; counts and amounts with
thousands separators on the list and statistics pages."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from withhold.detentions import selectors, services

from .conftest import proof_files

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}
TODAY = timezone.localdate()


@pytest.fixture
def seized(record, finding, acme_user, port_officer):
    detention = record(
        [finding],
        imported_on=TODAY - dt.timedelta(days=20),
        notice_on=TODAY - dt.timedelta(days=18),
        value_usd=Decimal("1234567.50"),
        quantity=Decimal("12000"),
    )
    services.detention_proof_submit(detention=detention, actor=acme_user, documents=proof_files())
    services.detention_review_start(detention=detention, actor=port_officer)
    return services.detention_seize(
        detention=detention, actor=port_officer, on=TODAY, reason="Forced labor."
    )


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("who", ["port_officer", "acme_user"])
def test_a_disposed_detention_shows_its_status_once(seized, who, request, client):
    client.force_login(request.getfixturevalue(who))
    page = client.get(f"/detentions/{seized.pk}/", **HOST).content.decode()
    head = _text(page.split('class="withhold-page-head"')[1].split("</div>")[0])
    assert head.count("Seized") == 1
    listing = _text(client.get("/detentions/", **HOST).content.decode())
    assert "Seized Seized" not in listing
    assert re.search(r"Seized \d{4}-\d\d-\d\d — ", listing)  # status, deadline, no days left


def test_audit_trail_shows_status_labels(seized, port_officer, client):
    client.force_login(port_officer)
    page = client.get(f"/detentions/{seized.pk}/", **HOST).content.decode()
    audit = _text(page.split('id="audit"')[1].split("</table>")[0])
    assert "Status: Under review → Seized" in audit
    assert "under_review" not in audit and "→ seized" not in audit


def test_amounts_and_counts_have_thousands_separators(seized, port_officer, client, monkeypatch):
    client.force_login(port_officer)
    listing = _text(client.get("/detentions/", **HOST).content.decode())
    assert "1,234,567.50" in listing
    detail = _text(client.get(f"/detentions/{seized.pk}/", **HOST).content.decode())
    assert "1,234,567.50" in detail and "12,000 pcs" in detail
    stats = selectors.detention_statistics()
    many = selectors.Statistics(
        total=12345,
        total_value_usd=Decimal("9876543.21"),
        by_month=[selectors.StatRow("2026-01", "2026-01", 12345, Decimal("9876543.21"))],
        by_order=stats.by_order,
        by_country=stats.by_country,
        by_industry=stats.by_industry,
        by_outcome=stats.by_outcome,
    )
    monkeypatch.setattr(selectors, "detention_statistics", lambda year=None: many)
    page = _text(client.get("/detentions/statistics/", **HOST).content.decode())
    assert "12,345 detentions, USD 9,876,543.21" in page
    assert "2026-01 12,345 9,876,543.21" in page
