"""The supply-chain graph of a case as server-rendered SVG coordinates. Pure, no database.

Entities are laid out left to right in layers by their role in the case (raw material → processor
→ manufacturer → exporter → importer), so the map reads the way goods move; "supplies" links are
the edges. The template draws the result; no JavaScript is needed.
"""

from collections.abc import Iterable
from dataclasses import dataclass

# Column of each CaseEntity role, in the direction the goods travel.
LAYER_OF_ROLE: dict[str, int] = {
    "raw_material_producer": 0,
    "vessel": 0,
    "processor": 1,
    "supplier": 1,
    "manufacturer": 2,
    "exporter": 3,
    "trader": 3,
    "importer": 4,
}
LAYER_COUNT = 5
NODE_WIDTH = 170
NODE_HEIGHT = 46
COLUMN_GAP = 60
ROW_GAP = 24
MARGIN = 10


@dataclass(frozen=True)
class Node:
    entity_id: int
    label: str
    role_label: str
    x: int
    y: int
    width: int = NODE_WIDTH
    height: int = NODE_HEIGHT

    @property
    def text_x(self) -> int:
        return self.x + 8

    @property
    def short_label(self) -> str:
        return self.label if len(self.label) <= 24 else self.label[:23] + "…"


@dataclass(frozen=True)
class Edge:
    x1: int
    y1: int
    x2: int
    y2: int
    goods: str
    evidence_count: int
    supplier_id: int = 0
    buyer_id: int = 0

    @property
    def label_x(self) -> int:
        return (self.x1 + self.x2) // 2

    @property
    def label_y(self) -> int:
        return (self.y1 + self.y2) // 2 - 4


@dataclass(frozen=True)
class Graph:
    nodes: list[Node]
    edges: list[Edge]
    width: int
    height: int


def layout(
    entities: Iterable[tuple[int, str, str, str]], links: Iterable[tuple[int, int, str, int]]
) -> Graph:
    """``entities``: (entity id, name, role code, role label) per case link — an entity with two
    roles is drawn once, in its earliest layer; ``links``: (supplier id, buyer id, goods,
    evidence count)."""
    placed: dict[int, tuple[int, str, str]] = {}
    for entity_id, name, role, role_label in entities:
        layer = LAYER_OF_ROLE.get(role, 2)
        if entity_id not in placed or layer < placed[entity_id][0]:
            placed[entity_id] = (layer, name, role_label)
    columns: dict[int, list[int]] = {}
    for entity_id, (layer, _name, _) in sorted(placed.items(), key=lambda kv: kv[1][1].lower()):
        columns.setdefault(layer, []).append(entity_id)
    nodes: dict[int, Node] = {}
    for layer, ids in columns.items():
        for row, entity_id in enumerate(ids):
            _, name, role_label = placed[entity_id]
            nodes[entity_id] = Node(
                entity_id=entity_id,
                label=name,
                role_label=role_label,
                x=MARGIN + layer * (NODE_WIDTH + COLUMN_GAP),
                y=MARGIN + row * (NODE_HEIGHT + ROW_GAP),
            )
    edges = []
    for supplier_id, buyer_id, goods, evidence_count in links:
        a, b = nodes.get(supplier_id), nodes.get(buyer_id)
        if a is None or b is None:
            continue
        edges.append(
            Edge(
                x1=a.x + a.width,
                y1=a.y + a.height // 2,
                x2=b.x if b.x > a.x else b.x + b.width // 2,
                y2=b.y + b.height // 2 if b.x > a.x else b.y,
                goods=goods,
                evidence_count=evidence_count,
                supplier_id=supplier_id,
                buyer_id=buyer_id,
            )
        )
    rows = max((len(ids) for ids in columns.values()), default=0)
    return Graph(
        nodes=list(nodes.values()),
        edges=edges,
        width=2 * MARGIN + LAYER_COUNT * NODE_WIDTH + (LAYER_COUNT - 1) * COLUMN_GAP,
        height=2 * MARGIN + max(1, rows) * (NODE_HEIGHT + ROW_GAP),
    )
