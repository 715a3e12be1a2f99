"""The screening engine: a compiled watch list and the matcher. Pure: no database.

Stages, cheapest first, so a million lines take seconds (see docs/screening.md):

1. **Normalise** each distinct name once (``normalise.normalise_name``, cached).
2. **Exact key**: the token-sorted fingerprint or the run-together words equal a watch-list name's
   → name score 100 without further work.
3. **Blocking**: candidate watch-list names share a rare word (or the first four letters of one,
   so "Hetain" still meets "Hetian") with the name; words found in more than ``BLOCK_MAX_SHARE``
   of the list ("xinjiang", "trading") do not open a block unless nothing rarer does.
4. **Scoring** of the candidates with rapidfuzz: the better of ``token_sort_ratio`` on the words
   (``ratio`` on precomputed token-sorted keys: the same number) and ``ratio`` on the words run
   together, on the whole name and on its core (the name without place and group words); only
   the best ``CAREFUL_TOP`` candidates above ``FAST_CUTOFF`` go on, and of those only the ones
   whose fast scores leave the review score within reach.
5. **Careful scoring** of those few (``Screener._careful``): place words that conflict rule the
   name out ("Tianjin Taida Apparel" is not Hetian Taida Apparel); a place or group word on one
   side only costs little, but a place only in the listed name keeps the hit at review unless the
   line's address names a place within it; a distinctive word of the listed name (a word few
   listed names share) must be on the line, letter for letter or with one typo.
6. **Agreement** of country (the listed entity's, or the country its place words lie in) and of
   the address's places with the listed entity's, and the order's exclusions, per line.

Every distinct name's candidates are computed once per engine (``name_matches`` cache), so a
name repeated on 10,000 lines is scored once; and lines alike in every field the screening reads
are screened once (``screen_line``'s cache).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from operator import itemgetter

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from withhold.core.numbers import NumberError, parse_int
from withhold.orders.matching import significant_words

from .entry_lines import EntryLine, RowError
from .normalise import (
    PLACE_NAMES,
    PLACES,
    NormalName,
    address_places,
    address_words,
    address_words_and_places,
    imo_in,
    legal_form_phrase,
    normalise_name,
    place_ancestors,
    place_country,
    place_label,
    places_compatible,
    stems,
    vessel_key,
)

BLOCK_MAX_SHARE = 0.02
BLOCK_MIN_CAP = 40
COUNTRY_PENALTY = 10
FAST_CUTOFF = 70  # candidates scoring below this on every fast scorer are not scored carefully
CAREFUL_TOP = 8  # at most this many candidates per name are scored carefully
PLACE_CONFLICT_PENALTY = 30  # "Tianjin" against "Hetian": another company
ADDRESS_CONFLICT_PENALTY = 15  # the address names a place the listed entity is not in
GROUP_WORD_PENALTY = 3  # "group" or "holding" on one side only
PLACE_ON_LINE_PENALTY = 2  # the line adds a place the listed name does not give
RARE_SHARE = 0.005  # a word in at most this share of listed names (or 8) is distinctive
RARE_MIN = 8
GROUP_WORDS = frozenset({"group", "holding"})
_LEVEL_WORD = {"region": "region", "province": "province", "prefecture": "city", "city": "city",
               "county": "county", "district": "district"}  # fmt: skip
MATCH_CACHE_MAX = 1_000_000
LINE_CACHE_MAX = 200_000
HIT_KINDS = ("order", "list", "caatsa")

CAATSA_REF = "CAATSA 302A"
CAATSA_NAME = "North Korean labor presumption (CAATSA section 302A)"
NORTH_KOREA_WORDS = (
    "north korea",
    "dprk",
    "d.p.r.k",
    "democratic people's republic of korea",
    "democratic peoples republic of korea",
    "pyongyang",
    "nampo",
    "sinuiju",
    "chongjin",
    "hamhung",
    "kaesong",
    "rason",
    "wonsan",
)


@dataclass(frozen=True)
class PartyEntry:
    """A named party on the watch list: an order's entity rule or an entity-list entry."""

    kind: str  # "order" or "list"
    ref: str  # order number, or "<source> #<row>"
    display: str  # the name shown as hit_name
    names: tuple[str, ...]  # the name and its aliases, as written
    country: str = ""
    address: str = ""
    order_id: int | None = None


