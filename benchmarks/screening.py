#!/usr/bin/env python
"""Screening benchmark: precision and recall on the labelled set, and the throughput of the whole
``withhold screen`` pipeline (read, match, write) on 1,000,000 entry lines, beside the naive
baseline (rapidfuzz ``WRatio`` of every line against every watch-list name) timed on a sample in
the same run.

    .venv/bin/python benchmarks/screening.py [--lines 1000000] [--jobs N] [--synthetic 5000]
        [--baseline-sample 300] [--seed 1307] [--keep DIR] [--no-reference] [--one-process-too]

No database: the watch list is compiled from the shipped reference files — the UFLPA Entity List
(``uflpa_entity_list_2026-07-09.csv``) and the active orders of CBP's list
(``cbp_wro_findings_2026-06-23.csv``), their text split into names as the app splits it
(``watchlist.published_names``) — plus ``--synthetic`` made-up entries whose references
start with ``SYNTHETIC``, so the list has at least 5,000 entries. The engine, reader and writer
are the ones ``withhold screen`` runs (``engine.screen_file``); only the database read of the watch
list is left out.

The labelled set is ``benchmarks/data/screening_labelled.csv`` (see ``benchmarks/data/README.md``).
A line is a true positive when one of its hits is the expected listed entity (any watch-list
party carrying that name, or the region order CBP-0050, compiled as the app compiles it by
``watchlist.published_region_rule``); precision = true positives / lines with any hit; recall =
true positives / lines with an expected entity; a hit on the wrong entity = a line naming a listed
entity whose hits are all on others. Targets: recall ≥ 0.99, precision ≥ 0.99, no wrong entity.

Beside the reference: on the entity-name lines (those without HTS code and description),
OpenSanctions' nomenklatura ``logic-v2`` matcher scores the same lines against the same watch list
at its documented threshold 0.70 (class ``Reference``), and both systems' recall, precision,
wrong-entity count and lines per CPU second are printed side by side. nomenklatura is an optional,
benchmark-only dependency: ``pip install -e '.[bench]'`` (nomenklatura 4.17.4 with
followthemoney); without it the comparison is skipped with that message; ``--no-reference``
skips it too.

Throughput: ``benchmarks/entry_file.py`` writes the 1,000,000 lines (made-up manufacturers built
for their country, drawn with a Zipf distribution from a pool of 140,000 so that about 100,000
distinct names appear, and 0.5 % of the lines naming a listed entity respelled; its docstring says
how). Then the ``withhold screen`` command itself runs on them (``call_command("screen", …,
"--jobs", N)``: reading, checking, matching on N processes, writing the hits CSV), with only its
database read of the watch list replaced by the list compiled here. Wall time and CPU time (this
process and its worker processes) are printed with the load average, since the machine may be
shared. The baseline is timed on the first ``--baseline-sample`` lines' manufacturers, matching
only, and its time for the whole file extrapolated from that rate — it is not run on 1,000,000
lines (it would take hours). See docs/benchmarks.md.
"""

import argparse
import csv
import io
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "withhold.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from entry_file import write_entry_file  # noqa: E402
from rapidfuzz import fuzz, process  # noqa: E402

from withhold.screening.engine import (  # noqa: E402
    CommodityRule,
    PartyEntry,
    Screener,
    WatchList,
)
from withhold.screening.entry_lines import EntryLine  # noqa: E402
from withhold.screening.normalise import normalise_name  # noqa: E402
from withhold.screening.watchlist import published_names, published_region_rule  # noqa: E402

DATA = ROOT / "withhold" / "reference" / "data"
LABELLED = ROOT / "benchmarks" / "data" / "screening_labelled.csv"
DETAIN_AT, REVIEW_AT = 92, 85
# CBP's statuses the app screens (orders.reference_steps: "Partially Modified" is partially revoked)
ACTIVE = ("Active", "Partially Modified")

