"""Loading the public lists of orders (``reference/data/``) as real orders, with provenance.

Run by ``withhold load-reference`` (``reference.services.reference_load`` finds this module's
``REFERENCE_STEPS``). One step reads both lists — GAO-21-106 table 2 with its notes, and CBP's
list of 2026-06-23 — because they overlap: ``matching.match_listed_orders`` recognises the
2016–2019 orders both give, and each becomes one order with two ``OrderSource`` rows.

Where both lists give a value, CBP's (the newer) wins for the date, the wording and the status;
GAO's row gives the scope rules (its scope, region, vessel and exclusion columns) and the
revocation history. Orders only on CBP's list keep CBP's entity as published text; those naming
a fishing vessel ("Fishing Vessel: Da Wang") get a vessel rule.

Reference orders are real (never ``is_demo``). Loading is an upsert keyed by source file and row
key; an order that has been changed in Withhold since (it has modifications) keeps its status
and dates, and only its provenance is refreshed.
"""

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings

from withhold.audit.models import AuditAction
from withhold.audit.services import audit_record
from withhold.core.numbers import NumberError, parse_int
from withhold.entities.models import Entity
from withhold.reference.countries import is_country
from withhold.reference.models import Commodity
from withhold.reference.services import LoaderStep, clean_cell, extra_cells_problem, read_csv

from . import lifecycle
from .matching import ListedOrder, match_listed_orders
from .models import DatePrecision, Kind, Order, OrderSource, ScopeRule, Status

GAO_FILE = "orders_gao_21_106.csv"
CBP_FILE = "cbp_wro_findings_2026-06-23.csv"

GAO_COLUMNS = [
    "ref",
    "kind",
    "issued",
    "merchandise",
    "entity_name",
    "entity_aliases",
    "scope",
    "country",
    "region",
    "vessel_name",
    "status",
    "excluded_importers",
    "excluded_merchandise",
    "status_detail",
    "source",
]
CBP_COLUMNS = [
    "row",
    "effective_date",
    "order_type",
    "entity",
    "entity_aliases",
    "country",
    "country_code_iso2",
    "status",
    "industry",
    "merchandise",
    "remarks",
]

KINDS = {"WRO": Kind.WRO, "Finding": Kind.FINDING}
GAO_SCOPES = {"entity", "country_commodity", "region_commodity", "vessel", "unknown"}

# The sources' status words and the order status each means. GAO-21-106 table 2 says "Active",
# "Partially active" (part of the scope removed, the rest in force) and "Revoked"; CBP's list
# says "Active", "Partially Modified" and "Inactive-Pending Litigation". An order whose source
# gives no status ("unknown": GAO's May–July 2020 notes) was issued; that is all that is known.
GAO_STATUS = {
    "active": Status.ISSUED,
    "partially_active": Status.PARTIALLY_REVOKED,
    "revoked": Status.REVOKED,
    "unknown": Status.ISSUED,
}
CBP_STATUS = {
    "Active": Status.ISSUED,
    "Partially Modified": Status.PARTIALLY_REVOKED,
    "Inactive-Pending Litigation": Status.INACTIVE,
}
FISHING_VESSELS = "FV"
VESSEL_PREFIX = "Fishing Vessel: "
MONTH_NAMES = (
    "January February March April May June July August September October November December"
)
MONTHS = {name: number for number, name in enumerate(MONTH_NAMES.split(), start=1)}
MONTH_YEAR = re.compile(r"^(" + "|".join(MONTHS) + r") (\d{4})\b")
FEDERAL_REGISTER = re.compile(r"\b(\d+ FR \d+)")
CUSTOMS_BULLETIN = re.compile(r"Customs Bulletin:? (.+?)(?=See |T\.D\.|$)")


@dataclass
class RuleSpec:
    kind: str
    entity_name: str = ""
    entity_aliases: list[str] = field(default_factory=list)
    country: str = ""
    region_name: str = ""
    merchandise: str = ""
    vessel_name: str = ""
    note: str = ""


