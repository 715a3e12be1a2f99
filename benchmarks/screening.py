#!/usr/bin/env python
"""Screening benchmark: precision and recall on the labelled set, and the time ``withhold screen``
takes over 1,000,000 entry lines naming about 100,000 distinct manufacturers, beside the naive
baseline (rapidfuzz ``WRatio`` of every line against every watch-list name) timed on a sample in
the same run.

    .venv/bin/python benchmarks/screening.py [--lines 1000000] [--jobs N] [--synthetic 5000]
        [--baseline-sample 300] [--seed 1307] [--keep DIR]

No database: the watch list is compiled from the shipped reference files — the UFLPA Entity List
(``uflpa_entity_list_2026-07-09.csv``) and the active orders of CBP's list
(``cbp_wro_findings_2026-06-23.csv``), their text split into names as the app splits it
(``watchlist.published_names``) — plus ``--synthetic`` made-up entries whose references
start with ``SYNTHETIC``, so the list has at least 5,000 entries.

The labelled set is ``benchmarks/data/screening_labelled.csv`` (see ``benchmarks/data/README.md``).
A line is a true positive when one of its hits is the expected listed entity (any watch-list
party carrying that name); precision = true positives / lines with any hit; recall = true
positives / lines with an expected entity.

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

from withhold.screening.engine import PartyEntry, Screener, WatchList  # noqa: E402
from withhold.screening.entry_lines import EntryLine  # noqa: E402
from withhold.screening.normalise import normalise_name  # noqa: E402
from withhold.screening.watchlist import published_names  # noqa: E402

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


def real_parties() -> list[PartyEntry]:
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
            names = [*published_names(entity)]
            names += [a.strip() for a in row["entity_aliases"].split(";") if a.strip()]
            country = row["country_code_iso2"] if row["country_code_iso2"] != "FV" else ""
            parties.append(PartyEntry("order", f"CBP-{int(row['row']):04d}", entity,
                                      tuple(names), country))  # fmt: skip
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


def evaluate(screener: Screener) -> dict:
    with LABELLED.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    tp = flagged = expected_n = 0
    misses, false_hits = [], []
    for number, row in enumerate(rows, start=2):
        line = EntryLine(row=number, line_id=str(number), manufacturer_name=row["name"],
                         manufacturer_address=row["address"], country_of_origin=row["country"])  # fmt: skip
        hits = screener.screen_line(line)
        want = normalise_name(row["expected"]).sorted_key if row["expected"] else None
        parties = {p.ref: p for p in screener.watch_list.parties}
        good = want is not None and any(
            want in {normalise_name(n).sorted_key for n in parties[h.hit_ref].names}
            for h in hits if h.hit_ref in parties
        )  # fmt: skip
        if want:
            expected_n += 1
            if good:
                tp += 1
            else:
                misses.append(f"{row['name']} → {row['expected']} ({row['variant']})")
        if hits:
            flagged += 1
            if not good:
                false_hits.append(f"{row['name']} → {hits[0].hit_name} {hits[0].score} "
                                  f"({row['variant']})")  # fmt: skip
    return {
        "rows": len(rows), "positives": expected_n, "negatives": len(rows) - expected_n,
        "tp": tp, "flagged": flagged,
        "precision": tp / flagged if flagged else 1.0,
        "recall": tp / expected_n if expected_n else 1.0,
        "misses": misses, "false_hits": false_hits,
    }  # fmt: skip


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
    args = parser.parse_args()
    rng = random.Random(args.seed)

    parties = real_parties()
    real = len(parties)
    parties += synthetic_parties(args.synthetic, rng)
    watch_list = WatchList(parties=parties)
    names = sum(len(p.names) for p in parties)
    print(f"Watch list: {len(parties):,} entries ({real} real, {args.synthetic:,} synthetic), "
          f"{names:,} names")  # fmt: skip

    t0 = time.perf_counter()
    screener = Screener(watch_list, detain_at=DETAIN_AT, review_at=REVIEW_AT)
    print(f"Compiled in {time.perf_counter() - t0:.2f} s")

    result = evaluate(screener)
    print(f"\nLabelled set: {result['rows']} lines ({result['positives']} naming a listed "
          f"entity, {result['negatives']} not)")  # fmt: skip
    print(f"  precision {result['precision']:.3f} (target ≥ 0.95)   "
          f"recall {result['recall']:.3f} (target ≥ 0.98)")  # fmt: skip
    for miss in result["misses"]:
        print(f"  missed: {miss}")
    for false in result["false_hits"]:
        print(f"  false hit: {false}")

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
