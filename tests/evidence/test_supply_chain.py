"""Supply links, the map, duplicate suggestions and merging entities."""

import datetime as dt
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from withhold.cases import services as case_services
from withhold.cases.models import CaseEntity
from withhold.entities import duplicates as dedupe
from withhold.entities.models import Entity
from withhold.entities.selectors import entity_duplicate_suggestions
from withhold.evidence import graph, selectors, services
from withhold.evidence.models import SupplyLink

from ..factories import EntityFactory
from .conftest import add_evidence

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("a", "b", "duplicate"),
    [
        ("Xinjiang Example Textile Co., Ltd.", "XINJIANG EXAMPLE TEXTILE CO LTD", True),
        ("Example Textile Company Limited", "Example Textiles Ltd", True),
        ("Example Gloves Sdn. Bhd.", "Example Gloves", True),
        ("Example Textile", "Harbour Seafood Trading", False),
        # Names in other scripts are compared, not dropped (they used to normalise to nothing).
        ("和田泰达服装有限公司", "和田泰达服装 有限公司", True),
        ("和田泰达服装有限公司", "喀什远航纺织", False),
    ],
)
def test_likely_duplicates_compares_normalised_names(a, b, duplicate):
    candidate = dedupe.Candidate(pk=1, name=b, aliases=(), country="CN")
    assert bool(dedupe.likely_duplicates(a, "CN", [candidate])) is duplicate


def test_likely_duplicates_only_in_the_same_country():
    candidate = dedupe.Candidate(pk=1, name="Example Textile Co", aliases=(), country="VN")
    assert dedupe.likely_duplicates("Example Textile Co", "CN", [candidate]) == []


def test_graph_lays_entities_out_by_role_left_to_right():
    g = graph.layout(
        [
            (1, "Importer Inc", "importer", "U.S. importer"),
            (2, "Cotton Farm", "raw_material_producer", "Raw-material producer"),
            (3, "Garment Factory", "manufacturer", "Manufacturer"),
        ],
        [(2, 3, "cotton", 1), (3, 1, "shirts", 0)],
    )
    x = {n.entity_id: n.x for n in g.nodes}
    assert x[2] < x[3] < x[1]
    assert [e.goods for e in g.edges] == ["cotton", "shirts"]
    assert all(e.x2 > e.x1 for e in g.edges)


def test_supply_link_add_records_goods_and_evidence(case, case_analyst):
    factory = EntityFactory(name="Example Garment Factory", country="CN")
    case_services.case_entity_link(
        case=case, entity=factory, role="manufacturer", actor=case_analyst
    )
    mill = case.case_entities.get(role="processor").entity
    item = add_evidence(case, case_analyst)
    link = services.supply_link_add(
        case=case,
        actor=case_analyst,
        supplier=mill,
        buyer=factory,
        goods="Yarn",
        evidence_ids=[item.pk],
    )
    assert list(link.evidence.all()) == [item]
    g = selectors.case_supply_graph(case=case, user=case_analyst)
    assert [(e.goods, e.evidence_count) for e in g.edges] == [("Yarn", 1)]


def test_supply_link_refuses_entities_outside_the_case(case, case_analyst):
    mill = case.case_entities.get().entity
    stranger = EntityFactory(name="Unrelated Co", country="CN")
    with pytest.raises(ValidationError) as exc:
        services.supply_link_add(
            case=case, actor=case_analyst, supplier=mill, buyer=stranger, goods="Yarn"
        )
    assert "buyer" in exc.value.message_dict
    assert SupplyLink.objects.count() == 0


