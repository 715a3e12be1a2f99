"""Made-up UFLPA detentions for the public statistics page, sized so its charts have the
proportions CBP's UFLPA dashboard showed in the snapshots transcribed in
``reference/data/cbp_forced_labor_enforcement_stats_transcribed.csv`` (read here, at load time),
at about a twentieth of its size:

* status: denied, released and pending as after the FY2023 Q2 dashboard update (490 / 1,323 /
  1,778 shipments);
* industry: Electronics 48.9 %, Apparel, Footwear and Textiles 18.9 %, Industrial and
  Manufacturing Materials 14.2 % (same snapshot); the other 18 % is spread over the other
  industries by ``OTHER_INDUSTRIES`` (made up: the snapshots do not split it);
* country of origin by value: Malaysia, Vietnam, China, Thailand, Sri Lanka and "All other" as
  the dashboard showed them in 2023; the number of shipments per country (``COUNTRY_SHIPMENTS``)
  is made up, and "All other" is three countries of one shipment each, so the page's small-cell
  rule folds them back into "All other countries";
* value: the dashboard's average per shipment on 3 March 2023 ($961 million / 3,237);
* month: decided shipments spread over the 19 months before this one in the shape of the
  monthly "entries targeted for suspected forced labor" (Aug 2022 – Feb 2024; all forced-labor
  enforcement, the only monthly series transcribed); pending ones presented in the last 25
  days, since a UFLPA detention still open after 30 days is deemed excluded (so "denied").

Every record is ``is_demo``, its merchandise and importer start with "DEMO", and the page says
how many of its shipments are made up. Denied ones are left open past their 30 days (deemed
excluded); released ones are released through the detention service. The importers are made-up
companies with no importer users, so no notice is sent.

Run by ``withhold load-demo`` after the detentions demo (found through ``DEMO_LOADERS``).
"""

import csv
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from withhold.accounts.models import User
from withhold.detentions import services
from withhold.detentions.models import Basis, Detention, Nexus
from withhold.entities.models import Entity

from .industries import Industry
from .selectors import StatusGroup

SNAPSHOTS = (
    Path(__file__).resolve().parent.parent
    / "reference"
    / "data"
    / "cbp_forced_labor_enforcement_stats_transcribed.csv"
)
STATUS_SNAPSHOT = "after FY2023 Q2 dashboard update"
COUNTRY_SNAPSHOT = '"to date" (2023, after a Q3 update)'
VALUE_SNAPSHOT = "as of 2023-03-03"
SCALE = 20
ENTRY_PREFIX = "DMU"

# The snapshots' country names, as ISO codes; "All other" becomes these (made up).
COUNTRY_CODES = {"Malaysia": "MY", "Vietnam": "VN", "China": "CN", "Thailand": "TH",
                 "Sri Lanka": "LK"}  # fmt: skip
ALL_OTHER = ("KH", "ID", "IN")
# Made up: how many demo shipments come from each country (the snapshots give only value).
COUNTRY_SHIPMENTS = {"CN": 70, "MY": 50, "VN": 50, "TH": 4, "LK": 3}
# Made up: how the 18 % the snapshot leaves unsplit is spread over the other industries.
OTHER_INDUSTRIES = {
    Industry.AGRICULTURE: 6,
    Industry.BASE_METALS: 5,
    Industry.CONSUMER_PRODUCTS: 3,
    Industry.PHARMACEUTICALS_CHEMICALS: 2,
    Industry.AUTOMOTIVE_AEROSPACE: 1,
    Industry.MACHINERY: 1,
}
# An HTS code, the goods and the XUAR input of each industry's demo shipments.
GOODS = {
    Industry.ELECTRONICS: ("8541.43", "DEMO solar modules", "DEMO polysilicon"),
    Industry.APPAREL_TEXTILES: ("6205.20", "DEMO men's cotton shirts", "DEMO cotton yarn"),
    Industry.INDUSTRIAL_MATERIALS: ("3904.10", "DEMO PVC resin", "DEMO calcium carbide"),
    Industry.AGRICULTURE: ("2002.90", "DEMO tomato paste", "DEMO tomatoes"),
    Industry.BASE_METALS: ("7604.29", "DEMO aluminum extrusions", "DEMO primary aluminum"),
    Industry.CONSUMER_PRODUCTS: ("9503.00", "DEMO plush toys", "DEMO cotton filling"),
    Industry.PHARMACEUTICALS_CHEMICALS: ("2933.99", "DEMO pharmaceutical intermediates",
                                         "DEMO coal-based chemicals"),
    Industry.AUTOMOTIVE_AEROSPACE: ("8708.99", "DEMO vehicle parts", "DEMO aluminum"),
    Industry.MACHINERY: ("8479.89", "DEMO industrial machinery", "DEMO steel castings"),
}  # fmt: skip


