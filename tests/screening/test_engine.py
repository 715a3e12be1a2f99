"""The matcher on named examples, without a database: a compiled watch list in memory."""

import pytest

from withhold.screening.engine import (
    CAATSA_REF,
    CommodityRule,
    Exclusions,
    PartyEntry,
    Screener,
    Summary,
    VesselRule,
    WatchList,
    screen_items,
)
from withhold.screening.entry_lines import EntryLine, RowError

TAIDA = PartyEntry(
    "order", "WRO-2022-0003", "Hetian Taida Apparel Co., Ltd.",
    ("Hetian Taida Apparel Co., Ltd.", "Hetian TEDA Garment"), "CN", "Hetian, Xinjiang", 3,
)  # fmt: skip
HAOLIN = PartyEntry(
    "list", "uflpa #2", "Hetian Haolin Hair Accessories Co. Ltd.",
    ("Hetian Haolin Hair Accessories Co. Ltd.", "Hotan Haolin Hair Accessories"),
)  # fmt: skip
TOPGLOVE = PartyEntry(
    "order", "WRO-2020-0010", "Top Glove Sdn. Bhd.", ("Top Glove Sdn. Bhd.",), "MY", "Klang", 10
)
ZHONGHE = PartyEntry(
    "list", "uflpa #42", "Xinjiang Zhonghe Co., Ltd.", ("Xinjiang Zhonghe Co., Ltd.",)
)
ACME = PartyEntry("list", "custom #2", "Acme Widgets LLC", ("Acme Widgets LLC",), "US")
COTTON_TM = CommodityRule(
    "WRO-2018-0006", "Turkmenistan cotton", "TM", frozenset(), ("5201", "5205"),
    frozenset({"cotton"}), 6,
)  # fmt: skip
XUAR_COTTON = CommodityRule(
    "WRO-2021-0001", "Xinjiang cotton", "CN", frozenset({"xinjiang"}), ("5201",),
    frozenset({"cotton"}), 7,
)  # fmt: skip
YULONG = VesselRule("WRO-2022-0009", "Yu Long No. 2", "Yu Long No. 2", "", 9)
DAWANG = VesselRule("WRO-2019-0004", "Da Wang", "Da Wang", "8832156", 4)


def screener(**kwargs) -> Screener:
    watch_list = WatchList(
        parties=[TAIDA, HAOLIN, TOPGLOVE, ZHONGHE, ACME],
        commodity_rules=[COTTON_TM, XUAR_COTTON],
        vessel_rules=[YULONG, DAWANG],
        exclusions={
            "WRO-2020-0010": Exclusions(importers=("Glove Buyers of America Inc",)),
            "WRO-2018-0006": Exclusions(merchandise=("organic cotton yarn",)),
        },
        **kwargs,
    )
    return Screener(watch_list, detain_at=92, review_at=85)


def line(**fields) -> EntryLine:
    return EntryLine(row=2, line_id=fields.pop("line_id", "L1"), **fields)


def refs(hits) -> list[str]:
    return [h.hit_ref for h in hits]


@pytest.mark.parametrize(
    "written",
    [
        "HETIAN TAIDA APPAREL CO LTD",  # legal form, case
        "Hetian Taida Apparel Company Limited",  # legal form spelled out
        "Hetian Taida Apparel",  # legal form missing
        "Taida Apparel Hetian Co Ltd",  # word order
        "Hetian Taida Aparel Co Ltd",  # typo
        "Hotan Taida Apparel Co., Ltd.",  # Uyghur-derived place name
        "Hetian TEDA Garment Co",  # the list's alias
    ],
)
def test_variants_of_a_listed_name_are_hits(written):
    hits = screener().screen_line(line(manufacturer_name=written, country_of_origin="CN"))
    assert refs(hits) == ["WRO-2022-0003"]
    assert hits[0].action == "detain"


def test_reasons_say_what_agreed_and_what_did_not():
    hits = screener().screen_line(
        line(manufacturer_name="Hetian Taida Apparel Co", country_of_origin="CN",
             manufacturer_address="No. 9 Beijing Road, Hotan")
    )  # fmt: skip
    assert hits[0].reasons == "name 100: legal form differs; country CN agrees; address city agrees"
    assert hits[0].score == 100


def test_a_country_that_differs_lowers_the_score_and_says_so():
    hits = screener().screen_line(
        line(manufacturer_name="Top Glove Sdn Bhd", country_of_origin="TH")
    )
    assert hits[0].score == 90
    assert hits[0].action == "review"
    assert "country TH differs from MY" in hits[0].reasons


