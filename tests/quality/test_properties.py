"""Property tests of the legacy parser: any bytes and any cell values give no crash, and a run
either imports every row it reports or writes nothing at all."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from withhold.cases.models import Case
from withhold.core.exceptions import ApplicationError
from withhold.quality import legacy
from withhold.quality.mapping import FIELDS, parse_mapping
from withhold.quality.models import LegacyImportRun, LegacyRecord
from withhold.quality.services import legacy_import

from .conftest import HEADINGS, MAPPING, csv_bytes

MAPPED = parse_mapping(MAPPING)
VOCAB = legacy.Vocabulary(
    commodities={"cotton": 1},
    users={"ana": 1},
    supervisors={1},
    analysts={1},
    entities={"hetian taida apparel co": 7},
    evidence_sources={"ngo_report": "ngo_report"},
    referral_sources={"ngo": "ngo"},
    country=lambda text: "CN" if text.strip().upper() in ("CN", "CHINA") else None,
    hs_problem=lambda code: None if code.startswith("52") else "unknown",
    hs_normalise=lambda code: "".join(c for c in code if c.isdigit()),
    region_ok=lambda region, country: region == "CN-XJ",
    today=date(2026, 1, 1),
)
FIELD_NAMES = [f for f in FIELDS if f != "ignore"]
cell = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "1", "2", "Exploration", "Investigation (2)", "03/15/2019", "2019-02-30",
                     "Cotton", "CN", "NGO; Media", "Sent to Chief Counsel", "Hetian Taida Apparel Co.",
                     "$1,000", "yes", "∞", "NaN", "-1", "9" * 30]),
)  # fmt: skip


@given(values=st.dictionaries(st.sampled_from(FIELD_NAMES), cell), number=st.integers(2, 10**6))
def test_any_cell_values_give_one_outcome(values, number):
    row = legacy.normalise_row(number, values, MAPPED, VOCAB)
    assert row.outcome in (legacy.IMPORTED, legacy.NEEDS_REVIEW, legacy.REJECTED)
    assert (row.outcome == legacy.REJECTED) == bool(row.rejections)
    assert (row.outcome == legacy.NEEDS_REVIEW) == (not row.rejections and bool(row.issues))
    if row.outcome != legacy.REJECTED:
        assert row.case_fields["commodity"] == 1
        assert row.case_fields["received_on"] <= row.case_fields["opened_on"] <= VOCAB.today
        assert row.stage.phase in ("initiation", "investigation", "legal_review", "implementation")
        assert (row.stage.status == "active") == (row.stage.reason == "")


@given(data=st.binary(max_size=400), name=st.sampled_from(["a.csv", "a.xlsx", "a"]))
def test_any_bytes_read_or_refused(data, name):
    try:
        table = legacy.read_table(data, name)
        legacy.rows_from_table(table, MAPPED)
    except legacy.FileUnreadable as exc:
        assert str(exc)


A = "Workers report their identity documents are withheld by the employer."
row_strategy = st.lists(
    st.one_of(
        st.just(["L-1", "Shirts", A, "Cotton", "CN", "ngo", "2019-03-15", "2019-04-01", "2", "",
                 "Mill", "NGO", "", ""]),
        st.lists(cell, min_size=len(HEADINGS), max_size=len(HEADINGS)),
    ),
    max_size=6,
)  # fmt: skip


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=row_strategy, raw=st.one_of(st.none(), st.binary(max_size=200)))
def test_a_run_imports_every_row_or_writes_nothing(supervisor, commodity, rows, raw):
    data = csv_bytes(rows) if raw is None else raw
    before = (Case.objects.count(), LegacyRecord.objects.count(), LegacyImportRun.objects.count())
    try:
        report = legacy_import(
            actor=supervisor, data=data, file_name="any.csv", mapping_text=MAPPING
        )
    except ApplicationError:
        after = (
            Case.objects.count(),
            LegacyRecord.objects.count(),
            LegacyImportRun.objects.count(),
        )
        assert after == before
        return
    counts = report.counts
    assert Case.objects.count() - before[0] == counts["imported"] + counts["needs_review"]
    written = len(report.rows) - counts["already_imported"]
    assert LegacyRecord.objects.count() - before[1] == written
    assert LegacyImportRun.objects.count() - before[2] == 1