@dataclass(frozen=True)
class DemoShipment:
    number: int
    group: str
    industry: str
    country: str
    presented_on: date
    value_usd: Decimal


def snapshot_rows(path: Path = SNAPSHOTS) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _figure(rows, metric, period_label, dimension="", value="") -> Decimal:
    for row in rows:
        if (row["metric"], row["period_label"], row["dimension"], row["dimension_value"]) == (
            metric,
            period_label,
            dimension,
            value,
        ):
            return Decimal(row["value"])
    raise LookupError(f"No {metric} for {period_label} {dimension} {value} in {SNAPSHOTS.name}.")


def apportion(weights: dict, total: int) -> dict:
    """``total`` split in proportion to ``weights`` by largest remainder, so the parts add up."""
    whole = sum(weights.values())
    exact = {key: Decimal(total) * Decimal(w) / Decimal(whole) for key, w in weights.items()}
    parts = {key: int(value) for key, value in exact.items()}
    short = total - sum(parts.values())
    for key in sorted(exact, key=lambda k: (-(exact[k] - parts[k]), str(k)))[:short]:
        parts[key] += 1
    return parts


def _spread(amount: Decimal, count: int) -> list[Decimal]:
    """``amount`` over ``count`` shipments of varying size (half to one and a half times the
    mean), in cents, adding up exactly."""
    weights = [Decimal(2 + i % 5) for i in range(count)]
    whole = sum(weights)
    values = [(amount * w / whole).quantize(Decimal("0.01"), ROUND_HALF_UP) for w in weights]
    values[-1] += amount - sum(values)
    return values


