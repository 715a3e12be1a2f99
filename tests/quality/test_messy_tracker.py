"""A tracker as a division really kept it, written without the system in mind: no title column,
its own spellings of countries, commodities and analysts, suspension reasons in words, the date
each case entered its phase, importers, a Y/N "HSI notified" column, a compound phase that
contradicts the status column, an empty row, a note between cases, the heading row repeated, and
a sensitivity cell reading "maybe". The mapping assistant proposes the mapping; the import then
accounts for every row and stores every fact in its field, guessing nothing."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from withhold.accounts.roles import Role
from withhold.audit.models import AuditAction, AuditEntry
from withhold.cases.models import Case, CaseEntity, CaseTransition, SuspensionReason
from withhold.quality import selectors, services
from withhold.quality.mapping import MappingError, parse_mapping
from withhold.quality.models import LegacyRecord
from withhold.reference.models import Commodity

from .conftest import workbook_bytes

pytestmark = pytest.mark.django_db

HEADINGS = [
    "Case #",
    "Manufacturer",
    "Commodity",
    "Country",
    "Date Received",
    "Date Opened",
    "Phase",
    "Status",
    "Date entered phase",
    "Analyst",
    "Suspension reason",
    "Importers",
    "HSI Notified (Y/N)",
    "LES",
    "Current Update",
    "Allegation",
    "Source",
    "Evidence",
]
EXTRA = ["Workers report wages withheld for months and passports kept.", "NGO", "NGO report; media"]
ROWS = [
    # 2: investigation, entered on a known date; two importers; HSI told (no date).
    [
        "L-101",
        "Kivu Pharma Ltd",
        "Pharmaceuticals",
        "PRC",
        "2019-01-10",
        "2019-01-15",
        "Investigation",
        "Active",
        "2019-04-02",
        "JS",
        "",
        "Acme Imports Inc.; Beta Trading, LLC",
        "Y",
        "No",
        "Requested shipment records from two importers of the tablets.",
    ],
    # 3: suspended with a reason in words.
    [
        "L-102",
        "Lubumbashi Chemical Co.",
        "Chemicals",
        "DRC",
        "2019-02-01",
        "2019-02-03",
        "Exploration",
        "Suspended",
        "",
        "JS",
        "Awaiting translation of the inspection reports",
        "",
        "N",
        "No",
        "Waiting for the labor inspection reports to be translated.",
    ],
    # 4: a compound value in the Phase column that contradicts the Status column.
    [
        "L-103",
        "Taipei Consumer Works",
        "Consumer goods",
        "Taiwan",
        "2018-05-01",
        "2018-05-02",
        "Investigation Complete (3) Civil Penalty",
        "Suspended",
        "2019-09-09",
        "JS",
        "",
        "",
        "N",
        "No",
        "Penalty case paperwork with counsel for the final review.",
    ],
    # 5: empty
    [None] * len(HEADINGS),
    # 6: suspended, no reason at all; sensitivity "maybe".
    [
        "L-104",
        "Abidjan Cocoa Cooperative",
        "Agriculture",
        "Ivory Coast",
        "2019-03-01",
        "2019-03-04",
        "Exploration",
        "Suspended",
        "",
        "JS",
        "",
        "",
        "Y",
        "maybe",
        "Cooperative members report debt bondage through input loans.",
    ],
    # 7: a note between cases
    [
        "Cases below were moved from the 2018 tracker",
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
    ],
    # 8: legal review with its entry date.
    [
        "L-105",
        "San Pedro Cocoa SA",
        "Agriculture",
        "Cote d'Ivoire",
        "2018-06-01",
        "2018-06-05",
        "Legal review (3)",
        "Active",
        "2019-11-20",
        "JS",
        "",
        "Gamma Foods Corp.",
        "Y",
        "No",
        "Package with chief counsel for the legal sufficiency opinion.",
    ],
    # 9: the heading row again
    HEADINGS,
    # 10: another country spelling.
    [
        "L-106",
        "Kinshasa Cobalt SARL",
        "Chemicals",
        "Congo, The Democratic Republic of the",
        "2019-05-01",
        "2019-05-02",
        "Exploration",
        "Active",
        "",
        "JS",
        "",
        "",
        "N",
        "No",
        "Artisanal cobalt miners said to include children under fifteen.",
    ],
]
# Every case row also has an allegation, a referral source and evidence sources, so that the
# only reasons for review are the ones each row was written to show.
ROWS = [r + EXTRA if r[0] and str(r[0]).startswith("L-") else r for r in ROWS]


@pytest.fixture
def tracker(make_user, commodity):
    analyst = make_user(
        Role.CASE_ANALYST, username="jsmith", first_name="Jordan", last_name="Smith"
    )
    make_user(Role.CASE_ANALYST, username="mlopez", first_name="Maria", last_name="Lopez")
    return workbook_bytes(ROWS, headings=HEADINGS), analyst


@pytest.fixture
def boss(make_user):
    """A supervisor whose initials are not the analyst's (a random name could be)."""
    return make_user(Role.SUPERVISOR, username="pquinn", first_name="Pat", last_name="Quinn")


