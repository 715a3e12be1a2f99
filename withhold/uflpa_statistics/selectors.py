"""The public UFLPA statistics: Withhold's own detentions under the UFLPA presumption, counted
as CBP's UFLPA statistics dashboard counts shipments — by month, by status, by country of
origin and by industry, with their entered value, cumulative since the presumption took effect.

Only aggregates leave this module: a row is a group (a month, a status group, a country, an
industry) with a number of shipments and a sum of values. No entry number, importer, entity,
port, merchandise, HTS code, note or person is read into the answer, so none can reach the page
or a download (``tests/uflpa_statistics/test_no_sensitive_fields.py`` plants a marker in every
text field and looks for it).

Definitions (also in ``docs/uflpa-statistics.md``):

* A **shipment** is one detention with basis UFLPA (one entry line), presented for examination
  on or after 21 June 2022. Its **month** is the month it was presented (the UFLPA clocks run
  from that day; 19 CFR 151.16). Its **value** is the entered value in US dollars.
* **Status**, in the dashboard's three groups: *released*; *denied* — excluded, exported,
  seized, or deemed excluded (still open after the 30 days for a final admissibility decision,
  19 U.S.C. 1499(c)(5); ``detentions.selectors.deemed_excluded_q``); *pending* — open, its 30
  days not yet over.
* **Industry** from the HTS code's chapter or heading (``industries.py``, ``industries.csv``).
* **Small cells**: a country with fewer than ``WITHHOLD["UFLPA_STATISTICS_MIN_CELL"]``
  shipments is counted under "All other countries" (as the dashboard has "All other"), so a
  country with one or two shipments cannot point to one importer. Totals are unchanged.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Case, Count, Q, Sum, Value, When
from django.db.models.functions import Replace, Substr, TruncMonth

from withhold.detentions.models import OPEN_STATUSES, Basis, Detention, Status
from withhold.detentions.selectors import deemed_excluded_q
from withhold.reference.countries import country_name

from .industries import Industry, industry_of

# The UFLPA's presumption applies from 21 June 2022 (Public Law 117-78, section 3(a), 180 days
# after enactment); CBP's dashboard counts from that day.
SINCE = date(2022, 6, 21)

OTHER_COUNTRIES = "other"
OTHER_COUNTRIES_LABEL = "All other countries"


class StatusGroup:
    """The dashboard's three status groups, in its order, with what each holds."""

    DENIED = "denied"
    PENDING = "pending"
    RELEASED = "released"
    LABELS = {
        DENIED: "Denied",
        PENDING: "Pending",
        RELEASED: "Released",
    }
    MEANINGS = {
        DENIED: "Excluded, exported, seized, or deemed excluded (no final admissibility "
        "decision within 30 days of presentation).",
        PENDING: "Detained, with the 30 days for a final admissibility decision not yet over.",
        RELEASED: "Released into the United States.",
    }
    ORDER = (DENIED, PENDING, RELEASED)


BREAKDOWNS = ("month", "status", "country", "industry", "cumulative")


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    shipments: int
    value_usd: Decimal

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "shipments": self.shipments,
            "value_usd": f"{self.value_usd:.2f}",
        }


@dataclass(frozen=True)
class CumulativeRow:
    month: str
    shipments: int
    value_usd: Decimal
    cumulative_shipments: int
    cumulative_value_usd: Decimal

    def as_json(self) -> dict:
        return {
            "month": self.month,
            "shipments": self.shipments,
            "value_usd": f"{self.value_usd:.2f}",
            "cumulative_shipments": self.cumulative_shipments,
            "cumulative_value_usd": f"{self.cumulative_value_usd:.2f}",
        }


@dataclass(frozen=True)
class UflpaStatistics:
    as_of: date
    since: date
    shipments: int
    value_usd: Decimal
    demo_shipments: int
    min_cell: int
    by_month: list[Row]
    by_status: list[Row]
    by_country: list[Row]
    by_industry: list[Row]
    cumulative: list[CumulativeRow]

    def breakdown(self, name: str) -> list:
        return {
            "month": self.by_month,
            "status": self.by_status,
            "country": self.by_country,
            "industry": self.by_industry,
            "cumulative": self.cumulative,
        }[name]

    def as_json(self, breakdown: str = "") -> dict:
        head = {
            "as_of": self.as_of.isoformat(),
            "since": self.since.isoformat(),
            "shipments": self.shipments,
            "value_usd": f"{self.value_usd:.2f}",
            "demo_shipments": self.demo_shipments,
            "min_cell": self.min_cell,
        }
        for name in (breakdown,) if breakdown else BREAKDOWNS:
            field = name if name == "cumulative" else f"by_{name}"
            head[field] = [row.as_json() for row in self.breakdown(name)]
        return head


def min_cell() -> int:
    return int(settings.WITHHOLD.get("UFLPA_STATISTICS_MIN_CELL", 3))


def uflpa_shipments():
    """The detentions the statistics count: basis UFLPA, presented since the presumption began."""
    return Detention.objects.filter(basis=Basis.UFLPA, presented_on__gte=SINCE)


