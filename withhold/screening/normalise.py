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
4. Common abbreviations (``ABBREVIATIONS``) are spelled out; English words that translate one
   Chinese word (``SYNONYMS``: Garment, Clothing → apparel) become one.
5. Place names (``PLACES``, a gazetteer of the Xinjiang Uyghur Autonomous Region's prefectures,
   cities and counties and of China's provinces and the cities named on the lists, in pinyin,
   English, Uyghur-derived, postal and Wade-Giles forms and in characters:
   ``withhold/reference/data/places_cn.csv``) become one key each ("Kashgar", "K'a-shih", 喀什 →
   kashi; Hotan meets Hetian) and are kept apart from the name's own words (``NormalName.places``, ``core``), so a
   province or city on one side only costs little and a different one rules the name out;
   run-together words starting with a place are split ("XINJIANGZHONGTAI").
6. Typos in boilerplate words ("Croporation", "Subsidiaires", ``BOILERPLATE``) are read as the word
   (one edit, two in words of ten letters or more), and brand names and translated words meet the
   pinyin of the Chinese name (``EQUIVALENTS``, ``withhold/reference/data/name_equivalents.csv``:
   Hesheng → Hoshine, Dongfang Xiwang → East Hope, August First → Bayi, Hemp → Linen) and the
   pinyin of the glossary's words (fuzhuang → apparel, huaxue → chemical).