def test_new_entity_like_an_existing_one_is_suggested_before_it_is_saved(case, case_analyst):
    EntityFactory(name="Xinjiang Example Textile Co., Ltd.", country="CN")
    with pytest.raises(services.DuplicateSuggested) as exc:
        services.case_entity_add(
            case=case,
            actor=case_analyst,
            role="manufacturer",
            new_entity={"name": "XINJIANG EXAMPLE TEXTILE CO LTD", "country": "CN"},
        )
    assert [s.name for s in exc.value.suggestions] == ["Xinjiang Example Textile Co., Ltd."]
    assert Entity.objects.filter(name__iexact="xinjiang example textile co ltd").count() == 0
    services.case_entity_add(
        case=case,
        actor=case_analyst,
        role="manufacturer",
        new_entity={"name": "XINJIANG EXAMPLE TEXTILE CO LTD", "country": "CN"},
        confirm_new=True,
    )
    assert Entity.objects.filter(country="CN", name__icontains="xinjiang").count() == 2


def test_same_manufacturer_in_two_cases_becomes_one_entity_after_the_suggestion_is_accepted(
    case, case_analyst, supervisor, commodity
):
    first = EntityFactory(name="Xinjiang Example Textile Co., Ltd.", country="CN")
    case_services.case_entity_link(case=case, entity=first, role="manufacturer", actor=case_analyst)
    other_case = case_services.case_create(
        actor=supervisor,
        title="Garments",
        allegation_summary="Second allegation.",
        commodity=commodity,
        source_country="CN",
        referral_source="media",
        received_on=timezone.localdate() - dt.timedelta(days=2),
    )
    second = EntityFactory(name="XINJIANG EXAMPLE TEXTILES CO LTD", country="CN")
    case_services.case_entity_link(
        case=other_case, entity=second, role="manufacturer", actor=case_analyst
    )
    importer = EntityFactory(name="Importer Inc", country="CN")
    case_services.case_entity_link(
        case=other_case, entity=importer, role="importer", actor=case_analyst
    )
    services.supply_link_add(
        case=other_case, actor=case_analyst, supplier=second, buyer=importer, goods="Shirts"
    )

    suggestions = entity_duplicate_suggestions(name=first.name, country="CN", exclude=first.pk)
    assert [s.pk for s in suggestions] == [second.pk]
    survivor = services.entity_merge(survivor=first, duplicate=second, actor=case_analyst)

    assert not Entity.objects.filter(pk=second.pk).exists()
    assert set(CaseEntity.objects.filter(entity=survivor).values_list("case", flat=True)) == {
        case.pk,
        other_case.pk,
    }
    assert SupplyLink.objects.get(case=other_case).supplier == survivor
    assert "XINJIANG EXAMPLE TEXTILES CO LTD" in survivor.aliases
    assert Entity.objects.filter(country="CN", name__icontains="xinjiang").count() == 1


def test_merge_refuses_entities_of_different_countries(case_analyst):
    a = EntityFactory(name="Example Co", country="CN")
    b = EntityFactory(name="Example Co", country="VN")
    with pytest.raises(services.ApplicationError):
        services.entity_merge(survivor=a, duplicate=b, actor=case_analyst)
    assert Entity.objects.filter(pk=b.pk).exists()


# --- The supply-chain map as drawn (SVG) -----------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"
LONG_A = "Golden Harvest Textile Manufacturing Company Limited, Branch One"
LONG_B = "Golden Harvest Textile Manufacturing Company Limited, Branch Two"


def _map(entities, links):
    from defusedxml import ElementTree as ET
    from django.template.loader import render_to_string

    g = graph.layout(entities, links)
    svg = render_to_string("evidence/_graph_svg.html", {"graph": g, "case_number": "FL-1"})
    root = ET.fromstring(svg)
    boxes, labels = {}, {}
    for node in root.iter(f"{SVG}g"):
        if node.get("class") == "supply-node":
            rect = node.find(f"{SVG}rect")
            x, y, w, h = (float(rect.get(k)) for k in ("x", "y", "width", "height"))
            pk = int(node.get("data-entity"))
            boxes[pk] = (x, y, x + w, y + h)
            names = [
                t.text for t in node.findall(f"{SVG}text") if t.get("class") == "supply-node-name"
            ]
            labels[pk] = " ".join(names)
            assert node.find(f"{SVG}title").text.startswith(
                dict((e[0], e[1]) for e in entities)[pk]
            )
    arrows = []
    for edge in root.iter(f"{SVG}g"):
        if edge.get("class") == "supply-edge":
            words = edge.find(f"{SVG}path").get("d").split()
            points = [(float(words[i + 1]), float(words[i + 2])) for i in range(0, len(words), 3)]
            arrows.append((int(edge.get("data-supplier")), int(edge.get("data-buyer")), points))
    return boxes, labels, arrows


