"""The supply-chain graph of a case as server-rendered SVG coordinates. Pure, no database.

**Tiers.** Entities are laid out left to right in tiers in the direction the goods move. An
entity's tier is at least the one of its role in the case (raw material → processor →
manufacturer → exporter → importer) and is always after the tier of every entity that supplies it,
so a "supplies" link goes from left to right even when the roles say little (every entity a
"supplier", say). Empty tiers are dropped. A link that closes a loop (A supplies B, B supplies A)
is the only kind that goes right to left. Within a tier, entities are ordered by the rows of their
suppliers (fewer crossings), then by name.

**Links.** Every link is an arrow from an edge of the supplier's box to an edge of the buyer's
box, drawn on top of the boxes and never through one: between neighbouring tiers it is straight
(right edge → left edge); otherwise it runs through the free gaps between columns and between
rows (an orthogonal route). Links in the same tier join the two boxes' right edges.

**Labels.** A name wraps on words over two lines; a longer one ends in "…", and the box carries
the full name as its tooltip (``<title>``). Names whose two lines would read the same are told
apart: the second line shows the end of the name instead, and if that is still the same (two
entities with one name) the entity's number.

The template draws the result; no JavaScript is needed.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

# Tier of each CaseEntity role, in the direction the goods travel.
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
NODE_WIDTH = 180
NODE_HEIGHT = 62
COLUMN_GAP = 120
ROW_GAP = 36
MARGIN = 40
LINE_CHARS = 23  # characters of a name line (12px bold in a 180px box)
ROLE_CHARS = 30  # characters of the role line (10px)
GOODS_CHARS = 18  # characters of a link's goods label (10px, in a column gap)
ELLIPSIS = "…"


def _wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap; a word longer than a line is broken where it must be."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        while len(word) > width:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:width])
            word = word[width:]
        if not word:
            continue
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= width:
            current = f"{current} {word}"
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines or [""]


def _clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters at a word if it can be, ending in "…"."""
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    if " " in cut and cut.rfind(" ") > width // 2:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,.;-") + ELLIPSIS


def name_lines(name: str, width: int = LINE_CHARS) -> tuple[str, ...]:
    """One or two lines for a box; the second ends in "…" when the name is longer."""
    lines = _wrap(" ".join(name.split()), width)
    if len(lines) <= 2:
        return tuple(lines)
    return (lines[0], _clip(" ".join(lines[1:]), width))


def _tail_lines(name: str, width: int) -> tuple[str, ...]:
    """The name's start and its end: "…" then the last words that fit."""
    first = _wrap(" ".join(name.split()), width)[0]
    rest = " ".join(name.split())[len(first) :].strip()
    if len(rest) <= width:
        return (first, rest)
    tail = rest[-(width - 1) :]
    if " " in tail:
        tail = tail[tail.find(" ") + 1 :]
    return (first, ELLIPSIS + tail)


def _clashes(lines: dict[int, tuple]) -> list[list[int]]:
    seen: dict[tuple, list[int]] = {}
    for pk, text in lines.items():
        seen.setdefault(text, []).append(pk)
    return [ids for ids in seen.values() if len(ids) > 1]


def distinct_name_lines(names: dict[int, str], width: int = LINE_CHARS) -> dict[int, tuple]:
    """Lines for each entity id such that no two boxes read the same: clashing names show their
    end on the second line instead; names still alike get the entity's number."""
    lines = {pk: name_lines(name, width) for pk, name in names.items()}
    for ids in _clashes(lines):
        tails = {pk: _tail_lines(names[pk], width) for pk in ids}
        if len(set(tails.values())) == len(ids):
            lines.update(tails)
    while clashes := _clashes(lines):
        for ids in clashes:
            for pk in ids:
                mark = f" #{pk}"
                first, *rest = lines[pk]
                second = rest[0] if rest else ""
                if len(second) + len(mark) > width:
                    second = second[: width - len(mark) - 1].rstrip() + ELLIPSIS
                lines[pk] = (first, second + mark)
    return lines


