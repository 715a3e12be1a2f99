"""The watch list compiled from the database: active orders only, exclusions applied, and
rebuilt as soon as an order, scope rule or entity changes."""

import datetime as dt

import pytest

from withhold.orders import services as order_services
from withhold.orders.models import ScopeRule
from withhold.screening.entry_lines import EntryLine
from withhold.screening.watchlist import published_names, screener_current

from ..factories import EntityFactory
from .conftest import make_order

pytestmark = pytest.mark.django_db


def screen(**fields):
    return screener_current().screen_line(EntryLine(row=2, line_id="1", **fields))


def test_an_issued_orders_entity_is_a_hit(taida_order):
    hits = screen(manufacturer_name="HETIAN TAIDA APPAREL CO LTD", country_of_origin="CN")
    assert [(h.hit_kind, h.hit_ref, h.action) for h in hits] == [
        ("order", "WRO-2026-0001", "detain")
    ]
    assert hits[0].order_id == taida_order.pk


def test_a_revoked_order_produces_no_hits(taida_order, supervisor):
    assert screen(manufacturer_name="Hetian Taida Apparel Co Ltd")
    order_services.order_modify(
        order=taida_order, actor=supervisor, kind="revocation",
        effective_on=dt.date(2026, 1, 5), description="Revoked on petition.",
    )  # fmt: skip
    assert screen(manufacturer_name="Hetian Taida Apparel Co Ltd") == []


def test_a_partial_revocation_excludes_an_importer_from_then_on(taida_order, supervisor):
    line = {
        "manufacturer_name": "Hetian Taida Apparel Co Ltd",
        "importer_name": "Good Faith Imports",
    }
    assert screen(**line)
    order_services.order_modify(
        order=taida_order, actor=supervisor, kind="partial_revocation",
        effective_on=dt.date(2026, 1, 5), description="Good Faith Imports proved admissibility.",
        exclusions=[{"kind": "excluded_importer", "entity": "Good Faith Imports"}],
    )  # fmt: skip
    assert screen(**line) == []
    assert screen(manufacturer_name="Hetian Taida Apparel Co Ltd", importer_name="Other LLC")


@pytest.mark.parametrize("status", ["draft", "legal_review", "approved", "inactive"])
def test_orders_not_yet_issued_or_no_longer_active_produce_no_hits(status):
    order = make_order("WRO-2026-0009", status=status)
    entity = EntityFactory(name="Pending Order Textile Co")
    ScopeRule.objects.create(order=order, kind=ScopeRule.Kind.ENTITY, entity=entity)
    assert screen(manufacturer_name="Pending Order Textile Co") == []


def test_a_line_from_an_excluded_importer_is_not_a_hit(glove_order):
    covered = screen(manufacturer_name="Example Glove Sdn Bhd", importer_name="Other Buyer LLC")
    assert [h.hit_ref for h in covered] == ["WRO-2026-0002"]
    excluded = screen(
        manufacturer_name="Example Glove Sdn Bhd", importer_name="GLOVE BUYERS OF AMERICA, INC."
    )
    assert excluded == []


def test_the_watch_list_is_rebuilt_when_a_scope_rule_is_added(taida_order):
    assert screen(manufacturer_name="Newly Named Knitting Co") == []
    entity = EntityFactory(name="Newly Named Knitting Co., Ltd.")
    ScopeRule.objects.create(order=taida_order, kind=ScopeRule.Kind.ENTITY, entity=entity)
    assert [h.hit_ref for h in screen(manufacturer_name="Newly Named Knitting Co")] == [
        "WRO-2026-0001"
    ]


def test_an_entity_alias_added_later_is_screened(taida_order):
    assert screen(manufacturer_name="Hotan Tiger Sewing") == []
    entity = taida_order.scope_rules.get().entity
    entity.aliases = [*entity.aliases, "Hotan Tiger Sewing"]
    entity.save()
    assert [h.hit_ref for h in screen(manufacturer_name="Hotan Tiger Sewing")] == ["WRO-2026-0001"]


def test_the_compiled_list_is_reused_while_nothing_changes(taida_order):
    assert screener_current() is screener_current()


