"""The failure classes of issue 15, one test each, on names from the real lists (the UFLPA Entity
List and CBP's orders, withhold/reference/data); no database."""

import pytest

from withhold.screening.engine import CommodityRule, PartyEntry, Screener, WatchList
from withhold.screening.entry_lines import EntryLine
from withhold.screening.normalise import (
    address_places,
    commodity_headings,
    commodity_terms,
    normalise_name,
)
from withhold.screening.watchlist import published_region_rule


def _listed(row: int, name: str, *aliases: str) -> PartyEntry:
    return PartyEntry("list", f"uflpa #{row}", name, (name, *aliases))


PARTIES = [
    _listed(3, "Hetian Taida Apparel Co., Ltd", "Hetian TEDA Garment"),
    _listed(2, "Hetian Haolin Hair Accessories Co. Ltd.", "Hotan Haolin Hair Accessories"),
    _listed(5, "Xinjiang Daqo New Energy, Co. Ltd", "Xinjiang Daxin Energy Co., Ltd"),
    _listed(6, "Xinjiang East Hope Nonferrous Metals Co., Ltd."),
    _listed(8, "Xinjiang Junggar Cotton and Linen Co., Ltd."),
    _listed(
        9,
        "Xinjiang Production and Construction Corps and its subordinate and affiliated entities",
        "XPCC",
        "Xinjiang Corps",
        "Bingtuan",
    ),
    _listed(10, "Aksu Huafu Color Spinning Co., Ltd.", "Akesu Huafu"),
    _listed(11, "Anhui Xinya New Materials Co., Ltd."),
    _listed(
        12,
        "Baowu Group Xinjiang Bayi Iron and Steel Co., Ltd.",
        "Xinjiang Bayi Iron and Steel Co. Ltd",
    ),
    _listed(24, "Ninestar Corporation"),
    _listed(34, "Xinjiang Habahe Ashele Copper Co., Ltd.", "Ashele Copper"),
    _listed(43, "Xinjiang Zhongtai Chemical Co. Ltd."),
    _listed(44, "Xinjiang Zhongtai Group Co. Ltd"),
    _listed(92, "Hubei Jingtian Cotton Industry Group Co., Ltd."),
    _listed(118, "Ninghai Huafu Textile Co., Ltd."),
    _listed(126, "Shihezi Standard Fiber Co., Ltd."),
    _listed(145, "Xinjiang Huafu Textile Co., Ltd."),
    PartyEntry(
        "order",
        "CBP-0052",
        "Hoshine Silicon Industry Co. Ltd. and Subsidiaries",
        ("Hoshine Silicon Industry Co. Ltd. and Subsidiaries",),
        "CN",
    ),
    PartyEntry(
        "order",
        "CBP-0032",
        "Huizhou Mink Industrial CO. Ltd.",
        ("Huizhou Mink Industrial CO. Ltd.",),
        "CN",
    ),
]
XUAR = published_region_rule(
    "CBP-0050", "Xinjiang Uyghur Autonomous Region (XUAR)", "CN",
    "Xinjiang Uyghur Autonomous Region (XUAR)", "Cotton, Tomatoes and Downstream Products",
)  # fmt: skip


@pytest.fixture(scope="module")
def screener() -> Screener:
    assert isinstance(XUAR, CommodityRule)
    return Screener(WatchList(parties=PARTIES, commodity_rules=[XUAR]), detain_at=92, review_at=85)


def screen(screener, name="", address="", country="CN", hts="", description=""):
    line = EntryLine(row=2, line_id="L1", manufacturer_name=name, manufacturer_address=address,
                     country_of_origin=country, hts_code=hts, description=description)  # fmt: skip
    return screener.screen_line(line)


def only(hits) -> list[str]:
    return [h.hit_ref for h in hits]


def test_qualifier_dropped_province_word_is_a_review_hit_saying_why(screener):
    hits = screen(screener, "Daqo New Energy Co. Ltd")
    assert only(hits) == ["uflpa #5"]
    assert hits[0].action == "review"
    assert "region word “Xinjiang” only in the listed name" in hits[0].reasons