@dataclass
class SourceSpec:
    source_file: str
    row_number: int
    row_key: str
    published_status: str
    published_entity: str
    published_date: str
    detail: str
    citation: str


@dataclass
class OrderSpec:
    """One order as the lists give it, ready to store."""

    number: str
    kind: str
    status: str
    issued_on: date
    precision: str
    issued_on_until: date | None
    merchandise: str
    published_entity: str
    country: str
    industry: str = ""
    remarks: str = ""
    modified_on: date | None = None
    revoked_on: date | None = None
    federal_register_citation: str = ""
    customs_bulletin_citation: str = ""
    rules: list[RuleSpec] = field(default_factory=list)
    sources: list[SourceSpec] = field(default_factory=list)


def _split(value: str) -> list[str]:
    return [clean_cell(part) for part in value.split(";") if clean_cell(part)]


def _month_span(text: str) -> tuple[date, date]:
    year, month = (int(part) for part in text.split("-"))
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def parse_issued(text: str) -> tuple[date, date, str]:
    """GAO's ``issued``: YYYY-MM-DD, YYYY-MM, or a span YYYY-MM/YYYY-MM. Returns the first and
    last day it can mean and its precision. Raises ``ValueError`` for anything else."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        day = date.fromisoformat(text)
        return day, day, DatePrecision.DAY
    if re.fullmatch(r"\d{4}-\d{2}", text):
        first, last = _month_span(text)
        return first, last, DatePrecision.MONTH
    if re.fullmatch(r"\d{4}-\d{2}/\d{4}-\d{2}", text):
        start, end = text.split("/")
        first, last = _month_span(start)[0], _month_span(end)[1]
        if first > last:
            raise ValueError(text)
        return first, last, DatePrecision.SPAN
    raise ValueError(text)


def _detail_month(detail: str) -> date | None:
    """ "October 2016: viscose and rayon fiber removed…" → 2016-10-01."""
    found = MONTH_YEAR.match(detail)
    return date(int(found.group(2)), MONTHS[found.group(1)], 1) if found else None


def _gao_read(path: Path) -> tuple[list[dict], list[str]]:
    rows, problems = read_csv(path, required=GAO_COLUMNS)
    parsed, seen = [], set()
    for number, row in rows:
        where = f"{path.name} row {number}"
        cells = {column: clean_cell(row[column]) for column in GAO_COLUMNS}
        row_problems = []
        if problem := extra_cells_problem(path, number, row):
            row_problems.append(problem)
        if not cells["ref"]:
            row_problems.append(f"{where}, column ref: is empty")
        elif cells["ref"] in seen:
            row_problems.append(f"{where}, column ref: “{cells['ref']}” repeats an earlier row")
        seen.add(cells["ref"])
        if cells["kind"] not in KINDS:
            row_problems.append(f"{where}, column kind: must be WRO or Finding")
        try:
            first, last, precision = parse_issued(cells["issued"])
        except ValueError:
            row_problems.append(
                f"{where}, column issued: “{cells['issued']}” is not YYYY-MM-DD, YYYY-MM or "
                "YYYY-MM/YYYY-MM"
            )
            first = last = precision = None
        if not cells["merchandise"]:
            row_problems.append(f"{where}, column merchandise: is empty")
        if cells["scope"] not in GAO_SCOPES:
            row_problems.append(
                f"{where}, column scope: must be one of {', '.join(sorted(GAO_SCOPES))}"
            )
        if cells["country"] and not is_country(cells["country"]):
            row_problems.append(
                f"{where}, column country: “{cells['country']}” is not an ISO 3166 code"
            )
        if cells["scope"] == "entity" and not cells["entity_name"]:
            row_problems.append(f"{where}, column entity_name: an entity scope needs a name")
        if cells["scope"] == "vessel" and not cells["vessel_name"]:
            row_problems.append(f"{where}, column vessel_name: a vessel scope needs a name")
        if cells["scope"] == "region_commodity" and not cells["region"]:
            row_problems.append(f"{where}, column region: a region scope needs a region")
        if cells["scope"] in {"country_commodity", "region_commodity"} and not cells["country"]:
            row_problems.append(f"{where}, column country: this scope needs a country")
        if cells["status"] not in GAO_STATUS:
            row_problems.append(
                f"{where}, column status: must be one of {', '.join(sorted(GAO_STATUS))}"
            )
        elif cells["status"] in {"revoked", "partially_active"} and not _detail_month(
            cells["status_detail"]
        ):
            row_problems.append(
                f"{where}, column status_detail: must begin with the month and year of the "
                "change (e.g. “March 2020: revoked”)"
            )
        problems.extend(row_problems)
        if not row_problems:
            parsed.append(
                {
                    **cells,
                    "row_number": number,
                    "first": first,
                    "last": last,
                    "precision": precision,
                }
            )
    return parsed, problems


def _cbp_read(path: Path) -> tuple[list[dict], list[str]]:
    rows, problems = read_csv(path, required=CBP_COLUMNS)
    parsed, seen = [], set()
    for number, row in rows:
        where = f"{path.name} row {number}"
        cells = {column: clean_cell(row[column]) for column in CBP_COLUMNS}
        row_problems = []
        if problem := extra_cells_problem(path, number, row):
            row_problems.append(problem)
        try:
            cells["row"] = str(parse_int(cells["row"], field="row", row=number, minimum=1))
        except NumberError as exc:
            row_problems.append(f"{where}, column row: {exc.problem}")
        else:
            if cells["row"] in seen:
                row_problems.append(f"{where}, column row: “{cells['row']}” repeats an earlier row")
            seen.add(cells["row"])
        try:
            effective = date.fromisoformat(cells["effective_date"])
        except ValueError:
            row_problems.append(f"{where}, column effective_date: is not a YYYY-MM-DD date")
            effective = None
        if cells["order_type"] not in KINDS:
            row_problems.append(f"{where}, column order_type: must be WRO or Finding")
        code = cells["country_code_iso2"]
        if code != FISHING_VESSELS and not is_country(code):
            row_problems.append(
                f"{where}, column country_code_iso2: “{code}” is not an ISO 3166 code or FV"
            )
        if cells["status"] not in CBP_STATUS:
            row_problems.append(
                f"{where}, column status: “{cells['status']}” is not one of {', '.join(CBP_STATUS)}"
            )
        if not cells["entity"]:
            row_problems.append(f"{where}, column entity: is empty")
        if not cells["merchandise"]:
            row_problems.append(f"{where}, column merchandise: is empty")
        problems.extend(row_problems)
        if not row_problems:
            parsed.append({**cells, "row_number": number, "effective": effective})
    return parsed, problems


def _gao_listed(row: dict) -> ListedOrder:
    return ListedOrder(
        key=row["ref"],
        kind=KINDS[row["kind"]],
        country=row["country"],
        is_vessel=row["scope"] == "vessel",
        first_day=row["first"],
        last_day=row["last"],
        text=" ".join(
            row[c]
            for c in ("entity_name", "entity_aliases", "merchandise", "region", "vessel_name")
        ),
    )


def _cbp_listed(row: dict) -> ListedOrder:
    return ListedOrder(
        key=row["row"],
        kind=KINDS[row["order_type"]],
        country="" if row["country_code_iso2"] == FISHING_VESSELS else row["country_code_iso2"],
        is_vessel=row["country_code_iso2"] == FISHING_VESSELS,
        first_day=row["effective"],
        last_day=row["effective"],
        text=" ".join(row[c] for c in ("entity", "entity_aliases", "merchandise")),
    )


def _gao_spec(row: dict) -> OrderSpec:
    where = f"{GAO_FILE} row {row['row_number']}"
    rules: list[RuleSpec] = []
    scope = row["scope"]
    if scope == "entity":
        rules.append(
            RuleSpec(
                ScopeRule.Kind.ENTITY,
                entity_name=row["entity_name"],
                entity_aliases=_split(row["entity_aliases"]),
                country=row["country"],
                merchandise=row["merchandise"],
                note=where,
            )
        )
    elif scope in {"country_commodity", "region_commodity"}:
        rules.append(
            RuleSpec(
                ScopeRule.Kind.COUNTRY_COMMODITY,
                country=row["country"],
                region_name=row["region"],
                merchandise=row["merchandise"],
                note=where,
            )
        )
    elif scope == "vessel":
        rules.append(RuleSpec(ScopeRule.Kind.VESSEL, vessel_name=row["vessel_name"], note=where))
    for name in _split(row["excluded_importers"]):
        rules.append(RuleSpec(ScopeRule.Kind.EXCLUDED_IMPORTER, entity_name=name, note=where))
    for text in _split(row["excluded_merchandise"]):
        rules.append(RuleSpec(ScopeRule.Kind.EXCLUDED_MERCHANDISE, merchandise=text, note=where))
    status = GAO_STATUS[row["status"]]
    changed_on = _detail_month(row["status_detail"])
    return OrderSpec(
        number=row["ref"],
        kind=KINDS[row["kind"]],
        status=status,
        issued_on=row["first"],
        precision=row["precision"],
        issued_on_until=row["last"] if row["precision"] == DatePrecision.SPAN else None,
        merchandise=row["merchandise"],
        published_entity=row["entity_name"] or row["vessel_name"] or row["region"],
        country=row["country"],
        modified_on=changed_on if status == Status.PARTIALLY_REVOKED else None,
        revoked_on=changed_on if status == Status.REVOKED else None,
        rules=rules,
        sources=[
            SourceSpec(
                source_file=GAO_FILE,
                row_number=row["row_number"],
                row_key=row["ref"],
                published_status=row["status"],
                published_entity=row["entity_name"],
                published_date=row["issued"],
                detail=row["status_detail"],
                citation=row["source"],
            )
        ],
    )


def _cbp_source(row: dict) -> SourceSpec:
    return SourceSpec(
        source_file=CBP_FILE,
        row_number=row["row_number"],
        row_key=row["row"],
        published_status=row["status"],
        published_entity=row["entity"],
        published_date=row["effective_date"],
        detail=row["remarks"],
        citation="CBP, Withhold Release Orders and Findings list, 2026-06-23",
    )


def _apply_cbp(spec: OrderSpec, row: dict) -> None:
    """CBP's newer wording, exact date and status on an order GAO also lists."""
    spec.issued_on = row["effective"]
    spec.precision = DatePrecision.DAY
    spec.issued_on_until = None
    spec.merchandise = row["merchandise"]
    spec.published_entity = row["entity"]
    spec.industry = row["industry"]
    spec.remarks = row["remarks"]
    spec.status = CBP_STATUS[row["status"]]
    if spec.status != Status.PARTIALLY_REVOKED:
        spec.modified_on = None
    if spec.kind == Kind.FINDING:
        if found := FEDERAL_REGISTER.search(row["remarks"]):
            spec.federal_register_citation = found.group(1)
        if found := CUSTOMS_BULLETIN.search(row["remarks"]):
            spec.customs_bulletin_citation = found.group(1).strip().rstrip(";,.")[:160]
    spec.sources.append(_cbp_source(row))


