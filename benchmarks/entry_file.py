#!/usr/bin/env python
"""A made-up file of import entry lines for timing ``withhold screen``: every name in it is made
up (or a listed name respelled), none is a real company.

    .venv/bin/python benchmarks/entry_file.py OUT.csv [--lines 1000000] [--pool 140000]
        [--zipf 1.0] [--seed 1307]

How the manufacturer names are made (``made_up_manufacturer``): each name is built for its
country of origin the way companies there are written on entry documents — a Chinese maker as
"<city> <brand> <trade> Co., Ltd." or "<brand> (<city>) <trade> Industrial Co., Ltd.", a
Vietnamese one as "<brand> <trade> Joint Stock Company" or "Cong Ty TNHH <brand> <trade>", an
Indian one "<brand> <trade> Pvt. Ltd.", a Malaysian one "<brand> <trade> Sdn. Bhd.", an
Indonesian one "PT <brand> <trade>", a Turkish one "<brand> <trade> San. ve Tic. A.S.", a Mexican
one "<brand> <trade> S.A. de C.V." … The brand is two syllables of that country's language (or
an English word and a syllable: "Golden Hengli"), the city one of the country's manufacturing
cities, the trade one of 40 lines of business. A pool of ``--pool`` distinct such names is drawn
(the same name twice is drawn again), then each line picks its manufacturer from the pool with a
Zipf distribution of exponent ``--zipf`` — a few large exporters ship again and again, with a
long tail of makers seen once or twice. With the defaults, 1,000,000 lines name about 100,000
distinct manufacturers (the script prints the count): a real entry file repeats its makers less
than the 40,000-name pool the first benchmark used.

Listed-name variants: 0.5 % of the lines name a party of ``listed`` (the watch list's real
entries) in a spelling an entry might use: upper case without punctuation, the legal form
changed ("Co., Ltd." → "Company Limited"), or the words of the name without its legal form.

The other columns: an importer among 2,000 made-up US importers, the shipper (the manufacturer
itself on half the lines, else one of 2,000 forwarders), an address in the maker's city, an HTS
code and description from 12 common pairs, an entry number and date.
"""

import argparse
import csv
import random
import re
from collections.abc import Sequence
from pathlib import Path

COLUMNS = (
    "line_id",
    "entry_number",
    "entry_date",
    "importer_name",
    "manufacturer_name",
    "manufacturer_address",
    "shipper_name",
    "country_of_origin",
    "hts_code",
    "description",
    "vessel_name",
)


def _words(text: str) -> list[str]:
    return text.split()


def _items(text: str) -> list[str]:
    return text.split("|")