def _on_edge(point, box):
    x, y = point
    x1, y1, x2, y2 = box
    inside_x, inside_y = x1 <= x <= x2, y1 <= y <= y2
    return (inside_y and x in (x1, x2)) or (inside_x and y in (y1, y2))


def _crosses(a, b, box):
    """Whether the segment a-b passes through the inside of ``box`` (touching an edge is not)."""
    x1, y1, x2, y2 = box
    steps = 200
    for n in range(1, steps):
        x = a[0] + (b[0] - a[0]) * n / steps
        y = a[1] + (b[1] - a[1]) * n / steps
        if x1 < x < x2 and y1 < y < y2:
            return True
    return False


TANGLED = (
    [
        (1, LONG_A, "supplier", "Supplier"),
        (2, LONG_B, "supplier", "Supplier"),
        (3, "Example Spinning Mill", "supplier", "Supplier"),
        (4, "Example Spinning Mill", "supplier", "Supplier"),  # same name, another entity
        (5, "Harbor Garment Co.", "manufacturer", "Manufacturer"),
        (6, "Northern Cotton Farm", "raw_material_producer", "Raw-material producer"),
        (7, "DEMO Importers LLC", "importer", "U.S. importer"),
        (8, "Pioneer Trading", "supplier", "Supplier"),
    ],
    [
        (6, 3, "raw cotton", 2),
        (3, 1, "yarn", 1),  # two "suppliers": the buyer goes one tier right
        (1, 2, "grey fabric", 0),
        (2, 5, "dyed fabric", 1),
        (4, 5, "yarn", 0),
        (5, 7, "shirts", 3),
        (6, 7, "cotton samples", 0),  # skips several tiers
        (3, 8, "waste yarn", 0),
        (7, 3, "returned goods", 0),  # closes a loop
    ],
)


def test_map_boxes_read_differently_even_when_names_are_long_or_the_same():
    _boxes, labels, _ = _map(*TANGLED)
    assert len(set(labels.values())) == len(labels)
    assert labels[1] != labels[2] and labels[3] != labels[4]
    assert "Branch One" in labels[1] and "Branch Two" in labels[2]


def test_map_boxes_do_not_overlap():
    boxes, _, _ = _map(*TANGLED)
    items = list(boxes.values())
    for n, (ax1, ay1, ax2, ay2) in enumerate(items):
        for bx1, by1, bx2, by2 in items[n + 1 :]:
            assert ax2 <= bx1 or bx2 <= ax1 or ay2 <= by1 or by2 <= ay1


def test_map_links_run_from_box_edge_to_box_edge_and_never_through_a_box():
    boxes, _, arrows = _map(*TANGLED)
    assert len(arrows) == len(TANGLED[1])
    for supplier, buyer, points in arrows:
        assert _on_edge(points[0], boxes[supplier]), (supplier, buyer, points)
        assert _on_edge(points[-1], boxes[buyer]), (supplier, buyer, points)
        for a, b in itertools.pairwise(points):
            for box in boxes.values():
                assert not _crosses(a, b, box), (supplier, buyer, a, b, box)


def test_map_tiers_follow_the_direction_of_supply():
    boxes, _, arrows = _map(*TANGLED)
    for supplier, buyer, _points in arrows:
        if (supplier, buyer) != (7, 3):  # the one link that closes a loop
            assert boxes[supplier][2] < boxes[buyer][0], (supplier, buyer)