PLACES = [
    "Shanghai",
    "Ningbo",
    "Shenzhen",
    "Guangzhou",
    "Qingdao",
    "Tianjin",
    "Xiamen",
    "Suzhou",
    "Wuxi",
    "Hangzhou",
    "Dongguan",
    "Foshan",
    "Jinan",
    "Yantai",
    "Changzhou",
    "Nantong",
    "Hanoi",
    "Haiphong",
    "Dhaka",
    "Chittagong",
    "Karachi",
    "Lahore",
    "Penang",
    "Klang",
    "Bangkok",
    "Chennai",
    "Tiruppur",
    "Izmir",
    "Bursa",
    "Surabaya",
    "Bandung",
    "Phnom Penh",
]
SYLLABLES = [
    "hua",
    "xin",
    "tai",
    "da",
    "long",
    "feng",
    "sheng",
    "jin",
    "hong",
    "yuan",
    "mei",
    "kang",
    "li",
    "tian",
    "hai",
    "bao",
    "rui",
    "yu",
    "cheng",
    "xing",
    "an",
    "heng",
    "fu",
    "wei",
    "ming",
    "jia",
    "sun",
    "star",
    "asia",
    "global",
    "pacific",
    "golden",
    "east",
    "royal",
    "grand",
    "prime",
    "nova",
    "sino",
    "viet",
    "lanka",
    "indo",
    "ever",
    "best",
]
TRADES = [
    "Textile",
    "Garment",
    "Apparel",
    "Knitting",
    "Weaving",
    "Dyeing",
    "Electronics",
    "Solar Technology",
    "Plastic Products",
    "Hardware",
    "Furniture",
    "Footwear",
    "Toys",
    "Food",
    "Seafood",
    "Packaging",
    "Steel",
    "Aluminium",
    "Chemical",
    "Ceramics",
    "Glass",
    "Lighting",
    "Machinery",
    "Auto Parts",
    "Paper",
    "Rubber",
    "Leather",
    "Home Textile",
    "Trading",
    "Import and Export",
    "Industrial",
    "Sporting Goods",
    "Bags",
    "Jewellery",
]
FORMS = [
    "Co., Ltd.",
    "Co Ltd",
    "Company Limited",
    "Limited",
    "Ltd",
    "Corporation",
    "Inc",
    "JSC",
    "Sdn Bhd",
    "Pvt Ltd",
    "LLC",
    "Co.",
    "Industrial Co., Ltd.",
    "Group Co., Ltd.",
]
COUNTRIES = ["CN"] * 6 + ["VN", "VN", "BD", "IN", "MY", "TH", "ID", "TR", "PK", "KH", "LK", "MX"]
DESCRIPTIONS = [
    ("6109100010", "cotton t-shirts"),
    ("6204620010", "women's cotton trousers"),
    ("8541430010", "solar modules"),
    ("9503000073", "plastic toys"),
    ("6403990060", "leather footwear"),
    ("9403600080", "wooden furniture"),
    ("3926909985", "plastic articles"),
    ("7323930080", "stainless kitchenware"),
    ("0306170020", "frozen shrimp"),
    ("4015190510", "nitrile gloves"),
    ("5201001000", "raw cotton"),
    ("2804619000", "polysilicon"),
]


def _brand(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(2)).title()


def made_up_name(rng: random.Random) -> str:
    return f"{rng.choice(PLACES)} {_brand(rng)} {rng.choice(TRADES)} {rng.choice(FORMS)}"