def test_country_commodity_and_vessel_rules(commodity):
    order = make_order("WRO-2026-0003", country="TM", merchandise="Turkmenistan cotton")
    ScopeRule.objects.create(
        order=order, kind=ScopeRule.Kind.COUNTRY_COMMODITY, country="TM", commodity=commodity,
        hts_headings=["5201"],
    )  # fmt: skip
    vessel_order = make_order("WRO-2026-0004", country="")
    ScopeRule.objects.create(
        order=vessel_order, kind=ScopeRule.Kind.VESSEL, vessel_name="Yu Long No. 2"
    )
    hits = screen(country_of_origin="TM", hts_code="520100", description="raw cotton bales")
    assert [(h.hit_ref, h.score) for h in hits] == [("WRO-2026-0003", 100)]
    assert [h.hit_ref for h in screen(vessel_name="YU LONG NO.2")] == ["WRO-2026-0004"]


def test_a_region_order_needs_the_region_in_the_address():
    order = make_order("WRO-2026-0005", merchandise="Cotton from Xinjiang")
    ScopeRule.objects.create(
        order=order, kind=ScopeRule.Kind.COUNTRY_COMMODITY, country="CN", region_code="CN-XJ",
        hts_headings=["5201"], merchandise="cotton",
    )  # fmt: skip
    inside = screen(country_of_origin="CN", hts_code="5201", manufacturer_address="Aksu, Xinjiang")
    outside = screen(
        country_of_origin="CN", hts_code="5201", manufacturer_address="Jinan, Shandong"
    )
    assert [h.hit_ref for h in inside] == ["WRO-2026-0005"]
    assert outside == []


def test_caatsa_is_always_on_the_list(db):
    hits = screen(manufacturer_name="Anyone", country_of_origin="KP")
    assert [(h.hit_kind, h.action) for h in hits] == [("caatsa", "detain")]


@pytest.mark.parametrize(
    ("published", "names"),
    [
        ("Yili Zhuowan Garment Manufacturing Co., Ltd. and Baoding LYSZD Trade and Business Co., Ltd",
         ("Yili Zhuowan Garment Manufacturing Co., Ltd", "Baoding LYSZD Trade and Business Co., Ltd")),
        ("Shanghai Select Safety Products Company, Limited and its two subsidiaries from China, "
         "Select (Nantong) Safety Products Co. Limited and Select Protective Technology (HK) Limited.",
         ("Shanghai Select Safety Products Company, Limited",
          "Select (Nantong) Safety Products Co. Limited", "Select Protective Technology (HK) Limited")),
        ("Hoshine Silicon Industry Co. Ltd. and Subsidiaries", ("Hoshine Silicon Industry Co. Ltd",)),
        ("Fishing Vessels owned by Dalian Ocean Fishing Co. Ltd.", ("Dalian Ocean Fishing Co. Ltd",)),
        ("Yunnan Machinery a/k/a Golden Horse Diesel Factory", ("Yunnan Machinery", "Golden Horse Diesel Factory")),
        # CBP-0027: a comma-separated run of makers, and the town they are in after ";"
        ("Kumar Carpet Pvt., Singhe Carpet Pvt., Ltd., Norsang Carpet Industries Pvt., Ltd., "
         "Annapurna Carpet, Everest Carpet, Valley Carpet, and K.K. Carpet Industries; Kathmandu.",
         ("Kumar Carpet Pvt", "Singhe Carpet Pvt., Ltd", "Norsang Carpet Industries Pvt., Ltd",
          "Annapurna Carpet", "Everest Carpet", "Valley Carpet", "K.K. Carpet Industries")),
        # commas inside one name or an address are no run
        ("Inner Mongolia Hengzheng Group Baoanzhao Agriculture, Industry, and Trade Co., Ltd.",
         ("Inner Mongolia Hengzheng Group Baoanzhao Agriculture, Industry and Trade Co., Ltd",)),
        ("State Penitentiary, Ciudad Victoria, Tamaulipas, Mexico",
         ("State Penitentiary, Ciudad Victoria, Tamaulipas, Mexico",)),
        ("Imaizumi Tea Manufacturing & Trading Co., Ltd. (of Nagoya, Japan)",
         ("Imaizumi Tea Manufacturing & Trading Co., Ltd. (of Nagoya, Japan)",)),
        ("Shanghai Select Safety Products Company, Limited", ("Shanghai Select Safety Products Company, Limited",)),
    ],
)  # fmt: skip
def test_published_entity_text_is_split_into_names(published, names):
    assert published_names(published) == names