@dataclass(frozen=True)
class CommodityRule:
    """An order's country (and region) with commodity: HTS headings and description terms."""

    ref: str
    display: str
    country: str
    region_words: frozenset[str] = frozenset()
    hts_prefixes: tuple[str, ...] = ()
    terms: frozenset[str] = frozenset()
    order_id: int | None = None
    # The headings were looked up from the order's commodity words (an order published in words
    # only, as CBP's list has them): a way in beside the words, not a condition on them.
    headings_from_terms: bool = False


@dataclass(frozen=True)
class VesselRule:
    ref: str
    display: str
    name: str
    imo: str = ""
    order_id: int | None = None


@dataclass(frozen=True)
class Exclusions:
    """What an order's partial revocations and modifications took out of it."""

    importers: tuple[str, ...] = ()
    producers: tuple[str, ...] = ()
    merchandise: tuple[str, ...] = ()


@dataclass
class WatchList:
    parties: list[PartyEntry] = field(default_factory=list)
    commodity_rules: list[CommodityRule] = field(default_factory=list)
    vessel_rules: list[VesselRule] = field(default_factory=list)
    exclusions: dict[str, Exclusions] = field(default_factory=dict)  # by order number
    caatsa: bool = True
    version: int = 0

    def __len__(self) -> int:
        return len(self.parties) + len(self.commodity_rules) + len(self.vessel_rules)


@dataclass(frozen=True, slots=True)
class Hit:
    line_id: str
    hit_kind: str
    hit_ref: str
    hit_name: str
    score: int
    action: str
    reasons: str
    order_id: int | None = None

    def as_row(self) -> list:
        return [
            self.line_id,
            self.hit_kind,
            self.hit_ref,
            self.hit_name,
            self.score,
            self.action,
            self.reasons,
        ]


HIT_COLUMNS = ["line_id", "hit_kind", "hit_ref", "hit_name", "score", "action", "reasons"]


@dataclass(frozen=True, slots=True)
class NameMatch:
    party: int  # index into WatchList.parties
    score: int
    phrase: str  # "name 96: legal form differs" or "name 100 (alias …)"
    lift: int = 0  # the score if the line's address names a place of the listed name


def counted(n: int, one: str, many: str) -> str:
    """ "1 row with errors", "2 rows with errors": the number and the noun that agrees with it
    (for the command line; pages use Django's ``ngettext``)."""
    return f"{n} {one if n == 1 else many}"


def _ref_order(ref: str) -> tuple:
    """ "uflpa #4" before "uflpa #89": references in their list's order."""
    source, _, number = ref.rpartition(" #")
    try:
        return (source, parse_int(number, field="reference", minimum=0))
    except NumberError:  # "#²", "#x": not a position in a list
        return (ref, 0)


def _name_score(query: NormalName, target: NormalName) -> int:
    if query.sorted_key == target.sorted_key or query.compact == target.compact:
        return 100
    return round(
        max(
            fuzz.ratio(query.sorted_key, target.sorted_key),
            fuzz.ratio(query.compact, target.compact),
        )
    )


def _leaves(places: tuple[str, ...]) -> frozenset[str]:
    """The most precise of a name's places: those no other of its places lies in."""
    return frozenset(
        p for p in places if not any(p != o and p in place_ancestors(o) for o in places)
    )


