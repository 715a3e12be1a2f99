"""Turning a company, place or vessel name into comparable tokens. Pure: no database.

Names on entry documents rarely match an order's text: "HETIAN TAIDA APPAREL CO LTD", "Hetian
Taida Apparel Co., Limited", "和田泰达服装有限公司", "Hotan Taida". The steps, in order:

1. Unicode NFKC and case folding; in Chinese names, the legal forms (``CHINESE_LEGAL_FORMS``) and
   the company-name words English names translate (``CHINESE_GLOSSARY``: 服装 → apparel, 纺织 →
   textile …) replaced in characters, then the rest to pinyin (``pypinyin``, the syllables of one
   run of characters joined into one word, as romanised company names write them: 和田 → hetian);
   every other script to ASCII (``anyascii``).
2. Punctuation to spaces, except that dots and apostrophes inside abbreviations vanish
   ("Co." → "co", "S.A." → "sa").
3. Legal forms across languages (``LEGAL_FORMS``) become one canonical token each and are then set
   aside: they say nothing about who the company is, and "Co., Ltd." for "Company Limited" is the
   most common difference on entry documents. Which forms a name carried is kept for the reasons.
4. Common abbreviations (``ABBREVIATIONS``) are spelled out, and Xinjiang place names written in
   their Uyghur-derived form (``PLACE_NAMES``) are replaced by the Chinese pinyin form, so Hotan
   meets Hetian; English words that translate one Chinese word (``SYNONYMS``: Garment, Clothing
   → apparel) become one.

Vessel names keep everything (``vessel_key``): "Yu Long No. 2" has no legal form in it, and
"No. 2", "NO.2" and "No 2" all mean the number 2.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii
from pypinyin import Style, lazy_pinyin

# Legal forms, as token sequences after steps 1–2, mapped to one canonical token. Sources: the
# legal forms most often seen on the UFLPA Entity List and CBP's orders (Co., Ltd.; Limited;
# Sdn. Bhd.; LLC; Inc.; Corp.) and ISO 20275 (Entity Legal Forms code list, GLEIF) for the
# forms of China, Malaysia, Indonesia, India, Viet Nam, Germany, France, Italy, Spain, Russia,
# Turkey, Japan, Korea and the Netherlands. Longest sequences are tried first.
_LEGAL_FORM_TABLE: dict[str, tuple[str, ...]] = {
    "ltd": (
        "co ltd",
        "company ltd",
        "company limited",
        "co limited",
        "corp ltd",
        "limited",
        "ltd",
        "pte ltd",
        "private limited",
        "pvt ltd",
        "pvt",
        "pte",
        "ltda",
        "kabushiki kaisha",
        "kk",
        "co ltd company",
        "youxian gongsi",
        "youxiangongsi",
        "youxianzerengongsi",
        "youxian zeren gongsi",
        "chusik hoesa",
        "jusik hoesa",
        "yugen kaisha",
    ),
    "jsc": (
        "joint stock company",
        "joint stock co",
        "jsc",
        "gufen youxian gongsi",
        "gufenyouxiangongsi",
        "ojsc",
        "pjsc",
        "cjsc",
        "ao",
        "pao",
        "oao",
        "zao",
        "as",
        "asa",
        "anonim sirketi",
        "a s",
        "tbk",
        "sa",
        "s a",
        "sas",
        "spa",
        "nv",
        "ag",
        "ab",
        "oyj",
        "public company limited",
        "pcl",
        "plc",
        "public limited company",
    ),
    "llc": (
        "llc",
        "l l c",
        "limited liability company",
        "ooo",
        "gmbh",
        "srl",
        "sarl",
        "sl",
        "bv",
        "tnhh",
        "cong ty tnhh",
        "mtv",
        "co llc",
        "llp",
        "limited liability partnership",
    ),
    "sdnbhd": ("sdn bhd", "sendirian berhad", "sdn", "bhd", "berhad"),
    "inc": ("inc", "incorporated", "corp", "corporation", "co inc"),
    "pt": ("pt", "cv", "perseroan terbatas"),
    "co": ("co", "company", "cong ty", "gongsi", "kaisha"),
}
LEGAL_FORMS: dict[tuple[str, ...], str] = {
    tuple(form.split()): canonical
    for canonical, forms in _LEGAL_FORM_TABLE.items()
    for form in forms
}
_LEGAL_FORM_MAX = max(len(k) for k in LEGAL_FORMS)

# Chinese legal forms are recognised in characters, before pinyin, so they never merge with the
# name's own syllables. Longest first.
CHINESE_LEGAL_FORMS = (
    ("股份有限公司", " jsc "),
    ("有限责任公司", " ltd "),
    ("有限公司", " ltd "),
    ("株式会社", " ltd "),
    ("公司", " co "),
)

# Chinese company-name words that English names translate rather than transliterate
# (和田泰达服装 is "Hetian Taida Apparel", not "Hetian Taida Fuzhuang"): replaced by their English
# word, in characters, after the legal forms and before pinyin, so the English and the Chinese
# forms of a name meet. Meanings from CC-CEDICT (the community Chinese–English dictionary); the
# English word chosen is the one the UFLPA Entity List and CBP's orders print for it (Apparel,
# Textile, Cotton Industry, Agricultural, Technology, Industrial, Trading, Group, Hair Accessories,
# Electronics, New Materials, Silicon Industry, Chemical, Food, Tomato …). Synonyms the English
# names use for the same word (Garment, Clothing for 服装) are made one by ``SYNONYMS``. Only words
# of two or more characters: a single character is too often part of a proper name. Longest first.
CHINESE_GLOSSARY: tuple[tuple[str, str], ...] = tuple(
    sorted(
        {
            "服装": "apparel",
            "服饰": "apparel",
            "制衣": "apparel",
            "纺织": "textile",
            "棉纺": "cotton spinning",
            "色纺": "color spinning",
            "棉业": "cotton industry",
            "棉麻": "cotton and linen",
            "农业": "agriculture",
            "科技": "technology",
            "技术": "technology",
            "生物科技": "biotechnology",
            "生物技术": "biotechnology",
            "实业": "industry",
            "工业": "industry",
            "产业": "industry",
            "贸易": "trading",
            "商贸": "trading",
            "进出口": "import export",
            "国际": "international",
            "集团": "group",
            "控股": "holding",
            "发展": "development",
            "开发": "development",
            "发饰": "hair accessories",
            "饰品": "accessories",
            "发制品": "hair products",
            "电子": "electronic",
            "微电子": "microelectronic",
            "新材料": "new material",
            "材料": "material",
            "新能源": "new energy",
            "能源": "energy",
            "光伏": "photovoltaic",
            "太阳能": "solar",
            "硅业": "silicon industry",
            "化工": "chemical",
            "化学": "chemical",
            "食品": "food",
            "番茄": "tomato",
            "有色金属": "nonferrous metal",
            "钢铁": "iron and steel",
            "矿业": "mining",
            "物流": "logistics",
        }.items(),
        key=lambda pair: -len(pair[0]),
    )
)

# English words that translate the same Chinese word, made one (after ``ABBREVIATIONS``).
SYNONYMS: dict[str, str] = {
    "garment": "apparel",
    "clothing": "apparel",
    "clothes": "apparel",
    "trade": "trading",
    "agricultural": "agriculture",
    "colour": "color",
    "metals": "metal",
}

# Abbreviations spelled out (the forms CBP and shippers print; singular for plural).
ABBREVIATIONS: dict[str, str] = {
    "intl": "international",
    "int'l": "international",
    "mfg": "manufacturing",
    "mfr": "manufacturer",
    "ind": "industry",
    "inds": "industry",
    "indus": "industry",
    "industries": "industry",
    "industrial": "industry",
    "tech": "technology",
    "technologies": "technology",
    "sci": "science",
    "dev": "development",
    "grp": "group",
    "hldgs": "holding",
    "holdings": "holding",
    "trdg": "trading",
    "elec": "electronic",
    "electronics": "electronic",
    "chem": "chemical",
    "chemicals": "chemical",
    "pharm": "pharmaceutical",
    "pharma": "pharmaceutical",
    "bros": "brothers",
    "natl": "national",
    "mat": "material",
    "matls": "material",
    "materials": "material",
    "prod": "product",
    "prods": "product",
    "products": "product",
    "garments": "garment",
    "textiles": "textile",
    "apparels": "apparel",
    "accessory": "accessories",
    "svcs": "services",
    "mgmt": "management",
    "assn": "association",
    "corp": "corp",
    "i/e": "import export",
    "imp": "import",
    "exp": "export",
    "xj": "xinjiang",
    "&": "and",
}

# Xinjiang place names: Uyghur-derived English form → the Chinese pinyin form. The UFLPA Entity
# List itself prints such pairs ("Hotan Haolin Hair Accessories" for "Hetian Haolin Hair
# Accessories Co. Ltd."). Pairs: the prefecture-level divisions and county-level cities of the
# Xinjiang Uyghur Autonomous Region, in their Chinese (pinyin) and conventional English forms.
PLACE_NAMES: dict[str, str] = {
    "hotan": "hetian",
    "khotan": "hetian",
    "kashgar": "kashi",
    "kashkar": "kashi",
    "qeshqer": "kashi",
    "aksu": "akesu",
    "turpan": "tulufan",
    "turfan": "tulufan",
    "urumqi": "wulumuqi",
    "urumchi": "wulumuqi",
    "ghulja": "yining",
    "kulja": "yining",
    "korla": "kuerle",
    "karamay": "kelamayi",
    "kumul": "hami",
    "qumul": "hami",
    "altay": "aletai",
    "bortala": "boertala",
    "kizilsu": "kezilesu",
    "kuqa": "kuche",
    "kucha": "kuche",
    "yarkand": "shache",
    "yarkant": "shache",
    "pichan": "shanshan",
    "piqan": "shanshan",
    "artux": "atushi",
    "atush": "atushi",
    "aral": "alaer",
    "bayingolin": "bayinguoleng",
    "ili": "yili",
    "chuguchak": "tacheng",
    "tarbagatay": "tacheng",
    "shihezi": "shihezi",
    "changji": "changji",
    "xinjiang": "xinjiang",
    "sinkiang": "xinjiang",
}

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_INNER_DOTS = re.compile(r"(?<=\w)[.'’](?=\w)")
_NON_WORD = re.compile(r"[^a-z0-9&/]+")
_SUBSIDIARIES = re.compile(
    r"(?:\band|&)\s+(its\s+|their\s+)?(two\s+)?(subsidiar(y|ies)|subordinates?(\s+and\s+affiliated\s+entities)?)\b"
)
_NUMBER_MARK = re.compile(r"\b(no|nr|number)\s*\.?\s*(?=\d)")
_IMO = re.compile(r"\bimo\s*(?:no\.?|number)?\s*:?\s*(\d{7})\b|\b(\d{7})\b")


def _pinyin_run(match: re.Match) -> str:
    return " " + "".join(lazy_pinyin(match.group(0), style=Style.NORMAL)) + " "


IMPORT_EXPORT = "i/e"


def to_ascii(text: str) -> str:
    """NFKC, Chinese characters to pinyin (one word per run), every other script to ASCII,
    lower case."""
    text = unicodedata.normalize("NFKC", text or "")
    if _HAN.search(text):
        for chars, replacement in CHINESE_LEGAL_FORMS:
            text = text.replace(chars, replacement)
        for chars, english in CHINESE_GLOSSARY:
            if chars in text:
                text = text.replace(chars, f" {english} ")
        text = _HAN.sub(_pinyin_run, text)
    return anyascii(text).casefold()


def words(text: str) -> list[str]:
    """ASCII words of a name: abbreviation dots removed, other punctuation a space."""
    text = _INNER_DOTS.sub("", to_ascii(text))
    text = text.replace("i/e", " i/e ").replace("&", " & ")
    out = []
    for token in _NON_WORD.sub(" ", text).split():
        if "/" in token and token != IMPORT_EXPORT:
            out.extend(t for t in token.split("/") if t)
        else:
            out.append(token)
    return out


@dataclass(frozen=True, slots=True)
class NormalName:
    """A name ready for comparison."""

    tokens: tuple[str, ...]  # significant words, legal forms set aside, abbreviations expanded
    legal_forms: tuple[str, ...]  # canonical legal-form tokens found, in order
    with_subsidiaries: bool  # the name said "and (its) subsidiaries"
    text: str = ""  # words in their order, for ``ratio``-style scoring
    sorted_key: str = ""  # token-sorted fingerprint: the exact fast path ("Taida Hetian")
    compact: str = ""  # words run together: "hetiantaida" meets "He Tian Tai Da" and 和田泰达


def _normal(tokens, forms, with_subsidiaries) -> NormalName:
    tokens = tuple(tokens)
    return NormalName(
        tokens,
        tuple(forms),
        with_subsidiaries,
        " ".join(tokens),
        " ".join(sorted(tokens)),
        "".join(tokens),
    )


def _strip_legal_forms(tokens: list[str]) -> tuple[list[str], list[str]]:
    kept: list[str] = []
    forms: list[str] = []
    i = 0
    while i < len(tokens):
        for size in range(min(_LEGAL_FORM_MAX, len(tokens) - i), 0, -1):
            canonical = LEGAL_FORMS.get(tuple(tokens[i : i + size]))
            # A one-word form at the very start ("PT Foo", "AB Foo") counts only for prefix forms.
            if canonical and (i > 0 or canonical == "pt" or size > 1):
                forms.append(canonical)
                i += size
                break
        else:
            kept.append(tokens[i])
            i += 1
    if not kept:  # a name that is only a legal form ("Limited") keeps its words
        return tokens, []
    return kept, forms


@lru_cache(maxsize=200_000)
def normalise_name(text: str) -> NormalName:
    """A company name's significant tokens and its legal forms (set aside)."""
    raw = _INNER_DOTS.sub("", to_ascii(text))
    with_subsidiaries = bool(_SUBSIDIARIES.search(raw))
    raw = _SUBSIDIARIES.sub(" ", raw)
    tokens = words(raw)
    expanded: list[str] = []
    for token in tokens:
        for word in ABBREVIATIONS.get(token, token).split():
            expanded.append(SYNONYMS.get(word, word))
    kept, forms = _strip_legal_forms(expanded)
    kept = [PLACE_NAMES.get(t, t) for t in kept if t not in ("the", "and")] or kept
    return _normal(kept, forms, with_subsidiaries)


