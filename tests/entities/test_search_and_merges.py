"""Entity names as users search for them: any spelling of a legal form or punctuation finds the
entity, and a name merged away keeps finding the survivor (entity list, case list, API), whose
old id keeps answering (page and API)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from withhold.audit.models import AuditAction, AuditEntry
from withhold.cases import selectors as case_selectors
from withhold.core.search import search_terms
from withhold.entities import selectors
from withhold.entities.duplicates import normalise_name
from withhold.entities.models import Entity, MergedEntity
from withhold.evidence import services as evidence_services

from ..factories import CaseEntityFactory, CaseFactory, EntityFactory

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}


@pytest.fixture
def analyst_client(client, case_analyst):
    client.force_login(case_analyst)
    return client


@pytest.fixture
def api(case_analyst):
    client = APIClient(**HOST)
    client.force_authenticate(case_analyst)
    return client


def names(entities) -> set[str]:
    return {e.name for e in entities}


def case_numbers(user, q: str, **filters) -> set[str]:
    found = case_selectors.case_list(user=user, filters=case_selectors.CaseFilters(q=q, **filters))
    return set(found.values_list("number", flat=True))


@pytest.fixture
def merged(case_analyst):
    """ "Harbor Glove Sdn. Bhd." merged into "Harbour Gloves Malaysia", each linked to a case."""
    survivor = EntityFactory(name="Harbour Gloves Malaysia", country="MY")
    duplicate = EntityFactory(name="Harbor Glove Sdn. Bhd.", country="MY")
    kept_case = CaseFactory(number="FL-2026-0101", title="Gloves from Selangor")
    moved_case = CaseFactory(number="FL-2026-0102", title="Nitrile gloves shipment")
    CaseEntityFactory(case=kept_case, entity=survivor)
    CaseEntityFactory(case=moved_case, entity=duplicate)
    old_id = duplicate.pk
    evidence_services.entity_merge(survivor=survivor, duplicate=duplicate, actor=case_analyst)
    survivor.refresh_from_db()
    return survivor, old_id


# --- Merged names stay findable ------------------------------------------------------------------


def test_merge_keeps_the_old_id_on_record_with_an_audit_row(merged, case_analyst):
    survivor, old_id = merged
    assert not Entity.objects.filter(pk=old_id).exists()
    record = MergedEntity.objects.get(merged_id=old_id)
    assert (record.survivor, record.merged_name, record.merged_by) == (
        survivor,
        "Harbor Glove Sdn. Bhd.",
        case_analyst,
    )
    entry = AuditEntry.objects.get(
        action=AuditAction.ENTITY_DELETED, object_type="entities.entity", object_id=str(old_id)
    )
    assert entry.data["merged_into"] == survivor.pk
    assert entry.actor == case_analyst


def test_old_name_finds_the_survivor_in_the_entity_list(merged, analyst_client):
    survivor, _ = merged
    assert names(selectors.entity_list(text="Harbor Glove Sdn. Bhd.")) == {survivor.name}
    page = analyst_client.get("/entities/", {"q": "Harbor Glove"}, **HOST).content.decode()
    assert f'href="/entities/{survivor.pk}/"' in page
    assert "Also known as: Harbor Glove Sdn. Bhd." in page  # why the survivor was found


def test_old_name_finds_the_survivors_cases_in_the_case_list(merged, case_analyst, analyst_client):
    assert case_numbers(case_analyst, "Harbor Glove Sdn Bhd") == {"FL-2026-0101", "FL-2026-0102"}
    assert case_numbers(case_analyst, "harbor glove", country="CN") == {
        "FL-2026-0101",
        "FL-2026-0102",
    }  # CaseFactory's cases are from CN: a filter and the search together
    page = analyst_client.get("/cases/", {"q": "Harbor Glove"}, **HOST).content.decode()
    assert "FL-2026-0101" in page and "FL-2026-0102" in page


def test_old_name_finds_the_survivor_through_the_api(merged, api):
    survivor, _ = merged
    body = api.get("/api/entities/", {"q": "Harbor Glove Sdn. Bhd."}).json()
    assert [row["id"] for row in body["results"]] == [survivor.pk]
    cases = api.get("/api/cases/", {"q": "Harbor Glove"}).json()
    assert {row["number"] for row in cases["results"]} == {"FL-2026-0101", "FL-2026-0102"}


def test_old_entity_page_redirects_to_the_survivor(merged, analyst_client):
    survivor, old_id = merged
    response = analyst_client.get(f"/entities/{old_id}/", **HOST)
    assert response.status_code == 301
    assert response["Location"] == f"/entities/{survivor.pk}/"
    edit = analyst_client.get(f"/entities/{old_id}/edit/", **HOST)
    assert (edit.status_code, edit["Location"]) == (301, f"/entities/{survivor.pk}/edit/")
    assert analyst_client.get(f"/entities/{old_id + 1000}/", **HOST).status_code == 404


def test_old_entity_api_url_redirects_reads_and_refuses_writes(merged, api):
    survivor, old_id = merged
    response = api.get(f"/api/entities/{old_id}/")
    assert response.status_code == 301
    assert response["Location"].endswith(f"/api/entities/{survivor.pk}/")
    assert response.json()["merged_into"] == survivor.pk
    followed = api.get(response["Location"])  # what an HTTP client following redirects does
    assert followed.json()["id"] == survivor.pk
    refused = api.patch(f"/api/entities/{old_id}/", {"notes": "x"}, format="json")
    assert refused.status_code == 404
    assert refused.json()["merged_into"] == survivor.pk
    assert api.get(f"/api/entities/{old_id + 1000}/").status_code == 404


def test_a_second_merge_moves_the_old_ids_to_the_final_survivor(merged, case_analyst, api):
    survivor, first_old_id = merged
    final = EntityFactory(name="Harbour Gloves Group Berhad", country="MY")
    evidence_services.entity_merge(survivor=final, duplicate=survivor, actor=case_analyst)
    assert selectors.entity_merged_into(pk=first_old_id) == final.pk
    assert selectors.entity_merged_into(pk=survivor.pk) == final.pk
    assert api.get(f"/api/entities/{first_old_id}/")["Location"].endswith(
        f"/api/entities/{final.pk}/"
    )
    assert names(selectors.entity_list(text="Harbor Glove Sdn Bhd")) == {final.name}


# --- One normaliser for every spelling -----------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("Harbor Glove Sdn. Bhd.", "Harbor Glove Sdn Bhd"),
        ("Harbor Glove Sdn Bhd", "harbor glove sdn. bhd."),
        ("Xinjiang Example Textile Co., Ltd.", "Xinjiang Example Textile Company Limited"),
        ("Xinjiang Example Textile Company Limited", "XINJIANG EXAMPLE TEXTILES CO., LTD."),
        ("Café Société S.A.", "cafe societe sa"),
    ],
)
def test_any_spelling_of_legal_form_and_punctuation_finds_the_entity(stored, typed, api):
    entity = EntityFactory(name=stored, country="MY")
    EntityFactory(name="Harbor Marine Supplies Sdn. Bhd.", country="MY")
    assert names(selectors.entity_list(text=typed)) == {entity.name}
    body = api.get("/api/entities/", {"q": typed}).json()
    assert [row["id"] for row in body["results"]] == [entity.pk]


def test_case_search_by_entity_name_ignores_legal_form_spelling(case_analyst):
    case = CaseFactory(number="FL-2026-0201", title="Cotton yarn")
    CaseFactory(number="FL-2026-0202", title="Cotton yarn from elsewhere")
    CaseEntityFactory(case=case, entity=EntityFactory(name="Xinjiang Example Textile Co., Ltd."))
    for typed in (
        "Xinjiang Example Textile Company Limited",
        "xinjiang example textile co ltd",
        "Xinjiang Example Textile Co., Ltd.",
    ):
        assert case_numbers(case_analyst, typed) == {"FL-2026-0201"}, typed


def test_aliases_are_searched_and_kept_in_step_by_every_save(case_analyst):
    entity = EntityFactory(name="Golden Needle Garments", aliases=["Jinzhen Fuzhuang Co., Ltd."])
    assert names(selectors.entity_list(text="Jinzhen Fuzhuang Company Limited")) == {entity.name}
    entity.aliases = []
    entity.save(update_fields=["aliases"])
    assert not selectors.entity_list(text="Jinzhen")
    entity.refresh_from_db()
    assert entity.search_key == normalise_name("Golden Needle Garments")


def test_plain_words_still_find_case_titles_and_every_word_is_required(case_analyst):
    CaseFactory(number="FL-2026-0301", title="Seafood from the Eastern Star vessel")
    CaseFactory(number="FL-2026-0302", title="Seafood from a different boat")
    assert case_numbers(case_analyst, "eastern seafood") == {"FL-2026-0301"}
    assert case_numbers(case_analyst, "seafood") == {"FL-2026-0301", "FL-2026-0302"}
    assert case_numbers(case_analyst, "FL-2026-0302") == {"FL-2026-0302"}
    assert case_numbers(case_analyst, "seafood nowhere") == set()


def test_legal_form_words_alone_are_still_searched():
    # "Limited" says nothing about which company, unless it is all that was typed.
    assert [t.key for t in search_terms("Co., Ltd.", normalise_name)] == ["co", "ltd"]
    assert [t.text for t in search_terms("Golden Co., Ltd.", normalise_name)] == ["Golden"]


def test_searched_and_filtered_case_list_query_count_does_not_grow(analyst_client):
    def listing():
        with CaptureQueriesContext(connection) as queries:
            response = analyst_client.get(
                "/cases/", {"q": "harbor glove", "country": "CN", "status": "active"}, **HOST
            )
        assert response.status_code == 200
        return len(queries), response.content.decode().count('href="/cases/FL-')

    entity = EntityFactory(name="Harbor Glove Sdn. Bhd.", country="MY")
    for i in range(2):
        CaseEntityFactory(case=CaseFactory(title=f"Gloves {i}"), entity=entity)
    few_queries, few_rows = listing()
    for i in range(20):
        CaseEntityFactory(case=CaseFactory(title=f"More gloves {i}"), entity=entity)
    many_queries, many_rows = listing()
    assert (few_rows, many_rows) == (2, 22)
    assert many_queries == few_queries
