"""The kept failing examples of the property tests (hypothesis), and the settings profiles.

Every property test first replays its explicit ``@example``s and every failing example ever kept
in ``tests/hypothesis-regressions/`` (committed with the code), then explores new inputs within
the profile's budget. A failing example found during a run is added to that directory at the end
of the run, and the failure says so: commit it, so that every later run — CI included — replays
it before exploring. Hypothesis itself forgets an example once it passes; this store never does,
so a fixed defect stays tested. ``docs/ARCHITECTURE.md`` (Tests) explains the workflow.

Profiles (``HYPOTHESIS_PROFILE`` picks one; otherwise ``ci`` when ``CI`` is set, else ``dev``):

- ``dev``: each test's own number of examples, a new random seed every run;
- ``ci``: the same, with ``CI_EXAMPLES`` examples for the file-parser properties (the
  ``PARSER_SETTINGS`` tests), a random seed printed with any failure;
- ``explore``: ``EXPLORE_EXAMPLES`` per property, for a long local hunt before a release or after
  changing a parser.
"""

from pathlib import Path

from hypothesis import HealthCheck, Phase, settings
from hypothesis.database import (
    DirectoryBasedExampleDatabase,
    ExampleDatabase,
    InMemoryExampleDatabase,
)

STORE = Path(__file__).resolve().parent / "hypothesis-regressions"
DEV_EXAMPLES = 40
CI_EXAMPLES = 60
EXPLORE_EXAMPLES = 1000
# Sub-keys hypothesis uses besides a test's own key (shrinking history, optimisation targets).
_SUB_KEYS = (b".secondary", b".pareto")


class KeptExamples(ExampleDatabase):
    """Hypothesis's example database, split in two: the committed directory, only read and added
    to, and this run's own writes, in memory.

    During a run hypothesis saves each failure it finds under the test's key, moves a failure
    its shrinker has bettered to a secondary key, and deletes a replayed example that no longer
    fails. Those writes go to memory; what is left under a test's own key at the end is the run's
    failing examples, each shrunk, and ``keep_failures`` adds them to the directory."""

    def __init__(self, path: Path):
        super().__init__()
        self.path = path
        self.store = DirectoryBasedExampleDatabase(path)
        self.run = InMemoryExampleDatabase()
        self.failed_keys: set[bytes] = set()

    def fetch(self, key: bytes):
        seen = set()
        for value in self.run.fetch(key):
            seen.add(value)
            yield value
        if not key.endswith(_SUB_KEYS):
            for value in self.store.fetch(key):
                if value not in seen:
                    yield value

    def save(self, key: bytes, value: bytes) -> None:
        self.run.save(key, value)
        if not key.endswith(_SUB_KEYS):
            self.failed_keys.add(key)

    def delete(self, key: bytes, value: bytes) -> None:
        self.run.delete(key, value)

    def move(self, src: bytes, dest: bytes, value: bytes) -> None:
        self.run.move(src, dest, value)

    def kept(self) -> list[Path]:
        """The example files in the directory (not hypothesis's index of the keys)."""
        index = DirectoryBasedExampleDatabase._metakeys_hash
        return sorted(p for p in self.path.glob("*/*") if p.parent.name != index)

    def keep_failures(self) -> list[Path]:
        """Add this run's failing examples to the directory; the files written (new ones only)."""
        before = set(self.kept())
        for key in sorted(self.failed_keys):
            for value in list(self.run.fetch(key)):
                self.store.save(key, value)
        return [p for p in self.kept() if p not in before]

    def __repr__(self) -> str:
        return f"KeptExamples({str(self.path)!r})"


DATABASE = KeptExamples(STORE)
PHASES = (Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink)

settings.register_profile("dev", database=DATABASE, phases=PHASES, deadline=None, print_blob=True)
settings.register_profile(
    "ci",
    parent=settings.get_profile("dev"),
    derandomize=False,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "explore", parent=settings.get_profile("dev"), max_examples=EXPLORE_EXAMPLES
)

PARSER_EXAMPLES = {"dev": DEV_EXAMPLES, "ci": CI_EXAMPLES, "explore": EXPLORE_EXAMPLES}


def profile_name(environ) -> str:
    return environ.get("HYPOTHESIS_PROFILE") or ("ci" if environ.get("CI") else "dev")


FAILURE_ADVICE = (
    "Hypothesis found a failing example. At the end of this run it is kept in "
    f"{STORE.relative_to(STORE.parents[1])}/ and replayed first by every later run: commit that "
    "directory with the fix, and add the failing input to the test as an explicit @example(...) "
    "so it stays tested even if the test is rewritten (the @reproduce_failure(...) line above "
    "replays it exactly while you look at it)."
)