def test_an_alias_hit_names_the_alias():
    hits = screener().screen_line(line(manufacturer_name="Hotan Haolin Hair Accessories"))
    assert hits[0].hit_name == "Hetian Haolin Hair Accessories Co. Ltd."
    assert "name 100" in hits[0].reasons


def test_sdn_bhd_and_llc_legal_forms():
    s = screener()
    assert refs(s.screen_line(line(manufacturer_name="TOP GLOVE SENDIRIAN BERHAD"))) == [
        "WRO-2020-0010"
    ]
    assert refs(s.screen_line(line(manufacturer_name="Acme Widgets, L.L.C."))) == ["custom #2"]


def test_chinese_characters_match_the_pinyin_name():
    hits = screener().screen_line(line(manufacturer_name="新疆众和股份有限公司"))
    assert refs(hits) == ["uflpa #42"]


@pytest.mark.parametrize(
    ("written", "ref"),
    [
        ("和田泰达服装有限公司", "WRO-2022-0003"),  # Chinese, words translated
        ("Hetian Taida 服装有限公司", "WRO-2022-0003"),  # mixed
        ("HETIAN TAIDA 服饰 CO LTD", "WRO-2022-0003"),
        ("和田浩林发饰有限公司", "uflpa #2"),
        ("Hotan Haolin 发饰品有限公司", "uflpa #2"),
    ],
)
def test_chinese_names_whose_words_are_translated_are_hits(written, ref):
    hits = screener().screen_line(line(manufacturer_name=written, country_of_origin="CN"))
    assert refs(hits) == [ref]
    assert hits[0].action == "detain"


def test_a_chinese_name_that_only_shares_the_trade_word_is_no_hit():
    assert screener().screen_line(line(manufacturer_name="和田玉源服装有限公司")) == []


def test_the_shipper_is_screened_too():
    hits = screener().screen_line(line(shipper_name="Hetian Taida Apparel Co Ltd"))
    assert hits[0].reasons.startswith("shipper name 100")


@pytest.mark.parametrize(
    "written",
    ["Hetian Yuyuan Garment Co Ltd", "Top Gloves Malaysia Trading Sdn Bhd", "Acme Plastics LLC",
     "Xinjiang Tianshan Cement Co Ltd", "Zhejiang Huafu Textile Co Ltd"],
)  # fmt: skip
def test_similar_but_different_names_are_not_hits(written):
    assert screener().screen_line(line(manufacturer_name=written)) == []


def test_a_line_from_an_excluded_importer_is_not_a_hit():
    s = screener()
    covered = line(manufacturer_name="Top Glove Sdn Bhd", importer_name="Other Importer Inc")
    excluded = line(
        manufacturer_name="Top Glove Sdn Bhd", importer_name="GLOVE BUYERS OF AMERICA INC"
    )
    assert refs(s.screen_line(covered)) == ["WRO-2020-0010"]
    assert s.screen_line(excluded) == []


@pytest.mark.parametrize(
    ("country", "hts", "description", "address", "expected"),
    [
        ("TM", "520100", "raw cotton", "", ("WRO-2018-0006", 100, "detain")),
        ("TM", "5201", "", "", ("WRO-2018-0006", 95, "detain")),
        ("TM", "", "cotton fabric", "", ("WRO-2018-0006", 90, "review")),
        ("TM", "8471", "laptops", "", None),
        ("UZ", "5201", "raw cotton", "", None),
        ("TM", "5205", "organic cotton yarn", "", None),  # excluded merchandise
        ("CN", "520100", "raw cotton", "Aksu, Xinjiang", ("WRO-2021-0001", 100, "detain")),
        ("CN", "520100", "raw cotton", "Zhengzhou, Henan", None),
        ("CN", "520100", "raw cotton", "", ("WRO-2021-0001", 85, "review")),
    ],
)
def test_country_and_commodity_rules(country, hts, description, address, expected):
    hits = screener().screen_line(
        line(country_of_origin=country, hts_code=hts, description=description,
             manufacturer_address=address, importer_name="Buyer Inc")
    )  # fmt: skip
    if expected is None:
        assert hits == []
    else:
        assert (hits[0].hit_ref, hits[0].score, hits[0].action) == expected


@pytest.mark.parametrize("written", ["Yu Long No. 2", "YU LONG NO.2", "Yu Long No 2", "YULONG 2"])
def test_vessels_by_normalised_name(written):
    hits = screener().screen_line(line(vessel_name=written))
    assert refs(hits) == ["WRO-2022-0009"]


def test_vessels_by_imo_number_whatever_the_name():
    hits = screener().screen_line(line(vessel_name="Renamed Star (IMO 8832156)"))
    assert refs(hits) == ["WRO-2019-0004"]
    assert hits[0].reasons == "IMO 8832156 agrees"


