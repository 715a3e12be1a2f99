"""Evidence pages: the role × page matrix, the journey through the forms, and query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from withhold.accounts.roles import Role
from withhold.evidence.models import EvidenceItem, TradeEntry

from ..factories import EntityFactory, UserFactory
from .conftest import add_evidence, csv_file, pdf

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}

COLUMNS = [
    ("page", "GET", "/cases/{n}/evidence/"),
    ("section", "GET", "/cases/{n}/evidence/section/"),
    ("item", "GET", "/evidence/{item}/"),
    ("download", "GET", "/evidence/{item}/file/"),
    ("report", "GET", "/cases/{n}/allegation-report/"),
    ("generate", "POST", "/cases/{n}/allegation-report/generate/"),
    ("add", "POST", "/cases/{n}/evidence/add/"),
    ("duplicates", "GET", "/entities/{entity}/duplicates/"),
]
# 400 = allowed through to the form, which refused the empty POST; 302 = done.
MATRIX = {
    Role.INTAKE_ANALYST: [200, 200, 200, 200, 200, 403, 403, 200],
    Role.CASE_ANALYST: [200, 200, 200, 200, 200, 302, 400, 200],
    Role.SUPERVISOR: [200, 200, 200, 200, 200, 302, 400, 200],
    Role.CHIEF_COUNSEL: [200, 200, 200, 200, 200, 403, 403, 200],
    Role.APPROVING_OFFICIAL: [200, 200, 200, 200, 200, 403, 403, 200],
    Role.TARGETING_ANALYST: [200, 200, 200, 200, 200, 403, 403, 200],
    Role.PORT_OFFICER: [403, 403, 404, 404, 403, 403, 403, 200],
    Role.IMPORTER: [403, 403, 404, 404, 403, 403, 403, 403],
    Role.PUBLIC: [403, 403, 404, 404, 403, 403, 403, 403],
}


@pytest.mark.parametrize("role", list(MATRIX))
def test_permission_matrix(role, client, case, case_analyst):
    item = add_evidence(case, case_analyst, uploaded_file=pdf())
    entity = case.case_entities.get().entity
    client.force_login(UserFactory(role=role))
    got = []
    for _, method, url in COLUMNS:
        url = url.format(n=case.number, item=item.pk, entity=entity.pk)
        response = getattr(client, method.lower())(url, **HOST)
        got.append(response.status_code)
    assert dict(zip([c[0] for c in COLUMNS], got, strict=True)) == dict(
        zip([c[0] for c in COLUMNS], MATRIX[role], strict=True)
    )


def test_hsi_liaison_sees_evidence_only_of_hsi_cases(client, case, case_analyst, hsi_liaison):
    item = add_evidence(case, case_analyst)
    client.force_login(hsi_liaison)
    assert client.get(f"/evidence/{item.pk}/", **HOST).status_code == 404


def test_adding_evidence_through_the_page_shows_it_in_the_matrix(client, case, case_analyst):
    client.force_login(case_analyst)
    response = client.post(
        f"/cases/{case.number}/evidence/add/",
        {
            "kind": "photo",
            "source": "interview",
            "obtained_on": "2024-01-05",
            "description": "Photo of the dormitory gate, locked from outside.",
            "indicators": ["3"],
            "language": "English",
            "translation_status": "not_needed",
            "source_reliability": "C",
            "information_credibility": "3",
            "file": pdf("gate.pdf"),
        },
        **HOST,
    )
    assert response.status_code == 302
    page = client.get(f"/cases/{case.number}/evidence/", **HOST).content.decode()
    assert "gate.pdf" in page
    assert 'data-indicator="3"' in page and 'data-total="1"' in page
    item = EvidenceItem.objects.get()
    detail = client.get(f"/evidence/{item.pk}/", **HOST).content.decode()
    assert "Evidence viewed" in detail and item.sha256 in detail


def test_bad_evidence_form_names_the_field(client, case, case_analyst):
    client.force_login(case_analyst)
    response = client.post(
        f"/cases/{case.number}/evidence/add/", {"kind": "photo", "source": "interview"}, **HOST
    )
    assert response.status_code == 400
    assert "obtained_on" in response.content.decode()
    assert EvidenceItem.objects.count() == 0


def test_trade_upload_page_lists_bad_rows_and_stores_nothing(client, case, case_analyst):
    client.force_login(case_analyst)
    bad = "date,importer,manufacturer,hts,quantity,value,port\n2024-01-01,,X,6109100012,1,-5,LA\n"
    response = client.post(f"/cases/{case.number}/evidence/trade/", {"file": csv_file(bad)}, **HOST)
    text = response.content.decode()
    assert response.status_code == 400
    assert "Row 2, importer" in text and "Row 2, value" in text
    assert TradeEntry.objects.count() == 0


def test_new_entity_form_shows_duplicate_suggestions_first(client, case, case_analyst):
    EntityFactory(name="Example Garment Factory Co., Ltd.", country="CN")
    client.force_login(case_analyst)
    response = client.post(
        f"/cases/{case.number}/evidence/entities/",
        {
            "role": "manufacturer",
            "name": "EXAMPLE GARMENT FACTORY LTD",
            "kind": "company",
            "country": "CN",
        },
        **HOST,
    )
    assert response.status_code == 400
    assert 'id="duplicate-suggestions"' in response.content.decode()
    assert case.case_entities.count() == 1


def test_evidence_page_queries_do_not_grow_with_items(client, case, case_analyst):
    client.force_login(case_analyst)
    add_evidence(case, case_analyst)
    client.get(f"/cases/{case.number}/evidence/", **HOST)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/cases/{case.number}/evidence/", **HOST)
    for _ in range(6):
        add_evidence(case, case_analyst, indicators=[1, 2])
    with CaptureQueriesContext(connection) as many:
        client.get(f"/cases/{case.number}/evidence/", **HOST)
    assert len(many) == len(few)


def test_trade_csv_download_escapes_spreadsheet_formulas_from_the_upload(
    client, case, case_analyst
):
    client.force_login(case_analyst)
    upload = (
        "date,importer,manufacturer,hts,quantity,value,port\n"
        '2024-01-01,"=HYPERLINK(""http://x"")",Example Mill,6109100012,10,500,LA\n'
    )
    stored = client.post(
        f"/cases/{case.number}/evidence/trade/", {"file": csv_file(upload)}, **HOST
    )
    assert stored.status_code in (200, 302)
    response = client.get(f"/cases/{case.number}/evidence/trade.csv", **HOST)
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK" in body
    assert '\n2024-01-01,"=HYPERLINK' not in body


def test_evidence_page_ids_are_unique_so_each_label_names_its_input(client, case, case_analyst):
    """The evidence, entity and trade forms share field names (kind, file); not their ids."""
    import re
    from collections import Counter

    client.force_login(case_analyst)
    html = client.get(f"/cases/{case.number}/evidence/", **HOST).content.decode()
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert [i for i, n in ids.items() if n > 1] == []
    assert 'for="id_entity_kind"' in html and 'for="id_trade_file"' in html
