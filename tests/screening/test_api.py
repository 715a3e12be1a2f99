"""``POST /api/screening/``: up to 1,000 lines screened synchronously."""

import pytest
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db
URL = "/api/screening/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_lines_are_screened_with_hits_summary_and_errors(targeting_analyst, taida_order):
    response = client_for(targeting_analyst).post(
        URL,
        {
            "lines": [
                {"line_id": "a", "manufacturer_name": "Hetian Taida Apparel Co Ltd",
                 "country_of_origin": "CN"},
                {"line_id": "b", "manufacturer_name": "Someone", "country_of_origin": "XX"},
                {"line_id": "c", "manufacturer_name": "Someone", "country_of_origin": "KP"},
            ]
        },
        format="json",
    )  # fmt: skip
    assert response.status_code == 200, response.content
    body = response.json()
    assert [
        (h["line_id"], h["hit_kind"], h["hit_ref"], h["score"], h["action"]) for h in body["hits"]
    ] == [
        ("a", "order", "WRO-2026-0001", 100, "detain"),
        ("c", "caatsa", "CAATSA 302A", 100, "detain"),
    ]
    assert body["errors"] == [
        {"line": 2, "column": "country_of_origin",
         "message": "“XX” is not an ISO 3166 alpha-2 code."}
    ]  # fmt: skip
    assert body["summary"]["lines"] == 2
    assert body["summary"]["errors"] == 1
    assert body["summary"]["hits"] == {"order": 1, "list": 0, "caatsa": 1}
    assert reverse("api:screening") == URL


def test_more_than_1000_lines_is_refused_with_a_clear_message(targeting_analyst):
    lines = [{"line_id": str(n), "manufacturer_name": "X"} for n in range(1001)]
    response = client_for(targeting_analyst).post(URL, {"lines": lines}, format="json")
    assert response.status_code == 400
    assert response.json()["lines"] == [
        "1,001 lines sent; the API screens at most 1,000 lines per request. Split them into "
        "several requests, or upload the file on the screening page."
    ]


@override_settings()
def test_exactly_1000_lines_are_accepted(targeting_analyst):
    lines = [{"line_id": str(n), "manufacturer_name": f"Maker {n % 7}"} for n in range(1000)]
    response = client_for(targeting_analyst).post(URL, {"lines": lines}, format="json")
    assert response.status_code == 200
    assert response.json()["summary"]["lines"] == 1000


def test_unknown_fields_are_refused(targeting_analyst):
    response = client_for(targeting_analyst).post(
        URL, {"lines": [{"line_id": "1", "manufacturer": "typo"}]}, format="json"
    )
    assert response.status_code == 400
    assert "manufacturer" in str(response.json())


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("targeting_analyst", 200),
        ("port_officer", 403),
        ("case_analyst", 403),
        ("supervisor", 403),
        ("importer", 403),
        ("public_reader", 403),
    ],
)
def test_only_targeting_analysts_may_screen(request, role, status):
    user = request.getfixturevalue(role)
    response = client_for(user).post(
        URL, {"lines": [{"line_id": "1", "manufacturer_name": "X"}]}, format="json"
    )
    assert response.status_code == status


def test_anonymous_is_refused(db):
    response = APIClient().post(URL, {"lines": [{"line_id": "1"}]}, format="json")
    assert response.status_code in (401, 403)
