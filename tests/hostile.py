"""Shared pieces of the property tests (hypothesis) for file parsers: bounded example counts so
the suite stays quick, and cell values that a hostile or careless file contains."""

import csv
import io

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from .regressions import DEV_EXAMPLES, PARSER_EXAMPLES

# The profile's number of examples per property (``tests/regressions.py``: 40 on a developer's
# machine, 60 in CI); no per-example deadline (the machine is shared). Function-scoped fixtures
# (the database, users) are set up once per test, which is what we want here: the properties count
# rows before and after each example.
PARSER_SETTINGS = settings(
    max_examples=PARSER_EXAMPLES.get(settings.get_current_profile_name(), DEV_EXAMPLES),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

TRICKY = [
    "",
    " ",
    "0",
    "-1",
    "1e30",
    "1E+400",
    "-1e-400",
    "NaN",
    "Infinity",
    "-inf",
    "99999999999999999999999",
    "0.000000001",
    "1,000.50",
    "$12",
    "2026-02-30",
    "2026-01-31",
    "9999-12-31",
    "0001-01-01",
    "31/01/2026",
    '=HYPERLINK("http://x")',
    "+1",
    "@SUM(A1)",
    "\x00",
    "ｆｕｌｌ",
    "é" * 300,
    "WRO-2026-0001",
    "6205.20",
    "6109100012",
    "ABC-1234567-8",
    "CN",
    "Acme Imports LLC",
    "port_officer",
]

cells = st.one_of(st.sampled_from(TRICKY), st.text(max_size=40))


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8", errors="surrogatepass")


def table(columns: list[str], *, max_rows: int = 6):
    """A header drawn from ``columns`` (some may be missing, in any order), then rows of cells."""
    return st.tuples(
        st.lists(st.sampled_from(columns), unique=True, min_size=0, max_size=len(columns)).map(
            lambda chosen: chosen if len(chosen) > len(columns) // 2 else columns
        ),
        st.integers(min_value=0, max_value=max_rows),
    ).flatmap(
        lambda hr: st.tuples(
            st.just(hr[0]),
            st.lists(
                st.lists(cells, min_size=len(hr[0]), max_size=len(hr[0])),
                min_size=hr[1],
                max_size=hr[1],
            ),
        )
    )
