"""Notices sent through a real SMTP server on loopback (aiosmtpd), not the locmem back end: the
submitter's mailbox gets the question asked, the importer's the detention notice, and a send that
fails (server down, or refusing the recipient) is recorded on the notice and retried."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from withhold.detentions import services as detention_services
from withhold.detentions.models import ImporterAccount
from withhold.intake import services as intake_services
from withhold.intake.models import Allegation
from withhold.notices import services
from withhold.notices.models import Kind, Notice, Status

from ..detentions.conftest import detention_fields, make_order
from ..factories import EntityFactory, UserFactory
from ..intake.conftest import report_fields
from .conftest import SmtpServer

pytestmark = pytest.mark.django_db

SUBMITTER = "informant-7@example.org"
QUESTION = "Which factory building did the workers sleep in, and how many were there?"


def _submit(**overrides):
    return intake_services.allegation_submit(
        **report_fields(
            anonymous=False, contact_name="Sam Informant", contact_email=SUBMITTER, **overrides
        )
    ).allegation


def test_question_asked_reaches_the_submitters_mailbox(
    smtp, intake_analyst, django_capture_on_commit_callbacks
):
    allegation = _submit()
    with django_capture_on_commit_callbacks(execute=True):
        intake_services.allegation_information_request(
            allegation=allegation, actor=intake_analyst, question=QUESTION
        )
    [message] = smtp.mailbox.to(SUBMITTER)
    assert allegation.receipt_number in message["Subject"]
    body = message.get_content()
    assert QUESTION in body
    assert "/report/status/" in body  # where to answer
    assert intake_analyst.username not in body and "Sam Informant" not in body
    notice = Notice.objects.get(kind=Kind.QUESTION_ASKED)
    assert notice.status == Status.DELIVERED and notice.attempts == 1 and notice.sent_at
    assert notice.recipient is None and notice.related == allegation
    # The address is read from the allegation when sending; the notice row does not hold it.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM notices_notice WHERE id = %s", [notice.pk])
        assert SUBMITTER not in repr(cursor.fetchone())


def test_declined_report_tells_the_submitter_only_that_it_is_closed(
    smtp, intake_analyst, django_capture_on_commit_callbacks
):
    allegation = _submit()
    reason = "No link to the United States market could be found for these goods at all."
    with django_capture_on_commit_callbacks(execute=True):
        intake_services.allegation_decline(
            allegation=allegation, actor=intake_analyst, reason=reason
        )
    [message] = smtp.mailbox.to(SUBMITTER)
    assert "is closed" in message["Subject"]
    assert reason not in message.get_content()


def test_anonymous_or_erased_submitters_get_no_mail(
    smtp, intake_analyst, django_capture_on_commit_callbacks
):
    anonymous = intake_services.allegation_submit(**report_fields(anonymous=True)).allegation
    erased = _submit()
    Allegation.objects.filter(pk=erased.pk).update(identity_erased_at=timezone.now())
    erased.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        for allegation in (anonymous, erased):
            intake_services.allegation_information_request(
                allegation=allegation, actor=intake_analyst, question=QUESTION
            )
    assert smtp.mailbox.messages == []
    assert not Notice.objects.exists()


def test_detention_recorded_reaches_the_importers_mailbox(
    smtp, port_officer, django_capture_on_commit_callbacks
):
    acme = EntityFactory(name="Acme Imports LLC", country="US")
    other = EntityFactory(name="Globex Trading Inc.", country="US")
    acme_user = UserFactory(username="acme-importer", email="imports@acme.example")
    globex_user = UserFactory(username="globex-importer", email="imports@globex.example")
    ImporterAccount.objects.create(user=acme_user, entity=acme)
    ImporterAccount.objects.create(user=globex_user, entity=other)
    with time_machine.travel(dt.datetime(2026, 3, 2, 15, tzinfo=dt.UTC), tick=False):
        wro = make_order("wro", "WRO-2026-0001")
        with django_capture_on_commit_callbacks(execute=True):
            detention = detention_services.detention_record(
                actor=port_officer, orders=[wro], **detention_fields(port_officer, acme)
            )
    [message] = smtp.mailbox.to(acme_user.email)
    assert "ABC-1234567-8" in message["Subject"]
    body = message.get_content()
    assert "2026-04-30" in body  # the deadline to prove admissibility or export
    assert f"/detentions/{detention.pk}/" in body
    assert smtp.mailbox.to(globex_user.email) == []  # another importer learns nothing
    notice = Notice.objects.get(recipient=acme_user)
    assert notice.kind == Kind.DETENTION_RECORDED and notice.status == Status.DELIVERED


def test_a_send_to_a_server_that_is_down_is_recorded_and_retried(smtp_port, case_analyst):
    notice = services.notice_create(
        recipient=case_analyst,
        kind=Kind.TASK_DUE,
        subject="A task is due",
        body="Your task is due today.",
        send_on_commit=False,
    )
    start = timezone.now()
    assert services.notice_deliver(notice.pk, now=start) == Status.PENDING
    notice.refresh_from_db()
    assert notice.attempts == 1 and notice.sent_at is None
    assert "refused" in notice.last_error.lower() or "connect" in notice.last_error.lower()
    assert notice.next_attempt_at == start + services.retry_delay(1)
    # Not due yet: the retry job leaves it.
    assert services.notices_retry(now=start + dt.timedelta(seconds=30)) == 0
    server = SmtpServer(smtp_port)
    server.start()
    try:
        assert services.notices_retry(now=notice.next_attempt_at) == 1
    finally:
        server.stop()
    notice.refresh_from_db()
    assert notice.status == Status.DELIVERED and notice.attempts == 2 and notice.sent_at
    [message] = server.mailbox.to(case_analyst.email)
    assert message["Subject"] == "[Withhold] A task is due"
    # Delivered once: a later run sends nothing again.
    assert services.notices_retry(now=notice.next_attempt_at or timezone.now()) == 0


def test_a_refused_recipient_is_retried_with_backoff_then_marked_failed(smtp, case_analyst):
    smtp.mailbox.refuse = True
    notice = services.notice_create(
        recipient=case_analyst,
        kind=Kind.TASK_DUE,
        subject="A task is due",
        body="Your task is due today.",
        send_on_commit=False,
    )
    now = timezone.now()
    delays = []
    services.notice_deliver(notice.pk, now=now)
    for _ in range(services.MAX_ATTEMPTS - 1):
        notice.refresh_from_db()
        assert notice.status == Status.PENDING
        delays.append(notice.next_attempt_at - now)
        now = notice.next_attempt_at
        services.notices_retry(now=now)
    notice.refresh_from_db()
    assert notice.status == Status.FAILED and notice.attempts == services.MAX_ATTEMPTS
    assert "550" in notice.last_error and notice.next_attempt_at is None
    assert delays == sorted(delays) and delays[0] < delays[-1]  # waits longer each time
    assert smtp.mailbox.messages == []


def test_a_case_closed_tells_the_submitters_of_its_reports_once(
    smtp, supervisor, django_capture_on_commit_callbacks
):
    from withhold.cases import services as case_services

    from ..factories import CaseFactory

    case = CaseFactory(supervisor=supervisor)
    allegation = _submit()
    intake_services.allegation_case_attach(allegation=allegation, case=case, actor=supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_status_change(
            case=case, to_status="inactive", actor=supervisor, reason_code="insufficient_evidence"
        )
        case.refresh_from_db()
        case_services.case_status_change(
            case=case, to_status="closed", actor=supervisor, reason_code="no_violation"
        )
    [message] = smtp.mailbox.to(SUBMITTER)
    assert "is closed" in message["Subject"]
    body = message.get_content()
    assert case.number not in body and case.title not in body


def test_a_return_with_reasons_sends_the_written_advice(
    smtp, intake_analyst, django_capture_on_commit_callbacks
):
    """The analyst returns a report lacking the producer (19 CFR 12.42(c)): the submitter's
    mailbox holds the written advice, naming the missing element and the reasons, once."""
    allegation = _submit(manufacturer_name="", country="", manufacturer_address="", region="")
    reasons = "Without the producer and the country we cannot tell which goods to look for."
    with django_capture_on_commit_callbacks(execute=True):
        intake_services.allegation_return_with_reasons(
            allegation=allegation, actor=intake_analyst, reasons=reasons
        )
    [notice] = Notice.objects.filter(kind=Kind.REPORT_RETURNED)
    assert notice.related == allegation
    [message] = smtp.mailbox.to(SUBMITTER)
    body = message.get_content()
    assert "returned" in message["Subject"]
    assert "Facts about production abroad: missing" in body and reasons in body