def _suggest(data):
    return services.legacy_mapping_suggest(data=data, file_name="tracker.xlsx")


def test_suggest_mapping_names_a_field_for_every_heading_that_names_one(tracker):
    data, _ = tracker
    proposal, text = _suggest(data)
    fields = {c.heading: c.fields for c in proposal.columns}
    assert fields == {
        "Case #": ["legacy_number"],
        "Manufacturer": ["manufacturer"],
        "Commodity": ["commodity"],
        "Country": ["source_country"],
        "Date Received": ["received_on"],
        "Date Opened": ["opened_on"],
        "Phase": ["phase"],
        "Status": ["status"],
        "Date entered phase": ["phase_entered_on"],
        "Analyst": ["assigned_analyst"],
        "Suspension reason": ["suspension_reason"],
        "Importers": ["importers"],
        "HSI Notified (Y/N)": ["hsi_notified"],
        "LES": ["law_enforcement_sensitive"],
        "Current Update": ["current_update"],
        "Allegation": ["allegation_summary"],
        "Source": ["referral_source"],
        "Evidence": ["evidence_sources"],
    }
    # No title column: the title is composed from the manufacturer, commodity and country.
    assert proposal.title_template == "{manufacturer} – {commodity} – {source_country}"
    # A value map for every coded column whose spellings the import would not read as they are.
    assert proposal.values["source_country"] == {
        "PRC": '"CN"',
        "DRC": '"CD"',
        "Taiwan": '"TW"',
        "Ivory Coast": '"CI"',
        "Cote d'Ivoire": '"CI"',
        "Congo, The Democratic Republic of the": '"CD"',
    }
    assert proposal.values["assigned_analyst"] == {"JS": '"jsmith"'}
    assert proposal.values["commodity"]["Pharmaceuticals"] == '{ create = true, hs_code = "30" }'
    # A commodity is proposed for creation only with a chapter its words name; the others are
    # left for the user to map or add.
    assert set(proposal.values["commodity"]) == {"Pharmaceuticals"}
    assert set(proposal.unmatched["commodity"]) == {"Chemicals", "Consumer goods", "Agriculture"}
    assert "Investigation Complete (3) Civil Penalty" not in proposal.unmatched.get("phase", [])
    assert proposal.unmatched["law_enforcement_sensitive"] == ["maybe"]
    assert proposal.unmatched["suspension_reason"]  # free text: kept as the detail
    # The proposal is a mapping the import accepts as it is.
    assert parse_mapping(text).title_template


def test_suggest_mapping_command_writes_the_toml(tracker, tmp_path, capsys):
    data, _ = tracker
    sheet = tmp_path / "tracker.xlsx"
    sheet.write_bytes(data)
    call_command("import_cases", str(sheet), "--suggest-mapping")
    out, err = capsys.readouterr()
    assert '"Case #" = "legacy_number"' in out
    assert '"PRC" = "CN"' in out
    assert "column 4 “Country” → source_country" in err
    assert "1 × Ivory Coast" in err


# What the user writes into the proposal for the commodities it could not place.
EDITS = {"Chemicals": "38", "Consumer goods": "96", "Agriculture": "18"}


def _import(data, actor, *, dry_run=False):
    _, text = _suggest(data)
    for name, chapter in EDITS.items():
        proposed = next(line for line in text.splitlines() if line.startswith(f'# "{name}" = {{'))
        text = text.replace(proposed, f'"{name}" = {{ create = true, hs_code = "{chapter}" }}')
    return services.legacy_import(
        actor=actor, data=data, file_name="tracker.xlsx", mapping_text=text, dry_run=dry_run
    )


