"""``withhold import-cases``: the report it prints, --dry-run, re-runs, bad mapping files and bad
spreadsheets, each refused with a message naming the key or the problem."""

import re

import pytest
from django.core.management import CommandError, call_command

from withhold.cases.models import Case
from withhold.quality.mapping import MappingError, parse_mapping
from withhold.quality.models import LegacyImportRun

from .conftest import MAPPING, csv_bytes, workbook_bytes

pytestmark = pytest.mark.django_db
A = "Workers report their identity documents are withheld by the employer."
ROWS = [
    ["L-1", "Shirts", A, "Cotton", "CN", "ngo", "2019-03-15", "2019-04-01", "Investigation (2)",
     "", "Mill", "NGO", "", ""],
    ["L-2", "Yarn", A, "Cotton", "CN", "ngo", "2019-03-15", "2019-04-01", "Exploration",
     "", "", "NGO", "", ""],
    ["L-3", "Gadgets", A, "Tin", "CN", "ngo", "2019-03-15", "2019-04-01", "1", "", "", "", "", ""],
]  # fmt: skip


@pytest.fixture
def files(tmp_path):
    sheet = tmp_path / "tracker.csv"
    sheet.write_bytes(csv_bytes(ROWS))
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(MAPPING)
    return sheet, mapping


def _run(capsys, *args):
    call_command("import_cases", *args)
    return capsys.readouterr().out


def test_command_imports_and_reports_every_row(files, supervisor, commodity, capsys):
    sheet, mapping = files
    out = _run(capsys, str(sheet), "--mapping", str(mapping), "--as", supervisor.username)
    assert re.search(r"row 2: imported as FL-2019-[0-9A-Z]{6}\n", out)
    assert "  normalised: stage: “Investigation (2)” → phase investigation" in out
    assert "row 4: rejected" in out
    assert "  rejected because: commodity “Tin” is not on the commodity list" in out
    assert "3 row(s): 2 imported, 0 imported, needs review, 1 rejected, 0 already imported" in out
    assert Case.objects.count() == 2
    out = _run(capsys, str(sheet), "--mapping", str(mapping), "--as", supervisor.username)
    assert "2 already imported (unchanged)" in out
    assert Case.objects.count() == 2


def test_command_dry_run_writes_nothing(files, commodity, capsys):
    sheet, mapping = files
    out = _run(capsys, str(sheet), "--mapping", str(mapping), "--dry-run")
    assert out.rstrip().endswith("dry run, nothing written.")
    assert "row 2: imported" in out
    assert Case.objects.count() == 0
    assert LegacyImportRun.objects.count() == 0


def test_command_needs_a_supervisor(files, case_analyst, commodity):
    sheet, mapping = files
    with pytest.raises(CommandError, match="--as USERNAME"):
        call_command("import_cases", str(sheet), "--mapping", str(mapping))
    with pytest.raises(CommandError, match="cannot import legacy cases"):
        call_command(
            "import_cases", str(sheet), "--mapping", str(mapping), "--as", case_analyst.username
        )
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[columns\n", "not valid TOML"),
        ('[colums]\n"A" = "title"', "Unknown section [colums]"),
        ('[columns]\n"A" = "titel"', "columns.“A”: “titel” is not a field"),
        ('[columns]\n"A" = "title"', "[columns] must map a column to commodity"),
        (
            '[columns]\n"A" = "title"\n"B" = "commodity"\n"C" = "opened_on"\n"D" = "title"',
            "line 5: columns.“D”: column “A” is already mapped to title",
        ),
        (
            MAPPING + '\n[values.referral_source]\n"Hotline" = "hotline"\n',
            "values.referral_source.“Hotline”: “hotline” is not in the referral_source vocabulary",
        ),
        (
            MAPPING.replace('reason = "lack_of_personnel"', 'reason = "bored"'),
            "values.stage.“On hold - staffing”.reason: “bored” is not a reason for status",
        ),
        (
            MAPPING.replace('date_formats = ["%m/%d/%Y"]', "date_formats = 5"),
            "options.date_formats: give a list of formats",
        ),
        (MAPPING + "\nspeed = 3\n", "options.speed: unknown option “speed”"),
    ],
    ids=[
        "toml",
        "section",
        "field",
        "required",
        "twice",
        "vocabulary",
        "reason",
        "option",
        "unknown",
    ],
)
def test_bad_mapping_names_the_key(files, supervisor, commodity, text, message):
    sheet, mapping = files
    mapping.write_text(text)
    with pytest.raises(CommandError, match="Mapping file") as caught:
        call_command("import_cases", str(sheet), "--mapping", str(mapping), "--dry-run")
    assert message in str(caught.value)


