"""Each normalisation step on named examples: what a targeting analyst would see go wrong if it
broke is a listed company slipping through under another spelling."""

import pytest

from withhold.screening.normalise import (
    address_places,
    address_words,
    address_words_and_places,
    imo_in,
    legal_form_phrase,
    normalise_name,
    vessel_key,
)

SAME_NAME = [
    # legal forms across languages
    ("Hetian Taida Apparel Co., Ltd.", "HETIAN TAIDA APPAREL CO LTD"),
    ("Hetian Taida Apparel Co., Ltd.", "Hetian Taida Apparel Company Limited"),
    ("Hetian Taida Apparel Co., Ltd.", "Hetian Taida Apparel Limited"),
    ("Top Glove Sdn. Bhd.", "TOP GLOVE SENDIRIAN BERHAD"),
    ("Casual Wear Apparel L.L.C.", "Casual Wear Apparel LLC"),
    ("Casual Wear Apparel LLC", "Casual Wear Apparel Limited Liability Company"),
    ("Ninestar Corporation", "Ninestar Corp."),
    ("PT Pan Brothers Tbk", "Pan Brothers"),
    # abbreviations
    ("Junan Jinsheng Import & Export Co., Ltd.", "Junan Jinsheng Import and Export Co Ltd"),
    ("Gansu Yasheng International Trading", "Gansu Yasheng Intl Trading"),
    ("Yili Zhuowan Garment Manufacturing", "Yili Zhuowan Garment Mfg."),
    # Xinjiang place names: Uyghur-derived and Chinese forms
    ("Hetian Haolin Hair Accessories", "Hotan Haolin Hair Accessories"),
    ("Kashgar Construction Engineering", "Kashi Construction Engineering"),
    ("Turpan Esquel Textile", "Tulufan Esquel Textile"),
    # Chinese company-name words translated, not transliterated (和田泰达服装 = Hetian Taida Apparel)
    ("Hetian Taida Apparel Co., Ltd", "Hetian Taida 服装有限公司"),
    ("Hetian Taida Garment Co., Ltd", "Hetian Taida 服饰有限公司"),
    ("Hetian Haolin Hair Accessories Co. Ltd.", "Hetian Haolin 发饰有限公司"),
    ("Xinjiang Huafu Textile Co., Ltd.", "Xinjiang Huafu 纺织有限公司"),
    ("Hesheng Silicon Industry (Shanshan) Co", "Hesheng 硅业 (Shanshan) 有限公司"),
    ("Gansu Yasheng International Trading Co., Ltd.", "Gansu Yasheng 国际贸易有限公司"),
    ("Xinjiang Huafu Hongfeng Agricultural Development", "Xinjiang Huafu Hongfeng 农业发展"),
    ("Hebei Tomato Industry Co., Ltd.", "Hebei 番茄实业有限公司"),
    ("Anhui Xinya New Materials Co., Ltd.", "Anhui Xinya 新材料有限公司"),
    ("Zhuhai Pantum Electronics Co. Ltd.", "Zhuhai Pantum 电子有限公司"),
    # synonyms the English names use for one Chinese word
    ("Hetian Taida Apparel", "Hetian Taida Garment"),
    ("Hetian Taida Apparel", "Hetian Taida Clothing"),
    ("Gansu Yasheng International Trading", "Gansu Yasheng International Trade"),
    # "and (its) subsidiaries" does not change who the name is
    ("Hoshine Silicon Industry Co. Ltd. and Subsidiaries", "Hoshine Silicon Industry Co Ltd"),
    (
        "Hoshine Silicon Industry Co. Ltd. and Subsidiaries",
        "Hoshine Silicon Industry & Subsidiaries",
    ),
    ("Hoshine Silicon Industry Co. Ltd.", "Hoshine Silicon Industry and its subsidiaries"),
    # punctuation and case
    ("Zhuhai G&G Digital Technology", "ZHUHAI G & G DIGITAL TECHNOLOGY"),
]


@pytest.mark.parametrize(("listed", "written"), SAME_NAME)
def test_variants_of_a_name_normalise_to_the_same_tokens(listed, written):
    assert normalise_name(listed).tokens == normalise_name(written).tokens


def test_word_order_gives_the_same_fingerprint():
    assert (
        normalise_name("Taida Apparel Hetian Co Ltd").sorted_key
        == normalise_name("Hetian Taida Apparel Co., Ltd.").sorted_key
    )


