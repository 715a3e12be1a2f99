"""Issue 8 acceptance: a spreadsheet with the defects GAO-21-106 lists is imported, every row is
accounted for, each defect is corrected by the mapping or reported, and the data-quality report
flags what remains."""

from withhold.cases.models import Case, CaseEntity
from withhold.quality import rules
from withhold.quality.models import LegacyRecord
from withhold.quality.selectors import (
    cases_missing_field,
    flagged_cases,
    quality_cases_for_user,
    quality_report,
)
from withhold.quality.services import legacy_import

from .conftest import MAPPING, workbook_bytes

A = "Workers report their identity documents are withheld by the employer."
ROWS = [
    # 2: clean, "Investigation (2)" spelling
    [
        "L-001",
        "Cotton shirts, Mill One",
        A,
        "Cotton",
        "China",
        "NGO",
        "03/15/2019",
        "04/01/2019",
        "Investigation (2)",
        "case_analyst",
        "Mill One Textiles",
        "NGO; Media",
        "Site visit arranged with the embassy staff.",
        "",
    ],
    # 3: missing evidence sources, in investigation ("2")
    [
        "L-002",
        "Cotton yarn, Mill Two",
        A,
        "Cotton",
        "CN",
        "media",
        "2019-05-01",
        "2019-05-02",
        "2",
        "case_analyst",
        "Mill Two Spinning",
        "",
        "",
        "",
    ],
    # 4: the manufacturer's name in the update column, "Exploration" status
    [
        "L-003",
        "Garments, Hetian",
        A,
        "Cotton garments",
        "CN",
        "ngo",
        "2019-06-01",
        "2019-06-03",
        "Exploration",
        "",
        "",
        "Media",
        "Hetian Taida Apparel Co.",
        "",
    ],
    # 5: narrative contradicting the phase
    [
        "L-004",
        "Gloves, Factory Four",
        A,
        "Cotton",
        "CN",
        "ngo",
        "2019-07-01",
        "2019-07-02",
        "Investigation (2)",
        "case_analyst",
        "Factory Four Gloves",
        "NGO",
        "Sent to Chief Counsel for a legal sufficiency review last week.",
        "",
    ],
    # 6: closed with a penalty, suspended for lack of staff
    [
        "L-005",
        "Towels, Mill Five",
        A,
        "Cotton",
        "CN",
        "ngo",
        "2018-01-01",
        "2018-01-05",
        "Investigation Complete (3) Civil Penalty",
        "",
        "Mill Five",
        "NGO",
        "",
        "",
    ],
    [
        "L-006",
        "Socks, Mill Six",
        A,
        "Cotton",
        "CN",
        "ngo",
        "2018-02-01",
        "2018-02-05",
        "On hold - staffing",
        "case_analyst",
        "Mill Six",
        "NGO",
        "",
        "",
    ],
    # 8: a status spelling nobody mapped
    [
        "L-007",
        "Sheets, Mill Seven",
        A,
        "Cotton",
        "CN",
        "ngo",
        "2018-03-01",
        "2018-03-05",
        "Pending??",
        "",
        "",
        "NGO",
        "",
        "",
    ],
    # 9: rejected: commodity not on the list
    [
        "L-008",
        "Gadgets",
        A,
        "Unobtainium",
        "CN",
        "ngo",
        "2018-03-01",
        "2018-03-05",
        "1",
        "",
        "",
        "",
        "",
        "",
    ],
    # 10: rejected: no title
    ["L-009", "", A, "Cotton", "CN", "ngo", "2018-03-01", "2018-03-05", "1", "", "", "", "", ""],
    # 11: rejected: the same legacy number twice
    [
        "L-001",
        "Cotton shirts again",
        A,
        "Cotton",
        "CN",
        "ngo",
        "2019-03-15",
        "2019-04-01",
        "2",
        "",
        "",
        "NGO",
        "",
        "",
    ],
]


def _import(supervisor, **kwargs):
    return legacy_import(
        actor=supervisor,
        data=workbook_bytes(ROWS),
        file_name="fld-tracker.xlsx",
        mapping_text=MAPPING,
        **kwargs,
    )