class Screener:
    """Screens entry lines against one compiled watch list. Build once, screen many."""

    def __init__(self, watch_list: WatchList, *, detain_at: int, review_at: int):
        self.watch_list = watch_list
        self.detain_at = detain_at
        self.review_at = review_at
        self._names: list[tuple[int, str, NormalName]] = []  # (party, written name, normalised)
        self._exact: dict[str, list[int]] = defaultdict(list)
        self._core_exact: dict[str, list[int]] = defaultdict(list)
        block: dict[str, list[int]] = defaultdict(list)
        for party_index, party in enumerate(watch_list.parties):
            for written in party.names:
                normal = normalise_name(written)
                if not normal.tokens:
                    continue
                i = len(self._names)
                self._names.append((party_index, written, normal))
                self._exact[normal.sorted_key].append(i)
                self._exact[normal.compact].append(i)
                self._core_exact[normal.core_key].append(i)
                for key in self._block_keys(normal):
                    block[key].append(i)
        self._block_cap = max(BLOCK_MIN_CAP, int(len(self._names) * BLOCK_MAX_SHARE))
        # Each block's names in ascending order (a name joins each of its blocks once), blocks
        # with the same names sharing one tuple.
        same: dict[tuple[int, ...], tuple[int, ...]] = {}
        self._blocks = {k: same.setdefault(tuple(v), tuple(v)) for k, v in block.items()}
        # The columns the fast scorers read: ``ratio`` on the token-sorted words is
        # ``token_sort_ratio`` on the words, without sorting every listed name's words again.
        self._sorted_keys = [n.sorted_key for _p, _w, n in self._names]
        self._compacts = [n.compact for _p, _w, n in self._names]
        self._core_keys = [n.core_key for _p, _w, n in self._names]
        self._party_cities = [address_words(p.address) for p in watch_list.parties]
        self._df: dict[str, int] = defaultdict(int)
        for _party, _written, normal in self._names:
            for token in set(normal.core):
                self._df[token] += 1
        self._rare_max = max(RARE_MIN, int(len(self._names) * RARE_SHARE))
        party_places: list[set[str]] = [set(address_places(p.address)) for p in watch_list.parties]
        for party_index, _written, normal in self._names:
            party_places[party_index].update(normal.places)
        self._party_places = [tuple(sorted(p)) for p in party_places]
        self._party_country = []
        for party, places in zip(watch_list.parties, self._party_places, strict=True):
            countries = {place_country(p) for p in places}
            self._party_country.append(
                party.country or (countries.pop() if len(countries) == 1 else "")
            )
        # One hit per listed entity per line: the UFLPA list prints an entity once in each of its
        # sections, and two orders may name one entity. Parties of one kind whose names normalise
        # alike are one entity.
        self._party_keys = [
            (p.kind, normalise_name(p.display).sorted_key or p.ref) for p in watch_list.parties
        ]
        self._by_country: dict[str, list[CommodityRule]] = defaultdict(list)
        for rule in watch_list.commodity_rules:
            self._by_country[rule.country].append(rule)
        self._vessels_by_key: dict[str, list[VesselRule]] = defaultdict(list)
        self._vessels_by_imo: dict[str, list[VesselRule]] = defaultdict(list)
        for rule in watch_list.vessel_rules:
            self._vessels_by_key[vessel_key(rule.name)].append(rule)
            if rule.imo:
                self._vessels_by_imo[rule.imo].append(rule)
        self._excluded_names = {
            ref: (
                [normalise_name(n) for n in ex.importers],
                [normalise_name(n) for n in ex.producers],
                [significant_words(m) for m in ex.merchandise],
            )
            for ref, ex in watch_list.exclusions.items()
        }
        self._rule_places: dict[CommodityRule, frozenset[str]] = {}
        self._description_cache: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
        self._rule_stems: dict[CommodityRule, frozenset[str]] = {}
        self._match_cache: dict[str, tuple[NameMatch, ...]] = {}
        self._excluded_cache: dict[tuple[str, str], bool] = {}
        self._address_cache: dict[str, tuple[frozenset[str], str]] = {}
        self._line_cache: dict[tuple[str, ...], tuple[Hit, ...]] = {}
        self.names_scored = 0

    # Names ---------------------------------------------------------------------------------

    @staticmethod
    def _block_keys(normal: NormalName) -> set[str]:
        keys = set()
        for token in normal.tokens:
            if len(token) < 2:
                continue
            keys.add(token)
            if len(token) >= 5:
                keys.add(token[:4] + "*")
        if normal.compact and len(normal.tokens) > 1:
            keys.add("=" + normal.compact[:6])
        return keys

    def _candidates(self, normal: NormalName) -> Sequence[int]:
        """The indexes of the listed names sharing a block with ``normal``, in ascending order.
        When every block is common, the smallest opens, the first in alphabetical order of its
        key among blocks of one size: the same choice whatever Python's string hashing (a
        ``set`` of keys iterates in an order that changes from run to run)."""
        blocks = self._blocks
        keys = [k for k in self._block_keys(normal) if k in blocks]
        if not keys:
            return ()
        # Blocks with the same names are one object ("taida" and "taid*" often are).
        rare = {id(b): b for k in keys if len(b := blocks[k]) <= self._block_cap}
        if not rare:
            return blocks[min(keys, key=lambda k: (len(blocks[k]), k))]
        if len(rare) == 1:
            return next(iter(rare.values()))
        found: set[int] = set()
        for block in rare.values():
            found.update(block)
        return sorted(found)

    def name_matches(self, written: str) -> tuple[NameMatch, ...]:
        """The watch-list parties whose name (or alias) scores at least ``review_at`` against
        ``written``, best name per party. Cached: identical names are scored once."""
        cached = self._match_cache.get(written)
        if cached is not None:
            return cached
        result = self._score_name(written)
        if len(self._match_cache) >= MATCH_CACHE_MAX:
            self._match_cache.clear()
        self._match_cache[written] = result
        return result

    def add_known_matches(
        self, found: Iterable[tuple[str, tuple[NameMatch, ...]]], *, no_match: Iterable[str] = ()
    ) -> None:
        """Take names' matches found by another process screening the same watch list (and names
        it found matching nothing), so ``name_matches`` does not score them again."""
        for written, matches in found:
            self._match_cache[written] = matches
        for written in no_match:
            self._match_cache.setdefault(written, ())

    def _score_name(self, written: str) -> tuple[NameMatch, ...]:
        normal = normalise_name(written)
        if not normal.tokens:
            return ()
        self.names_scored += 1
        best: dict[int, NameMatch] = {}
        for i, score, notes, lift in self._scores(normal):
            party_index, target_written, target = self._names[i]
            if party_index in best and best[party_index].score >= score:
                continue
            parts = [f"name {score}"]
            said = [p for p in (legal_form_phrase(normal, target), *notes) if p]
            said += [f"“{c.split('→')[0]}” read as {c.split('→')[1]}" for c in normal.corrected]
            if said:
                parts[0] += ": " + ", ".join(said)
            party = self.watch_list.parties[party_index]
            if target_written != party.display:
                parts.append(f"as alias “{target_written}”")
            if target.with_subsidiaries:
                parts.append("listed with its subsidiaries")
            best[party_index] = NameMatch(party_index, score, "; ".join(parts), lift)
        return tuple(sorted(best.values(), key=lambda m: (-m.score, m.party)))

    def _scores(self, normal: NormalName):
        """(name index, score, notes, lift) of every candidate scoring at least ``review_at``.

        Exact keys first; otherwise the blocked candidates are scored by rapidfuzz's C loops on
        the whole name and on its core, and the best ``CAREFUL_TOP`` above ``FAST_CUTOFF`` are
        scored carefully (``_careful``)."""
        exact = self._exact.get(normal.sorted_key, []) + self._exact.get(normal.compact, [])
        if exact:
            return [(i, 100, [], 0) for i in dict.fromkeys(exact)]
        fast: dict[int, float] = {i: 100.0 for i in self._core_exact.get(normal.core_key, [])}
        order = self._candidates(normal)
        if order:
            pick = itemgetter(*order)
            for query, column in (
                (normal.sorted_key, self._sorted_keys),
                (normal.compact, self._compacts),
                (normal.core_key, self._core_keys),
            ):
                targets = [column[order[0]]] if len(order) == 1 else pick(column)
                for _choice, score, k in process.extract(
                    query, targets, scorer=fuzz.ratio, processor=None,
                    score_cutoff=FAST_CUTOFF, limit=None,
                ):  # fmt: skip
                    if score > fast.get(order[k], -1):
                        fast[order[k]] = score
        top = sorted(fast, key=lambda i: -fast[i])[:CAREFUL_TOP]
        out = []
        # The careful score (and the lift) never exceed the better of the fast scores and
        # ``ratio`` on the cores run together, rounded: below ``review_at`` there, it is not a
        # match, and the careful scorer need not look.
        bound = self.review_at - 0.5
        for i in top:
            target = self._names[i][2]
            if fast[i] < bound and fuzz.ratio(normal.core_compact, target.core_compact) < bound:
                continue
            score, notes, lift = self._careful(normal, target)
            if score >= self.review_at or (lift and lift >= self.review_at):
                out.append((i, score, notes, lift))
        return out

    def _rare_found(self, token: str, normal: NormalName) -> bool:
        if token in normal.tokens:
            return True
        if len(token) < 4:
            return False
        allowed = 2 if len(token) >= 8 else 1
        return any(
            abs(len(t) - len(token)) <= allowed
            and OSA.distance(t, token, score_cutoff=allowed) <= allowed
            for t in normal.tokens
        )

    def _careful(self, q: NormalName, t: NormalName) -> tuple[int, list[str], int]:
        """The score of the line's name ``q`` against a listed name ``t``, the notes that
        explain it, and the score it would have if the address named the listed place (or 0)."""
        if q.sorted_key == t.sorted_key or q.compact == t.compact:
            return 100, [], 0
        full = max(fuzz.ratio(q.sorted_key, t.sorted_key), fuzz.ratio(q.compact, t.compact))
        if q.core_key == t.core_key or q.core_compact == t.core_compact:
            core = 100.0
        else:
            core = max(
                fuzz.ratio(q.core_key, t.core_key),
                fuzz.ratio(q.core_compact, t.core_compact),
            )
        notes: list[str] = []
        lift = 0
        qp, tp = q.places, t.places
        if qp and tp:
            q_only = [a for a in qp if not any(places_compatible(a, b) for b in tp)]
            t_only = [b for b in tp if not any(places_compatible(a, b) for a in qp)]
            if q_only or t_only:
                line_place = (q_only or qp)[0]
                listed_place = (t_only or tp)[0]
                notes.append(
                    f"{self._level(listed_place)} word differs: “{place_label(line_place)}” "
                    f"against “{place_label(listed_place)}”"
                )
                return round(min(full, core)) - PLACE_CONFLICT_PENALTY, notes, 0
            q_leaves, t_leaves = _leaves(qp), _leaves(tp)
            if q_leaves != t_leaves:
                # "Kashgar Huafu …" against "Xinjiang Huafu … Group", "Zhejiang Huafu Textile"
                # against "Ninghai Huafu Textile": one name's place lies within the other's but
                # is not the same; it names another unit of the same family.
                finer = next(
                    ((a, b) for a in q_leaves for b in t_leaves
                     if a != b and places_compatible(a, b)),
                    None,
                )  # fmt: skip
                if finer:
                    notes.append(
                        f"{self._level(finer[0])} word “{place_label(finer[0])}” against "
                        f"“{place_label(finer[1])}”: one lies within the other, not the same place"
                    )
                    return min(round(max(full, core)), self.review_at - 1), notes, 0
            score = max(full, core)
            extra = [p for p in (*qp, *tp) if not (p in qp and p in tp)]
            if extra:
                notes.append(
                    f"{self._level(extra[0])} word “{place_label(extra[0])}” only on one side, "
                    "within the other's"
                )
        elif tp and (typo := self._place_typo(q, tp)):
            notes.append(f"“{typo[0]}” read as {place_label(typo[1])}")
            score = max(full, core)
        elif tp:
            notes.append(
                f"{self._level(tp[0])} word “{place_label(tp[0])}” only in the listed name"
            )
            score = min(max(full, core), self.detain_at - 1)
            if max(full, core) > score:
                lift = round(max(full, core))
        elif qp:
            notes.append(f"{self._level(qp[0])} word “{place_label(qp[0])}” only on the line")
            score = max(full, core - PLACE_ON_LINE_PENALTY)
        else:
            score = max(full, core)
        if (set(q.qualifiers) ^ set(t.qualifiers)) & GROUP_WORDS and score > full:
            notes.append("group word only on one side")
            score = max(full, score - GROUP_WORD_PENALTY)
            lift = max(0, lift - GROUP_WORD_PENALTY)
        if fuzz.ratio(q.compact, t.compact) < 95:
            for token in t.core:
                if self._df.get(token, 0) <= self._rare_max and not self._rare_found(token, q):
                    notes.append(f"distinctive word “{token}” not on the line")
                    return min(round(score), self.review_at - 1), notes, 0
        return round(score), notes, lift

    @staticmethod
    def _place_typo(q: NormalName, places: tuple[str, ...]) -> tuple[str, str] | None:
        """A word of the line one edit from a place of the listed name ("Hetain" for Hetian)."""
        for token in q.tokens:
            if len(token) < 5:
                continue
            for place in places:
                if (
                    abs(len(place) - len(token)) <= 1
                    and OSA.distance(token, place, score_cutoff=1) <= 1
                ):
                    return token, place
        return None

    @staticmethod
    def _level(key: str) -> str:
        return _LEVEL_WORD.get(PLACES[key].level, "place") if key in PLACES else "place"

    def _address(self, address: str) -> tuple[frozenset[str], str, frozenset[str]]:
        """The address's words, the North Korean place it names (or ""), and its gazetteer
        places with every division they lie in (Kashgar → kashi, xinjiang)."""
        cached = self._address_cache.get(address)
        if cached is None:
            lowered = address.casefold()
            north_korea = next((w for w in NORTH_KOREA_WORDS if w in lowered), "")
            city_words, places = address_words_and_places(address)
            within = frozenset(a for p in places for a in place_ancestors(p))
            cached = (city_words, north_korea, within)
            if len(self._address_cache) < 500_000:
                self._address_cache[address] = cached
        return cached

    def _name_excluded(self, ref: str, which: int, written: str) -> bool:
        if not written or ref not in self._excluded_names:
            return False
        key = (ref, str(which) + written)
        cached = self._excluded_cache.get(key)
        if cached is None:
            normal = normalise_name(written)
            cached = any(
                _name_score(normal, excluded) >= self.detain_at
                for excluded in self._excluded_names[ref][which]
            )
            self._excluded_cache[key] = cached
        return cached

    def _excluded(self, ref: str, line: EntryLine, description_words: frozenset[str]) -> bool:
        if ref not in self._excluded_names:
            return False
        if self._name_excluded(ref, 0, line.importer_name):
            return True
        if self._name_excluded(ref, 1, line.manufacturer_name):
            return True
        for words in self._excluded_names[ref][2]:
            if words and description_words and len(words & description_words) >= min(len(words), 2):
                return True
        return False

    def _action(self, score: int) -> str:
        return "detain" if score >= self.detain_at else "review"

    # Lines ---------------------------------------------------------------------------------

    def screen_line(self, line: EntryLine) -> list[Hit]:
        """Every hit for one line, best first; at most one per watch-list reference, and one per
        listed entity: the best, its reasons naming the other references to the same entity.

        Lines alike in every field the screening reads (all but the line id, entry number and
        date) get the same hits: they are worked out once (``LINE_CACHE_MAX`` kinds of line)."""
        key = (line.manufacturer_name, line.manufacturer_address, line.shipper_name,
               line.country_of_origin, line.hts_code, line.description, line.importer_name,
               line.vessel_name)  # fmt: skip
        known = self._line_cache.get(key)
        if known is None:
            known = self._screen_line(line)
            if len(self._line_cache) >= LINE_CACHE_MAX:
                self._line_cache.clear()
            self._line_cache[key] = known
            return list(known)
        line_id = line.line_id
        return [
            hit if hit.line_id == line_id
            else Hit(line_id, hit.hit_kind, hit.hit_ref, hit.hit_name, hit.score, hit.action,
                     hit.reasons, hit.order_id)
            for hit in known
        ]  # fmt: skip

    def _screen_line(self, line: EntryLine) -> tuple[Hit, ...]:
        hits: dict[tuple[str, str], Hit] = {}
        also: dict[tuple[str, str], set[str]] = {}
        city_words, north_korea, line_places = self._address(line.manufacturer_address)
        country = line.country_of_origin

        def add(hit: Hit, key: tuple[str, str] | None = None) -> None:
            key = key or (hit.hit_kind, hit.hit_ref)
            kept = hits.get(key)
            if kept is None:
                hits[key] = hit
                return
            refs = also.setdefault(key, set())
            refs.update((kept.hit_ref, hit.hit_ref))
            if kept.score < hit.score:
                hits[key] = hit

        for label, written in (("", line.manufacturer_name), ("shipper ", line.shipper_name)):
            if not written:
                continue
            for match in self.name_matches(written):
                party = self.watch_list.parties[match.party]
                score = match.score
                reasons = [label + match.phrase]
                party_country = self._party_country[match.party]
                if party.country and country:
                    if party.country == country:
                        reasons.append(f"country {country} agrees")
                    else:
                        reasons.append(f"country {country} differs from {party.country}")
                        score -= COUNTRY_PENALTY
                elif party_country and country and party_country != country:
                    reasons.append(
                        f"country {country} differs from {party_country} "
                        "(the place in the listed name)"
                    )
                    score -= COUNTRY_PENALTY
                party_cities = self._party_cities[match.party]
                party_places = self._party_places[match.party]
                if not label and party_places and line_places:
                    agreeing = [p for p in party_places if p in line_places]
                    if agreeing:
                        reasons.append("address city agrees")
                        if match.lift > score:
                            score += match.lift - match.score
                            reasons.append(
                                f"address in “{place_label(agreeing[0])}” as the listed name"
                            )
                    elif not any(a in line_places for p in party_places
                                 for a in place_ancestors(p)):  # fmt: skip
                        reasons.append(
                            f"address city differs (“{place_label(party_places[0])}” "
                            "in the listed entity)"
                        )
                        score -= ADDRESS_CONFLICT_PENALTY
                    else:
                        reasons.append("address region agrees")
                elif party_cities and city_words and not label:
                    if party_cities & city_words:
                        reasons.append("address city agrees")
                    else:
                        reasons.append("address city differs")
                if score < self.review_at:
                    continue
                if party.kind == "order" and self._excluded(
                    party.ref, line, self._description(line.description)[0]
                ):
                    continue
                add(
                    Hit(line.line_id, party.kind, party.ref, party.display, score,
                        self._action(score), "; ".join(reasons), party.order_id),
                    self._party_keys[match.party],
                )  # fmt: skip

        if country and country in self._by_country:
            for rule in self._by_country[country]:
                hit = self._commodity_hit(rule, line, city_words, line_places)
                if hit and not self._excluded(
                    rule.ref, line, self._description(line.description)[0]
                ):
                    add(hit)

        if line.vessel_name and (self._vessels_by_key or self._vessels_by_imo):
            key = vessel_key(line.vessel_name)
            imo = imo_in(line.vessel_name)
            for rule in self._vessels_by_key.get(key, []):
                add(
                    Hit(line.line_id, "order", rule.ref, rule.display, 100, "detain",
                        f"vessel name “{line.vessel_name}” agrees", rule.order_id)
                )  # fmt: skip
            for rule in self._vessels_by_imo.get(imo, []) if imo else []:
                add(
                    Hit(line.line_id, "order", rule.ref, rule.display, 100, "detain",
                        f"IMO {imo} agrees", rule.order_id)
                )  # fmt: skip

        if self.watch_list.caatsa:
            if country == "KP":
                add(
                    Hit(line.line_id, "caatsa", CAATSA_REF, CAATSA_NAME, 100, "detain",
                        "country of origin KP (North Korea)")
                )  # fmt: skip
            elif north_korea:
                add(
                    Hit(line.line_id, "caatsa", CAATSA_REF, CAATSA_NAME, 100, "detain",
                        f"manufacturer address names “{north_korea}”")
                )  # fmt: skip
        for key, refs in also.items():
            hit = hits[key]
            others = sorted(refs - {hit.hit_ref}, key=_ref_order)
            if others:
                said = "also listed as " if hit.hit_kind == "list" else "also named in "
                reasons = f"{hit.reasons}; {said}{', '.join(others)}"
                hits[key] = replace(hit, reasons=reasons)
        return tuple(sorted(hits.values(), key=lambda h: (-h.score, h.hit_kind, h.hit_ref)))

    def _description(self, description: str) -> tuple[frozenset[str], frozenset[str]]:
        """A description's significant words and their singulars, computed once per text."""
        cached = self._description_cache.get(description)
        if cached is None:
            words = significant_words(description)
            cached = (words, stems(words))
            if len(self._description_cache) < 200_000:
                self._description_cache[description] = cached
        return cached

    def _region_places(self, rule: CommodityRule) -> frozenset[str]:
        """The gazetteer keys of a rule's region words ("xinjiang", "uyghur" → {"xinjiang"})."""
        found = self._rule_places.get(rule)
        if found is None:
            found = frozenset(PLACE_NAMES[w] for w in rule.region_words if w in PLACE_NAMES)
            self._rule_places[rule] = found
        return found

    def _rule_terms(self, rule: CommodityRule) -> frozenset[str]:
        found = self._rule_stems.get(rule)
        if found is None:
            found = self._rule_stems[rule] = stems(rule.terms)
        return found

    def _commodity_hit(
        self,
        rule: CommodityRule,
        line: EntryLine,
        city_words: frozenset[str],
        line_places: frozenset[str] = frozenset(),
    ) -> Hit | None:
        reasons = [f"country {rule.country} agrees"]
        if rule.region_words:
            region_places = self._region_places(rule)
            if not line.manufacturer_address:
                reasons.append("region not stated in the address")
                region_known = False
            elif region_places and region_places & line_places:
                named = address_places(line.manufacturer_address)
                inside = [p for p in named if p not in region_places]
                region = place_label(sorted(region_places)[0])
                reasons.append(
                    f"address place “{place_label(inside[0])}” lies in {region}"
                    if inside
                    else "address region agrees"
                )
                region_known = True
            elif not region_places and rule.region_words & city_words:
                reasons.append("address region agrees")
                region_known = True
            else:
                return None
        else:
            region_known = True
        hts_agrees = bool(line.hts_code) and any(
            line.hts_code.replace(".", "").startswith(p) for p in rule.hts_prefixes
        )
        terms = sorted(self._rule_terms(rule) & self._description(line.description)[1])
        if rule.hts_prefixes:
            if hts_agrees:
                reasons.append(f"HTS {line.hts_code} within {'/'.join(rule.hts_prefixes)}")
            elif line.hts_code:
                reasons.append(f"HTS {line.hts_code} outside {'/'.join(rule.hts_prefixes)}")
        if terms:
            reasons.append("description mentions " + ", ".join(terms))
        if rule.hts_prefixes:
            if hts_agrees:
                score = 100 if (terms or not rule.terms) else 95
            elif terms:
                score = 95 if rule.headings_from_terms else 85 if line.hts_code else 90
            else:
                return None
        elif rule.terms:
            if not terms:
                return None
            score = 95
        else:
            score = 95
        if not region_known:
            score = min(score, self.review_at)
        if score < self.review_at:
            return None
        return Hit(line.line_id, "order", rule.ref, rule.display, score, self._action(score),
                   "; ".join(reasons), rule.order_id)  # fmt: skip