_PINYIN = _words(
    "an bao bei cheng chun da de ding dong fa feng fu gang guang hai hao he heng hong hua huang "
    "hui jia jian jin jing kai kang le li lian long mei ming nan ning peng qi qian rong rui sen "
    "sheng shun tai tian tong wan wei xiang xin xing xu ya yang yi ying yong yu yuan yue zhan "
    "zhong zhi"
)
SYLLABLES = {
    "CN": _PINYIN,
    "VN": _words(
        "an binh cuong dai duc gia hai hoa hong hung khang kim lam loc long minh nam ngoc "
        "phat phong phu quang sai son tan thanh thien thinh tien trung tuan viet vinh"
    ),
    "BD": _words("ab al ar bay dip ha ja ka mir mo na noor ra rah sa sha ta uz zam"),
    "IN": _words(
        "aar ad ajan ami bha deva ganga hari indra jai kal kri lak maha nav pra raj sai "
        "sha shiv sri sur vard vija"
    ),
    "PK": _words("al an ba fa gul ha ja ka ma mir na nis ra sa sha ta ya za"),
    "MY": _words("ban ja jaya ma mas mega nusa per pu sa sen ta tek wa"),
    "ID": _words("ba da ga ha ja ka ma na nu ra sa su ta wi ya"),
    "TH": _words("bang chai chao krung nak pat pra sam san siam sri suk thai wat"),
    "TR": _words("ak al ata bay can dem er gul kar mer oz sa ta tek yil"),
    "MX": _words("al ca de del la ma mar mex ri ro san sol ta ver"),
    "KH": _words("ang chan ho kim mey pich rith sok sov vann"),
    "LK": _words("bri dha gam han kan lan nil ran sam sri wick"),
}
WORDS = _words(
    "Golden Star Sun Asia Global Pacific East Royal Grand Prime Nova Ever Best Bright Great "
    "Silver Ocean Rising Lucky Unity Eagle Lotus Jade Dragon Orient Harvest Crown Summit Vision"
)
CITIES = {
    "CN": _words(
        "Shanghai Ningbo Shenzhen Guangzhou Qingdao Tianjin Xiamen Suzhou Wuxi Hangzhou Dongguan "
        "Foshan Jinan Yantai Changzhou Nantong Shaoxing Wenzhou Quanzhou Jinjiang Zhongshan Huizhou "
        "Taizhou Yiwu Jiaxing Huzhou Weifang Zibo Linyi Hefei Wuhan Changsha Chengdu Chongqing"
    ),
    "VN": _items("Hanoi|Haiphong|Danang|Binh Duong|Dong Nai|Long An|Bac Ninh|Hai Duong|Nam Dinh"),
    "BD": _words("Dhaka Chittagong Gazipur Narayanganj Savar Ashulia"),
    "IN": _words("Tiruppur Chennai Mumbai Ludhiana Panipat Surat Bangalore Noida Jaipur Kanpur"),
    "PK": _words("Karachi Lahore Faisalabad Sialkot Multan"),
    "MY": _items("Penang|Klang|Johor Bahru|Ipoh|Shah Alam"),
    "ID": _words("Surabaya Bandung Semarang Bekasi Tangerang"),
    "TH": _items("Bangkok|Samut Prakan|Chonburi|Rayong|Ayutthaya"),
    "TR": _words("Izmir Bursa Denizli Gaziantep Istanbul Kayseri"),
    "MX": _words("Monterrey Guadalajara Tijuana Puebla Leon"),
    "KH": _items("Phnom Penh|Kampong Speu|Kandal|Sihanoukville"),
    "LK": _words("Colombo Katunayake Biyagama Kandy"),
}
TRADES = _items(
    "Textile|Garment|Apparel|Knitting|Weaving|Dyeing|Electronics|Solar Technology|Plastic Products|"
    "Hardware|Furniture|Footwear|Toys|Food|Seafood|Packaging|Steel|Aluminium|Chemical|Ceramics|"
    "Glass|Lighting|Machinery|Auto Parts|Paper|Rubber|Leather|Home Textile|Trading|"
    "Import and Export|Industrial|Sporting Goods|Bags|Jewellery|Cotton Spinning|Knit Composite|"
    "Fashion|Precision Metal|Wood Products|Handicraft"
)
# (pattern, weight) per country; {b} brand, {c} city, {t} trade.
PATTERNS = {
    "CN": [
        ("{c} {b} {t} Co., Ltd.", 5),
        ("{c} {b} {t} Co Ltd", 2),
        ("{b} ({c}) {t} Co., Ltd.", 1),
        ("{c} {b} {t} Industrial Co., Ltd.", 1),
        ("{b} {t} Group Co., Ltd.", 1),
        ("{c} {b} {t} Company Limited", 1),
    ],
    "VN": [
        ("{b} {t} Joint Stock Company", 2),
        ("{b} {t} Co., Ltd", 2),
        ("Cong Ty TNHH {b} {t}", 1),
        ("{b} {t} JSC", 1),
    ],
    "BD": [("{b} {t} Ltd.", 3), ("{b} {t} Limited", 1), ("{b} {t} Industries Ltd", 1)],
    "IN": [("{b} {t} Pvt. Ltd.", 3), ("{b} {t} Private Limited", 1), ("{b} Exports", 1)],
    "PK": [("{b} {t} (Pvt) Ltd", 3), ("{b} {t} Mills Ltd", 1)],
    "MY": [("{b} {t} Sdn. Bhd.", 3), ("{b} {t} Berhad", 1)],
    "ID": [("PT {b} {t}", 3), ("PT {b} {t} Tbk", 1)],
    "TH": [("{b} {t} Co., Ltd.", 3), ("{b} {t} Public Company Limited", 1)],
    "TR": [("{b} {t} San. ve Tic. A.S.", 3), ("{b} {t} Ltd. Sti.", 1)],
    "MX": [("{b} {t} S.A. de C.V.", 3), ("{b} de {c} S.A.", 1)],
    "KH": [("{b} {t} (Cambodia) Co., Ltd.", 2), ("{b} {t} Co., Ltd.", 1)],
    "LK": [("{b} {t} (Pvt) Ltd", 3), ("{b} {t} PLC", 1)],
}
COUNTRY_WEIGHTS = {
    "CN": 40, "VN": 12, "BD": 8, "IN": 9, "PK": 4, "MY": 4, "ID": 5, "TH": 4, "TR": 4, "MX": 6,
    "KH": 2, "LK": 2,
}  # fmt: skip
DESCRIPTIONS = [
    ("6109100010", "cotton t-shirts"),
    ("6204620010", "women's cotton trousers"),
    ("8541430010", "solar modules"),
    ("9503000073", "plastic toys"),
    ("6403990060", "leather footwear"),
    ("9403600080", "wooden furniture"),
    ("3926909985", "plastic articles"),
    ("7323930080", "stainless kitchenware"),
    ("0306170020", "frozen shrimp"),
    ("4015190510", "nitrile gloves"),
    ("5201001000", "raw cotton"),
    ("2804619000", "polysilicon"),
]
_FORMS = re.compile(
    r",?\s*\b(co\.?,?\s*ltd|company limited|limited|ltd|corporation|corp|inc|llc)\.?\s*$",
    re.IGNORECASE,
)