def test_gao_spreadsheet_every_row_accounted_for(supervisor, case_analyst, commodity, manufacturer):
    report = _import(supervisor)

    # Every data row is accounted for, each with one outcome.
    assert [r.row.number for r in report.rows] == list(range(2, 12))
    assert report.counts == {
        "imported": 4,
        "needs_review": 3,
        "rejected": 3,
        "already_imported": 0,
        "skipped": 0,
    }
    assert LegacyRecord.objects.count() == 10
    by_row = {r.row.number: r for r in report.rows}
    lines = "\n".join(report.lines())

    # Mixed status spellings corrected by the built-in and the file's value maps.
    first = Case.objects.get(number=by_row[2].case_number)
    assert (first.phase, first.status) == ("investigation", "active")
    assert "received_on: “03/15/2019” read as 2019-03-15" in lines
    assert "source_country: “China” → CN" in lines
    closed = Case.objects.get(number=by_row[6].case_number)
    assert (closed.phase, closed.status, closed.closing_outcome) == (
        "legal_review",
        "closed",
        "penalty",
    )
    held = Case.objects.get(number=by_row[7].case_number)
    assert (held.status, held.suspension_reason) == ("suspended", "lack_of_personnel")
    exploration = Case.objects.get(number=by_row[4].case_number)
    assert exploration.phase == "initiation"

    # The manufacturer's name in the update column becomes the manufacturer, not an update.
    assert by_row[4].outcome == "imported"
    assert exploration.updates.count() == 0
    link = CaseEntity.objects.get(case=exploration)
    assert (link.entity, link.role) == (manufacturer, "manufacturer")
    assert "is an entity's name, not an update; linked as the manufacturer" in lines

    # Defects the mapping cannot correct are reported, with the row still imported.
    assert by_row[3].outcome == "needs_review"
    assert "no evidence sources (required from Investigation)" in by_row[3].row.issues
    assert by_row[5].outcome == "needs_review"
    assert any("Chief Counsel" in i or "chief counsel" in i for i in by_row[5].row.issues)
    assert by_row[8].outcome == "needs_review"
    assert any("“Pending??” is not in the mapping" in i for i in by_row[8].row.issues)

    # Rejected rows say why.
    assert by_row[9].row.rejections == [
        "commodity “Unobtainium” is not on the commodity list (map it to one in "
        '[values.commodity], or add it: "Unobtainium" = { create = true, hs_code = "NNNN" })'
    ]
    assert by_row[10].row.rejections == ["no title"]
    assert by_row[11].row.rejections == ["same legacy number as row 2"]
    assert "10 row(s): 4 imported, 3 imported, needs review, 3 rejected" in lines

    # The data-quality report flags what remains.
    report = quality_report(cases=quality_cases_for_user(supervisor))
    fields = {f.spec.name: f for f in report.fields}
    assert fields["evidence_sources"].missing["active"] == 1
    rule_counts = {rule.code: n for rule, n in report.rule_counts}
    assert rule_counts[rules.LATER_PHASE.code] == 1
    contradicting = Case.objects.get(number=by_row[5].case_number)
    assert any(
        f.case_id == contradicting.pk and f.rule == rules.LATER_PHASE.code for f in report.findings
    )
    assert "fields have missing entries" in report.summary
    # ... down to the case and the analyst responsible for it.
    [flagged] = flagged_cases(cases=quality_cases_for_user(supervisor), rule=rules.LATER_PHASE.code)
    assert flagged.case == contradicting
    assert flagged.case.assigned_analyst == case_analyst
    missing = cases_missing_field(cases=Case.objects.all(), name="evidence_sources")
    assert list(missing) == [Case.objects.get(number=by_row[3].case_number)]
    # Every spelling GAO quotes was understood, even on a row rejected for another reason.
    assert "stage: “1” → phase initiation (built-in map)" in by_row[9].row.normalisations


def test_rerun_of_the_same_file_creates_no_duplicates(supervisor, case_analyst, commodity):
    _import(supervisor)
    cases = Case.objects.count()
    again = _import(supervisor)
    assert Case.objects.count() == cases
    assert again.counts["already_imported"] == 7
    assert again.counts["rejected"] == 3


def test_dry_run_writes_nothing(supervisor, case_analyst, commodity):
    from withhold.audit.models import AuditEntry
    from withhold.entities.models import Entity
    from withhold.quality.models import LegacyImportRun

    before = (Case.objects.count(), AuditEntry.objects.count(), Entity.objects.count())
    report = _import(supervisor, dry_run=True)
    assert report.counts["imported"] + report.counts["needs_review"] == 7
    assert report.lines()[-1].endswith("dry run, nothing written.")
    after = (Case.objects.count(), AuditEntry.objects.count(), Entity.objects.count())
    assert after == before
    assert LegacyImportRun.objects.count() == 0
    assert LegacyRecord.objects.count() == 0