def test_chinese_characters_become_pinyin_and_the_legal_form_is_set_aside():
    name = normalise_name("新疆众和股份有限公司")
    assert name.compact == normalise_name("Xinjiang Zhonghe Co., Ltd.").compact == "xinjiangzhonghe"
    assert name.legal_forms == ("jsc",)
    assert normalise_name("和田泰达服装有限公司").legal_forms == ("ltd",)


def test_other_scripts_become_ascii():
    assert normalise_name("Ürümqi Textile").tokens == ("wulumuqi", "textile")
    assert normalise_name("Шанхай Трейд").tokens == ("shankhay", "treyd")


def test_subsidiaries_are_noted_and_not_part_of_the_name():
    name = normalise_name("Hoshine Silicon Industry (Shanshan) Co., Ltd and subsidiaries")
    assert name.tokens == ("hoshine", "silicon", "industry", "shanshan")
    assert name.with_subsidiaries
    xpcc = normalise_name(
        "Xinjiang Production and Construction Corps and its subordinate and affiliated entities"
    )
    assert xpcc.tokens == ("xinjiang", "production", "construction", "corps")


def test_legal_form_reasons():
    a = normalise_name("Hoshine Silicon Industry Co")
    b = normalise_name("Hoshine Silicon Industry Co., Ltd.")
    assert legal_form_phrase(a, b) == "legal form differs"
    assert legal_form_phrase(normalise_name("Hoshine Silicon Industry"), b) == "legal form missing"
    assert legal_form_phrase(normalise_name("Hoshine Silicon Industry Limited"), b) == ""


def test_a_name_that_is_only_a_legal_form_keeps_its_words():
    assert normalise_name("Limited").tokens == ("limited",)


@pytest.mark.parametrize(
    "written", ["Yu Long No. 2", "YU LONG NO.2", "Yu Long No 2", "Yulong 2", "Yu Long Number 2"]
)
def test_vessel_numbers_are_written_many_ways(written):
    assert vessel_key(written) == "yulong2"


def test_vessel_names_keep_words_that_look_like_legal_forms():
    assert vessel_key("Fishing Vessel: Da Wang") == "dawang"
    assert vessel_key("AS Co 7") == "asco7"  # "AS" and "Co" are legal forms elsewhere


def test_imo_number_is_read_from_the_vessel_field():
    assert imo_in("Da Wang (IMO 8832156)") == "8832156"
    assert imo_in("Da Wang IMO no. 8832156") == "8832156"
    assert imo_in("Da Wang") == ""


@pytest.mark.parametrize(
    ("chinese", "compact"),
    [
        ("和田泰达服装有限公司", "hetiantaidaapparel"),
        ("新疆中泰化学股份有限公司", "xinjiangzhongtaichemical"),
        ("库车纵横棉业有限公司", "kuchezonghengcottonindustry"),
        ("弘元新材料（包头）有限公司", "hongyuannewmaterialbaotou"),
    ],
)
def test_chinese_words_are_translated_before_pinyin(chinese, compact):
    """The English name run together ("Hetian Taida Apparel" → hetiantaidaapparel) is what the
    Chinese name gives: glossary words in English, the rest in pinyin."""
    assert normalise_name(chinese).compact == compact


def test_the_glossary_leaves_legal_forms_to_the_legal_form_step():
    name = normalise_name("新疆中泰化学股份有限公司")
    assert name.legal_forms == ("jsc",)


@pytest.mark.parametrize(
    "written",
    ["Hoshine Silicon Industry Co. Ltd. and Subsidiaries", "Hoshine Silicon Industry & Subsidiaries",
     "Hoshine Silicon Industry and its two subsidiaries"],
)  # fmt: skip
def test_and_subsidiaries_is_noted_and_dropped(written):
    name = normalise_name(written)
    assert name.with_subsidiaries
    assert name.tokens == ("hoshine", "silicon", "industry")


@pytest.mark.parametrize(
    "address",
    ["No. 8 Urumqi Middle Road, Shanghai", "Hotan, Xinjiang", "喀什地区 Kashgar", "XINJIANGHETIAN",
     "Hetian Lu 5, Tianjin", ""],
)  # fmt: skip
def test_an_address_read_once_gives_its_words_and_places(address):
    assert address_words_and_places(address) == (address_words(address), address_places(address))
