import pytest

from withhold.entities.models import Entity

from ..factories import EntityFactory

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}


def test_new_entity_form_suggests_likely_duplicates_before_saving(client, case_analyst):
    existing = EntityFactory(name="Yu Long No. 2 Fishing Co., Ltd.", country="TW")
    client.force_login(case_analyst)
    data = {"kind": "company", "name": "YU LONG NO 2 FISHING COMPANY LIMITED", "country": "TW"}
    page = client.post("/entities/new/", data, **HOST).content.decode()
    assert "Likely already on file" in page
    assert f'href="/entities/{existing.pk}/"' in page
    assert Entity.objects.count() == 1
    response = client.post("/entities/new/", {**data, "confirm_new": "on"}, **HOST)
    assert response.status_code == 302
    assert Entity.objects.count() == 2


def test_a_different_company_is_saved_without_a_question(client, case_analyst):
    EntityFactory(name="Yu Long No. 2 Fishing Co., Ltd.", country="TW")
    client.force_login(case_analyst)
    response = client.post(
        "/entities/new/",
        {"kind": "company", "name": "Golden Harbor Seafood", "country": "TW"},
        **HOST,
    )
    assert response.status_code == 302
    assert Entity.objects.filter(name="Golden Harbor Seafood").exists()
