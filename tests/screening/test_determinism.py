"""The matcher gives the same matches whatever Python's string hashing: two processes started
with different ``PYTHONHASHSEED`` values screen the same names against the same watch list and
print the same matches."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# A watch list where the query's every block is common and of one size (45 names share
# "pacific", 45 "ceramics"): the block that opens decides whether "Pacific Keramics", in the
# "pacific" block only, is found for "Pacific Ceramics".
SCRIPT = r"""
import json, sys
from withhold.screening.engine import PartyEntry, Screener, WatchList

syllables = ["bo", "da", "fu", "gu", "ho", "ji", "ku", "lo", "mu", "no", "ru", "su", "tu", "wo"]
fillers = [a + b + c for a in syllables[:5] for b in syllables[5:] for c in ("n", "x")][:89]
parties = [PartyEntry("list", "test #1", "Pacific Keramics", ("Pacific Keramics",))]
parties += [
    PartyEntry("list", f"test #{i + 2}", f"Pacific {w} Trading", (f"Pacific {w} Trading",))
    for i, w in enumerate(fillers[:44])
]
parties += [
    PartyEntry("list", f"test #{i + 46}", f"{w} Ceramics Trading", (f"{w} Ceramics Trading",))
    for i, w in enumerate(fillers[44:89])
]
screener = Screener(WatchList(parties=parties), detain_at=92, review_at=85)
queries = ["Pacific Ceramics", "Pacific Ceramics Co Ltd", "Ceramics Pacific Trading",
           "Pacific Keramic", "Pacifc Ceramics Trading"]
out = {q: [[m.party, m.score, m.phrase, m.lift] for m in screener.name_matches(q)]
       for q in queries}
json.dump(out, sys.stdout, sort_keys=True)
"""


def matches_with_hash_seed(seed: str) -> dict:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, cwd=ROOT, capture_output=True, text=True,
        check=True, timeout=120,
    )  # fmt: skip
    return json.loads(done.stdout)


def test_matches_do_not_depend_on_string_hashing():
    runs = [matches_with_hash_seed(seed) for seed in ("1", "2", "3", "4")]
    assert all(run == runs[0] for run in runs[1:])
    # the listed name one letter away is found, whichever block opened
    assert runs[0]["Pacific Ceramics"][0][0] == 0
    assert runs[0]["Pacific Ceramics"][0][1] >= 85
