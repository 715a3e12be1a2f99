"""The importer's two ways out of the UFLPA presumption and the exception's report to Congress:
an applicability review with the tracing documents, an exception request under section 3(b),
the checklist of documents CBP's guidance names per sector, requests for information threaded
with the importer's answers, the approving official's decision, the 30-day report to Congress
(clock rule ``uflpa_exception_report``), its page and PDF, and its publication."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from withhold.audit.models import AuditAction, AuditEntry
from withhold.core import clocks
from withhold.core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError
from withhold.detentions import services, uflpa_guidance
from withhold.detentions.congress_report_pdf import congress_report_pdf
from withhold.detentions.models import CongressReport, DetentionEvent, UflpaRequest
from withhold.detentions.selectors import information_thread, uflpa_checklists, uflpa_requests

from ..pdftext import pdf_text_lines
from .conftest import pdf, uflpa_fields

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def tracing(*kinds):
    kinds = kinds or ("supply_chain",)
    return [services.DetentionFile(k, f"{k} file", pdf(f"{k}.pdf")) for k in kinds]


@pytest.fixture
def uflpa_detention(record, uflpa_entry):
    """Presented 5 days ago: its 30 days run."""
    presented = TODAY - dt.timedelta(days=5)
    return record(
        [],
        **uflpa_fields(
            uflpa_entry,
            imported_on=presented,
            presented_on=presented,
            notice_on=presented + dt.timedelta(days=1),
        ),
    )


def file_applicability(detention, user, **kwargs):
    return services.uflpa_request_file(
        detention=detention,
        actor=user,
        path="applicability_review",
        sector=kwargs.pop("sector", "cotton"),
        statement=kwargs.pop("statement", "Our cotton is Australian; tracing attached."),
        documents=kwargs.pop("documents", tracing()),
        **kwargs,
    )


def file_exception(detention, user, **kwargs):
    return services.uflpa_request_file(
        detention=detention,
        actor=user,
        path="exception",
        sector="polysilicon",
        statement="An exception is due.",
        guidance_compliance="We followed every step of the guidance.",
        evidence_summary="Worker interviews and third-party audits show no forced labor.",
        documents=kwargs.pop("documents", tracing("supply_chain", "due_diligence_system")),
        **kwargs,
    )


def reviewed(detention, port_officer, recommendation="release"):
    services.detention_review_start(detention=detention, actor=port_officer)
    services.detention_recommend(
        detention=detention,
        actor=port_officer,
        recommendation=recommendation,
        reason="Tracing holds up.",
    )


def grant(request, official, **overrides):
    fields = {
        "complied_with_guidance": True,
        "answered_every_request": True,
        "clear_and_convincing": True,
        "finding": "The audits and the tracing are clear and convincing.",
        "evidence_considered": "Supply-chain map; due-diligence system; audits.",
    }
    fields.update(overrides)
    return services.uflpa_exception_grant(request=request, actor=official, **fields)


# The checklist as data ----------------------------------------------------------------------------


def test_every_high_priority_sector_has_a_cited_checklist():
    assert set(uflpa_guidance.CHECKLISTS) == {
        "cotton", "apparel", "polysilicon", "tomatoes", "aluminum", "pvc", "seafood"
    }  # fmt: skip
    for items in uflpa_guidance.CHECKLISTS.values():
        assert all(item.citation and item.what for item in items)
        kinds = [item.kind for item in items]
        assert "supply_chain" in kinds and "raw_material_origin" in kinds


def test_an_exception_asks_for_more_than_an_applicability_review():
    review = uflpa_guidance.checklist("seafood", "applicability_review", set())
    exception = uflpa_guidance.checklist("seafood", "exception", set())
    assert {line.item.kind for line in exception} - {line.item.kind for line in review} == {
        "due_diligence_system", "management_measures"
    }  # fmt: skip
    raw = next(line.item for line in review if line.item.kind == "raw_material_origin")
    assert "vessel" in raw.what


# Applicability review ----------------------------------------------------------------------------


def test_applicability_review_moves_the_detention_to_the_cee_and_lists_missing_documents(
    uflpa_detention, acme_user
):
    request = file_applicability(uflpa_detention, acme_user)
    uflpa_detention.refresh_from_db()
    assert uflpa_detention.status == "proof_submitted"
    assert request.state == "submitted"
    [checklist] = uflpa_checklists(uflpa_detention, uflpa_requests(uflpa_detention))
    assert [i.kind for i in checklist.missing] == [
        "transaction_records", "transport_records", "production_records", "raw_material_origin"
    ]  # fmt: skip
    assert AuditEntry.objects.filter(action=AuditAction.UFLPA_REQUEST_FILED).count() == 1
    assert uflpa_detention.events.filter(kind="applicability_requested").exists()


def test_applicability_review_needs_the_supply_chain_tracing(uflpa_detention, acme_user):
    with pytest.raises(ValidationError) as exc:
        file_applicability(uflpa_detention, acme_user, documents=tracing("transport_records"))
    assert "supply_chain" in exc.value.message_dict
    assert not UflpaRequest.objects.exists()


def test_a_refused_request_names_every_problem_at_once(uflpa_detention, acme_user):
    """A file whose content is not what its name says is named beside the missing tracing, not
    only after the tracing has been sent."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("plan.pdf", b"just some text", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        file_exception(
            uflpa_detention,
            acme_user,
            documents=[
                services.DetentionFile("due_diligence_system", "Plan", fake, "due_diligence")
            ],
        )
    assert set(exc.value.message_dict) >= {"supply_chain", "due_diligence"}
    assert not UflpaRequest.objects.exists()