@dataclass
class Summary:
    lines: int = 0
    lines_with_hits: int = 0
    hits: dict[str, int] = field(default_factory=lambda: dict.fromkeys(HIT_KINDS, 0))
    errors: int = 0

    def add_hits(self, hits: Iterable[Hit]) -> None:
        any_hit = False
        for hit in hits:
            self.hits[hit.hit_kind] += 1
            any_hit = True
        self.lines_with_hits += any_hit

    def merge(self, other: "Summary") -> None:
        self.lines += other.lines
        self.lines_with_hits += other.lines_with_hits
        self.errors += other.errors
        for kind, n in other.hits.items():
            self.hits[kind] = self.hits.get(kind, 0) + n

    def as_dict(self) -> dict:
        return {
            "lines": self.lines,
            "lines_with_hits": self.lines_with_hits,
            "hits": dict(self.hits),
            "hits_total": sum(self.hits.values()),
            "errors": self.errors,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Summary":
        return cls(
            lines=data.get("lines", 0),
            lines_with_hits=data.get("lines_with_hits", 0),
            hits={**dict.fromkeys(HIT_KINDS, 0), **data.get("hits", {})},
            errors=data.get("errors", 0),
        )

    def __str__(self) -> str:
        kinds = ", ".join(f"{k} {n}" for k, n in self.hits.items())
        return (
            f"{counted(self.lines, 'line', 'lines')} screened, {self.lines_with_hits} with hits; "
            f"hits: {kinds}; {counted(self.errors, 'row', 'rows')} with errors"
        )


def screen_items(
    items: Iterable["EntryLine | list[RowError]"],
    screener: Screener,
    *,
    summary: Summary,
    errors: list[RowError],
    max_errors: int = 1000,
) -> Iterator[tuple[EntryLine, Hit]]:
    """Screen every good line of ``items`` (as ``entry_lines.read_entry_lines`` yields them), in
    order; count lines, hits and bad rows in ``summary`` and keep the first ``max_errors`` bad
    rows in ``errors``."""
    for item in items:
        if isinstance(item, list):
            summary.errors += 1
            if len(errors) < max_errors:
                errors.extend(item)
            continue
        summary.lines += 1
        hits = screener.screen_line(item)
        if hits:
            summary.add_hits(hits)
            for hit in hits:
                yield item, hit


def screen_file(
    source,
    output,
    screener: Screener,
    *,
    on_rows: Callable[[int], None] | None = None,
    every: int = 5000,
) -> tuple[Summary, list[RowError]]:
    """Read a CSV/XLSX file of entry lines, screen it and write the hits as CSV to ``output``
    (a path or a text stream): the whole ``withhold screen`` command, with no database.
    ``on_rows(n)`` is called every ``every`` rows read (for a progress bar)."""
    import contextlib
    import csv

    from withhold.core.csv_export import csv_safe

    from .entry_lines import read_entry_lines

    summary = Summary()
    errors: list[RowError] = []

    def counted(items):
        n = 0
        for item in items:
            yield item
            n += 1
            if n == every:
                if on_rows:
                    on_rows(n)
                n = 0
        if on_rows:
            on_rows(n)

    items = read_entry_lines(source)
    with contextlib.ExitStack() as stack:
        handle = (
            stack.enter_context(open(output, "w", newline="", encoding="utf-8"))
            if isinstance(output, str)
            else output
        )
        writer = csv.writer(handle)
        writer.writerow(HIT_COLUMNS)
        for _line, hit in screen_items(counted(items), screener, summary=summary, errors=errors):
            writer.writerow([csv_safe(v) for v in hit.as_row()])
    return summary, errors