def _brand(rng: random.Random, country: str) -> str:
    syllables = SYLLABLES[country]
    if rng.random() < 0.15:
        return f"{rng.choice(WORDS)} {rng.choice(syllables).title()}"
    return "".join(rng.choice(syllables) for _ in range(2)).title()


def made_up_manufacturer(rng: random.Random, country: str) -> str:
    patterns = PATTERNS[country]
    pattern = rng.choices([p for p, _ in patterns], weights=[w for _, w in patterns])[0]
    return pattern.format(
        b=_brand(rng, country), c=rng.choice(CITIES[country]), t=rng.choice(TRADES)
    )


def listed_variant(rng: random.Random, name: str) -> str:
    """A listed name as an entry line might spell it."""
    kind = rng.randrange(3)
    if kind == 0:
        return name.upper().replace(",", "").replace(".", "")
    if kind == 1 and _FORMS.search(name):
        return _FORMS.sub(" Company Limited", name)
    return _FORMS.sub("", name) or name


def manufacturer_pool(rng: random.Random, size: int) -> list[tuple[str, str, str]]:
    """``size`` distinct (name, country, city) made-up manufacturers."""
    countries = list(COUNTRY_WEIGHTS)
    weights = list(COUNTRY_WEIGHTS.values())
    seen: set[str] = set()
    pool = []
    while len(pool) < size:
        country = rng.choices(countries, weights=weights)[0]
        name = made_up_manufacturer(rng, country)
        if name in seen:
            continue
        seen.add(name)
        city = next((c for c in CITIES[country] if c in name), rng.choice(CITIES[country]))
        pool.append((name, country, city))
    return pool


def write_entry_file(
    path: Path,
    lines: int,
    rng: random.Random,
    listed: Sequence[Sequence[str]] = (),
    *,
    pool_size: int = 140_000,
    zipf: float = 1.0,
) -> int:
    """Write ``lines`` made-up entry lines to ``path``; ``listed`` is the names of each listed
    party (a party's name and aliases). Returns the number of distinct manufacturer names."""
    pool = manufacturer_pool(rng, pool_size)
    rng.shuffle(pool)  # rank in the Zipf draw independent of how the name was made
    weights = [1 / (r**zipf) for r in range(1, pool_size + 1)]
    importers = [
        f"{_brand(rng, 'CN').split()[-1]} {rng.choice(['Imports', 'Trading', 'Retail', 'Brands'])} LLC"
        for _ in range(2000)
    ]
    forwarders = [
        f"{_brand(rng, rng.choice(list(SYLLABLES)))} {rng.choice(['Logistics', 'Shipping', 'Freight'])}"
        f" {rng.choice(['Co., Ltd.', 'Limited', 'Pte Ltd', 'Ltd'])}"
        for _ in range(2000)
    ]
    picks = rng.choices(range(pool_size), weights=weights, k=lines)
    names: set[str] = set()
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for i, pick in enumerate(picks, start=1):
            name, country, city = pool[pick]
            hts, description = DESCRIPTIONS[pick % len(DESCRIPTIONS)]
            if listed and rng.random() < 0.005:
                name = listed_variant(rng, rng.choice(rng.choice(listed)))
                country, city = "CN", "Urumqi"
            names.add(name)
            shipper = name if rng.random() < 0.5 else forwarders[pick % 2000]
            writer.writerow([f"L{i}", f"AB1-{i:07d}-0", "2026-05-01", importers[pick % 2000],
                             name, f"No. {pick % 300} Industrial Road, {city}", shipper, country,
                             hts, description, ""])  # fmt: skip
    return len(names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output")
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--pool", type=int, default=140_000)
    parser.add_argument("--zipf", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1307)
    args = parser.parse_args()
    distinct = write_entry_file(
        Path(args.output), args.lines, random.Random(args.seed), pool_size=args.pool, zipf=args.zipf
    )
    print(f"{args.lines:,} lines, {distinct:,} distinct manufacturer names, in {args.output}")


if __name__ == "__main__":
    main()