@dataclass(frozen=True)
class Node:
    entity_id: int
    label: str
    role_label: str
    x: int
    y: int
    lines: tuple[str, ...] = ()
    width: int = NODE_WIDTH
    height: int = NODE_HEIGHT

    @property
    def text_x(self) -> int:
        return self.x + 8

    @property
    def line_ys(self) -> list[tuple[str, int]]:
        return [(text, self.y + 18 + 15 * n) for n, text in enumerate(self.lines)]

    @property
    def role_y(self) -> int:
        return self.y + self.height - 9

    @property
    def short_role(self) -> str:
        return _clip(self.role_label, ROLE_CHARS)

    @property
    def right(self) -> int:
        return self.x + self.width

    @property
    def middle(self) -> int:
        return self.y + self.height // 2


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
    points: tuple[tuple[int, int], ...] = field(default=())
    label_x: int = 0
    label_y: int = 0

    @property
    def path(self) -> str:
        return " ".join(f"{'M' if n == 0 else 'L'} {x} {y}" for n, (x, y) in enumerate(self.points))

    @property
    def short_goods(self) -> str:
        return _clip(self.goods, GOODS_CHARS)


@dataclass(frozen=True)
class Graph:
    nodes: list[Node]
    edges: list[Edge]
    width: int
    height: int


def _loop_links(placed: dict[int, tuple[int, str, str]], links: list[tuple[int, int]]) -> set:
    """The links that close a loop, found walking with the goods from the earliest roles first
    (so the link that goes back against the roles is the one left out)."""
    buyers: dict[int, list[int]] = {pk: [] for pk in placed}
    for a, b in links:
        buyers[a].append(b)
    state: dict[int, str] = {}
    loops: set[tuple[int, int]] = set()

    def walk(pk: int) -> None:
        state[pk] = "open"
        for b in buyers[pk]:
            if state.get(b) == "open":
                loops.add((pk, b))
            elif b not in state:
                walk(b)
        state[pk] = "done"

    for pk in sorted(placed, key=lambda pk: (placed[pk][0], pk)):
        if pk not in state:
            walk(pk)
    return loops


def _tiers(placed: dict[int, tuple[int, str, str]], links: list[tuple[int, int]]) -> dict:
    """Each entity's column: its role's tier, pushed right past every supplier (longest path over
    the links, those closing a loop left out), empty tiers dropped."""
    links = [(a, b) for a, b in links if a != b]
    loops = _loop_links(placed, links)
    suppliers: dict[int, list[int]] = {pk: [] for pk in placed}
    for a, b in links:
        if (a, b) not in loops:
            suppliers[b].append(a)
    tier: dict[int, int] = {}

    def visit(pk: int) -> int:
        if pk not in tier:
            tier[pk] = max([placed[pk][0], *(visit(s) + 1 for s in suppliers[pk])])
        return tier[pk]

    for pk in placed:
        visit(pk)
    column = {t: n for n, t in enumerate(sorted(set(tier.values())))}
    return {pk: column[t] for pk, t in tier.items()}


def layout(
    entities: Iterable[tuple[int, str, str, str]], links: Iterable[tuple[int, int, str, int]]
) -> Graph:
    """``entities``: (entity id, name, role code, role label) per case link — an entity with two
    roles is drawn once, in its earliest tier; ``links``: (supplier id, buyer id, goods,
    evidence count)."""
    placed: dict[int, tuple[int, str, str]] = {}
    for entity_id, name, role, role_label in entities:
        layer = LAYER_OF_ROLE.get(role, 2)
        if entity_id not in placed or layer < placed[entity_id][0]:
            placed[entity_id] = (layer, name, role_label)
    links = [link for link in links if link[0] in placed and link[1] in placed]
    column = _tiers(placed, [(a, b) for a, b, _g, _n in links])
    columns: dict[int, list[int]] = {}
    for entity_id in sorted(placed, key=lambda pk: (placed[pk][1].lower(), pk)):
        columns.setdefault(column[entity_id], []).append(entity_id)
    row: dict[int, int] = {}
    for col in sorted(columns):
        ids = columns[col]

        def centre(pk: int) -> float:
            rows = [row[a] for a, b, _g, _n in links if b == pk and a in row]
            return sum(rows) / len(rows) if rows else float("inf")

        ids.sort(key=lambda pk: (centre(pk), placed[pk][1].lower(), pk))
        row.update({pk: n for n, pk in enumerate(ids)})
    lines = distinct_name_lines({pk: placed[pk][1] for pk in placed})
    nodes = {
        pk: Node(
            entity_id=pk,
            label=placed[pk][1],
            role_label=placed[pk][2],
            lines=lines[pk],
            x=MARGIN + column[pk] * (NODE_WIDTH + COLUMN_GAP),
            y=MARGIN + row[pk] * (NODE_HEIGHT + ROW_GAP),
        )
        for pk in placed
    }
    links = [link for link in links if link[0] != link[1]]
    ports = _ports(nodes, column, links)
    edges = [
        _route(nodes[a], nodes[b], goods, count, n, column, ports[(n, 0)], ports[(n, 1)])
        for n, (a, b, goods, count) in enumerate(links)
    ]
    columns_used = max(column.values(), default=0) + 1
    rows_used = max((len(ids) for ids in columns.values()), default=1)
    return Graph(
        nodes=sorted(nodes.values(), key=lambda node: (node.x, node.y)),
        edges=edges,
        width=2 * MARGIN + columns_used * NODE_WIDTH + (columns_used - 1) * COLUMN_GAP,
        height=2 * MARGIN + rows_used * NODE_HEIGHT + (rows_used - 1) * ROW_GAP,
    )