def demo_plan(*, today: date, rows: list[dict] | None = None) -> list[DemoShipment]:
    """The demo shipments, from the snapshots: pure, no database."""
    rows = rows if rows is not None else snapshot_rows()
    statuses = {
        group: _figure(rows, f"uflpa_shipments_{group}", STATUS_SNAPSHOT)
        for group in StatusGroup.ORDER
    }
    size = int((sum(statuses.values()) / SCALE).to_integral_value(ROUND_HALF_UP))
    by_status = apportion(statuses, size)

    shares = {
        Industry.ELECTRONICS: _figure(
            rows, "uflpa_share_of_stopped_shipments", STATUS_SNAPSHOT, "industry", "Electronics"
        ),
        Industry.APPAREL_TEXTILES: _figure(
            rows,
            "uflpa_share_of_stopped_shipments",
            STATUS_SNAPSHOT,
            "industry",
            "Apparel, Footwear and Textiles",
        ),
        Industry.INDUSTRIAL_MATERIALS: _figure(
            rows,
            "uflpa_share_of_stopped_shipments",
            STATUS_SNAPSHOT,
            "industry",
            "Industrial and Manufacturing Materials",
        ),
    }
    rest = Decimal(100) - sum(shares.values())
    other_whole = sum(OTHER_INDUSTRIES.values())
    for industry, weight in OTHER_INDUSTRIES.items():
        shares[industry] = rest * weight / other_whole
    by_industry = apportion(shares, size)

    average = _figure(rows, "uflpa_shipments_value", VALUE_SNAPSHOT) / _figure(
        rows, "uflpa_shipments_total", VALUE_SNAPSHOT
    )
    total_value = (average * size).quantize(Decimal("1"))
    country_values = {
        COUNTRY_CODES.get(row["dimension_value"], "other"): Decimal(row["value"])
        for row in rows
        if row["metric"] == "uflpa_shipments_value"
        and row["dimension"] == "country_of_origin"
        and row["period_label"] == COUNTRY_SNAPSHOT
    }
    counts = dict(COUNTRY_SHIPMENTS)
    counts.update({code: 1 for code in ALL_OTHER})
    counts[max(COUNTRY_SHIPMENTS, key=COUNTRY_SHIPMENTS.get)] += size - sum(counts.values())
    whole_value = sum(country_values.values())
    countries: list[tuple[str, Decimal]] = []
    for code, value in country_values.items():
        amount = (total_value * value / whole_value).quantize(Decimal("0.01"))
        codes = ALL_OTHER if code == "other" else (code,)
        n = sum(counts[c] for c in codes)
        values = _spread(amount, n)
        for c in codes:
            for _ in range(counts[c]):
                countries.append((c, values.pop()))

    months = [
        row for row in rows
        if row["metric"] == "entries_targeted_suspected_forced_labor" and not row["dimension"]
    ]  # fmt: skip
    decided = by_status[StatusGroup.DENIED] + by_status[StatusGroup.RELEASED]
    first = today.replace(day=1)
    month_starts = []
    for back in range(len(months), 0, -1):
        index = first.year * 12 + first.month - 1 - back
        month_starts.append(date(index // 12, index % 12 + 1, 1))
    per_month = apportion({i: Decimal(row["value"]) for i, row in enumerate(months)}, decided)
    decided_dates = []
    latest = today - timedelta(days=35)
    for i, start in enumerate(month_starts):
        for k in range(per_month[i]):
            day = start + timedelta(days=(k * 7 + i) % 28)
            decided_dates.append(min(day, latest))

    rng = random.Random(2022)
    groups = [g for g in (StatusGroup.DENIED, StatusGroup.RELEASED) for _ in range(by_status[g])]
    rng.shuffle(groups)
    industries = [i for i, n in by_industry.items() for _ in range(n)]
    rng.shuffle(industries)
    rng.shuffle(countries)
    dated = list(zip(groups, decided_dates, strict=True)) + [
        (StatusGroup.PENDING, today - timedelta(days=1 + k % 25))
        for k in range(by_status[StatusGroup.PENDING])
    ]
    return [
        DemoShipment(n + 1, group, industry, country, presented, value)
        for n, ((group, presented), industry, (country, value)) in enumerate(
            zip(dated, industries, countries, strict=True)
        )
    ]


@transaction.atomic
def uflpa_statistics_demo_load(*, stdout=None) -> dict:
    if Detention.objects.filter(is_demo=True, entry_number__startswith=ENTRY_PREFIX).exists():
        return {"uflpa_shipments": 0}
    officer = User.objects.filter(is_demo=True, username="port").first()
    if officer is None:
        return {"uflpa_shipments": 0}
    today = timezone.localdate()
    importers = [
        Entity.objects.create(name=f"DEMO {name}", country="US", is_demo=True)
        for name in ("Solar Distributors LLC", "Apparel Sourcing Inc.", "Industrial Supply Co.")
    ]
    plan = demo_plan(today=today)
    for shipment in plan:
        hts, merchandise, xuar_input = GOODS[shipment.industry]
        detention = services.detention_record(
            actor=officer,
            is_demo=True,
            basis=Basis.UFLPA,
            entry_number=f"{ENTRY_PREFIX}-{shipment.number:07d}-{shipment.number % 10}",
            port_of_entry="2704 Los Angeles, CA",
            imported_on=shipment.presented_on,
            presented_on=shipment.presented_on,
            notice_on=min(shipment.presented_on + timedelta(days=2), today),
            importer=importers[shipment.number % len(importers)],
            country_of_origin=shipment.country,
            merchandise=merchandise,
            hts_code=hts,
            quantity=Decimal("1000"),
            quantity_unit="pcs",
            value_usd=shipment.value_usd,
            uflpa_nexus=Nexus.XUAR_ORIGIN,
            xuar_input=xuar_input,
            xuar_evidence="DEMO: made-up supplier declaration naming a producer in the XUAR.",
            officer=officer,
        )
        if shipment.group == StatusGroup.RELEASED:
            services.detention_release(
                detention=detention,
                actor=officer,
                on=shipment.presented_on + timedelta(days=20),
                reason="DEMO: made-up release; the tracing showed no XUAR input.",
            )
    if stdout is not None:
        stdout.write(f"Created {len(plan)} made-up demo UFLPA shipments for the statistics.\n")
    return {"uflpa_shipments": len(plan)}


DEMO_LOADERS = [uflpa_statistics_demo_load]