def real_parties(rules: list[CommodityRule] | None = None) -> list[PartyEntry]:
    """The UFLPA Entity List's entries and the active orders of CBP's list naming companies; an
    order naming a region (CBP-0050, the XUAR) goes to ``rules`` as the app compiles it
    (``watchlist.published_region_rule``)."""
    parties = []
    with (DATA / "uflpa_entity_list_2026-07-09.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            aliases = [a.strip() for a in (row["also_known_as"] + ";" + row["formerly_known_as"])
                       .split(";") if a.strip()]  # fmt: skip
            parties.append(PartyEntry("list", f"uflpa #{row['row']}", row["entity_name"],
                                      (row["entity_name"], *aliases)))  # fmt: skip
    with (DATA / "cbp_wro_findings_2026-06-23.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["status"] not in ACTIVE or row["entity"].startswith("All "):
                continue
            entity = row["entity"].replace("Fishing Vessel: ", "")
            ref = f"CBP-{int(row['row']):04d}"
            rule = published_region_rule(
                ref, entity, row["country_code_iso2"], entity, row["merchandise"]
            )
            if rule:
                if rules is not None:
                    rules.append(rule)
                continue
            names = [*published_names(entity)]
            names += [a.strip() for a in row["entity_aliases"].split(";") if a.strip()]
            country = row["country_code_iso2"] if row["country_code_iso2"] != "FV" else ""
            parties.append(PartyEntry("order", ref, entity, tuple(names), country))
    return parties


def synthetic_parties(n: int, rng: random.Random) -> list[PartyEntry]:
    seen, parties = set(), []
    while len(parties) < n:
        name = made_up_name(rng)
        if name in seen:
            continue
        seen.add(name)
        parties.append(PartyEntry("list", f"SYNTHETIC #{len(parties) + 1}", name, (name,),
                                  rng.choice(COUNTRIES)))  # fmt: skip
    return parties


def labelled_rows() -> list[dict]:
    with LABELLED.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def is_entity_name_row(row: dict) -> bool:
    """A row of the entity-name subset: it names a maker and carries no commodity (the region +
    commodity rows test orders a name matcher does not have)."""
    return not (row["hts"] or row["description"])


def entity_keys(screener: Screener) -> dict[str, set[str]]:
    """Each hit reference's names, as token-sorted keys: a hit is on the expected entity when
    one of them is the expected name's."""
    keys: dict[str, set[str]] = {}
    for party in screener.watch_list.parties:
        keys.setdefault(party.ref, set()).update(normalise_name(n).sorted_key for n in party.names)
    for rule in screener.watch_list.commodity_rules:
        keys.setdefault(rule.ref, set()).add(normalise_name(rule.display).sorted_key)
    return keys


def score_outcomes(rows: list[dict], outcomes: list[set[str] | None]) -> dict:
    """Recall, precision and wrong-target count from each row's hit references' name keys
    (``None``: no hit). A wrong target is a line naming a listed entity whose hits are all on
    other entities."""
    tp = flagged = expected_n = wrong = 0
    misses, false_hits = [], []
    for row, hit_keys in zip(rows, outcomes, strict=True):
        want = normalise_name(row["expected"]).sorted_key if row["expected"] else None
        good = want is not None and hit_keys is not None and want in hit_keys
        if want:
            expected_n += 1
            if good:
                tp += 1
            else:
                misses.append(f"{row['name']} → {row['expected']} ({row['variant']})")
                wrong += hit_keys is not None
        if hit_keys is not None:
            flagged += 1
            if not good:
                false_hits.append(f"{row['name']} [{row['address']}] ({row['variant']})")
    return {
        "rows": len(rows), "positives": expected_n, "negatives": len(rows) - expected_n,
        "tp": tp, "flagged": flagged, "wrong_target": wrong,
        "precision": tp / flagged if flagged else 1.0,
        "recall": tp / expected_n if expected_n else 1.0,
        "misses": misses, "false_hits": false_hits,
    }  # fmt: skip


def screen_labelled(screener: Screener, rows: list[dict]) -> list[list]:
    """Every labelled row's hits, from the whole line (name, address, country, HTS,
    description)."""
    out = []
    for number, row in enumerate(rows, start=2):
        line = EntryLine(row=number, line_id=str(number), manufacturer_name=row["name"],
                         manufacturer_address=row["address"], country_of_origin=row["country"],
                         hts_code=row["hts"], description=row["description"])  # fmt: skip
        out.append(screener.screen_line(line))
    return out


def evaluate(screener: Screener, rows: list[dict] | None = None) -> dict:
    rows = labelled_rows() if rows is None else rows
    keys = entity_keys(screener)
    outcomes = []
    for hits in screen_labelled(screener, rows):
        found = set().union(*(keys.get(h.hit_ref, set()) for h in hits)) if hits else None
        outcomes.append(found)
    result = score_outcomes(rows, outcomes)
    for line_hits, row in zip(screen_labelled(screener, rows), rows, strict=True):
        if line_hits and not row["expected"]:
            result.setdefault("false_reasons", []).append(
                f"{row['name']} → {line_hits[0].hit_name} {line_hits[0].score}: "
                f"{line_hits[0].reasons}"
            )
    return result


REFERENCE_THRESHOLD = 0.70  # logic-v2's documented match threshold (yente's default cutoff)
REFERENCE_CANDIDATES = 20  # candidates per line scored by logic-v2, as a search index would return
REFERENCE_INSTALL = "pip install -e '.[bench]'   (or: .venv/bin/pip install nomenklatura==4.17.4)"


class Reference:
    """OpenSanctions' nomenklatura ``logic-v2`` matcher (the scorer behind the yente screening
    API) over the same watch list: every party a followthemoney ``Company`` with its names as
    ``name``/``alias``, its country and address; candidates per line are the watch-list
    entities sharing the most (IDF-weighted) index tokens with the line's entity, tokens made by
    nomenklatura's own blocker (``nomenklatura.blocker.tokenizer.tokenize_entity``), the best
    ``REFERENCE_CANDIDATES`` scored by ``LogicV2.compare``; a hit is a score of at least
    ``REFERENCE_THRESHOLD``."""

    def __init__(self, parties: list[PartyEntry]):
        import math

        from followthemoney import model
        from nomenklatura.blocker.tokenizer import tokenize_entity
        from nomenklatura.matching import LogicV2
        from nomenklatura.matching.types import ScoringConfig

        self.model, self.tokenize, self.matcher = model, tokenize_entity, LogicV2
        self.config = ScoringConfig.defaults()
        self.refs: list[str] = []
        self.entities = []
        postings: dict[str, list[int]] = {}
        for i, party in enumerate(parties):
            entity = self._entity(f"w{i}", party.names, party.country, party.address)
            self.entities.append(entity)
            self.refs.append(party.ref)
            for _field, token in set(tokenize_entity(entity)):
                postings.setdefault(token, []).append(i)
        n = len(parties)
        self.postings = {t: (ids, math.log(n / len(ids))) for t, ids in postings.items()}
        self.real = [i for i, p in enumerate(parties) if not p.ref.startswith("SYNTHETIC")]
        self._queries = 0

    def _entity(self, entity_id: str, names, country: str, address: str):
        entity = self.model.make_entity("Company")
        entity.id = entity_id
        entity.add("name", names[0])
        for alias in names[1:]:
            entity.add("alias", alias)
        if country:
            entity.add("country", country.lower())
        if address:
            entity.add("address", address)
        return entity

    def hit_refs(self, row: dict, *, every_real: bool = False) -> tuple[list[str], list[str]]:
        """The watch-list references logic-v2 scores at or above the threshold for a line, and
        the references of every candidate it scored. ``every_real``: every entry that is not
        synthetic is a candidate too (no loss to retrieval), beside the best synthetic ones."""
        self._queries += 1
        query = self._entity(f"q{self._queries}", [row["name"]], row["country"], row["address"])
        weights: dict[int, float] = {}
        for _field, token in set(self.tokenize(query)):
            found = self.postings.get(token)
            if found:
                ids, idf = found
                for i in ids:
                    weights[i] = weights.get(i, 0.0) + idf
        best = sorted(weights, key=lambda i: -weights[i])[:REFERENCE_CANDIDATES]
        if every_real:
            best = list(dict.fromkeys([*self.real, *best]))
        hits = [
            self.refs[i]
            for i in best
            if self.matcher.compare(query, self.entities[i], self.config).score
            >= REFERENCE_THRESHOLD
        ]
        return hits, [self.refs[i] for i in best]


def _hit_keys(keys: dict[str, set[str]], refs: list[str]) -> set[str] | None:
    return set().union(*(keys.get(r, set()) for r in refs)) if refs else None


def compare_with_reference(parties: list[PartyEntry], watch_list: WatchList) -> None:
    """Both systems on the entity-name subset of the labelled set, side by side."""
    rows = [r for r in labelled_rows() if is_entity_name_row(r)]
    print(f"\nBeside the reference, entity-name subset: {len(rows)} lines "
          f"({sum(bool(r['expected']) for r in rows)} naming a listed entity)")  # fmt: skip
    try:
        reference = Reference(parties)
    except ImportError:
        print("  Reference matcher (nomenklatura logic-v2) not installed: comparison skipped. "
              f"Install it with: {REFERENCE_INSTALL}")  # fmt: skip
        return
    reference.hit_refs({"name": "Warm Up Co", "country": "", "address": ""})  # loads its tables
    screener = Screener(watch_list, detain_at=DETAIN_AT, review_at=REVIEW_AT)  # cold caches
    keys = entity_keys(screener)
    c0 = time.process_time()
    ours_hits = screen_labelled(screener, rows)
    columns = [("Withhold", time.process_time() - c0,
                [_hit_keys(keys, [h.hit_ref for h in hits]) for hits in ours_hits], 0)]  # fmt: skip
    for label, every_real in (
        (f"logic-v2, {REFERENCE_CANDIDATES} cand.", False),
        ("logic-v2, all real", True),
    ):
        c0 = time.process_time()
        results = [reference.hit_refs(row, every_real=every_real) for row in rows]
        cpu = time.process_time() - c0
        not_retrieved = sum(
            1
            for row, (_hits, candidates) in zip(rows, results, strict=True)
            if row["expected"]
            and normalise_name(row["expected"]).sorted_key not in _hit_keys(keys, candidates)
        )
        columns.append((label, cpu, [_hit_keys(keys, hits) for hits, _c in results],
                        not_retrieved))  # fmt: skip
    scored = [(label, cpu, score_outcomes(rows, outcomes), lost)
              for label, cpu, outcomes, lost in columns]  # fmt: skip
    print(f"  {'':32}" + "".join(f"{label:>22}" for label, *_ in scored))
    table = (
        ("recall", lambda r, cpu, lost: f"{r['recall']:.3f}"),
        ("precision", lambda r, cpu, lost: f"{r['precision']:.3f}"),
        ("hits on the wrong entity", lambda r, cpu, lost: r["wrong_target"]),
        ("missed", lambda r, cpu, lost: len(r["misses"])),
        ("  of which never a candidate", lambda r, cpu, lost: lost),
        ("false hits (lines naming none)",
         lambda r, cpu, lost: r["flagged"] - r["tp"] - r["wrong_target"]),
        ("lines per CPU second", lambda r, cpu, lost: f"{len(rows) / cpu:,.1f}"),
    )  # fmt: skip
    for name, value in table:
        print(
            f"  {name:32}" + "".join(f"{value(r, cpu, lost)!s:>22}" for _l, cpu, r, lost in scored)
        )
    print(f"  (logic-v2 at its documented threshold {REFERENCE_THRESHOLD}; “{REFERENCE_CANDIDATES} "
          "cand.”: the best candidates by its own blocker's tokens, as a search index would "
          "return them; “all real”: every real listed entry scored as well, no retrieval loss)")  # fmt: skip
    ours, best_reference = scored[0][2], scored[2][2]
    for miss in best_reference["misses"]:
        print(f"  logic-v2 (all real) missed: {miss}")
    for false in best_reference["false_hits"]:
        print(f"  logic-v2 (all real) false hit: {false}")
    better = all(
        ours["recall"] >= r["recall"] and ours["precision"] >= r["precision"]
        for _l, _c, r, _x in scored[1:]
    )
    print(f"  Target: recall and precision ≥ the reference's: {'met' if better else 'NOT met'}")


def baseline_rate(path: Path, parties: list[PartyEntry], sample: int) -> tuple[float, float]:
    names = [n for p in parties for n in p.names]
    with path.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        lines = [next(reader)["manufacturer_name"] for _ in range(sample)]
    start, cpu = time.perf_counter(), time.process_time()
    for name in lines:
        process.extractOne(name, names, scorer=fuzz.WRatio, score_cutoff=REVIEW_AT)
    return sample / (time.perf_counter() - start), sample / (time.process_time() - cpu)


def run_screen(lines_path: Path, hits_path: Path, watch_list: WatchList, jobs: int):
    """``withhold screen`` on ``lines_path`` with a freshly compiled screener: (wall seconds, CPU
    seconds of this process and its worker processes, the lines the command printed)."""
    screener = Screener(watch_list, detain_at=DETAIN_AT, review_at=REVIEW_AT)
    command = ["screen", str(lines_path), "-o", str(hits_path), "--jobs", str(jobs),
               "--no-progress"]  # fmt: skip
    print(f"$ withhold {' '.join(command)}   (load average before: "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())})")  # fmt: skip
    out = io.StringIO()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0, c0 = time.perf_counter(), time.process_time()
    with mock.patch(
        "withhold.screening.management.commands.screen.screener_current", return_value=screener
    ):
        call_command(*command, stdout=out)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (
        (time.process_time() - c0)
        + (after.ru_utime - children.ru_utime)
        + (after.ru_stime - children.ru_stime)
    )
    said = out.getvalue().strip().splitlines()
    for line in said:
        print(f"  {line}")
    return wall, cpu, said


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--jobs", type=int, help="processes for withhold screen (default: CPUs)")
    parser.add_argument("--one-process-too", action="store_true",
                        help="also run withhold screen --jobs 1 on the same file, and compare")  # fmt: skip
    parser.add_argument("--synthetic", type=int, default=5000)
    parser.add_argument("--baseline-sample", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1307)
    parser.add_argument("--keep", help="keep the generated files in this folder")
    parser.add_argument(
        "--no-reference", action="store_true", help="skip the nomenklatura logic-v2 comparison"
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)

    rules: list[CommodityRule] = []
    parties = real_parties(rules)
    real = len(parties)
    parties += synthetic_parties(args.synthetic, rng)
    watch_list = WatchList(parties=parties, commodity_rules=rules)
    names = sum(len(p.names) for p in parties)
    print(f"Watch list: {len(parties):,} entries ({real} real, {args.synthetic:,} synthetic), "
          f"{names:,} names; {len(rules)} region + commodity rule(s)")  # fmt: skip

    t0 = time.perf_counter()
    screener = Screener(watch_list, detain_at=DETAIN_AT, review_at=REVIEW_AT)
    print(f"Compiled in {time.perf_counter() - t0:.2f} s")

    result = evaluate(screener)
    print(f"\nLabelled set: {result['rows']} lines ({result['positives']} naming a listed "
          f"entity, {result['negatives']} not)")  # fmt: skip
    met = (result["precision"] >= 0.99 and result["recall"] >= 0.99
           and result["wrong_target"] == 0)  # fmt: skip
    print(f"  precision {result['precision']:.3f}   recall {result['recall']:.3f}   "
          f"hits on the wrong entity {result['wrong_target']}   "
          f"(target ≥ 0.99, ≥ 0.99, 0: {'met' if met else 'NOT met'})")  # fmt: skip
    for miss in result["misses"]:
        print(f"  missed: {miss}")
    for false in result.get("false_reasons", []):
        print(f"  false hit: {false}")
    if not args.no_reference:
        compare_with_reference(parties, watch_list)

    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="withhold-screen-"))
    folder.mkdir(parents=True, exist_ok=True)
    lines_path, hits_path = folder / "lines.csv", folder / "hits.csv"
    t0 = time.perf_counter()
    listed = [p.names for p in parties if not p.ref.startswith("SYNTHETIC")]
    distinct = write_entry_file(lines_path, args.lines, rng, listed)
    print(f"\nGenerated {args.lines:,} lines naming {distinct:,} distinct manufacturers in "
          f"{time.perf_counter() - t0:.1f} s ({lines_path.stat().st_size / 1e6:.0f} MB)")  # fmt: skip

    jobs = args.jobs or len(os.sched_getaffinity(0))
    ours, ours_cpu, said = run_screen(lines_path, hits_path, watch_list, jobs)
    print(f"Ours (withhold screen, {jobs} processes): {ours:.1f} s wall, {ours_cpu:.1f} s CPU "
          f"(all processes) = {args.lines / ours:,.0f} lines/s wall")  # fmt: skip
    load = os.getloadavg()
    if args.one_process_too and jobs > 1:
        one_path = folder / "hits-one-process.csv"
        one, one_cpu, one_said = run_screen(lines_path, one_path, watch_list, 1)
        same = one_path.read_bytes() == hits_path.read_bytes()
        print(f"One process (withhold screen --jobs 1): {one:.1f} s wall, {one_cpu:.1f} s CPU; "
              f"the same hits file as with {jobs} processes: {'yes' if same else 'NO'}; "
              f"the same summary: {'yes' if one_said[0] == said[0] else 'NO'}")  # fmt: skip
        one_path.unlink(missing_ok=True)

    rate, rate_cpu = baseline_rate(lines_path, parties, args.baseline_sample)
    print(f"Baseline (naive extractOne(WRatio) of each line's manufacturer against all {names:,} "
          f"names), MEASURED ON {args.baseline_sample} LINES: {rate:,.1f} lines/s wall "
          f"({rate_cpu:,.1f} per CPU second); EXTRAPOLATED to {args.lines:,} lines: "
          f"{args.lines / rate:,.0f} s wall on one process, matching only "
          f"({(args.lines / ours) / rate:,.0f}× fewer lines/s than ours)")  # fmt: skip
    print(f"Target: {args.lines:,} lines in under 20 s wall: "
          f"{'met' if ours < 20 else 'NOT met'} ({ours:.1f} s) on {os.cpu_count()} CPUs; load "
          f"average after the screening on {jobs} processes "
          f"{' '.join(f'{x:.2f}' for x in load)} (1, 5, 15 min; above {os.cpu_count()}: other "
          "work shared the CPUs)")  # fmt: skip
    if not args.keep:
        for p in (lines_path, hits_path):
            p.unlink(missing_ok=True)
        folder.rmdir()


if __name__ == "__main__":
    main()
