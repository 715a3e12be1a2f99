"""The detention sections of the home page: the importer's shipments awaiting proof and CBP's
unanswered requests, the CEE's proofs awaiting review, the port's open detentions."""

import datetime as dt

import pytest
from django.utils import timezone

from withhold.detentions import services
from withhold.workday import selectors

from .conftest import pdf, proof_files

pytestmark = pytest.mark.django_db


def _labels(section):
    return [row.label for row in section.rows]


def test_a_request_for_information_waits_until_the_importer_answers(
    detention, acme_user, globex_user, port_officer
):
    today = timezone.localdate()
    assert _labels(selectors.importer_awaiting_proof(user=acme_user, today=today)) == [
        detention.entry_number
    ]
    services.detention_information_request(
        detention=detention, actor=port_officer, message="Send the spinning mill's audit report."
    )
    requests = selectors.importer_open_requests(user=acme_user, today=today)
    assert _labels(requests) == [detention.entry_number]
    assert "spinning mill's audit report" in requests.rows[0].detail
    # Another importer sees neither the detention nor the request.
    assert selectors.importer_open_requests(user=globex_user, today=today).count == 0
    assert selectors.importer_awaiting_proof(user=globex_user, today=today).count == 0
    services.detention_document_add(
        detention=detention,
        actor=acme_user,
        document=services.DetentionFile("audit_report", "Audit report", pdf("audit.pdf")),
    )
    assert selectors.importer_open_requests(user=acme_user, today=today).count == 0


def test_proof_moves_the_shipment_from_the_importer_to_the_cee(
    record, wro, acme_user, port_officer
):
    today = timezone.localdate()
    detention = record(
        [wro], imported_on=today - dt.timedelta(days=10), notice_on=today - dt.timedelta(days=7)
    )
    assert _labels(selectors.detentions_by_days_left(user=port_officer, today=today)) == [
        detention.entry_number
    ]
    services.detention_proof_submit(detention=detention, actor=acme_user, documents=proof_files())
    assert selectors.importer_awaiting_proof(user=acme_user, today=today).count == 0
    assert _labels(selectors.importer_detentions(user=acme_user, today=today)) == [
        detention.entry_number
    ]
    assert _labels(selectors.proofs_awaiting_review(user=port_officer, today=today)) == [
        detention.entry_number
    ]
    assert selectors.detentions_by_days_left(user=port_officer, today=today).count == 0