def test_only_a_uflpa_detention_takes_a_request(detention, acme_user):
    with pytest.raises(ApplicationError, match="UFLPA presumption"):
        file_applicability(detention, acme_user)


def test_another_company_cannot_file_on_the_detention(uflpa_detention, globex_user):
    with pytest.raises(NotFoundError):
        file_applicability(uflpa_detention, globex_user)


def test_one_pending_request_per_path(uflpa_detention, acme_user):
    file_applicability(uflpa_detention, acme_user)
    with pytest.raises(ValidationError, match="already awaiting"):
        file_applicability(uflpa_detention, acme_user, documents=[])


def test_no_request_after_the_thirty_days(record, uflpa_entry, acme_user):
    presented = TODAY - dt.timedelta(days=40)
    lapsed = record(
        [],
        **uflpa_fields(
            uflpa_entry, imported_on=presented, presented_on=presented, notice_on=presented
        ),
    )
    with pytest.raises(ApplicationError, match="deemed excluded"):
        file_applicability(lapsed, acme_user)


def test_release_grants_the_applicability_review_and_exclusion_denies_it(
    uflpa_detention, acme_user, port_officer
):
    request = file_applicability(uflpa_detention, acme_user)
    reviewed(uflpa_detention, port_officer)
    services.detention_release(
        detention=uflpa_detention, actor=port_officer, on=TODAY, reason="Outside the presumption."
    )
    request.refresh_from_db()
    assert (request.state, request.decided_on) == ("granted", TODAY)
    assert request.decision_note == "Outside the presumption."


def test_exclusion_denies_a_pending_applicability_review(uflpa_detention, acme_user, port_officer):
    request = file_applicability(uflpa_detention, acme_user)
    reviewed(uflpa_detention, port_officer, recommendation="exclude")
    services.detention_exclude(
        detention=uflpa_detention, actor=port_officer, on=TODAY, reason="Tracing stops at a mill."
    )
    request.refresh_from_db()
    assert request.state == "denied"
    assert AuditEntry.objects.filter(action=AuditAction.UFLPA_REQUEST_DECIDED).count() == 1


# Requests for information, threaded ----------------------------------------------------------------


