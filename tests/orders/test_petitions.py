"""Petitions to modify or revoke an order: an importer asks with evidence and translations, an
analyst reviews, a supervisor decides, and a grant changes the order."""

import pytest
from django.core.exceptions import ValidationError

from withhold.core.exceptions import ApplicationError, PermissionDeniedError
from withhold.orders import services
from withhold.orders.models import Petition

from .conftest import pdf, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def petition(issued, importer):
    return services.petition_submit(
        order=issued,
        actor=importer,
        request="modify",
        petitioner_name="Example Imports LLC",
        grounds="Our goods come from a mill the order does not name; the audit attached shows it.",
        documents=[
            services.PetitionFile("evidence", "Supplier audit", pdf("audit.pdf")),
            services.PetitionFile("translation", "Audit, English", pdf("audit-en.pdf"), "English"),
        ],
    )


def test_an_importer_petitions_with_evidence_and_a_translation(petition):
    kinds = [(d.kind, d.language) for d in petition.documents.all()]
    assert kinds == [("evidence", ""), ("translation", "English")]
    assert petition.state == "submitted"


def test_a_translation_must_name_its_language(issued, importer):
    with pytest.raises(ValidationError) as refused:
        services.petition_submit(
            order=issued,
            actor=importer,
            request="revoke",
            petitioner_name="X Co",
            grounds="Reasons.",
            documents=[services.PetitionFile("translation", "T", pdf())],
        )
    assert "language" in refused.value.message_dict
    assert not Petition.objects.exists()


def test_a_partial_grant_excludes_the_petitioners_goods(petition, case_analyst, supervisor):
    services.petition_review(petition=petition, actor=case_analyst, notes="Complete; translated.")
    services.petition_decide(
        petition=petition,
        actor=supervisor,
        decision="partially_granted",
        reason="Goods imported by Example Imports LLC are removed from the order.",
        decided_on=today(),
        exclusions=[{"kind": "excluded_importer", "entity": "Example Imports LLC"}],
    )
    petition.refresh_from_db()
    order = petition.order
    order.refresh_from_db()
    assert (petition.state, order.status) == ("partially_granted", "partially_revoked")
    change = order.modifications.get()
    assert (change.kind, change.petition) == ("partial_revocation", petition)
    assert order.scope_rules.filter(kind="excluded_importer").count() == 1


def test_a_denial_leaves_the_order_as_it_is(petition, supervisor):
    services.petition_decide(
        petition=petition,
        actor=supervisor,
        decision="denied",
        decided_on=today(),
        reason="The audit does not cover the named producer.",
    )
    petition.order.refresh_from_db()
    assert petition.order.status == "issued"
    assert not petition.order.modifications.exists()


def test_only_a_supervisor_decides_and_an_analyst_reviews(petition, case_analyst, importer):
    with pytest.raises(PermissionDeniedError):
        services.petition_decide(
            petition=petition,
            actor=case_analyst,
            decision="denied",
            decided_on=today(),
            reason="No.",
        )
    with pytest.raises(PermissionDeniedError):
        services.petition_review(petition=petition, actor=importer, notes="Looks fine to me.")


def test_a_revoked_order_cannot_be_petitioned(issued, supervisor, importer):
    services.order_modify(
        order=issued,
        actor=supervisor,
        kind="revocation",
        effective_on=today(),
        description="Revoked.",
    )
    with pytest.raises(ApplicationError, match="Only an active order"):
        services.petition_submit(
            order=issued, actor=importer, request="revoke", petitioner_name="X", grounds="Why."
        )


def test_an_importer_sees_only_its_own_petitions(petition, make_user, client):
    from withhold.accounts.roles import Role

    other = make_user(Role.IMPORTER, username="other-importer")
    client.force_login(other)
    assert client.get(f"/petitions/{petition.pk}/").status_code == 404
    client.force_login(petition.submitted_by)
    page = client.get(f"/petitions/{petition.pk}/")
    assert page.status_code == 200
    assert "Example Imports LLC" in page.content.decode()


@pytest.mark.parametrize(
    ("role_fixture", "listed"), [("supervisor", True), ("port_officer", False)]
)
def test_order_page_lists_only_petitions_the_reader_may_open(
    request, petition, role_fixture, listed, client
):
    client.force_login(request.getfixturevalue(role_fixture))
    html = client.get(f"/orders/{petition.order.number}/").content.decode()
    link = f'href="/petitions/{petition.pk}/"'
    assert (link in html) is listed
    assert (client.get(f"/petitions/{petition.pk}/").status_code == 200) is listed


@pytest.mark.parametrize(
    ("role_fixture", "offered"),
    [("supervisor", True), ("chief_counsel", False), ("approving_official", False)],
)
def test_the_document_form_is_offered_only_to_who_may_add(
    request, petition, role_fixture, offered, client
):
    """Counsel and the approving official read petitions but may not add to them: no form that
    would end in a 403."""
    user = request.getfixturevalue(role_fixture)
    client.force_login(user)
    html = client.get(f"/petitions/{petition.pk}/").content.decode()
    assert ('value="document"' in html) is offered
    assert services.petition_documents_addable(petition, user) is offered
    client.force_login(petition.submitted_by)
    assert 'value="document"' in client.get(f"/petitions/{petition.pk}/").content.decode()
