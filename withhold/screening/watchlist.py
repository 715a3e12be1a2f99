"""Compiling the watch list from the database, and keeping the compiled list cheap to reach.

The watch list is: the scope rules of every issued, not revoked order (``ACTIVE_STATUSES``: issued,
modified, partially revoked), with each order's exclusions; every entry of the current version
of every loaded entity list; and the CAATSA presumption. It is compiled on first use after a change and kept in memory
under the version stamp (``WatchListStamp``), which ``apps.py`` raises on every save or delete of
an order, scope rule, entity or list (and ``services.entity_list_load`` when it loads a new
version of a list). A web or API request therefore costs one small
query when nothing changed.
"""

import re
import threading

from django.conf import settings
from django.db.models import F

from withhold.orders.matching import significant_words
from withhold.orders.models import ACTIVE_STATUSES, Kind, Order, ScopeRule
from withhold.reference.countries import subdivision_choices, subdivision_name

from .engine import CommodityRule, Exclusions, PartyEntry, Screener, VesselRule, WatchList
from .models import EntityList, ListEntry, WatchListStamp
from .normalise import (
    LEGAL_FORMS,
    address_words,
    commodity_headings,
    commodity_terms,
    normalise_name,
    words,
)

_lock = threading.Lock()
_cached: dict = {"key": None, "screener": None}
_SPLIT = re.compile(r"\s*(?:;|\ba/k/a\b|\baka\b|\bf/k/a\b)\s*", re.IGNORECASE)
_OWNED_BY = re.compile(r"^fishing vessels? owned by\s+", re.IGNORECASE)
_SUBSIDIARIES_NAMED = re.compile(
    r",?\s+and\s+(?:its|their)\s+(?:\w+\s+)?subsidiar(?:y|ies)(?:\s+from\s+[A-Z][\w ]*?)?\s*,\s*",
    re.IGNORECASE,
)
_REGION_WORD = re.compile(r"\b(region|province|autonomous|prefecture|oblast)\b", re.IGNORECASE)
_ENDS_WITH_LEGAL_FORM = re.compile(
    r"\b(co\.?,?\s*ltd|limited|ltd|llc|l\.l\.c|inc|c\.\s?v|s\.\s?a|corp|corporation|gmbh)\.?\s*$",
    re.IGNORECASE,
)
_SUBSIDIARIES_END = re.compile(
    r",?\s+and\s+(?:(?:its|their)\s+)?(?:\w+\s+)?subsidiar(?:y|ies)\s*$", re.IGNORECASE
)
_AND = re.compile(r",?\s+and\s+", re.IGNORECASE)


_OUTSIDE_PARENTHESES_COMMA = re.compile(r",\s*(?![^()]*\))")
_LEADING_AND = re.compile(r"^and\s+", re.IGNORECASE)


def _only_legal_form(text: str) -> bool:
    tokens = tuple(words(text))
    return bool(tokens) and tokens in LEGAL_FORMS


_STARTS_WITH_LEGAL_FORM = re.compile(
    r"^(limited|ltd|co|company|inc|incorporated|corp|corporation|llc|plc|gmbh)\b", re.IGNORECASE
)


def comma_run(text: str) -> list[str] | None:
    """The companies of a comma-separated run, as CBP writes several makers in one order ("Kumar
    Carpet Pvt., Singhe Carpet Pvt., Ltd., …, Valley Carpet, and K.K. Carpet Industries"), or
    None when the commas are inside one name ("Inner Mongolia Hengzheng Group Baoanzhao
    Agriculture, Industry, and Trade Co., Ltd.") or an address ("State Penitentiary, Ciudad
    Victoria, Tamaulipas, Mexico").

    Pieces that are only a legal form ("Ltd.") go back to the piece before them. It is a run when
    there are at least two pieces, each of at least two words besides its legal form, none
    starting with a legal form ("Limited and …"), and either a piece before the last ends with a
    legal form or all pieces share a word ("Carpet")."""
    pieces: list[str] = []
    for piece in _OUTSIDE_PARENTHESES_COMMA.split(text):
        piece = _LEADING_AND.sub("", piece.strip())
        if not piece:
            continue
        if pieces and _only_legal_form(piece):
            pieces[-1] = f"{pieces[-1]}, {piece}"
        else:
            pieces.append(piece)
    if len(pieces) < 2:
        return None
    normal = [normalise_name(p) for p in pieces]
    if any(len(n.tokens) < 2 for n in normal) or any(
        _STARTS_WITH_LEGAL_FORM.match(p) for p in pieces
    ):
        return None
    shared = set(normal[0].tokens).intersection(*(n.tokens for n in normal[1:]))
    if not shared and not any(_ENDS_WITH_LEGAL_FORM.search(p) for p in pieces[:-1]):
        return None
    return [p.strip(" .,") for p in pieces]