def legal_form_phrase(a: NormalName, b: NormalName) -> str:
    """Words for a reason: whether the two names' legal forms agree."""
    if not a.legal_forms and not b.legal_forms:
        return ""
    if not a.legal_forms or not b.legal_forms:
        return "legal form missing"
    if set(a.legal_forms) & set(b.legal_forms):
        return ""
    return "legal form differs"


@lru_cache(maxsize=50_000)
def vessel_key(text: str) -> str:
    """A vessel's name as one comparable key: "Yu Long No. 2", "YU LONG NO.2", "Yulong 2" →
    "yulong2". Legal forms are never stripped ("Yu" is a name, not a form)."""
    raw = to_ascii(text)
    raw = re.sub(r"^\s*(fishing\s+vessel|f/v|fv|m/v|mv)\s*[:\-]?\s*", "", raw)
    raw = re.sub(r"\(?\bimo\b[^)]*\)?", " ", raw)
    raw = _NUMBER_MARK.sub(" ", raw)
    return "".join(re.findall(r"[a-z0-9]+", raw))


def imo_in(text: str) -> str:
    """The 7-digit IMO number written in a vessel field ("Da Wang IMO 8832156"), or ""."""
    found = _IMO.search(to_ascii(text))
    if not found:
        return ""
    return found.group(1) or found.group(2)


def address_words(text: str) -> frozenset[str]:
    """The words of an address, place names in their pinyin form, for city agreement."""
    return frozenset(PLACE_NAMES.get(w, w) for w in words(text) if len(w) > 2)