def _status_group(today: date) -> Case:
    return Case(
        When(status=Status.RELEASED, then=Value(StatusGroup.RELEASED)),
        When(
            status__in=[Status.EXCLUDED, Status.EXPORTED, Status.SEIZED],
            then=Value(StatusGroup.DENIED),
        ),
        When(
            Q(status__in=OPEN_STATUSES) & deemed_excluded_q(today),
            then=Value(StatusGroup.DENIED),
        ),
        default=Value(StatusGroup.PENDING),
    )


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _month_key(value) -> date:
    # TruncMonth of a DateField (presented_on): a date, or a naive datetime on some backends.
    return value.date() if hasattr(value, "date") else value  # naive: month of a DateField


def uflpa_statistics(*, today: date) -> UflpaStatistics:
    """Every breakdown, from one grouped query: the database counts and sums by month, status
    group, country and HTS heading; the headings are then folded into industries here."""
    groups = (
        uflpa_shipments()
        .order_by()
        .annotate(
            month=TruncMonth("presented_on"),
            group=_status_group(today),
            heading=Substr(Replace("hts_code", Value("."), Value("")), 1, 4),
        )
        .values("month", "group", "country_of_origin", "heading")
        .annotate(n=Count("id"), value=Sum("value_usd"))
    )
    months: dict[date, list] = {}
    statuses = {key: [0, Decimal(0)] for key in StatusGroup.ORDER}
    countries: dict[str, list] = {}
    industries = {key: [0, Decimal(0)] for key in Industry.values}
    for row in groups:
        n, value = row["n"], row["value"] or Decimal(0)
        for table, key in (
            (months, _month_key(row["month"])),
            (statuses, row["group"]),
            (countries, row["country_of_origin"]),
            (industries, industry_of(row["heading"])),
        ):
            cell = table.setdefault(key, [0, Decimal(0)])
            cell[0] += n
            cell[1] += value
    shipments = sum(cell[0] for cell in statuses.values())
    value_usd = sum((cell[1] for cell in statuses.values()), Decimal(0))

    by_month, cumulative = [], []
    running_n, running_value = 0, Decimal(0)
    if months:
        month = min(months)
        last = max(max(months), today.replace(day=1))
        while month <= last:
            n, value = months.get(month, (0, Decimal(0)))
            running_n += n
            running_value += value
            label = month.strftime("%Y-%m")
            by_month.append(Row(label, label, n, value))
            cumulative.append(CumulativeRow(label, n, value, running_n, running_value))
            month = _next_month(month)

    smallest = min_cell()
    by_country, other = [], [0, Decimal(0)]
    for code, (n, value) in sorted(countries.items(), key=lambda item: (-item[1][1], item[0])):
        if n < smallest:
            other[0] += n
            other[1] += value
        else:
            by_country.append(Row(code, f"{country_name(code)} ({code})", n, value))
    if other[0]:
        by_country.append(Row(OTHER_COUNTRIES, OTHER_COUNTRIES_LABEL, other[0], other[1]))

    return UflpaStatistics(
        as_of=today,
        since=SINCE,
        shipments=shipments,
        value_usd=value_usd,
        demo_shipments=uflpa_shipments().filter(is_demo=True).count(),
        min_cell=smallest,
        by_month=by_month,
        by_status=[Row(key, StatusGroup.LABELS[key], *statuses[key]) for key in StatusGroup.ORDER],
        by_country=by_country,
        by_industry=[
            Row(key, str(Industry(key).label), n, value)
            for key, (n, value) in sorted(
                industries.items(), key=lambda item: (-item[1][0], Industry(item[0]).label)
            )
            if n
        ],
        cumulative=cumulative,
    )


# Downloads ---------------------------------------------------------------------------------------

CSV_HEADERS = {
    "month": ["month", "shipments", "value_usd"],
    "status": ["status", "label", "shipments", "value_usd"],
    "country": ["country", "label", "shipments", "value_usd"],
    "industry": ["industry", "label", "shipments", "value_usd"],
    "cumulative": [
        "month",
        "shipments",
        "value_usd",
        "cumulative_shipments",
        "cumulative_value_usd",
    ],
}


def statistics_csv_rows(stats: UflpaStatistics, breakdown: str = "") -> list[list[str]]:
    """One breakdown as CSV rows (its own columns), or, with no breakdown, every one in a long
    table with a ``breakdown`` column and the total first."""
    if breakdown == "cumulative":
        rows = [CSV_HEADERS["cumulative"]]
        for r in stats.cumulative:
            rows.append([r.month, str(r.shipments), f"{r.value_usd:.2f}",
                         str(r.cumulative_shipments), f"{r.cumulative_value_usd:.2f}"])  # fmt: skip
        return rows
    if breakdown:
        rows = [CSV_HEADERS[breakdown]]
        for r in stats.breakdown(breakdown):
            key = [r.key] if breakdown == "month" else [r.key, r.label]
            rows.append([*key, str(r.shipments), f"{r.value_usd:.2f}"])
        return rows
    rows = [["breakdown", "key", "label", "shipments", "value_usd"]]
    rows.append(["total", "", "All UFLPA shipments since 2022-06-21", str(stats.shipments),
                 f"{stats.value_usd:.2f}"])  # fmt: skip
    for name in ("month", "status", "country", "industry"):
        for r in stats.breakdown(name):
            rows.append([name, r.key, r.label, str(r.shipments), f"{r.value_usd:.2f}"])
    return rows