def _cbp_spec(row: dict) -> OrderSpec:
    is_vessel = row["country_code_iso2"] == FISHING_VESSELS
    spec = OrderSpec(
        number=f"CBP-{int(row['row']):04d}",
        kind=KINDS[row["order_type"]],
        status=Status.ISSUED,
        issued_on=row["effective"],
        precision=DatePrecision.DAY,
        issued_on_until=None,
        merchandise=row["merchandise"],
        published_entity=row["entity"],
        country="" if is_vessel else row["country_code_iso2"],
    )
    if row["entity"].startswith(VESSEL_PREFIX):
        spec.rules.append(
            RuleSpec(
                ScopeRule.Kind.VESSEL,
                vessel_name=row["entity"].removeprefix(VESSEL_PREFIX),
                note=f"{CBP_FILE} row {row['row_number']}",
            )
        )
    _apply_cbp(spec, row)
    return spec


def orders_reference_read(path: Path) -> tuple[list[OrderSpec], list[str]]:
    """Both lists, checked row by row and merged: one ``OrderSpec`` per distinct order."""
    gao_rows, problems = _gao_read(path)
    cbp_path = path.parent / CBP_FILE
    if not cbp_path.is_file():
        return [], [*problems, f"{CBP_FILE}: not found in {path.parent}"]
    cbp_rows, cbp_problems = _cbp_read(cbp_path)
    problems.extend(cbp_problems)
    if problems:
        return [], problems
    matches = match_listed_orders(
        [_gao_listed(r) for r in gao_rows], [_cbp_listed(r) for r in cbp_rows]
    )
    specs = {row["ref"]: _gao_spec(row) for row in gao_rows}
    merged = list(specs.values())
    for row in cbp_rows:
        gao_key = matches.get(row["row"])
        if gao_key is None:
            merged.append(_cbp_spec(row))
        else:
            _apply_cbp(specs[gao_key], row)
    return merged, []