def _sides(step: int) -> tuple[str, str]:
    """Which side of the supplier's box a link leaves by, and which of the buyer's it enters."""
    if step > 0:
        return "right", "left"
    if step == 0:
        return "right", "right"
    return "left", "right"


def _ports(nodes: dict[int, Node], column: dict[int, int], links: list) -> dict:
    """Where each link meets each of its boxes: the links on one side of a box are spread evenly
    down it (ordered by where their other end is), so no two arrows meet at one point."""
    sides: dict[tuple[int, str], list[tuple[int, int, int]]] = {}
    for n, (a, b, _goods, _count) in enumerate(links):
        out_side, in_side = _sides(column[b] - column[a])
        sides.setdefault((a, out_side), []).append((nodes[b].middle, n, 0))
        sides.setdefault((b, in_side), []).append((nodes[a].middle, n, 1))
    ports = {}
    for (pk, _side), ends in sides.items():
        node = nodes[pk]
        for i, (_y, n, end) in enumerate(sorted(ends)):
            ports[(n, end)] = node.y + round(node.height * (i + 1) / (len(ends) + 1))
    return ports


def _route(
    a: Node,
    b: Node,
    goods: str,
    count: int,
    n: int,
    column: dict[int, int],
    start_y: int,
    end_y: int,
) -> Edge:
    """The arrow from ``a`` (supplier) to ``b`` (buyer), box edge to box edge, through gaps only.

    Vertical runs lie in the gaps between columns, horizontal runs in the gaps between rows (or
    straight across one column gap), so no segment crosses a box. ``n`` spreads links that share
    a gap a few pixels apart."""
    spread = (n % 5 - 2) * 5
    step = column[b.entity_id] - column[a.entity_id]
    channel = b.y - ROW_GAP // 2 + spread  # the row gap just above the buyer
    if step == 1:
        points = [(a.right, start_y), (b.x, end_y)]
        label = ((a.right + b.x) // 2, (start_y + end_y) // 2 - 5)
    elif step > 1:
        out_x = a.right + COLUMN_GAP // 2 + spread
        in_x = b.x - COLUMN_GAP // 2 + spread
        points = [
            (a.right, start_y),
            (out_x, start_y),
            (out_x, channel),
            (in_x, channel),
            (in_x, end_y),
            (b.x, end_y),
        ]
        label = (min(out_x, in_x) + 60, channel - 4)
    elif step == 0:
        side_x = a.right + COLUMN_GAP // 3 + spread
        points = [(a.right, start_y), (side_x, start_y), (side_x, end_y), (b.right, end_y)]
        label = (side_x + 4, (start_y + end_y) // 2)
    else:  # a loop back to an earlier tier
        out_x = a.x - COLUMN_GAP // 2 + spread
        in_x = b.right + COLUMN_GAP // 2 + spread
        points = [
            (a.x, start_y),
            (out_x, start_y),
            (out_x, channel),
            (in_x, channel),
            (in_x, end_y),
            (b.right, end_y),
        ]
        label = (min(out_x, in_x) + 60, channel - 4)
    compact = [points[0]]
    for point in points[1:]:
        if point != compact[-1]:
            compact.append(point)
    (x1, y1), (x2, y2) = compact[0], compact[-1]
    return Edge(
        x1=x1,
        y1=y1,
        x2=x2,
        y2=y2,
        goods=goods,
        evidence_count=count,
        supplier_id=a.entity_id,
        buyer_id=b.entity_id,
        points=tuple(compact),
        label_x=label[0],
        label_y=label[1],
    )