def test_qualifier_dropped_group_and_city_words(screener):
    assert only(screen(screener, "Zhongtai Group Co Ltd")) == ["uflpa #44"]
    assert only(screen(screener, "Habahe Ashele Copper Co Ltd")) == ["uflpa #34"]
    hits = screen(screener, "Hubei Jingtian Cotton Industry Co Ltd")
    assert only(hits) == ["uflpa #92"]
    assert "group word only on one side" in hits[0].reasons


def test_qualifier_dropped_address_agreeing_counts_for_the_listed_entity(screener):
    hits = screen(screener, "Taida Apparel Co Ltd", "Hotan, Xinjiang")
    assert only(hits) == ["uflpa #3"]
    assert hits[0].action == "detain"
    assert "address in “Hetian” as the listed name" in hits[0].reasons


def test_qualifier_dropped_address_conflicting_counts_against(screener):
    assert screen(screener, "Taida Apparel Co Ltd", "Tianjin") == []
    assert screen(screener, "Zhongtai Chemical Co Ltd", "Zhengzhou Henan") == []


def test_qualifier_added_province_word_agrees(screener):
    hits = screen(screener, "Xinjiang Hetian Taida Apparel Co Ltd", "Hetian, Xinjiang")
    assert only(hits) == ["uflpa #3"]
    assert hits[0].action == "detain"
    hits = screen(screener, "Guangdong Huizhou Mink Industrial Co Ltd", "Huizhou Guangdong")
    assert only(hits) == ["CBP-0032"]
    assert "province word “Guangdong” only on one side, within the other's" in hits[0].reasons


def test_location_conflict_is_another_company(screener):
    assert screen(screener, "Tianjin Taida Apparel Co Ltd", "Tianjin") == []
    assert screen(screener, "Jiangsu Daqo New Energy Co Ltd") == []
    assert screen(screener, "Kashgar Huafu Color Spinning Co Ltd", "Kashgar") == []
    # the province of a listed county, and not the county: another unit of the family
    assert screen(screener, "Zhejiang Huafu Textile Co Ltd", "Shangyu Zhejiang") == []


def test_location_country_implied_by_the_listed_place(screener):
    hits = screen(screener, "Daqo New Energy Corp", country="US")
    assert hits == []
    assert only(screen(screener, "Daqo New Energy Corp", country="CN")) == ["uflpa #5"]


def test_legal_form_typo_is_read_as_the_word(screener):
    hits = screen(screener, "Ninestar Croporation", "Zhuhai")
    assert only(hits) == ["uflpa #24"]
    assert "“croporation” read as corporation" in hits[0].reasons
    hits = screen(screener, "Hoshine Silicon Industry Co Ltd and Subsidiaires")
    assert only(hits) == ["CBP-0052"]
    assert normalise_name("Camel Group Compnay Limited").tokens == ("camel", "group")
    # a word one letter from a legal form but no typo of one stays
    assert normalise_name("Compass Textile").tokens == ("compass", "textile")


def test_chinese_no_legal_form(screener):
    assert only(screen(screener, "新疆生产建设兵团")) == ["uflpa #9"]
    assert only(screen(screener, "和田泰达服装")) == ["uflpa #3"]
    assert only(screen(screener, "新疆中泰集团")) == ["uflpa #44"]


def test_chinese_lookalike(screener):
    assert screen(screener, "天津泰达服装") == []
    assert screen(screener, "天津泰达服装有限公司", "天津") == []
    hits = screen(screener, "天津泰达服装")
    assert hits == []
    normal = normalise_name("天津泰达服装")
    assert normal.places == ("tianjin",) and normal.core == ("taida", "apparel")


def test_run_together_pinyin(screener):
    assert only(screen(screener, "XINJIANGZHONGTAI GROUP CO LTD")) == ["uflpa #44"]
    assert only(screen(screener, "HETIANTAIDA APPAREL CO LTD")) == ["uflpa #3"]
    assert screen(screener, "TIANJINTAIDA APPAREL CO LTD") == []
    # a word that starts with a place but is not one: not split
    assert normalise_name("Changjiang Textile").tokens == ("changjiang", "textile")


def test_postal_wade_giles(screener):
    assert only(screen(screener, "Sinkiang Zhongtai Chemical Co Ltd")) == ["uflpa #43"]
    assert only(screen(screener, "Ho-t'ien Taida Apparel Co Ltd")) == ["uflpa #3"]
    assert only(screen(screener, "Shih-ho-tzu Standard Fiber Co Ltd")) == ["uflpa #126"]
    assert only(screen(screener, "Akosu Huafu Color Spinning Co Ltd")) == ["uflpa #10"]