def test_another_vessel_number_is_not_a_hit():
    assert screener().screen_line(line(vessel_name="Yu Long No. 3")) == []


@pytest.mark.parametrize(
    ("country", "address", "reason"),
    [
        ("KP", "", "country of origin KP (North Korea)"),
        ("CN", "Dandong; made in Pyongyang", "manufacturer address names “pyongyang”"),
        ("CN", "Democratic People's Republic of Korea", "manufacturer address names “democratic people's republic of korea”"),
        ("CN", "DPRK", "manufacturer address names “dprk”"),
    ],
)  # fmt: skip
def test_caatsa_presumption(country, address, reason):
    hits = screener().screen_line(
        line(manufacturer_name="Sinuiju Garment", country_of_origin=country,
             manufacturer_address=address)
    )  # fmt: skip
    assert [(h.hit_kind, h.hit_ref, h.action, h.reasons) for h in hits] == [
        ("caatsa", CAATSA_REF, "detain", reason)
    ]


def test_caatsa_does_not_fire_for_south_korea():
    assert screener().screen_line(line(manufacturer_name="Busan Textile", country_of_origin="KR",
                                       manufacturer_address="Seoul, Republic of Korea")) == []  # fmt: skip


def test_identical_names_are_scored_once():
    s = screener()
    for n in range(50):
        s.screen_line(line(line_id=str(n), manufacturer_name="Hetian Taida Apparel Co Ltd"))
        s.screen_line(line(line_id=str(n), manufacturer_name="Some Unlisted Maker"))
    assert s.names_scored == 2


def test_thresholds_decide_detain_review_or_nothing():
    strict = Screener(WatchList(parties=[TAIDA]), detain_at=101, review_at=98)
    hits = strict.screen_line(line(manufacturer_name="Hetian Taida Aparel"))
    assert hits == []
    hits = strict.screen_line(line(manufacturer_name="Hetian Taida Apparel"))
    assert hits[0].action == "review"


def test_screen_items_counts_lines_hits_and_errors():
    summary, errors = Summary(), []
    items = [
        line(line_id="1", manufacturer_name="Hetian Taida Apparel", country_of_origin="KP"),
        [RowError(3, "country_of_origin", "bad")],
        line(line_id="3", manufacturer_name="Nobody"),
    ]
    hits = list(screen_items(items, screener(), summary=summary, errors=errors))
    assert [h.line_id for _line, h in hits] == ["1", "1"]
    assert summary.as_dict() == {
        "lines": 2, "lines_with_hits": 1, "hits": {"order": 1, "list": 0, "caatsa": 1},
        "hits_total": 2, "errors": 1,
    }  # fmt: skip
    assert errors == [RowError(3, "country_of_origin", "bad")]


def test_goods_of_an_excluded_producer_are_not_hits():
    watch_list = WatchList(
        commodity_rules=[COTTON_TM],
        exclusions={"WRO-2018-0006": Exclusions(producers=("Certified Organic Gins Ltd",))},
    )
    s = Screener(watch_list, detain_at=92, review_at=85)
    cotton = {"country_of_origin": "TM", "hts_code": "5201", "description": "raw cotton"}
    assert refs(s.screen_line(line(manufacturer_name="Ashgabat Cotton Gin", **cotton))) == [
        "WRO-2018-0006"
    ]
    assert s.screen_line(line(manufacturer_name="CERTIFIED ORGANIC GINS LIMITED", **cotton)) == []


def _uflpa_twice() -> Screener:
    """The UFLPA list prints Hetian Taida in two sections (rows 3 and 84), with and without the
    final dot; CBP's order names it too."""
    parties = [
        PartyEntry("list", "uflpa #84", "Hetian Taida Apparel Co., Ltd.",
                   ("Hetian Taida Apparel Co., Ltd.",)),
        PartyEntry("list", "uflpa #3", "Hetian Taida Apparel Co., Ltd",
                   ("Hetian Taida Apparel Co., Ltd", "Hetian TEDA Garment")),
        TAIDA,
    ]  # fmt: skip
    return Screener(WatchList(parties=parties), detain_at=92, review_at=85)


def test_an_entity_listed_twice_gives_one_hit_naming_both_rows():
    hits = _uflpa_twice().screen_line(line(manufacturer_name="Hetian Taida Apparel Co Ltd"))
    listed = [h for h in hits if h.hit_kind == "list"]
    assert len(listed) == 1
    assert listed[0].hit_ref == "uflpa #84"  # equal scores: the first on the list
    assert listed[0].reasons.endswith("also listed as uflpa #3")
    # The order naming the same entity is another legal basis, kept as its own hit.
    assert sorted(h.hit_kind for h in hits) == ["list", "order"]