# Storing ----------------------------------------------------------------------------------------

ORDER_FIELDS = [
    "kind",
    "status",
    "issued_on",
    "issued_on_precision",
    "issued_on_until",
    "merchandise",
    "published_entity",
    "country",
    "industry",
    "remarks",
    "modified_on",
    "revoked_on",
    "federal_register_citation",
    "customs_bulletin_citation",
]


def _order_values(spec: OrderSpec) -> dict:
    return {
        "kind": spec.kind,
        "status": spec.status,
        "issued_on": spec.issued_on,
        "issued_on_precision": spec.precision,
        "issued_on_until": spec.issued_on_until,
        "merchandise": spec.merchandise,
        "published_entity": spec.published_entity[:400],
        "country": spec.country,
        "industry": spec.industry,
        "remarks": spec.remarks,
        "modified_on": spec.modified_on,
        "revoked_on": spec.revoked_on,
        "federal_register_citation": spec.federal_register_citation,
        "customs_bulletin_citation": spec.customs_bulletin_citation,
    }


def commodity_for(merchandise: str, names: list[str]) -> str | None:
    """The controlled commodity a merchandise text names: the longest commodity name found in it
    as whole words, ignoring case ("Tobacco produced in Malawi…" → Tobacco)."""
    text = merchandise.casefold()
    found = [
        name
        for name in names
        if re.search(rf"(?<![a-z]){re.escape(name.casefold())}(?![a-z])", text)
    ]
    return max(found, key=len) if found else None


