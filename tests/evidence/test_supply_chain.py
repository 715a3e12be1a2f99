"""Supply links, the map, duplicate suggestions and merging entities."""

import datetime as dt

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