def test_answers_thread_under_their_request_with_files(uflpa_detention, acme_user, port_officer):
    services.detention_information_request(
        detention=uflpa_detention, actor=port_officer, message="Send the gin's bale records."
    )
    asked = uflpa_detention.events.get(kind="information_requested")
    services.detention_information_answer(
        detention=uflpa_detention,
        actor=acme_user,
        request_event=asked,
        message="Attached.",
        documents=tracing("raw_material_origin"),
    )
    [entry] = information_thread(uflpa_detention)
    assert entry.request == asked
    [(answer, docs)] = entry.answers
    assert answer.importer_note == "Attached." and answer.by_importer
    assert [d.kind for d in docs] == ["raw_material_origin"]
    assert AuditEntry.objects.filter(action=AuditAction.DETENTION_INFORMATION_ANSWERED).exists()


def test_an_answer_needs_text_or_a_file(uflpa_detention, acme_user, port_officer):
    services.detention_information_request(
        detention=uflpa_detention, actor=port_officer, message="Send more."
    )
    asked = uflpa_detention.events.get(kind="information_requested")
    with pytest.raises(ValidationError):
        services.detention_information_answer(
            detention=uflpa_detention, actor=acme_user, request_event=asked, message="  "
        )


def test_an_answer_must_reply_to_a_request_on_the_same_detention(uflpa_detention, acme_user):
    recorded = uflpa_detention.events.get(kind="recorded")
    with pytest.raises(NotFoundError):
        services.detention_information_answer(
            detention=uflpa_detention, actor=acme_user, request_event=recorded, message="Hi"
        )


# The exception -----------------------------------------------------------------------------------


def test_only_the_approving_official_grants_an_exception(
    uflpa_detention, acme_user, port_officer, supervisor
):
    request = file_exception(uflpa_detention, acme_user)
    reviewed(uflpa_detention, port_officer)
    for user in (port_officer, supervisor, acme_user):
        with pytest.raises(PermissionDeniedError):
            grant(request, user)


def test_the_exception_waits_for_the_cee(uflpa_detention, acme_user, approving_official):
    request = file_exception(uflpa_detention, acme_user)
    with pytest.raises(ApplicationError, match="CEE"):
        grant(request, approving_official)


def test_grant_needs_all_three_conditions(
    uflpa_detention, acme_user, port_officer, approving_official
):
    request = file_exception(uflpa_detention, acme_user)
    reviewed(uflpa_detention, port_officer)
    with pytest.raises(ValidationError) as exc:
        grant(request, approving_official, clear_and_convincing=False, finding="")
    assert {"clear_and_convincing", "finding"} <= set(exc.value.message_dict)


def test_grant_is_refused_while_a_request_for_information_is_unanswered(
    uflpa_detention, acme_user, port_officer, approving_official
):
    request = file_exception(uflpa_detention, acme_user)
    reviewed(uflpa_detention, port_officer)
    services.detention_information_request(
        detention=uflpa_detention, actor=port_officer, message="Send the payroll."
    )
    with pytest.raises(ValidationError) as exc:
        grant(request, approving_official)
    assert "no answer" in exc.value.message_dict["answered_every_request"][0]
    asked = uflpa_detention.events.get(kind="information_requested")
    services.detention_information_answer(
        detention=uflpa_detention, actor=acme_user, request_event=asked, message="Payroll sent."
    )
    assert grant(request, approving_official).number.startswith(f"UFLPA-EXC-{TODAY.year}-")


def test_grant_releases_the_goods_and_opens_the_30_day_report(
    uflpa_detention, acme_user, port_officer, approving_official
):
    request = file_exception(uflpa_detention, acme_user)
    reviewed(uflpa_detention, port_officer)
    report = grant(request, approving_official)
    uflpa_detention.refresh_from_db()
    request.refresh_from_db()
    assert uflpa_detention.status == "released" and uflpa_detention.disposed_on == TODAY
    assert request.state == "granted"
    assert report.due_on == TODAY + dt.timedelta(days=30)
    assert report.due_on == clocks.due_on("uflpa_exception_report", TODAY)
    assert report.owner == approving_official and report.state == "open"
    assert "Men's cotton shirts" in report.goods and "HTS 620520" in report.goods
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {AuditAction.UFLPA_EXCEPTION_GRANTED, AuditAction.DETENTION_RELEASED} <= actions


