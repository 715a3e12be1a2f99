"""The public register's answers kept in the shared cache: a change shows at once, a signed-in
reader's page is never kept, and nothing law-enforcement-sensitive is ever served from it."""

import csv
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from withhold.core.pages import CSRF_PLACEHOLDER
from withhold.orders import register_cache, services
from withhold.orders.models import Order

from .conftest import SENSITIVE
from .test_register import make_issued

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def register_cache_on(settings):
    settings.WITHHOLD = {**settings.WITHHOLD, "ORDER_REGISTER_CACHE_SECONDS": 300}
    cache.clear()
    yield
    cache.clear()


def csv_numbers(client, **params) -> list[str]:
    body = client.get("/register/", {**params, "format": "csv"}).content.decode()
    return [row[0] for row in list(csv.reader(io.StringIO(body)))[1:]]


def test_a_second_reader_is_answered_without_the_database(client):
    make_issued("C-1")
    first = client.get("/register/", {"country": "CN"})
    with CaptureQueriesContext(connection) as queries:
        again = Client().get("/register/", {"country": "CN"})
    assert again.status_code == 200
    assert "C-1" in again.content.decode()
    assert len(queries) == 0
    assert first.content.count(b"C-1") == again.content.count(b"C-1")


def test_query_order_does_not_matter_but_every_parameter_does(client):
    make_issued("C-1", country="CN")
    make_issued("V-1", country="VN")
    assert csv_numbers(client, country="CN", kind="wro") == ["C-1"]
    assert csv_numbers(client, kind="wro", country="CN") == ["C-1"]
    assert csv_numbers(client, country="VN", kind="wro") == ["V-1"]


def test_a_new_order_and_a_change_to_one_show_at_once(client):
    make_issued("C-1", merchandise="Tea")
    assert csv_numbers(client) == ["C-1"]
    assert "Tea" in client.get("/register/").content.decode()

    make_issued("C-2")
    assert sorted(csv_numbers(client)) == ["C-1", "C-2"]

    order = Order.objects.get(number="C-1")
    order.merchandise = "Green tea"
    order.save()
    assert "Green tea" in client.get("/register/").content.decode()
    assert "Green tea" in client.get("/register/", {"format": "json"}).content.decode()


def test_a_revoked_order_shows_revoked_at_once(issued, supervisor, client):
    assert "Active" in client.get("/register/").content.decode()
    services.order_modify(
        order=issued,
        actor=supervisor,
        kind="revocation",
        description="Revoked after the producer remediated",
        effective_on=issued.issued_on,
    )
    page = client.get("/register/").content.decode()
    assert "Revoked" in page


def test_each_reader_gets_their_own_csrf_token(client):
    make_issued("C-1")
    one, two = Client(), Client()
    page_one = one.get("/register/").content.decode()
    page_two = two.get("/register/").content.decode()
    assert CSRF_PLACEHOLDER not in page_one + page_two
    token_one = one.cookies["csrftoken"].value
    token_two = two.cookies["csrftoken"].value
    assert token_one != token_two


def test_a_signed_in_readers_page_is_never_kept_or_served_to_the_public(supervisor, client):
    make_issued("C-1")
    supervisor.first_name = f"Sam {SENSITIVE}"
    supervisor.save()
    staff = Client()
    staff.force_login(supervisor)
    staff_page = staff.get("/register/").content.decode()
    assert SENSITIVE in staff_page  # their name in the header
    public_page = client.get("/register/").content.decode()
    assert SENSITIVE not in public_page
    assert "Staff sign-in" in public_page
    # And the other way round: a page kept for the public is not what staff see.
    assert SENSITIVE in staff.get("/register/").content.decode()


def test_nothing_sensitive_is_in_any_kept_answer(issued, importer, client, monkeypatch):
    kept: list[str] = []
    put = register_cache.put

    def keep(key, **answer):
        kept.append(answer["body"].decode())
        put(key, **answer)

    monkeypatch.setattr(register_cache, "put", keep)
    case = issued.cases.get()
    case.title = f"Case title {SENSITIVE}"
    case.save()
    services.petition_submit(
        order=issued,
        actor=importer,
        request="revoke",
        petitioner_name="Example Imports LLC",
        grounds=f"Our audit found no forced labor {SENSITIVE}",
    )
    for params in ({}, {"format": "csv"}, {"format": "json"}):
        first = client.get("/register/", params).content
        assert client.get("/register/", params).content == first or not params
    assert len(kept) == 3
    for body in kept:
        assert issued.number in body
        assert SENSITIVE not in body
        assert case.number not in body
        assert "Example Imports LLC" not in body
        assert "reasonably indicates" not in body


def test_drafts_never_reach_the_kept_register(draft, client):
    client.get("/register/")
    assert draft.number not in client.get("/register/").content.decode()
    assert draft.number not in "".join(csv_numbers(client))


def test_the_cache_can_be_switched_off(settings, client):
    settings.WITHHOLD = {**settings.WITHHOLD, "ORDER_REGISTER_CACHE_SECONDS": 0}
    make_issued("C-1")
    client.get("/register/", {"format": "csv"})
    Order.objects.filter(number="C-1").update(merchandise="Changed without a signal")
    assert "Changed without a signal" in client.get("/register/").content.decode()


def test_the_overdue_review_count_follows_a_review_at_once(issued, supervisor, client):
    client.force_login(supervisor)
    issued.next_review_on = issued.issued_on.replace(year=issued.issued_on.year - 1)
    issued.save()
    assert "1 review overdue" in client.get("/orders/").content.decode()
    assert "1 review overdue" in client.get("/orders/").content.decode()  # kept
    issued.next_review_on = issued.issued_on.replace(year=issued.issued_on.year + 1)
    issued.save()
    assert "review overdue" not in client.get("/orders/").content.decode()


@pytest.mark.parametrize("seconds", [0, 300])
def test_the_page_carries_the_readers_real_csrf_token(settings, seconds):
    settings.WITHHOLD = {**settings.WITHHOLD, "ORDER_REGISTER_CACHE_SECONDS": seconds}
    make_issued("C-1")
    reader = Client()
    page = reader.get("/register/").content.decode()
    assert CSRF_PLACEHOLDER not in page
    assert "X-CSRFToken" in page
    assert reader.cookies["csrftoken"].value
