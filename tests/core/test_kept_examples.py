"""The store of failing examples (``tests/regressions.py``): a failure found once is written to
the directory, replayed first by every later run, and kept after it passes."""

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Found

from ..regressions import KeptExamples


def _property(database, seen, *, fixed: bool, phases=tuple(Phase)):
    @settings(database=database, max_examples=200, phases=phases, deadline=None, print_blob=False)
    @given(st.text(max_size=8))
    def check(text):
        seen.append(text)
        if not fixed and "²" in text:
            raise Found("a superscript")

    return check


def test_a_failure_is_kept_replayed_first_and_never_forgotten(tmp_path):
    first = KeptExamples(tmp_path)
    with pytest.raises(Found):
        _property(first, [], fixed=False)()
    written = first.keep_failures()
    assert len(written) == 1  # the shrunk example only, not every step of the shrinking
    assert written[0].read_bytes()  # hypothesis's own encoding of the example

    # A later run replays the kept example before generating anything, and still fails on it
    # with generation switched off.
    seen: list[str] = []
    with pytest.raises(Found):
        _property(KeptExamples(tmp_path), seen, fixed=False, phases=[Phase.reuse])()
    assert seen[0] == "²"

    # Once the code is fixed the example passes; it is still replayed, and still on disk.
    later = KeptExamples(tmp_path)
    seen = []
    _property(later, seen, fixed=True)()
    assert seen[0] == "²"
    assert later.keep_failures() == []
    assert later.kept() == written


def test_a_run_without_failures_writes_nothing(tmp_path):
    database = KeptExamples(tmp_path)
    _property(database, [], fixed=True)()
    assert database.keep_failures() == []
    assert list(tmp_path.iterdir()) == []
