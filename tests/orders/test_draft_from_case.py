""" "Draft an order" on a case fills in the case, merchandise, country, manufacturer and HTS code;
drafting keeps them, the manufacturer and HTS code as the draft's first scope rules."""

import pytest

from withhold.orders.models import Order

from ..factories import CaseEntityFactory, CaseFactory, CommodityFactory, EntityFactory

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}


@pytest.fixture
def case(case_analyst):
    case = CaseFactory(
        title="Gloves from Example Glove Factory",
        commodity=CommodityFactory(name="Rubber gloves", hs_code="4015"),
        source_country="MY",
        hts_code="401519",
        assigned_analyst=case_analyst,
    )
    CaseEntityFactory(case=case, entity=EntityFactory(name="Example Glove Factory", country="MY"))
    return case


def test_the_case_page_offers_a_prefilled_draft(client, case, case_analyst):
    client.force_login(case_analyst)
    page = client.get(f"/cases/{case.number}/", **HOST).content.decode()
    assert f'href="/orders/new/?case={case.number}"' in page
    form = client.get(f"/orders/new/?case={case.number}", **HOST).context["form"]
    entity = case.case_entities.get().entity
    assert form.initial == {
        "case_number": case.number,
        "merchandise": "Rubber gloves: Gloves from Example Glove Factory",
        "country": "MY",
        "published_entity": "Example Glove Factory",
        "manufacturer": entity.pk,
        "hts_code": "401519",
    }


def test_drafting_keeps_the_manufacturer_and_hts_as_scope_rules(client, case, case_analyst):
    client.force_login(case_analyst)
    entity = case.case_entities.get().entity
    response = client.post(
        "/orders/new/",
        {
            "kind": "wro",
            "case_number": case.number,
            "merchandise": "Rubber gloves",
            "country": "MY",
            "published_entity": "Example Glove Factory",
            "manufacturer": entity.pk,
            "hts_code": "4015.19",
        },
        **HOST,
    )
    assert response.status_code == 302
    order = Order.objects.get()
    assert list(order.cases.all()) == [case]
    rules = {rule.kind: rule for rule in order.scope_rules.all()}
    assert rules["entity"].entity == entity
    assert rules["country_commodity"].country == "MY"
    assert rules["country_commodity"].hts_headings == ["401519"]


def test_an_hts_code_without_a_country_is_refused(client, case, case_analyst):
    client.force_login(case_analyst)
    response = client.post(
        "/orders/new/",
        {"kind": "wro", "case_number": case.number, "merchandise": "Gloves", "hts_code": "4015"},
        **HOST,
    )
    assert response.status_code == 400
    assert "country" in response.context["form"].errors
    assert not Order.objects.exists()
