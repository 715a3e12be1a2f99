"""What CBP's UFLPA guidance asks an importer to send, per high-priority sector, as data.

An importer whose goods are detained under the UFLPA presumption (Public Law 117-78, section
3(a)) has two ways out (CBP, *UFLPA Operational Guidance for Importers*, 13 June 2022):

- an **applicability review**: the goods are outside the presumption, shown by supply-chain
  tracing from the raw material to the finished good (no XUAR input, no listed entity);
- an **exception** (section 3(b)): the Commissioner may grant one only if the importer fully
  complied with the guidance, completely and substantively answered every CBP request for
  information, and shows by clear and convincing evidence that the goods were not made wholly or
  in part by forced labor.

``CHECKLISTS`` lists, per sector, the kinds of document the guidance names (each a
``DetentionDocument.Kind`` value) with the citation it comes from and the path(s) it serves;
``checklist`` says which are still missing given the kinds already uploaded. The sectors are
the Strategy's high-priority sectors: apparel, cotton, silica-based products (polysilicon) and
tomatoes (2022), aluminum, PVC and seafood (2024 update). The raw-material line of each sector
applies the guidance's "from the raw material" tracing to that sector's raw material, as the
Strategy describes the sector's supply chain. No database here.
"""

from dataclasses import dataclass

APPLICABILITY = "applicability_review"
EXCEPTION = "exception"

GUIDANCE = "CBP, UFLPA Operational Guidance for Importers (13 June 2022)"
GUIDANCE_TRACING = f"{GUIDANCE}, “Supply chain tracing information”"
GUIDANCE_DUE_DILIGENCE = f"{GUIDANCE}, “Due diligence system information”"
GUIDANCE_MANAGEMENT = f"{GUIDANCE}, “Information on supply chain management measures”"
FAQ_RECORDS = (
    "CBP, UFLPA frequently asked questions on applicability reviews (23 February 2023): "
    "transaction, party and payment and transport records"
)
STRATEGY_2022 = (
    "FLETF, Strategy to Prevent the Importation of Goods Mined, Produced, or Manufactured with "
    "Forced Labor in the PRC (21 June 2022), high-priority sectors"
)
STRATEGY_2024 = "FLETF, UFLPA Strategy update (9 July 2024), high-priority sectors added"

BOTH = (APPLICABILITY, EXCEPTION)


@dataclass(frozen=True)
class Item:
    """One kind of document the guidance names: what it is for this sector, and the paths
    (applicability review, exception request) that need it."""

    kind: str
    what: str
    citation: str
    paths: tuple[str, ...] = BOTH


@dataclass(frozen=True)
class Sector:
    code: str
    label: str
    raw_material: str
    citation: str


SECTORS: tuple[Sector, ...] = (
    Sector(
        "cotton",
        "Cotton and cotton products",
        "Raw cotton: the farm or region it was grown in, the gin and the bale records",
        f"{STRATEGY_2022}; {GUIDANCE} (cotton named)",
    ),
    Sector(
        "apparel",
        "Apparel",
        "Fibre, yarn and fabric: the spinning mill and weaving or knitting mill of each, and "
        "the origin of the fibre",
        STRATEGY_2022,
    ),
    Sector(
        "polysilicon",
        "Silica-based products (polysilicon)",
        "Quartzite and metallurgical-grade silicon: the mine and the smelter, and the "
        "polysilicon plant",
        f"{STRATEGY_2022}; {GUIDANCE} (polysilicon named)",
    ),
    Sector(
        "tomatoes",
        "Tomatoes and downstream products",
        "Fresh tomatoes: the farms they were grown on and the processing plant (paste, sauce)",
        f"{STRATEGY_2022}; {GUIDANCE} (tomatoes named)",
    ),
    Sector(
        "aluminum",
        "Aluminum",
        "Bauxite, alumina and primary aluminum: the mine, the refinery and the smelter of "
        "the ingot or billet",
        STRATEGY_2024,
    ),
    Sector(
        "pvc",
        "Polyvinyl chloride (PVC)",
        "The PVC resin and its feedstock (calcium carbide or ethylene, salt): the plant that "
        "made the resin and where its feedstock came from",
        STRATEGY_2024,
    ),
    Sector(
        "seafood",
        "Seafood",
        "The catch: the vessel or farm, the fishing area and the processing plant",
        STRATEGY_2024,
    ),
)
SECTORS_BY_CODE = {sector.code: sector for sector in SECTORS}
SECTOR_CHOICES = [(sector.code, sector.label) for sector in SECTORS]

# Every sector's tracing documents (the FAQ's three kinds of record and the guidance's tracing
# map), then its raw-material origin; an exception request adds the importer's own systems.
_COMMON: tuple[Item, ...] = (
    Item(
        "supply_chain",
        "A map of the supply chain from the raw material to the finished good: every party, "
        "its role and the place of each step",
        GUIDANCE_TRACING,
    ),
    Item(
        "transaction_records",
        "Purchase orders, invoices, contracts and proof of payment for each step",
        FAQ_RECORDS,
    ),
    Item(
        "transport_records",
        "Packing lists, bills of lading and manifests moving the goods and their inputs",
        FAQ_RECORDS,
    ),
    Item(
        "production_records",
        "Production records of each step (who made what, where, when, in what quantity)",
        GUIDANCE_TRACING,
    ),
)
_EXCEPTION_ONLY: tuple[Item, ...] = (
    Item(
        "due_diligence_system",
        "The importer's due-diligence system: policy, risk assessment, supplier engagement",
        GUIDANCE_DUE_DILIGENCE,
        (EXCEPTION,),
    ),
    Item(
        "management_measures",
        "Supply-chain management measures: how forced labor is prevented and remedied",
        GUIDANCE_MANAGEMENT,
        (EXCEPTION,),
    ),
)

CHECKLISTS: dict[str, tuple[Item, ...]] = {
    sector.code: (
        *_COMMON,
        Item("raw_material_origin", sector.raw_material, sector.citation),
        *_EXCEPTION_ONLY,
    )
    for sector in SECTORS
}


@dataclass(frozen=True)
class Line:
    item: Item
    present: bool


def checklist(sector: str, path: str, kinds: set[str] | frozenset[str]) -> list[Line]:
    """The documents the guidance names for ``sector`` on ``path``, each marked present when a
    document of its kind has been uploaded (``kinds``)."""
    return [
        Line(item, item.kind in kinds) for item in CHECKLISTS.get(sector, ()) if path in item.paths
    ]


def missing(sector: str, path: str, kinds: set[str] | frozenset[str]) -> list[Item]:
    return [line.item for line in checklist(sector, path, kinds) if not line.present]