def test_the_report_rule_is_in_the_clock_table_with_its_citation():
    rule = clocks.rule_for("uflpa_exception_report")
    assert rule.citation == "UFLPA (Public Law 117-78) section 3(c)"
    assert (rule.amount, rule.unit) == (30, clocks.Unit.CALENDAR_DAYS)


def test_deny_keeps_the_detention_open_and_tells_the_importer(
    uflpa_detention, acme_user, port_officer, approving_official
):
    request = file_exception(uflpa_detention, acme_user)
    reviewed(uflpa_detention, port_officer, recommendation="exclude")
    services.uflpa_exception_deny(
        request=request,
        actor=approving_official,
        reason="The audits do not reach the quartzite mine.",
        internal_note="INTERNAL weak audits",
    )
    uflpa_detention.refresh_from_db()
    request.refresh_from_db()
    assert uflpa_detention.status == "under_review"
    assert request.state == "denied" and not CongressReport.objects.exists()
    event = uflpa_detention.events.get(kind="exception_denied")
    assert event.importer_note.startswith("The audits") and event.reason == "INTERNAL weak audits"


def test_a_denial_without_a_reason_is_refused_on_the_importer_note_field(
    uflpa_detention, acme_user, port_officer, approving_official, client
):
    """The page and the API call the reason the importer's note: the refusal is put there."""
    request = file_exception(uflpa_detention, acme_user)
    reviewed(uflpa_detention, port_officer, recommendation="exclude")
    with pytest.raises(ValidationError) as exc:
        services.uflpa_exception_decide(
            request=request, actor=approving_official, decision="deny", importer_note=" "
        )
    assert set(exc.value.message_dict) == {"importer_note"}
    client.force_login(approving_official)
    page = client.post(
        f"/detentions/{uflpa_detention.pk}/exception/{request.pk}/decide/",
        {"decision": "deny", "importer_note": " ", "internal_note": "x"},
        HTTP_HOST="127.0.0.1",
    )
    request.refresh_from_db()
    assert request.state == "submitted"
    assert page.status_code == 400


def test_marking_the_report_sent_publishes_it_and_is_audited(
    uflpa_detention, acme_user, port_officer, approving_official
):
    request = file_exception(uflpa_detention, acme_user)
    reviewed(uflpa_detention, port_officer)
    report = grant(request, approving_official)
    with pytest.raises(ValidationError):
        services.congress_report_mark_sent(
            report=report, actor=approving_official, sent_on=TODAY + dt.timedelta(days=1)
        )
    with pytest.raises(PermissionDeniedError):
        services.congress_report_mark_sent(report=report, actor=port_officer, sent_on=TODAY)
    report = services.congress_report_mark_sent(
        report=report, actor=approving_official, sent_on=TODAY
    )
    assert (report.state, report.sent_on) == ("sent", TODAY)
    entry = AuditEntry.objects.get(action=AuditAction.CONGRESS_REPORT_SENT)
    assert entry.data["report"] == report.number and entry.data["late"] is False
    with pytest.raises(ApplicationError, match="already sent"):
        services.congress_report_mark_sent(report=report, actor=approving_official, sent_on=TODAY)
    assert uflpa_detention.events.filter(kind=DetentionEvent.Kind.CONGRESS_REPORT_SENT).exists()


def test_the_report_pdf_names_the_goods_evidence_and_finding(
    uflpa_detention, acme_user, port_officer, approving_official
):
    request = file_exception(uflpa_detention, acme_user)
    reviewed(uflpa_detention, port_officer)
    report = grant(request, approving_official)
    text = " ".join(pdf_text_lines(congress_report_pdf(report)))
    assert report.number in text
    assert "Men's cotton shirts" in text
    assert "due-diligence system" in text
    assert "clear and convincing" in text