def test_brand_pinyin(screener):
    assert only(screen(screener, "Xinjiang Dongfang Xiwang Nonferrous Metals Co Ltd")) == [
        "uflpa #6"
    ]
    assert only(screen(screener, "Hesheng Silicon Industry Co Ltd", "Jiaxing Zhejiang")) == [
        "CBP-0052"
    ]
    assert only(screen(screener, "Xinjiang Daquan New Energy Co Ltd", "Shihezi")) == ["uflpa #5"]


def test_translated_words(screener):
    assert only(screen(screener, "Xinjiang August First Iron and Steel Co Ltd", "Urumqi")) == [
        "uflpa #12"
    ]
    assert only(screen(screener, "Xinjiang Junggar Cotton & Hemp Co Ltd")) == ["uflpa #8"]
    assert only(screen(screener, "Xinjiang Zhongtai Huaxue Co Ltd")) == ["uflpa #43"]
    assert only(screen(screener, "Hetian Taida Fuzhuang Co Ltd")) == ["uflpa #3"]


def test_distinctive_word_must_be_on_the_line(screener):
    assert screen(screener, "Anhui Xinyuan Materials Co Ltd") == []
    assert only(screen(screener, "Anhui Xinya New Material Co Ltd")) == ["uflpa #11"]


def test_region_commodity_address_place_without_the_word_xinjiang(screener):
    hits = screen(screener, "Golden Field Textile Co Ltd", "Kashgar, XUAR", hts="5205120000",
                  description="combed cotton yarn")  # fmt: skip
    assert only(hits) == ["CBP-0050"]
    assert "address place “Kashi” lies in Xinjiang" in hits[0].reasons
    assert only(
        screen(screener, "Silk Road Yarn Co Ltd", "喀什地区", description="cotton yarn")
    ) == ["CBP-0050"]


def test_region_commodity_inflection_and_hs_heading(screener):
    hits = screen(screener, "Red Sun Food Co Ltd", "Changji, Xinjiang", hts="2002900000",
                  description="tomato paste in drums")  # fmt: skip
    assert only(hits) == ["CBP-0050"]
    assert hits[0].action == "detain"
    assert "HTS 2002900000 within" in hits[0].reasons
    assert "description mentions tomato" in hits[0].reasons
    # the heading alone (raw cotton, 5201) without the word
    hits = screen(screener, "Greenfield Co Ltd", "Shihezi", hts="5201000500", description="lint")
    assert only(hits) == ["CBP-0050"]


def test_region_commodity_other_region_street_name_or_commodity_is_no_hit(screener):
    assert screen(screener, "Harbor Foods Co Ltd", "Tianjin", hts="2002900000",
                  description="tomato paste") == []  # fmt: skip
    assert screen(screener, "Eastern Mills Co Ltd", "No. 8 Urumqi Middle Road, Shanghai",
                  hts="6205200000", description="men's cotton shirts") == []  # fmt: skip
    assert screen(screener, "Desert Sun Solar Co Ltd", "Kashgar, XUAR", hts="8541430010",
                  description="solar modules") == []  # fmt: skip


def test_gazetteer_forms_and_commodity_words():
    assert address_places("Lop County, Hotan") == ("luopu", "hetian")
    assert address_places("Aksu, XUAR 843000") == ("akesu", "xinjiang")
    assert address_places("Hetian Road, Jing'an District, Shanghai") == ("shanghai",)
    assert address_places("新疆和田地区洛浦县") == ("xinjiang", "hetian", "luopu")
    terms = commodity_terms("Cotton, Tomatoes and Downstream Products")
    assert terms == {"cotton", "tomato"}
    assert commodity_headings(terms) == ("0702", "2002", "5201")


def test_qualifier_typo_in_the_listed_place_is_read_as_the_place(screener):
    hits = screen(screener, "Hetain Taida Apparel Co Ltd")
    assert only(hits) == ["uflpa #3"]
    assert hits[0].action == "detain"
    assert "“hetain” read as Hetian" in hits[0].reasons