Vessel names keep everything (``vessel_key``): "Yu Long No. 2" has no legal form in it, and
"No. 2", "NO.2" and "No 2" all mean the number 2.
"""

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from anyascii import anyascii
from pypinyin import Style, lazy_pinyin
from rapidfuzz.distance import OSA

REFERENCE_DATA = Path(__file__).resolve().parent.parent / "reference" / "data"

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
            "毛纺织": "wool textile",
            "毛纺": "wool textile",
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
            "金属": "metal",
            "有色": "nonferrous",
            "生产": "production",
            "建设": "construction",
            "兵团": "corps",
            "东方": "east",
            "希望": "hope",
            "骆驼": "camel",
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
    "info": "information",
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


@dataclass(frozen=True, slots=True)
class Place:
    key: str  # the pinyin form, one word: "hetian"
    level: str  # region, province, prefecture, city, county, district
    parent: str  # the key of the division it lies in ("" for a province)
    country: str  # ISO 3166-1 alpha-2: CN, or HK / MO


def _form_words(form: str) -> tuple[str, ...]:
    """A gazetteer form as the words the normaliser makes of it; hyphenated and apostrophed
    romanisations run together ("Ho-t'ien" → hotien)."""
    form = unicodedata.normalize("NFKC", form).casefold()
    if "-" in form or "'" in form or "’" in form:
        form = re.sub(r"[-'’]", "", form)
    return tuple(re.findall(r"[a-z0-9]+", form))


def _load_places() -> tuple[dict, dict, dict]:
    places: dict[str, Place] = {}
    forms: dict[tuple[str, ...], str] = {}
    chinese: dict[str, str] = {}
    with (REFERENCE_DATA / "places_cn.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = row["key"]
            places[key] = Place(key, row["level"], row["parent"], row["country"])
            forms[(key,)] = key
            chinese[row["chinese"]] = key
            for form in filter(None, (f.strip() for f in row["other_forms"].split(";"))):
                if re.search(r"[\u4e00-\u9fff]", form):
                    chinese[form] = key
                else:
                    forms.setdefault(_form_words(form), key)
    return places, forms, chinese


# The gazetteer (withhold/reference/data/places_cn.csv, sources in SOURCES.md).
PLACES, PLACE_FORMS, _PLACE_CHINESE = _load_places()
# One-word forms → key ("hotan" → "hetian"), for addresses and compatibility with older callers.
PLACE_NAMES: dict[str, str] = {k[0]: v for k, v in PLACE_FORMS.items() if len(k) == 1}
_PLACE_FORM_MAX = max(len(k) for k in PLACE_FORMS)
_PLACE_CHARS = re.compile(
    "|".join(re.escape(c) for c in sorted(_PLACE_CHINESE, key=len, reverse=True))
)


@lru_cache(maxsize=4096)
def place_ancestors(key: str) -> tuple[str, ...]:
    """The place and every division it lies in: hetian → (hetian, xinjiang)."""
    chain = []
    while key and key not in chain:
        chain.append(key)
        key = PLACES[key].parent if key in PLACES else ""
    return tuple(chain)


def places_compatible(a: str, b: str) -> bool:
    """Whether two places can be one: the same, or one lies in the other (Hetian in Xinjiang)."""
    return a == b or a in place_ancestors(b) or b in place_ancestors(a)


def place_country(key: str) -> str:
    return PLACES[place_ancestors(key)[-1]].country if key in PLACES else ""


def place_label(key: str) -> str:
    return key.title()


# Words that qualify a name without naming who it is: a group or holding above the company, or
# the kind of division after a place name. Set aside from ``NormalName.core``.
QUALIFIER_WORDS = frozenset(
    {"group", "holding", "county", "city", "prefecture", "province", "region", "district",
     "autonomous", "municipality"}
)  # fmt: skip

# Boilerplate words whose typos are read as the word ("Croporation", "Compnay", "Limted",
# "Subsidiaires"): legal forms and the "and its subsidiaries" phrase. One edit (optimal string
# alignment: a swap of two neighbouring letters is one edit); two in words of ten letters or more.
BOILERPLATE = (
    "company",
    "limited",
    "corporation",
    "incorporated",
    "subsidiaries",
    "subsidiary",
    "international",
    "technology",
)


@lru_cache(maxsize=20_000)
def _boilerplate(token: str) -> str:
    if token in BOILERPLATE:
        return token
    for word in BOILERPLATE:
        if abs(len(word) - len(token)) > 2:
            continue
        allowed = 2 if len(word) >= 10 else 1
        if OSA.distance(token, word, score_cutoff=allowed) <= allowed:
            return word
    return token


_LONG_WORD = re.compile(r"[a-z]{5,}")


def _load_equivalents() -> dict[tuple[str, ...], tuple[str, ...]]:
    table: dict[tuple[str, ...], tuple[str, ...]] = {}
    with (REFERENCE_DATA / "name_equivalents.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            table[tuple(row["written"].split())] = tuple(row["canonical"].split())
    # The glossary's words in pinyin, as a romanised name writes them (服装 fuzhuang → apparel);
    # words of five letters or more, and not those that are also common given names.
    for chars, english in CHINESE_GLOSSARY:
        written = "".join(lazy_pinyin(chars, style=Style.NORMAL))
        if len(written) >= 5 and written not in _PINYIN_NOT_TRANSLATED:
            table.setdefault((written,), tuple(english.split()))
    return table


_PINYIN_NOT_TRANSLATED = frozenset({"fushi", "fashi", "zhiyi", "guangfu", "shipin", "jishu"})
EQUIVALENTS = _load_equivalents()
_EQUIVALENT_MAX = max(len(k) for k in EQUIVALENTS)

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
    """NFKC, Chinese characters to pinyin (one word per run; place names and glossary words
    first, each its own word), every other script to ASCII, lower case."""
    text = unicodedata.normalize("NFKC", text or "")
    if _HAN.search(text):
        for chars, replacement in CHINESE_LEGAL_FORMS:
            text = text.replace(chars, replacement)
        text = _PLACE_CHARS.sub(lambda m: f" {_PLACE_CHINESE[m.group(0)]} ", text)
        for chars, english in CHINESE_GLOSSARY:
            if chars in text:
                text = text.replace(chars, f" {english} ")
        text = _HAN.sub(_pinyin_run, text)
    return anyascii(text).casefold()


_HYPHENATED = re.compile(r"[a-z]+(?:[-'’][a-z]+)+")


def _join_romanised(match: re.Match) -> str:
    """ "ho-t'ien" → "hotien" when the run-together form is a place; otherwise unchanged."""
    joined = re.sub(r"[-'’]", "", match.group(0))
    return joined if (joined,) in PLACE_FORMS else match.group(0)


def words(text: str) -> list[str]:
    """ASCII words of a name: abbreviation dots removed, other punctuation a space."""
    text = _HYPHENATED.sub(_join_romanised, to_ascii(text))
    return _split_words(_INNER_DOTS.sub("", text))


def _split_words(text: str) -> list[str]:
    """``words`` of a text already in ASCII, lower case, dots inside abbreviations removed."""
    text = text.replace("i/e", " i/e ").replace("&", " & ")
    out = []
    for token in _NON_WORD.sub(" ", text).split():
        if "/" in token and token != IMPORT_EXPORT:
            out.extend(t for t in token.split("/") if t)
        else:
            out.append(token)
    return out


# A run-together token splits after a place of five letters or more ("xinjiangzhongtai",
# "hetiantaida"), or a shorter one before a division word ("lopcounty"); the rest keeps at least
# four letters, so "changjiang" is not Changji + "ang".
_SPLIT_SUFFIXES = ("county", "city", "prefecture")
_FIRST_WORDS: dict[int, frozenset[str]] = {}


def _split_place_prefix(token: str) -> list[str]:
    if len(token) < 7 or (token,) in PLACE_FORMS:
        return [token]
    for size in range(min(len(token) - 4, 12), 2, -1):
        head, rest = token[:size], token[size:]
        if (head,) in PLACE_FORMS and (size >= 5 or rest in _SPLIT_SUFFIXES):
            return [head, *_split_place_prefix(rest)]
    return [token]


def _replace_sequences(tokens: list[str], table: dict, longest: int) -> list[str]:
    firsts = _FIRST_WORDS.get(id(table))
    if firsts is None:
        firsts = _FIRST_WORDS[id(table)] = frozenset(k[0] for k in table)
    if firsts.isdisjoint(tokens):
        return tokens
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for size in range(min(longest, len(tokens) - i), 0, -1):
            found = table.get(tuple(tokens[i : i + size]))
            if found is not None:
                out.extend(found if isinstance(found, tuple) else (found,))
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
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
    places: tuple[str, ...] = ()  # gazetteer keys of the place words, in order
    core: tuple[str, ...] = ()  # tokens without places and qualifier words ("group")
    core_text: str = ""
    core_key: str = ""  # token-sorted core
    core_compact: str = ""
    qualifiers: tuple[str, ...] = ()  # qualifier words found ("group", "holding")
    corrected: tuple[str, ...] = ()  # boilerplate typos read as the word: "croporation→corporation"


def _normal(tokens, forms, with_subsidiaries, corrected=()) -> NormalName:
    tokens = tuple(tokens)
    places = tuple(dict.fromkeys(t for t in tokens if t in PLACES))
    qualifiers = tuple(dict.fromkeys(t for t in tokens if t in QUALIFIER_WORDS))
    core = tuple(t for t in tokens if t not in PLACES and t not in QUALIFIER_WORDS) or tokens
    return NormalName(
        tokens,
        tuple(forms),
        with_subsidiaries,
        " ".join(tokens),
        " ".join(sorted(tokens)),
        "".join(tokens),
        places,
        core,
        " ".join(core),
        " ".join(sorted(core)),
        "".join(core),
        qualifiers,
        tuple(corrected),
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
    raw = _HYPHENATED.sub(_join_romanised, to_ascii(text))
    raw = _INNER_DOTS.sub("", raw)
    corrected: list[str] = []

    def fix(match: re.Match) -> str:
        word = _boilerplate(match.group(0))
        if word != match.group(0):
            corrected.append(f"{match.group(0)}→{word}")
        return word

    raw = _LONG_WORD.sub(fix, raw)
    with_subsidiaries = bool(_SUBSIDIARIES.search(raw))
    raw = _SUBSIDIARIES.sub(" ", raw)
    tokens = [part for token in _split_words(raw) for part in _split_place_prefix(token)]
    expanded: list[str] = []
    for token in tokens:
        for word in ABBREVIATIONS.get(token, token).split():
            expanded.append(SYNONYMS.get(word, word))
    expanded = _replace_sequences(expanded, EQUIVALENTS, _EQUIVALENT_MAX)
    kept, forms = _strip_legal_forms(expanded)
    kept = [t for t in kept if t not in ("the", "and")] or kept
    kept = _replace_sequences(kept, PLACE_FORMS, _PLACE_FORM_MAX)
    return _normal(kept, forms, with_subsidiaries, corrected)


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
    return _address_words(words(text))


def _address_words(words_: list[str]) -> frozenset[str]:
    return frozenset(PLACE_NAMES.get(w, w) for w in words_ if len(w) > 2)


def address_words_and_places(text: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """``address_words`` and ``address_places`` of one address, its words found once."""
    words_ = words(text)
    return _address_words(words_), _places_in(words_)


# A place word followed by these (after an optional direction) names a street, not where the
# maker is: "No. 8 Urumqi Middle Road, Shanghai", "Hetian Lu".
_STREET_WORDS = frozenset({"road", "rd", "street", "st", "lu", "avenue", "ave", "lane", "jie"})
_DIRECTION_WORDS = frozenset({"middle", "north", "south", "east", "west", "zhong", "bei", "nan",
                              "dong", "xi", "1st", "2nd", "3rd"})  # fmt: skip


@lru_cache(maxsize=100_000)
def address_places(text: str) -> tuple[str, ...]:
    """The gazetteer places an address names, streets named after a place left out."""
    return _places_in(words(text))


def _places_in(words_: list[str]) -> tuple[str, ...]:
    tokens = [part for token in words_ for part in _split_place_prefix(token)]
    found: list[str] = []
    i = 0
    while i < len(tokens):
        for size in range(min(_PLACE_FORM_MAX, len(tokens) - i), 0, -1):
            key = PLACE_FORMS.get(tuple(tokens[i : i + size]))
            if key is not None:
                after = tokens[i + size : i + size + 2]
                if after and after[0] in _DIRECTION_WORDS:
                    after = after[1:]
                if not (after and after[0] in _STREET_WORDS):
                    found.append(key)
                i += size
                break
        else:
            i += 1
    return tuple(dict.fromkeys(found))


# Commodity words -------------------------------------------------------------------------

# Words of an order's merchandise that name no commodity ("Cotton, Tomatoes and Downstream
# Products").
_NOT_COMMODITY = frozenset({"downstream", "product", "products", "goods", "item", "items",
                            "article", "articles", "merchandise", "derivative", "derivatives",
                            "based", "whole", "part", "thereof", "processed"})  # fmt: skip


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """English plural to singular, enough for commodity words: tomatoes → tomato, berries →
    berry, boxes → box, shirts → shirt (not "glass", "cotton")."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("oes"):
        return word[:-2]
    if len(word) > 4 and word.endswith(("ses", "xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def stems(words_: frozenset[str]) -> frozenset[str]:
    return frozenset(stem(w) for w in words_)


def commodity_terms(merchandise: str) -> frozenset[str]:
    """The commodity words of an order's merchandise, singular: {"cotton", "tomato"}."""
    from withhold.orders.matching import significant_words

    return frozenset(s for s in stems(significant_words(merchandise)) if s not in _NOT_COMMODITY)


@lru_cache(maxsize=1)
def _commodity_table() -> tuple[tuple[frozenset[str], str], ...]:
    rows = []
    with (REFERENCE_DATA / "commodities.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            terms = commodity_terms(re.sub(r"\(.*?\)", " ", row["name"]))
            if terms and row["hs_code"]:
                rows.append((terms, row["hs_code"]))
    return tuple(rows)


def commodity_headings(terms: frozenset[str]) -> tuple[str, ...]:
    """The HS headings of the reference commodities (``commodities.csv``) whose words are all
    among ``terms``: {"cotton", "tomato"} → ("0702", "2002", "5201")."""
    return tuple(sorted({code for words_, code in _commodity_table() if words_ <= terms}))