def _entity(name: str, aliases: list[str], country: str) -> Entity:
    entity = Entity.objects.filter(name=name, country=country).first()
    if entity is None:
        entity = Entity(name=name, country=country, aliases=aliases, kind=Entity.Kind.COMPANY)
        entity.full_clean()
        entity.save()
    elif set(aliases) - set(entity.aliases):
        entity.aliases = sorted(set(entity.aliases) | set(aliases))
        entity.save(update_fields=["aliases", "updated_at"])
    return entity


def _rule_key(rule: ScopeRule) -> tuple:
    return (
        rule.kind,
        rule.entity.name if rule.entity_id else "",
        rule.country,
        rule.region_name,
        rule.merchandise,
        rule.vessel_name,
        rule.source_note,
    )


def _store_rules(order: Order, specs: list[RuleSpec], commodity_names: list[str]) -> bool:
    """Make the order's loaded rules those of ``specs``; rules added in Withhold are kept."""
    loaded = [r for r in order.scope_rules.select_related("entity") if r.source_note]
    wanted = [
        (
            s.kind,
            s.entity_name,
            s.country if s.kind == ScopeRule.Kind.COUNTRY_COMMODITY else "",
            s.region_name,
            s.merchandise,
            s.vessel_name,
            s.note,
        )
        for s in specs
    ]
    if sorted(_rule_key(r) for r in loaded) == sorted(wanted):
        return False
    for rule in loaded:
        rule.delete()
    commodities = {c.name: c for c in Commodity.objects.filter(name__in=commodity_names)}
    for spec in specs:
        rule = ScopeRule(
            order=order,
            kind=spec.kind,
            country=spec.country if spec.kind == ScopeRule.Kind.COUNTRY_COMMODITY else "",
            region_name=spec.region_name,
            merchandise=spec.merchandise,
            vessel_name=spec.vessel_name,
            source_note=spec.note,
        )
        if spec.entity_name:
            rule.entity = _entity(spec.entity_name, spec.entity_aliases, spec.country)
        if spec.kind == ScopeRule.Kind.COUNTRY_COMMODITY:
            name = commodity_for(spec.merchandise, list(commodities) or commodity_names)
            rule.commodity = commodities.get(name) if name else None
        rule.full_clean()
        rule.save()
    return True


