"""The order pages, driven as a user would with the test client."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from withhold.orders.models import Order

from .conftest import pdf, today

pytestmark = pytest.mark.django_db


def test_an_order_goes_from_draft_to_issued_through_the_pages(
    case_in_legal_review, supervisor, chief_counsel, approving_official, client
):
    client.force_login(supervisor)
    response = client.post(
        "/orders/new/",
        {
            "kind": "wro",
            "case_number": case_in_legal_review.number,
            "merchandise": "Cotton yarn",
            "country": "CN",
        },
    )
    order = Order.objects.get()
    assert response.url == f"/orders/{order.number}/"
    entity = case_in_legal_review.entities.get(name="Example Garment Factory")
    client.post(f"/orders/{order.number}/scope-rules/", {"kind": "entity", "entity": entity.pk})
    client.post(f"/orders/{order.number}/submit/")
    client.force_login(chief_counsel)
    response = client.post(
        f"/orders/{order.number}/opinion/",
        {
            "sufficient": "yes",
            "standard": "reasonable_not_conclusive",
            "opinion_on": today().isoformat(),
            "summary": "Meets the WRO standard.",
            "memo": pdf(),
        },
    )
    assert response.status_code == 302
    client.force_login(approving_official)
    client.post(
        f"/orders/{order.number}/decision/",
        {
            "decision": "approved",
            "decided_on": today().isoformat(),
            "planned_issue_on": (today() + dt.timedelta(days=14)).isoformat(),
        },
    )
    issue_page = client.get(f"/orders/{order.number}/issue/").content.decode()
    assert "6 coordination tasks are still open." in issue_page
    response = client.post(
        f"/orders/{order.number}/issue/", {"issued_on": today().isoformat()}, follow=True
    )
    page = response.content.decode()
    assert "issued." in page and "Coordination still open" in page
    order.refresh_from_db()
    assert order.status == "issued"
    assert order.published_entity == "Example Garment Factory"


def test_the_opinion_form_names_the_wrong_standard(in_legal_review, chief_counsel, client):
    client.force_login(chief_counsel)
    response = client.post(
        f"/orders/{in_legal_review.number}/opinion/",
        {
            "sufficient": "yes",
            "standard": "probable_cause",
            "opinion_on": today().isoformat(),
            "summary": "Conclusive.",
            "memo": pdf(),
        },
    )
    assert response.status_code == 400
    assert "is judged on the standard" in response.content.decode()


def test_overdue_reviews_are_flagged_to_supervisors(issued, supervisor, case_analyst, client):
    Order.objects.filter(pk=issued.pk).update(next_review_on=today() - dt.timedelta(days=3))
    client.force_login(supervisor)
    page = client.get("/cases/my-work/").content.decode()
    assert "1 review overdue" in page
    overdue = client.get("/orders/reviews-due/").content.decode()
    assert issued.number in overdue
    client.force_login(case_analyst)
    assert "review overdue" not in client.get("/cases/my-work/").content.decode()


def test_order_list_needs_a_fixed_number_of_queries(issued, supervisor, client):
    client.force_login(supervisor)
    with CaptureQueriesContext(connection) as few:
        client.get("/orders/")
    for i in range(10):
        Order.objects.create(number=f"X-{i}", kind="wro", merchandise="Tea")
    with CaptureQueriesContext(connection) as many:
        client.get("/orders/")
    assert len(many) == len(few)


def test_load_demo_adds_labelled_demo_orders_after_the_cases(client):
    from django.core.management import call_command

    call_command("load_reference", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    demo = Order.objects.filter(is_demo=True)
    assert sorted(demo.values_list("status", flat=True)) == ["issued", "legal_review"]
    assert all(o.merchandise.startswith("DEMO") for o in demo)
    issued = demo.get(status="issued")
    assert issued.cases.get().phase == "implementation"
    assert "demo — made up" in client.get("/register/", {"q": "DEMO"}).content.decode()
    assert not Order.objects.filter(is_reference=True, is_demo=True).exists()


@pytest.mark.parametrize(
    ("role_fixture", "offered"), [("supervisor", True), ("port_officer", False)]
)
def test_order_list_offers_petitions_only_to_roles_that_may_open_them(
    request, role_fixture, offered, client
):
    client.force_login(request.getfixturevalue(role_fixture))
    html = client.get("/orders/").content.decode()
    assert ('href="/petitions/"' in html) is offered
    assert (client.get("/petitions/").status_code == 200) is offered
