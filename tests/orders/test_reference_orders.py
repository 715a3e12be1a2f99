"""The public lists of orders, loaded by ``withhold load-reference``: GAO-21-106 table 2 and CBP's
list recognised as one set of orders, with provenance, and the register reproducing GAO's table."""

import csv
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from withhold.orders.models import Order, OrderSource, ScopeRule
from withhold.orders.reference_steps import CBP_FILE, GAO_FILE, GAO_STATUS
from withhold.orders.selectors import PUBLIC_STATUS_LABELS
from withhold.reference.services import DATA_DIR


def read_rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load() -> str:
    out = StringIO()
    call_command("load_reference", stdout=out)
    return out.getvalue()


@pytest.fixture
def loaded(db):
    return load()


def test_load_reference_reports_the_orders(loaded):
    assert "orders_gao_21_106.csv: orders (with cbp_wro_findings_2026-06-23.csv):" in loaded
    gao, cbp = read_rows(GAO_FILE), read_rows(CBP_FILE)
    matched = OrderSource.objects.filter(source_file=CBP_FILE, order__number__startswith="GAO")
    assert Order.objects.count() == len(gao) + len(cbp) - matched.count()
    assert f"{Order.objects.count()} created" in loaded


def test_gao_table_2_is_reproduced_on_the_register(loaded, client):
    """GAO-21-106 table 2: 13 WROs 2016–2019, by year 4, 0, 2, 7, six concerning China, with
    GAO's statuses — counted from the register's own JSON download."""
    response = client.get("/register/", {"year_from": 2016, "year_to": 2019, "format": "json"})
    assert response.status_code == 200
    orders = response.json()["orders"]
    assert len(orders) == 13
    by_year = Counter(o["year"] for o in orders)
    assert [by_year.get(year, 0) for year in (2016, 2017, 2018, 2019)] == [4, 0, 2, 7]
    assert sum(o["country"] == "CN" for o in orders) == 6
    assert {o["kind"] for o in orders} == {"wro"}
    gao_status = {
        r["ref"]: PUBLIC_STATUS_LABELS[GAO_STATUS[r["status"]]]
        for r in read_rows(GAO_FILE)
        if r["ref"].startswith("GAO-T2-")
    }
    assert {o["number"]: o["status_label"] for o in orders} == gao_status
    assert sorted(gao_status.values()) == sorted(
        ["Active"] * 7 + ["Partially revoked"] * 3 + ["Revoked"] * 3
    )


def test_loading_twice_changes_nothing(loaded):
    before = list(Order.objects.order_by("pk").values())
    rules = list(ScopeRule.objects.order_by("pk").values())
    again = load()
    assert f"0 created, 0 updated, {len(before)} unchanged" in again
    assert list(Order.objects.order_by("pk").values()) == before
    assert list(ScopeRule.objects.order_by("pk").values()) == rules


def test_reference_orders_are_real_and_never_demo(loaded):
    assert not Order.objects.filter(is_demo=True).exists()
    assert Order.objects.filter(is_reference=True).count() == Order.objects.count()


def test_cbp_rows_of_2016_to_2019_are_recognised_as_gao_orders(loaded):
    """Every CBP order dated 2016–2019 is one of GAO's table 2 (CBP drops revoked ones)."""
    cbp_2016_2019 = [r for r in read_rows(CBP_FILE) if "2016" <= r["effective_date"][:4] <= "2019"]
    assert len(cbp_2016_2019) == 9
    for row in cbp_2016_2019:
        source = OrderSource.objects.get(source_file=CBP_FILE, row_key=row["row"])
        assert source.order.number.startswith("GAO-T2-"), row
    sanyou = Order.objects.get(number="GAO-T2-01")
    assert sanyou.issued_on.isoformat() == "2016-03-29"  # CBP's exact day
    assert [s.source_file for s in sanyou.sources.all()] == [CBP_FILE, GAO_FILE]


def test_gao_scope_columns_become_scope_rules(loaded):
    malawi = Order.objects.get(number="GAO-T2-13")
    rules = {(r.kind, r.describe()) for r in malawi.scope_rules.select_related("entity")}
    assert ("excluded_importer", "Alliance One International") in rules
    covered = malawi.scope_rules.get(kind="country_commodity")
    assert (covered.country, covered.commodity.name) == ("MW", "Tobacco")
    marange = Order.objects.get(number="GAO-T2-12").scope_rules.get()
    assert (marange.region_name, marange.commodity.name) == ("Marange Diamond Fields", "Diamonds")
    tunago = Order.objects.get(number="GAO-T2-07").scope_rules.get()
    assert (tunago.kind, tunago.vessel_name) == ("vessel", "Tunago No. 61")
    bonechar = Order.objects.get(number="GAO-T2-08").scope_rules.get().entity
    assert bonechar.aliases == ["Bonechar Carvao Ativado Do Brasil Ltda"]
    sanyou = Order.objects.get(number="GAO-T2-01").scope_rules
    assert sanyou.filter(kind="excluded_merchandise", merchandise="viscose fiber").exists()
    assert Order.objects.get(number="CBP-0041").scope_rules.get().vessel_name == "Da Wang"


def test_finding_citations_are_read_from_cbp_remarks(loaded):
    finding = Order.objects.get(number="CBP-0047")
    assert finding.kind == "finding"
    assert finding.federal_register_citation == "85 FR 66574"
    assert finding.customs_bulletin_citation.startswith("Vol. 54, November 4, 2020, No. 43")


def test_register_page_shows_provenance_with_the_sources_text(loaded, client):
    response = client.get("/register/GAO-T2-13/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "orders_gao_21_106.csv, row 14 (GAO-T2-13)" in html
    assert "cbp_wro_findings_2026-06-23.csv, row 38 (37)" in html
    assert "transcribed from its<br>table 2, the notes to that table" in html
    assert "Alliance One International" in html


def test_a_broken_gao_row_is_named_and_nothing_is_stored(tmp_path, db):
    import shutil

    for path in DATA_DIR.glob("*.csv"):
        shutil.copy(path, tmp_path)
    gao = (tmp_path / GAO_FILE).read_text(encoding="utf-8").splitlines()
    gao[2] = gao[2].replace(",2016-03,", ",March 2016,").replace(",revoked,", ",gone,")
    (tmp_path / GAO_FILE).write_text("\n".join(gao) + "\n", encoding="utf-8")
    from withhold.reference.models import Commodity
    from withhold.reference.services import ReferenceDataError, reference_load

    with pytest.raises(ReferenceDataError) as raised:
        reference_load(data_dir=tmp_path)
    assert raised.value.problems == [
        f"{GAO_FILE} row 3, column issued: “March 2016” is not YYYY-MM-DD, YYYY-MM or "
        "YYYY-MM/YYYY-MM",
        f"{GAO_FILE} row 3, column status: must be one of active, partially_active, revoked, "
        "unknown",
    ]
    assert Order.objects.count() == 0
    assert Commodity.objects.count() == 0