def published_names(text: str) -> tuple[str, ...]:
    """The names in an order's published entity text, as CBP's list writes them: "X a/k/a Y",
    "X; Y", "X Co., Ltd. and Y Trade and Business Co., Ltd." (two companies: split at an "and"
    that follows a legal form), "X Limited and its two subsidiaries from China, Y Limited and Z Limited",
    "Fishing Vessels owned by X", and runs of companies separated by commas (``comma_run``);
    a single word after a run and a ";" is the run's town ("…, and K.K. Carpet Industries;
    Kathmandu."), not a name."""
    names: list[str] = []
    after_run = False
    for part in _SPLIT.split(_OWNED_BY.sub("", text or "")):
        part = _SUBSIDIARIES_NAMED.sub(" and ", part).strip(" .,")
        part = _SUBSIDIARIES_END.sub("", part)
        if after_run and len(words(part)) == 1:
            continue
        run = comma_run(part)
        after_run = run is not None
        if run:
            names.extend(run)
            continue
        pieces = _AND.split(part)
        current = pieces[0]
        for piece in pieces[1:]:
            if _ENDS_WITH_LEGAL_FORM.search(current):
                names.append(current)
                current = piece
            else:
                current = f"{current} and {piece}"
        names.append(current)
    return tuple(n.strip(" .,") for n in names if n.strip(" .,"))


def _region_words(text: str, country: str) -> frozenset[str]:
    """Words of ``text`` naming a region (ISO 3166-2 subdivision) of ``country``, for an order
    whose published entity is a region ("Xinjiang Uyghur Autonomous Region (XUAR)")."""
    if not country or normalise_name(text).legal_forms or not _REGION_WORD.search(text):
        return frozenset()
    words = address_words(text)
    regions = set()
    for _code, label in subdivision_choices(country):
        first = address_words(label.split(" (")[0])
        regions |= {w for w in first if len(w) >= 4} & words
    return frozenset(regions)


def published_region_rule(
    ref: str,
    display: str,
    country: str,
    published_entity: str,
    merchandise: str,
    order_id: int | None = None,
) -> CommodityRule | None:
    """The country + region + commodity rule of an order whose published entity is a region
    ("Xinjiang Uyghur Autonomous Region (XUAR)", merchandise "Cotton, Tomatoes and Downstream
    Products"), or None when the entity is not a region. The commodity is matched by the HTS
    headings of the reference commodities it names (``commodity_headings``: Cotton 5201,
    Tomatoes 0702, Tomato Products 2002) or by its words in the line's description."""
    region = _region_words(published_entity, country)
    if not region:
        return None
    terms = commodity_terms(merchandise)
    return CommodityRule(
        ref, display, country, region, commodity_headings(terms), terms, order_id, True
    )


def watch_list_stamp_bump(**_kwargs) -> None:
    """Raise the version: the next screening compiles the watch list again."""
    if not WatchListStamp.objects.filter(pk=1).update(version=F("version") + 1):
        WatchListStamp.objects.get_or_create(pk=1)


def _stamp_key() -> tuple:
    row = WatchListStamp.objects.filter(pk=1).values_list("version", "changed_at").first()
    if row is None:
        stamp, _ = WatchListStamp.objects.get_or_create(pk=1)
        row = (stamp.version, stamp.changed_at)
    return row


def thresholds() -> tuple[int, int]:
    return (
        int(settings.WITHHOLD["SCREENING_DETAIN_SCORE"]),
        int(settings.WITHHOLD["SCREENING_REVIEW_SCORE"]),
    )


def _entity_names(entity) -> tuple[str, ...]:
    return tuple(dict.fromkeys([entity.name, *(entity.aliases or [])]))


