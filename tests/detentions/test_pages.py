"""Detention pages: role × page, importer isolation, the walk through the pages, list queries."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from withhold.accounts.roles import Role
from withhold.detentions.models import Detention, ImporterAccount

from ..factories import UserFactory
from .conftest import pdf

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}
TODAY = timezone.localdate()
ON = TODAY.isoformat()


@pytest.fixture
def detention(record, wro):
    """Imported 20 days ago: the pages read today's date."""
    return record(
        [wro],
        imported_on=TODAY - dt.timedelta(days=20),
        notice_on=TODAY - dt.timedelta(days=18),
    )


COLUMNS = [
    ("list", "/detentions/"),
    ("desk", "/detentions/desk/"),
    ("new", "/detentions/new/"),
    ("import", "/detentions/import/"),
    ("stats", "/detentions/statistics/"),
    ("importers", "/detentions/importers/"),
    ("detail", "/detentions/{id}/"),
    ("proof", "/detentions/{id}/proof/"),
    ("export_notice", "/detentions/{id}/export-notice/"),
    ("request_info", "/detentions/{id}/request-information/"),
    ("recommend", "/detentions/{id}/recommend/"),
    ("release", "/detentions/{id}/release/"),
]

#                         list desk new  imp  stat impo det  prf  exn  req  rec  rel
MATRIX = {
    None:                   [302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302],
    Role.INTAKE_ANALYST:    [403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
    Role.CASE_ANALYST:      [200, 200, 403, 403, 200, 403, 200, 403, 403, 403, 403, 403],
    Role.SUPERVISOR:        [200, 200, 403, 403, 200, 200, 200, 403, 403, 403, 403, 403],
    Role.CHIEF_COUNSEL:     [403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
    Role.APPROVING_OFFICIAL:[200, 200, 403, 403, 200, 403, 200, 403, 403, 403, 403, 403],
    Role.TARGETING_ANALYST: [200, 200, 403, 403, 200, 403, 200, 403, 403, 403, 403, 403],
    Role.PORT_OFFICER:      [200, 200, 200, 200, 200, 403, 200, 403, 403, 200, 200, 200],
    Role.HSI_LIAISON:       [403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
    Role.IMPORTER:          [200, 200, 403, 403, 403, 403, 200, 200, 200, 403, 403, 403],
    Role.PUBLIC:            [403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
}  # fmt: skip


@pytest.mark.parametrize("role", list(MATRIX), ids=lambda r: r or "anonymous")
def test_detention_pages_by_role(role, detention, acme, client):
    if role is not None:
        user = UserFactory(role=role, username=f"matrix-{role}")
        if role == Role.IMPORTER:
            ImporterAccount.objects.create(user=user, entity=acme)
        client.force_login(user)
    got = [client.get(t.format(id=detention.pk), **HOST).status_code for _n, t in COLUMNS]
    names = [c[0] for c in COLUMNS]
    assert dict(zip(names, got, strict=True)) == dict(zip(names, MATRIX[role], strict=True))


def test_another_importer_gets_the_same_404_as_a_missing_detention(
    detention, globex_user, acme_user, client
):
    client.force_login(globex_user)
    missing = client.get("/detentions/999999/", **HOST)
    other = client.get(f"/detentions/{detention.pk}/", **HOST)
    assert other.status_code == missing.status_code == 404
    assert client.get(f"/detentions/{detention.pk}/proof/", **HOST).status_code == 404
    posted = client.post(
        f"/detentions/{detention.pk}/proof/",
        {"certificate_of_origin": pdf("a.pdf"), "detailed_statement": pdf("b.pdf")},
        **HOST,
    )
    assert posted.status_code == 404
    listing = client.get("/detentions/", **HOST)
    assert detention.entry_number not in listing.content.decode()
    detention.refresh_from_db()
    assert detention.status == Detention.Status.DETAINED
    client.force_login(acme_user)
    assert detention.entry_number in client.get("/detentions/", **HOST).content.decode()


def test_walk_through_the_pages(detention, acme_user, port_officer, client):
    client.force_login(acme_user)
    page = client.get(f"/detentions/{detention.pk}/", **HOST).content.decode()
    assert "Submit proof of admissibility" in page
    refused = client.post(
        f"/detentions/{detention.pk}/proof/", {"certificate_of_origin": pdf("a.pdf")}, **HOST
    )
    assert refused.status_code == 400
    assert "a detailed statement" in refused.content.decode()
    client.post(
        f"/detentions/{detention.pk}/proof/",
        {"certificate_of_origin": pdf("a.pdf"), "detailed_statement": pdf("b.pdf")},
        **HOST,
    )
    detention.refresh_from_db()
    assert detention.status == Detention.Status.PROOF_SUBMITTED
    client.force_login(port_officer)
    client.post(f"/detentions/{detention.pk}/review/", **HOST)
    client.post(
        f"/detentions/{detention.pk}/request-information/",
        {"message": "Send the mill's payroll."},
        **HOST,
    )
    client.post(
        f"/detentions/{detention.pk}/recommend/",
        {"recommendation": "release", "reason": "Traced."},
        **HOST,
    )
    response = client.post(
        f"/detentions/{detention.pk}/release/", {"on": ON, "reason": "Admissible."}, **HOST
    )
    assert response.status_code == 302
    detail = client.get(f"/detentions/{detention.pk}/", **HOST).content.decode()
    assert f"Released on {ON}" in detail
    assert "Detention released" in detail  # audit trail
    client.force_login(acme_user)
    importer_view = client.get(f"/detentions/{detention.pk}/", **HOST).content.decode()
    assert "Send the mill&#x27;s payroll." in importer_view
    assert f"Released on {ON}" in importer_view
    assert "Audit trail" not in importer_view


def test_the_importer_is_not_offered_an_answer_once_its_time_is_over(
    record, wro, acme_user, client
):
    """Past the three months the detention page offers neither proof nor an export notice, says
    when the time ended, and the two forms send the importer back to it with that date."""
    late = record(
        [wro],
        imported_on=TODAY - dt.timedelta(days=130),
        notice_on=TODAY - dt.timedelta(days=125),
    )
    assert late.status == Detention.Status.DETAINED and late.admissibility_deadline < TODAY
    client.force_login(acme_user)
    page = client.get(f"/detentions/{late.pk}/", **HOST).content.decode()
    assert "Submit proof of admissibility" not in page
    assert "File an export notice" not in page
    ended = f"{late.admissibility_deadline:%Y-%m-%d}"
    assert f"The time to prove admissibility or file an export notice ended on {ended}." in page
    for path in ("proof", "export-notice"):
        response = client.get(f"/detentions/{late.pk}/{path}/", follow=True, **HOST)
        assert response.redirect_chain == [(f"/detentions/{late.pk}/", 302)]
        assert f"The time to answer this detention ended on {ended}." in (response.content.decode())


def test_seize_page_refuses_without_a_finding(detention, acme_user, port_officer, client):
    from withhold.detentions import services

    from .conftest import proof_files

    services.detention_proof_submit(detention=detention, actor=acme_user, documents=proof_files())
    services.detention_review_start(detention=detention, actor=port_officer)
    client.force_login(port_officer)
    response = client.post(f"/detentions/{detention.pk}/seize/", {"on": ON, "reason": "x"}, **HOST)
    assert response.status_code == 400
    assert "Seizure needs a Finding" in response.content.decode()


def test_list_queries_do_not_grow_with_rows(record, wro, port_officer, client):
    client.force_login(port_officer)
    record([wro])
    with CaptureQueriesContext(connection) as few:
        client.get("/detentions/", **HOST)
    for n in range(6):
        record([wro], entry_number=f"ABC-765432{n}-0")
    with CaptureQueriesContext(connection) as many:
        response = client.get("/detentions/", **HOST)
    assert response.content.decode().count("/detentions/") > 7
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as desk:
        client.get("/detentions/desk/", **HOST)
    assert len(desk) <= len(few) + 2


def test_csv_downloads(detention, port_officer, client):
    client.force_login(port_officer)
    listing = client.get("/detentions/?format=csv", **HOST).getvalue().decode()
    assert "ABC-1234567-8" in listing and "WRO-2026-0001" in listing
    stats = client.get("/detentions/statistics/?format=csv", **HOST).getvalue().decode()
    assert "order,WRO-2026-0001,WRO-2026-0001,1,48000.00" in stats
    assert "outcome,detained,Detained,1,48000.00" in stats


def test_supervisor_ties_an_importer_user(supervisor, acme, client):
    importer = UserFactory(username="new-importer", role=Role.IMPORTER)
    client.force_login(supervisor)
    response = client.post(
        "/detentions/importers/", {"username": "new-importer", "entity": acme.pk}, **HOST
    )
    assert response.status_code == 302
    assert importer.importer_account.entity == acme


def test_values_and_quantities_read_with_thousands_separators(detention, port_officer, client):
    client.force_login(port_officer)
    for path in ("/detentions/", "/detentions/desk/", f"/detentions/{detention.pk}/"):
        html = client.get(path, **HOST).content.decode()
        assert "48,000.00" in html and "48000.00" not in html, path
    detail = client.get(f"/detentions/{detention.pk}/", **HOST).content.decode()
    assert "1,200 pcs" in detail
    stats = client.get("/detentions/statistics/", **HOST).content.decode()
    assert re.search(r"1 detention, USD 48,000\.00", stats) and "48000" not in stats