def test_messy_tracker_imports_every_row_and_every_fact(tracker, boss):
    data, analyst = tracker
    report = _import(data, boss)
    outcome = {item.row.number: item.outcome for item in report.rows}
    assert outcome == {
        2: "imported",
        3: "imported",  # a suspension reason in words: "other", the words kept as the detail
        4: "needs_review",  # phase and status disagree
        5: "skipped",
        6: "needs_review",  # "maybe" sensitivity
        7: "skipped",
        8: "imported",
        9: "skipped",
        10: "imported",
    }
    skipped = {
        item.row.number: item.row.skip_reason for item in report.rows if item.row.skip_reason
    }
    assert skipped == {
        5: "an empty row",
        7: "a note, not a case: “Cases below were moved from the 2018 tracker”",
        9: "the heading row again",
    }
    assert LegacyRecord.objects.count() == 9
    cases = {r.legacy_number: r.case for r in LegacyRecord.objects.exclude(case=None)}
    assert len(cases) == 6

    # Commodities the list lacked were added by the mapping, audited.
    added = set(
        Commodity.objects.filter(source__startswith="Added by the legacy import").values_list(
            "name", "hs_code"
        )
    )
    assert ("Pharmaceuticals", "30") in added and len(added) == 4
    assert AuditEntry.objects.filter(action=AuditAction.COMMODITY_CREATED).count() == 4

    # Every spelling of a country reached its code; initials reached the analyst.
    assert {n: c.source_country for n, c in cases.items()} == {
        "L-101": "CN",
        "L-102": "CD",
        "L-103": "TW",
        "L-104": "CI",
        "L-105": "CI",
        "L-106": "CD",
    }
    assert {c.assigned_analyst_id for c in cases.values()} == {analyst.pk}
    # No title column: composed.
    assert cases["L-101"].title == "Kivu Pharma Ltd – Pharmaceuticals – PRC"

    # Suspension reasons: words kept beside "other"; a blank one recorded as not recorded.
    assert cases["L-102"].status == "suspended"
    assert cases["L-102"].suspension_reason == "other"
    assert cases["L-102"].suspension_detail == "Awaiting translation of the inspection reports"
    assert cases["L-104"].suspension_reason == SuspensionReason.NOT_RECORDED

    # The date each case entered its phase is its phase history.
    entered = CaseTransition.objects.get(case=cases["L-101"], kind="phase")
    assert timezone.localdate(entered.at) == dt.date(2019, 4, 2)
    entered = CaseTransition.objects.get(case=cases["L-105"], kind="phase")
    assert (entered.to_phase, timezone.localdate(entered.at)) == (
        "legal_review",
        dt.date(2019, 11, 20),
    )

    # Importers are linked entities; commas inside a company's name are kept.
    importers = set(
        CaseEntity.objects.filter(case=cases["L-101"], role="importer").values_list(
            "entity__name", flat=True
        )
    )
    assert importers == {"Acme Imports Inc.", "Beta Trading, LLC"}

    # HSI notified Y with no date: the flag, and no invented date.
    assert (cases["L-101"].hsi_notified, cases["L-101"].hsi_notified_on) == (True, None)
    assert cases["L-102"].hsi_notified is False

    # Conflict: neither column's status stored; both raw values in the review queue.
    conflicted = cases["L-103"]
    assert (conflicted.phase, conflicted.status) == ("legal_review", "active")
    record = LegacyRecord.objects.get(legacy_number="L-103")
    issue = next(i for i in record.issues if i.startswith("conflict on the status"))
    assert "“Investigation Complete (3) Civil Penalty” says closed" in issue
    assert "“Suspended” says suspended" in issue
    queue = list(selectors.legacy_review_queue(user=boss))
    assert record in queue

    # "maybe" is sensitive until reviewed.
    assert cases["L-104"].law_enforcement_sensitive is True
    assert any(
        "recorded as sensitive until reviewed" in i
        for i in LegacyRecord.objects.get(legacy_number="L-104").issues
    )

    # The data-quality report counts the blanks the sheet really had.
    imported = Case.objects.filter(pk__in=[c.pk for c in cases.values()])
    missing_reason = selectors.cases_missing_field(cases=imported, name="suspension_reason")
    assert list(missing_reason) == [cases["L-104"]]
    missing_hsi_date = selectors.cases_missing_field(cases=imported, name="hsi_notified_on")
    assert set(missing_hsi_date) >= {cases["L-101"], cases["L-104"]}