def test_mapping_parser_without_the_database():
    with pytest.raises(MappingError, match=r"options\.header_row"):
        parse_mapping(MAPPING.replace("[options]", "[options]\nheader_row = 0"))
    mapping = parse_mapping(MAPPING)
    assert mapping.fields_for("  case name ") == ["title"]
    assert mapping.stages["on hold - staffing"].reason == "lack_of_personnel"
    assert mapping.stages["investigation (2)"].phase == "investigation"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"PK\x03\x04broken", "tracker.xlsx", "could not be read as an Excel workbook"),
        (b"\x00\x01\x02", "tracker.csv", "neither a CSV file nor an Excel workbook"),
        (b"", "tracker.csv", "“tracker.csv” is empty"),
        (b"\n\n", "tracker.csv", "has no column “Case #”"),
        (b"Case Name,Commodity\nA,Cotton\n", "tracker.csv", "has no column “Case #”"),
    ],
    ids=["broken-xlsx", "binary", "empty", "blank-lines", "missing-column"],
)
def test_bad_spreadsheet_is_refused(tmp_path, files, commodity, content, name, message):
    _, mapping = files
    sheet = tmp_path / name
    sheet.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("import_cases", str(sheet), "--mapping", str(mapping), "--dry-run")
    assert Case.objects.count() == 0


def test_xlsx_sheet_option(tmp_path, files, supervisor, commodity, capsys):
    _, mapping = files
    sheet = tmp_path / "tracker.xlsx"
    sheet.write_bytes(workbook_bytes(ROWS))
    mapping.write_text(MAPPING.replace("[options]", '[options]\nsheet = "Cases"'))
    with pytest.raises(CommandError, match="no sheet “Cases”"):
        call_command("import_cases", str(sheet), "--mapping", str(mapping), "--dry-run")


def test_the_example_mapping_in_the_docs_is_valid(commodity):
    from pathlib import Path

    from withhold.quality.services import mapping_read

    text = (Path(__file__).parents[2] / "docs" / "examples" / "legacy-mapping.toml").read_text()
    mapping = mapping_read(text)
    assert mapping.fields_for("Case #") == ["legacy_number"]
    assert mapping.stages["phase 2 - on hold"].reason == "lack_of_personnel"
    assert mapping.values["commodity"]["cotton garments"] == "Cotton"


def test_report_says_which_map_changed_a_value(files, commodity, capsys):
    sheet, mapping = files
    sheet.write_bytes(
        csv_bytes(
            [
                [*ROWS[0][:8], "On hold - staffing", *ROWS[0][9:]],
            ]
        )
    )
    out = _run(capsys, str(sheet), "--mapping", str(mapping), "--dry-run")
    assert (
        "stage: “On hold - staffing” → phase investigation, status suspended, reason "
        "lack_of_personnel (value map)" in out
    )
    assert "evidence_sources: “NGO” → ngo_report (built-in map)" in out


def test_the_example_spreadsheet_with_the_example_mapping(commodity, capsys):
    from pathlib import Path

    from tests.factories import CommodityFactory

    for name in ("Rubber Gloves", "Tomatoes", "Seafood", "Polysilicon", "Gloves"):
        CommodityFactory(name=name, hs_code="")
    examples = Path(__file__).parents[2] / "docs" / "examples"
    out = _run(
        capsys,
        str(examples / "legacy-tracker.csv"),
        "--mapping",
        str(examples / "legacy-mapping.toml"),
        "--dry-run",
    )
    assert "7 row(s): 3 imported, 2 imported, needs review, 2 rejected" in out
    assert Case.objects.count() == 0


def test_a_manufacturer_with_another_legal_form_links_the_entity_on_file(
    tmp_path, supervisor, commodity, manufacturer, capsys
):
    from withhold.cases.models import CaseEntity
    from withhold.entities.models import Entity

    rows = [[*ROWS[0][:10], "HETIAN TAIDA APPAREL COMPANY LIMITED", *ROWS[0][11:]]]
    sheet = tmp_path / "tracker.csv"
    sheet.write_bytes(csv_bytes(rows))
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(MAPPING)
    out = _run(capsys, str(sheet), "--mapping", str(mapping), "--as", supervisor.username)
    assert "added as a new entity" not in out
    assert Entity.objects.count() == 1
    assert CaseEntity.objects.get().entity == manufacturer