def _store_sources(order: Order, specs: list[SourceSpec]) -> bool:
    changed = False
    for spec in specs:
        values = {
            "order": order,
            "row_number": spec.row_number,
            "published_status": spec.published_status,
            "published_entity": spec.published_entity[:400],
            "published_date": spec.published_date,
            "detail": spec.detail,
            "citation": spec.citation[:400],
        }
        source = OrderSource.objects.filter(
            source_file=spec.source_file, row_key=spec.row_key
        ).first()
        if source is None:
            OrderSource.objects.create(source_file=spec.source_file, row_key=spec.row_key, **values)
            changed = True
        elif any(getattr(source, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(source, k, v)
            source.save()
            changed = True
    return changed


def orders_reference_store(specs: list[OrderSpec]) -> dict[str, int]:
    counts = {"created": 0, "updated": 0, "unchanged": 0, "matched": 0}
    commodity_names = list(Commodity.objects.values_list("name", flat=True))
    interval = settings.WITHHOLD["ORDER_REVIEW_INTERVAL_DAYS"]
    for spec in specs:
        if len(spec.sources) > 1:
            counts["matched"] += 1
        keys = [(s.source_file, s.row_key) for s in spec.sources]
        existing = next(
            (
                source.order
                for source in OrderSource.objects.select_related("order").filter(
                    source_file__in=[k[0] for k in keys], row_key__in=[k[1] for k in keys]
                )
                if (source.source_file, source.row_key) in keys
            ),
            None,
        )
        values = _order_values(spec)
        if existing is None:
            order = Order(number=spec.number, is_reference=True, **values)
            if order.status in lifecycle.MODIFIABLE_STATUSES:
                order.next_review_on = lifecycle.next_review_on(
                    order.issued_on, interval_days=interval
                )
            order.full_clean(exclude=["number"])
            order.save()
            audit_record(
                actor=None,
                action=AuditAction.ORDER_REFERENCE_LOADED,
                target=order,
                data={"sources": [f"{s.source_file} row {s.row_number}" for s in spec.sources]},
            )
            counts["created"] += 1
            changed = True
        else:
            order = existing
            changed = False
            if not order.modifications.exists():
                diff = [f for f in ORDER_FIELDS if getattr(order, f) != values[f]]
                if diff:
                    for name in diff:
                        setattr(order, name, values[name])
                    order.full_clean(exclude=["number"])
                    order.save()
                    changed = True
        changed = _store_rules(order, spec.rules, commodity_names) or changed
        changed = _store_sources(order, spec.sources) or changed
        if existing is not None:
            counts["updated" if changed else "unchanged"] += 1
    return counts


REFERENCE_STEPS = [
    LoaderStep(
        filename=GAO_FILE,
        read=orders_reference_read,
        store=orders_reference_store,
        summary=lambda counts: (
            f"orders (with {CBP_FILE}): {counts['created']} created, {counts['updated']} "
            f"updated, {counts['unchanged']} unchanged; {counts['matched']} listed in both files"
        ),
    ),
]