def test_dry_run_counts_cells_per_field(tracker, boss):
    data, _ = tracker
    report = _import(data, boss, dry_run=True)
    counts = report.field_counts()
    assert counts["source_country"] == {"mapped": 6, "empty": 0, "rejected": 0}
    assert counts["suspension_reason"]["empty"] == 5
    assert counts["law_enforcement_sensitive"]["rejected"] == 1
    assert "cells per field (mapped / empty / not usable):" in report.lines()
    assert Case.objects.count() == 0 and Commodity.objects.filter(name="Chemicals").count() == 0


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        (
            '[columns]\n"A" = "title"\n"a" = "commodity"\n"C" = "opened_on"\n',
            "line 3: columns.“a”: the same heading as “A”",
        ),
        (
            '[columns]\n"A" = "title"\n"B" = "comodity"\n"C" = "opened_on"\n',
            "line 3: columns.“B”: “comodity” is not a field",
        ),
        (
            '[columns]\n"A" = ["legacy_number", "title"]\n"B" = "commodity"\n'
            '"C" = "opened_on"\n\n[values.commodity]\n"X" = { create = true }\n',
            "line 7: values.commodity.“X”.hs_code: give the HS chapter",
        ),
        (
            '[columns]\n"A" = ["legacy_number", "titel"]\n"B" = "commodity"\n"C" = "opened_on"\n',
            "line 2: columns.“A”: “titel” is not a field",
        ),
        (
            '[columns]\n"A" = "legacy_number"\n"B" = "commodity"\n"C" = "opened_on"\n',
            "must map a column to title, or [title] compose it",
        ),
        (
            '[columns]\n"A" = "legacy_number"\n"B" = "commodity"\n"C" = "opened_on"\n'
            '[title]\ncompose = "{manufacturer}"\n',
            "line 6: title.compose: {manufacturer} is not a field mapped",
        ),
    ],
)
def test_mapping_errors_name_their_line(mapping, message):
    with pytest.raises(MappingError) as caught:
        parse_mapping(mapping)
    assert message in str(caught.value)


def test_one_column_feeds_the_legacy_number_and_the_title(commodity, supervisor):
    data = workbook_bytes(
        [["FL-OLD-7", commodity.name, "2019-01-02"]], headings=["Case #", "Commodity", "Opened"]
    )
    text = (
        '[columns]\n"Case #" = ["legacy_number", "title"]\n"Commodity" = "commodity"\n'
        '"Opened" = "opened_on"\n'
    )
    report = services.legacy_import(
        actor=supervisor, data=data, file_name="t.xlsx", mapping_text=text
    )
    record = LegacyRecord.objects.get()
    assert report.rows[0].outcome == "needs_review"
    assert (record.legacy_number, record.case.title) == ("FL-OLD-7", "FL-OLD-7")


def test_a_sheet_with_the_same_heading_twice_is_refused(commodity, supervisor):
    data = workbook_bytes(
        [["x", commodity.name, "2019-01-02", "y"]],
        headings=["Title", "Commodity", "Opened", "title"],
    )
    text = '[columns]\n"Title" = "title"\n"Commodity" = "commodity"\n"Opened" = "opened_on"\n'
    with pytest.raises(Exception, match="two columns named"):
        services.legacy_import(actor=supervisor, data=data, file_name="t.xlsx", mapping_text=text)


def test_nobody_may_choose_not_recorded_as_a_suspension_reason():
    from withhold.cases import phases
    from withhold.cases.forms import StatusTransitionForm

    form = StatusTransitionForm(to_status="suspended")
    assert "not_recorded" not in dict(form.fields["reason_code"].choices)
    assert "not_recorded" in phases.NOT_CHOOSABLE_REASONS


def test_mapping_assistant_page_shows_columns_and_offers_the_file(tracker, boss, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data, _ = tracker
    client.force_login(boss)
    upload = SimpleUploadedFile("tracker.xlsx", data)
    page = client.post("/data-quality/legacy/suggest/", {"file": upload}, HTTP_HOST="127.0.0.1")
    html = page.content.decode()
    assert page.status_code == 200
    assert "source_country" in html and "Ivory Coast (1)" in html
    download = client.get("/data-quality/legacy/suggest/mapping.toml", HTTP_HOST="127.0.0.1")
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="tracker-mapping.toml"'
    assert parse_mapping(download.content.decode()).values["source_country"]["prc"] == "CN"


@pytest.mark.parametrize("role", [Role.CASE_ANALYST, Role.INTAKE_ANALYST, Role.IMPORTER])
def test_mapping_assistant_is_a_supervisors_page(role, make_user, client):
    client.force_login(make_user(role))
    for url in ("/data-quality/legacy/suggest/", "/data-quality/legacy/suggest/mapping.toml"):
        assert client.get(url, HTTP_HOST="127.0.0.1").status_code == 403


def test_the_assistant_knows_headings_for_every_field_of_the_mapping():
    from withhold.quality.mapping import FIELDS
    from withhold.quality.suggest import HEADINGS

    assert set(HEADINGS) == set(FIELDS) - {"ignore"}