def _order_parts(order: Order, watch_list: WatchList) -> None:
    rules = list(order.scope_rules.all())
    ref = order.number
    display_order = order.published_entity or order.merchandise[:120]
    excluded_importers: list[str] = []
    excluded_producers: list[str] = []
    excluded_merchandise: list[str] = []
    including = 0
    for rule in rules:
        if rule.kind == ScopeRule.Kind.ENTITY and rule.entity_id:
            entity = rule.entity
            watch_list.parties.append(
                PartyEntry("order", ref, entity.name, _entity_names(entity),
                           entity.country or rule.country or order.country,
                           entity.address, order.pk)
            )  # fmt: skip
            including += 1
        elif rule.kind == ScopeRule.Kind.COUNTRY_COMMODITY:
            region = " ".join(
                p for p in (rule.region_name, subdivision_name(rule.region_code)) if p
            )
            words = significant_words(
                " ".join(
                    p
                    for p in (rule.merchandise, rule.commodity.name if rule.commodity_id else "")
                    if p
                )
            )
            watch_list.commodity_rules.append(
                CommodityRule(ref, display_order, rule.country,
                              address_words(region) - {"region", "autonomous", "province"},
                              tuple(rule.hts_headings or ()), frozenset(words), order.pk)
            )  # fmt: skip
            including += 1
        elif rule.kind == ScopeRule.Kind.VESSEL:
            watch_list.vessel_rules.append(
                VesselRule(ref, rule.vessel_name, rule.vessel_name, rule.imo_number, order.pk)
            )
            including += 1
        elif rule.kind == ScopeRule.Kind.EXCLUDED_IMPORTER and rule.entity_id:
            excluded_importers.extend(_entity_names(rule.entity))
        elif rule.kind == ScopeRule.Kind.EXCLUDED_PRODUCER and rule.entity_id:
            excluded_producers.extend(_entity_names(rule.entity))
        elif rule.kind == ScopeRule.Kind.EXCLUDED_MERCHANDISE:
            excluded_merchandise.append(rule.merchandise)
    if not including and order.published_entity and not order.published_entity.startswith("All "):
        # Orders loaded from CBP's list alone name their entity only in words: a region, or
        # one or more companies.
        rule = published_region_rule(
            ref, display_order, order.country, order.published_entity, order.merchandise, order.pk
        )
        if rule:
            watch_list.commodity_rules.append(rule)
            return _order_exclusions(
                watch_list, ref, excluded_importers, excluded_producers, excluded_merchandise
            )
        names = published_names(order.published_entity)
        if names:
            watch_list.parties.append(
                PartyEntry("order", ref, order.published_entity, names, order.country, "",
                           order.pk)
            )  # fmt: skip
    _order_exclusions(watch_list, ref, excluded_importers, excluded_producers, excluded_merchandise)


def _order_exclusions(watch_list, ref, importers, producers, merchandise) -> None:
    if importers or producers or merchandise:
        watch_list.exclusions[ref] = Exclusions(
            tuple(importers), tuple(producers), tuple(merchandise)
        )


def watch_list_compile(*, version: int = 0) -> WatchList:
    """The watch list as the database has it now."""
    watch_list = WatchList(version=version)
    orders = (
        Order.objects.filter(status__in=ACTIVE_STATUSES)
        .exclude(kind__in=[Kind.PENALTY, Kind.CAATSA])
        .prefetch_related("scope_rules__entity", "scope_rules__commodity")
        .order_by("number")
    )
    for order in orders:
        _order_parts(order, watch_list)
    lists = {e.pk: e for e in EntityList.objects.exclude(current_version=None)}
    # Only the current version of each list: its earlier versions stay for the detentions that
    # relied on them, and are never screened.
    current = ListEntry.objects.filter(
        list_version_id__in=[e.current_version_id for e in lists.values()]
    ).order_by("entity_list__source", "number")
    for entry in current:
        watch_list.parties.append(list_entry_party(lists[entry.entity_list_id], entry))
    return watch_list


def list_entry_party(entity_list: EntityList, entry: ListEntry) -> PartyEntry:
    """An entity-list entry as the watch list holds it, named by the list's own number."""
    return PartyEntry("list", f"{entity_list.source} #{entry.number}", entry.name,
                      (entry.name, *entry.aliases), entry.country, entry.address)  # fmt: skip


def watch_list_for_order(order: Order) -> WatchList:
    """Only ``order``'s part of the watch list (its scope rules and exclusions), for re-screening
    the stored lines when it is issued or modified; empty when the order is not active."""
    watch_list = WatchList(caatsa=False)
    if order.status in ACTIVE_STATUSES and order.kind not in (Kind.PENALTY, Kind.CAATSA):
        _order_parts(order, watch_list)
    return watch_list


def watch_list_for_entries(entries: list[ListEntry]) -> WatchList:
    """Only the given list entries (those a list load added or changed), for re-screening."""
    watch_list = WatchList(caatsa=False)
    for entry in entries:
        watch_list.parties.append(list_entry_party(entry.entity_list, entry))
    return watch_list


def screener_current() -> Screener:
    """The screener for the watch list as it stands, compiled again only after a change."""
    stamp = _stamp_key()
    key = (*stamp, *thresholds())
    with _lock:
        if _cached["key"] == key:
            return _cached["screener"]
    detain_at, review_at = thresholds()
    screener = Screener(
        watch_list_compile(version=stamp[0]), detain_at=detain_at, review_at=review_at
    )
    with _lock:
        _cached["key"] = key
        _cached["screener"] = screener
    return screener