def test_the_best_scoring_row_of_a_repeated_entity_is_kept():
    parties = [
        PartyEntry("list", "custom #7", "Acme Widgets LLC", ("Acme Widgets LLC",), "VN"),
        PartyEntry("list", "custom #1", "ACME WIDGETS L.L.C.", ("ACME WIDGETS L.L.C.",), "CN"),
    ]
    s = Screener(WatchList(parties=parties), detain_at=92, review_at=85)
    hits = s.screen_line(line(manufacturer_name="Acme Widgets", country_of_origin="CN"))
    assert [(h.hit_ref, h.score) for h in hits] == [("custom #1", 100)]
    assert hits[0].reasons.endswith("country CN agrees; also listed as custom #7")


def test_the_manufacturer_and_the_shipper_naming_one_entity_give_one_hit():
    hits = _uflpa_twice().screen_line(
        line(manufacturer_name="Hetian Taida Apparel", shipper_name="HETIAN TAIDA APPAREL CO LTD")
    )
    assert sorted(h.hit_kind for h in hits) == ["list", "order"]


@pytest.mark.parametrize(
    ("lines", "errors", "said"),
    [
        (1, 1, "1 line screened, 0 with hits; hits: order 0, list 0, caatsa 0; 1 row with errors"),
        (
            2,
            0,
            "2 lines screened, 0 with hits; hits: order 0, list 0, caatsa 0; 0 rows with errors",
        ),
        (
            0,
            3,
            "0 lines screened, 0 with hits; hits: order 0, list 0, caatsa 0; 3 rows with errors",
        ),
    ],
)
def test_the_summary_line_agrees_with_its_numbers(lines, errors, said):
    assert str(Summary(lines=lines, errors=errors)) == said


HOSHINE = PartyEntry(
    "list", "uflpa #5", "Hoshine Silicon Industry Co. Ltd. and Subsidiaries",
    ("Hoshine Silicon Industry Co. Ltd. and Subsidiaries",),
)  # fmt: skip


@pytest.mark.parametrize(
    "written",
    ["Hoshine Silicon Industry Co Ltd", "HOSHINE SILICON INDUSTRY CO LTD AND ITS SUBSIDIARIES",
     "Hoshine Silicon Industry & Subsidiaries", "Hoshine Silicon Ind. Co."],
)  # fmt: skip
def test_x_and_its_subsidiaries_still_matches_x(written):
    s = Screener(WatchList(parties=[HOSHINE]), detain_at=92, review_at=85)
    hits = s.screen_line(line(manufacturer_name=written))
    assert [(h.hit_ref, h.action) for h in hits] == [("uflpa #5", "detain")]
    assert "listed with its subsidiaries" in hits[0].reasons


@pytest.mark.parametrize(
    "written",
    [
        "Shanshan Silicon Materials Co Ltd",
        "Jiaxing Organosilicon Co Ltd",
        "Silicon Industry Co Ltd",
    ],
)
def test_a_subsidiary_under_another_name_is_no_hit_unless_listed(written):
    """ "and Subsidiaries" does not widen matching: the engine cannot know another company's
    owner. A subsidiary under its own name is found when a list names it."""
    s = Screener(WatchList(parties=[HOSHINE]), detain_at=92, review_at=85)
    assert s.screen_line(line(manufacturer_name=written)) == []
    listed = PartyEntry("list", "custom #2", written, (written,))
    s = Screener(WatchList(parties=[HOSHINE, listed]), detain_at=92, review_at=85)
    assert refs(s.screen_line(line(manufacturer_name=written))) == ["custom #2"]


def test_lines_alike_but_for_their_id_get_the_same_hits_under_their_own_id():
    s = screener()
    fields = {"manufacturer_name": "Top Glove Sdn Bhd", "manufacturer_address": "Klang",
              "country_of_origin": "MY", "importer_name": "Other Importer Inc"}  # fmt: skip
    first = s.screen_line(line(line_id="L1", entry_number="E1", **fields))
    again = s.screen_line(line(line_id="L2", entry_number="E2", **fields))
    assert [h.line_id for h in first] == ["L1"] and [h.line_id for h in again] == ["L2"]
    assert [h.as_row()[1:] for h in again] == [h.as_row()[1:] for h in first]
    assert s.screen_line(line(line_id="L1", **fields)) == first
    # a line differing in one field the screening reads is screened on its own
    other = {**fields, "importer_name": "Glove Buyers of America Inc"}
    assert s.screen_line(line(line_id="L3", **other)) == []