def test_an_order_naming_only_a_region_screens_the_region(db):
    order = make_order("CBP-0050", merchandise="Cotton, tomatoes and downstream products")
    order.published_entity = "Xinjiang Uyghur Autonomous Region (XUAR)"
    order.save()
    hits = screen(country_of_origin="CN", manufacturer_address="Aksu, Xinjiang",
                  description="cotton yarn", manufacturer_name="Aksu Spinning Mill")  # fmt: skip
    assert [(h.hit_ref, h.action) for h in hits] == [("CBP-0050", "detain")]
    assert screen(country_of_origin="CN", manufacturer_address="Jinan, Shandong",
                  description="cotton yarn", manufacturer_name="Jinan Spinning Mill") == []  # fmt: skip


def test_a_region_order_reads_the_address_places_and_the_commodity_in_the_singular(db):
    order = make_order("CBP-0050", merchandise="Cotton, Tomatoes and Downstream Products")
    order.published_entity = "Xinjiang Uyghur Autonomous Region (XUAR)"
    order.save()
    hits = screen(country_of_origin="CN", manufacturer_address="Kashgar, XUAR", hts_code="2002900000",
                  description="tomato paste", manufacturer_name="Red Sun Food Co Ltd")  # fmt: skip
    assert [(h.hit_ref, h.action) for h in hits] == [("CBP-0050", "detain")]
    assert "address place “Kashi” lies in Xinjiang" in hits[0].reasons
    assert "HTS 2002900000 within 0702/2002/5201" in hits[0].reasons
    assert screen(country_of_origin="CN", manufacturer_address="No. 8 Urumqi Middle Road, Shanghai",
                  description="tomato paste", manufacturer_name="Eastern Foods") == []  # fmt: skip


def test_an_entity_the_uflpa_list_repeats_across_sections_is_one_hit(db):
    from django.conf import settings

    from withhold.screening.models import ListEntry
    from withhold.screening.reference_steps import UFLPA_FILE, uflpa_read, uflpa_store

    path = settings.BASE_DIR / "reference" / "data" / UFLPA_FILE
    rows, problems = uflpa_read(path)
    assert not problems
    uflpa_store(rows)
    hits = screen(manufacturer_name="HETIAN TAIDA APPAREL CO LTD", country_of_origin="CN")
    assert [h.hit_kind for h in hits] == ["list"]
    assert "also listed as uflpa #" in hits[0].reasons
    hoshine = screen(manufacturer_name="Hoshine Silicon Industry (Shanshan) Co Ltd")
    assert len(hoshine) == 1
    # Entries carry the list's own numbers: Hetian Taida is the list's row 3 (the file's line 4).
    assert hits[0].hit_ref == "uflpa #3"
    taida = ListEntry.objects.get(entity_list__source="uflpa", number=3)
    assert taida.name.startswith("Hetian Taida Apparel")
    # Each entry keeps its own effective date; the version takes effect on the latest of them
    # (the last Federal Register notice in the file).
    assert taida.effective_on == dt.date(2022, 6, 21)
    assert taida.list_version.effective_on == dt.date(2025, 1, 15)


CARPETS = (
    "Kumar Carpet Pvt., Singhe Carpet Pvt., Ltd., Norsang Carpet Industries Pvt., Ltd., "
    "Annapurna Carpet, Everest Carpet, Valley Carpet, and K.K. Carpet Industries; Kathmandu."
)


@pytest.mark.parametrize(
    ("written", "alias"),
    [
        ("EVEREST CARPET PVT LTD", "Everest Carpet"),
        ("Norsang Carpet Industries Private Limited", "Norsang Carpet Industries Pvt., Ltd"),
        ("K K Carpet Industries", "K.K. Carpet Industries"),
    ],
)
def test_each_maker_of_a_cbp_comma_run_is_screened_by_its_own_name(db, written, alias):
    order = make_order("CBP-0027", country="NP", merchandise="Hand-knotted carpets")
    order.published_entity = CARPETS
    order.save()
    hits = screen(manufacturer_name=written, country_of_origin="NP")
    assert [(h.hit_ref, h.action) for h in hits] == [("CBP-0027", "detain")]
    assert f"as alias “{alias}”" in hits[0].reasons


def test_the_town_after_a_comma_run_is_not_a_name(db):
    order = make_order("CBP-0027", country="NP", merchandise="Hand-knotted carpets")
    order.published_entity = CARPETS
    order.save()
    assert screen(manufacturer_name="Kathmandu", country_of_origin="NP") == []
