"""The UFLPA statistics are public: anybody, signed in with any role or not, gets the page, its
downloads and the API operation; the public navigation and the register link to it."""

import pytest

from withhold.accounts.roles import Role

from ..factories import UserFactory

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}

ADDRESSES = [
    ("/uflpa-statistics/", {}, "text/html"),
    ("/uflpa-statistics/", {"format": "csv"}, "text/csv"),
    ("/uflpa-statistics/", {"format": "csv", "breakdown": "country"}, "text/csv"),
    ("/uflpa-statistics/", {"format": "json"}, "application/json"),
    ("/uflpa-statistics/", {"format": "json", "breakdown": "month"}, "application/json"),
    ("/api/uflpa-statistics/", {}, "application/json"),
]


@pytest.mark.parametrize("role", [None, *Role], ids=lambda r: r.value if r else "anonymous")
def test_every_role_and_anonymous_readers_get_the_statistics(client, role, uflpa_detentions):
    if role is not None:
        client.force_login(UserFactory(role=role))
    for path, params, content_type in ADDRESSES:
        response = client.get(path, params, **HOST)
        assert (path, params, response.status_code) == (path, params, 200)
        assert response["Content-Type"].startswith(content_type)


def test_anonymous_visitors_find_it_from_the_public_navigation_and_the_register(client, db):
    for path in ("/register/", "/report/", "/accounts/login/"):
        page = client.get(path, **HOST).content.decode()
        assert 'href="/uflpa-statistics/"' in page, path


def test_signed_in_users_find_it_in_the_menu(client, public_reader, port_officer):
    for user in (public_reader, port_officer):
        client.force_login(user)
        page = client.get("/uflpa-statistics/", **HOST).content.decode()
        assert 'data-menu="uflpa_statistics"' in page
        assert 'aria-current="page" data-menu="uflpa_statistics"' in page


def test_the_openapi_schema_documents_the_public_operation(client, db):
    schema = client.get("/api/schema/", {"format": "json"}, **HOST).json()
    operation = schema["paths"]["/api/uflpa-statistics/"]["get"]
    assert operation["operationId"] == "uflpa_statistics"
    assert operation["security"] == [{}]  # no sign-in
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert parameters["breakdown"]["schema"]["enum"] == [
        "month", "status", "country", "industry", "cumulative", ""
    ]  # fmt: skip
    body = schema["components"]["schemas"]["UflpaStatistics"]["properties"]
    assert {"by_month", "by_status", "by_country", "by_industry", "cumulative"} <= set(body)
