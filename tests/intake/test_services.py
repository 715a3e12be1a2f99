"""The intake services: submission all-or-nothing, receipts, follow-ups, and the triage decisions
that end every allegation in exactly one decision."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from withhold.audit.models import AuditAction, AuditEntry
from withhold.cases.models import Case, CaseEntity, CaseUpdate
from withhold.core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError
from withhold.intake import selectors, services
from withhold.intake.models import Allegation, AllegationAttachment, Decision, InformationRequest

from ..factories import CaseFactory, CommodityFactory, EntityFactory
from .conftest import EXE_BYTES, pdf, report_fields

pytestmark = pytest.mark.django_db


def media_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT) / "intake"
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def test_submission_gives_a_receipt_number_and_a_code_stored_only_as_a_hash(submit):
    receipt = submit(files=[pdf()])
    allegation = receipt.allegation
    year = timezone.localdate().year
    assert re.fullmatch(rf"FLA-{year}-\d{{6}}", allegation.receipt_number)
    assert re.fullmatch(r"([0-9A-Z]{4}-){4}[0-9A-Z]{4}", receipt.follow_up_code)
    assert receipt.follow_up_code not in allegation.follow_up_code_hash
    assert (
        selectors.allegation_get_for_submitter(
            receipt_number=allegation.receipt_number, code=receipt.follow_up_code.lower()
        ).pk
        == allegation.pk
    )
    attachment = allegation.attachments.get()
    assert attachment.content_type == "application/pdf"
    assert len(attachment.sha256) == 64
    entry = AuditEntry.objects.get(action=AuditAction.ALLEGATION_RECEIVED)
    assert entry.actor is None
    assert "passports" not in str(entry.data)  # contents stay out of the audit log


def test_receipt_numbers_follow_each_other(submit):
    first = submit().allegation.receipt_number
    second = submit().allegation.receipt_number
    assert int(second[-6:]) == int(first[-6:]) + 1


def test_wrong_code_and_unknown_receipt_give_the_same_answer(submit):
    receipt = submit()
    with pytest.raises(NotFoundError) as wrong:
        selectors.allegation_get_for_submitter(
            receipt_number=receipt.allegation.receipt_number, code="AAAA-BBBB-CCCC-DDDD-EEEE"
        )
    with pytest.raises(NotFoundError) as unknown:
        selectors.allegation_get_for_submitter(
            receipt_number="FLA-1999-000001", code=receipt.follow_up_code
        )
    assert wrong.value.message == unknown.value.message


def test_a_renamed_executable_is_refused_and_nothing_is_stored(submit):
    before = media_files()
    with pytest.raises(ValidationError) as refused:
        submit(files=[pdf(), pdf("invoice.pdf", EXE_BYTES)])
    assert "invoice.pdf" in refused.value.message_dict["attachments"][0]
    assert "checked by its content" in refused.value.message_dict["attachments"][0]
    assert Allegation.objects.count() == 0
    assert AllegationAttachment.objects.count() == 0
    assert media_files() == before


def test_too_many_files_are_refused(submit, settings):
    settings.WITHHOLD = {**settings.WITHHOLD, "INTAKE_MAX_ATTACHMENTS": 2}
    with pytest.raises(ValidationError) as refused:
        submit(files=[pdf("a.pdf"), pdf("b.pdf"), pdf("c.pdf")])
    assert "at most 2 files" in refused.value.message_dict["attachments"][0]
    assert Allegation.objects.count() == 0


def test_an_oversized_file_is_refused_by_name(submit, settings):
    settings.WITHHOLD = {**settings.WITHHOLD, "INTAKE_ATTACHMENT_MAX_BYTES": 20}
    with pytest.raises(ValidationError) as refused:
        submit(files=[pdf("big.pdf")])
    assert "big.pdf" in refused.value.message_dict["attachments"][0]


def test_files_written_before_a_failure_are_removed(submit, monkeypatch):
    """A failure after the files reach storage (here, the audit write) leaves no file behind."""
    before = media_files()

    def broken(**kwargs):
        raise IntegrityError("simulated failure")

    monkeypatch.setattr(services, "audit_record", broken)
    with pytest.raises(IntegrityError):
        submit(files=[pdf()])
    assert media_files() == before
    assert Allegation.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reasons": "  "}, "reasons"),
        ({"merchandise_description": ""}, "merchandise_description"),
        ({"submitter_type": "spy"}, "submitter_type"),
        ({"country": "XX"}, "country"),
        ({"hts_code": "99999"}, "hts_code"),
        ({"anonymous": False, "contact_name": "A. Person"}, "contact_email"),
    ],
)
def test_submission_refuses_bad_fields_by_name(submit, overrides, field):
    with pytest.raises(ValidationError) as refused:
        submit(**overrides)
    assert field in refused.value.message_dict
    assert Allegation.objects.count() == 0


def test_anonymous_report_keeps_no_contact_details(submit):
    allegation = submit(anonymous=True, contact_email="me@example.org").allegation
    assert allegation.anonymous and allegation.contact_email == ""


def test_contact_or_anonymous_is_a_database_rule(allegation):
    with pytest.raises(IntegrityError), transaction.atomic():
        Allegation.objects.filter(pk=allegation.pk).update(anonymous=False)


# --- Triage: every path ends in exactly one decision ---------------------------------------------


@pytest.fixture
def cotton(db):
    return CommodityFactory(name="Cotton", hs_code="5201")


def opening(cotton, **kw):
    return services.CaseOpening(
        commodity=cotton, title="Cotton yarn from Example Spinning Mill", source_country="CN", **kw
    )


def test_opening_a_case_takes_its_fields_from_the_allegation(allegation, intake_analyst, cotton):
    case = services.allegation_case_open(
        allegation=allegation, actor=intake_analyst, opening=opening(cotton)
    )
    allegation.refresh_from_db()
    assert allegation.decision == Decision.CASE_OPENED
    assert allegation.decided_by == intake_analyst and allegation.decided_at is not None
    assert allegation.case == case
    assert case.allegation_summary == allegation.reasons
    assert case.hts_code == "5205"
    assert case.source_country == "CN"
    assert case.referral_source == "anonymous_tip"
    assert case.received_on == timezone.localdate(allegation.created_at)
    assert sorted(case.ilo_indicators.values_list("pk", flat=True)) == [7, 8]
    link = CaseEntity.objects.get(case=case)
    assert link.role == "manufacturer"
    assert link.entity.name == "Example Spinning Mill Co., Ltd."
    assert link.entity.country == "CN"
    update = CaseUpdate.objects.get(case=case)
    assert allegation.receipt_number in update.text
    assert AuditEntry.objects.filter(
        action=AuditAction.ALLEGATION_CASE_OPENED, case_id=case.pk
    ).exists()


def test_a_named_contact_makes_an_e_allegation(submit, intake_analyst, cotton):
    allegation = submit(anonymous=False, contact_email="ngo@example.org").allegation
    case = services.allegation_case_open(
        allegation=allegation, actor=intake_analyst, opening=opening(cotton)
    )
    assert case.referral_source == "e_allegation"


def test_opening_a_case_can_link_an_existing_entity(allegation, intake_analyst, cotton):
    entity = EntityFactory(name="Example Spinning Mill", country="CN")
    case = services.allegation_case_open(
        allegation=allegation,
        actor=intake_analyst,
        opening=opening(cotton, manufacturer_entity=entity),
    )
    assert list(case.entities.all()) == [entity]


def test_attaching_notes_the_case_timeline(allegation, supervisor):
    case = CaseFactory()
    services.allegation_case_attach(
        allegation=allegation, case=case, actor=supervisor, note="Same mill as the case."
    )
    allegation.refresh_from_db()
    assert allegation.decision == Decision.ATTACHED and allegation.case == case
    assert "Same mill as the case." in CaseUpdate.objects.get(case=case).text


def test_attaching_to_a_case_the_analyst_cannot_see_is_not_found(allegation, intake_analyst):
    hidden = CaseFactory(law_enforcement_sensitive=True)
    with pytest.raises(NotFoundError):
        services.allegation_case_attach(allegation=allegation, case=hidden, actor=intake_analyst)
    allegation.refresh_from_db()
    assert allegation.decision == ""


def test_attaching_to_a_closed_case_is_refused(allegation, intake_analyst):
    closed = CaseFactory(status="closed", closing_outcome="no_violation")
    with pytest.raises(ApplicationError, match="closed"):
        services.allegation_case_attach(allegation=allegation, case=closed, actor=intake_analyst)


def test_declining_needs_a_reason(allegation, intake_analyst):
    with pytest.raises(ValidationError):
        services.allegation_decline(allegation=allegation, actor=intake_analyst, reason="no")
    services.allegation_decline(
        allegation=allegation,
        actor=intake_analyst,
        reason="The goods are not imported into the United States.",
    )
    allegation.refresh_from_db()
    assert allegation.decision == Decision.DECLINED
    assert selectors.allegation_public_status(allegation) == "closed"


def test_request_for_information_then_answer_then_final_decision(allegation, intake_analyst):
    question = services.allegation_information_request(
        allegation=allegation,
        actor=intake_analyst,
        question="Which town is the mill in, and when did workers say this?",
    )
    allegation = Allegation.objects.get(pk=allegation.pk)
    assert allegation.decision == Decision.INFO_REQUESTED
    assert selectors.allegation_public_status(allegation) == "info_requested"
    with pytest.raises(ApplicationError, match="unanswered"):
        services.allegation_information_request(
            allegation=allegation, actor=intake_analyst, question="And one more thing please?"
        )
    services.allegation_information_answer(
        allegation=allegation, answer="Example Town, in March 2025.", files=[pdf("map.pdf")]
    )
    question.refresh_from_db()
    assert question.answer == "Example Town, in March 2025."
    assert question.attachments.get().original_name == "map.pdf"
    allegation = Allegation.objects.get(pk=allegation.pk)
    assert selectors.allegation_public_status(allegation) == "under_review"
    services.allegation_decline(
        allegation=allegation,
        actor=intake_analyst,
        reason="The mill exports nothing to the United States.",
    )
    allegation.refresh_from_db()
    assert allegation.decision == Decision.DECLINED


def test_answer_without_an_open_question_is_refused(allegation):
    with pytest.raises(ApplicationError, match="no open question"):
        services.allegation_information_answer(allegation=allegation, answer="Here you are.")


FINAL_PATHS = ["open", "attach", "decline"]


def _decide(path, allegation, actor, cotton, case=None):
    if path == "open":
        services.allegation_case_open(allegation=allegation, actor=actor, opening=opening(cotton))
    elif path == "attach":
        services.allegation_case_attach(
            allegation=allegation, case=case or CaseFactory(), actor=actor
        )
    elif path == "decline":
        services.allegation_decline(
            allegation=allegation, actor=actor, reason="No link to forced labor was described."
        )
    else:
        services.allegation_information_request(
            allegation=allegation, actor=actor, question="Please tell us the factory's town."
        )


@pytest.mark.parametrize("first", [*FINAL_PATHS, "ask"])
@pytest.mark.parametrize("second", [*FINAL_PATHS, "ask"])
def test_no_triage_path_leaves_an_allegation_without_a_decision_or_with_two(
    allegation, intake_analyst, cotton, first, second
):
    """Every triage action records a decision with who and when; once a final decision is made,
    every other action is refused and the first decision stands."""
    _decide(first, allegation, intake_analyst, cotton)
    allegation.refresh_from_db()
    assert allegation.decision != ""
    assert allegation.decided_by == intake_analyst and allegation.decided_at is not None
    first_decision = allegation.decision
    if first == "ask":
        if second == "ask":
            with pytest.raises(ApplicationError):
                _decide(second, allegation, intake_analyst, cotton)
            return
        _decide(second, allegation, intake_analyst, cotton)
        allegation.refresh_from_db()
        assert allegation.is_final
        return
    other_case = CaseFactory()
    cases_before = Case.objects.count()
    with pytest.raises(ApplicationError, match="already decided"):
        _decide(second, allegation, intake_analyst, cotton, case=other_case)
    allegation.refresh_from_db()
    assert allegation.decision == first_decision
    assert Case.objects.count() == cases_before


@pytest.mark.parametrize(
    ("changes", "decided", "name"),
    [
        ({"decision": Decision.INFO_REQUESTED}, False, "allegation_decision_has_who_and_when"),
        ({"decision": "maybe"}, True, "allegation_decision_in_vocabulary"),
    ],
)
def test_the_database_refuses_a_half_made_decision(
    allegation, intake_analyst, changes, decided, name
):
    if decided:
        changes = {**changes, "decided_by": intake_analyst, "decided_at": timezone.now()}
    with pytest.raises(IntegrityError, match=name), transaction.atomic():
        Allegation.objects.filter(pk=allegation.pk).update(**changes)


def test_the_database_refuses_a_declined_allegation_without_reason(allegation, intake_analyst):
    with pytest.raises(IntegrityError), transaction.atomic():
        Allegation.objects.filter(pk=allegation.pk).update(
            decision=Decision.DECLINED, decided_by=intake_analyst, decided_at=timezone.now()
        )


def test_the_database_refuses_an_opened_case_decision_without_a_case(allegation, intake_analyst):
    with pytest.raises(IntegrityError), transaction.atomic():
        Allegation.objects.filter(pk=allegation.pk).update(
            decision=Decision.CASE_OPENED, decided_by=intake_analyst, decided_at=timezone.now()
        )


def test_one_open_question_at_a_time_is_a_database_rule(allegation, intake_analyst):
    InformationRequest.objects.create(
        allegation=allegation, question="First?", asked_by=intake_analyst, asked_at=timezone.now()
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        InformationRequest.objects.create(
            allegation=allegation,
            question="Second?",
            asked_by=intake_analyst,
            asked_at=timezone.now(),
        )


@pytest.mark.parametrize("role_fixture", ["case_analyst", "chief_counsel", "port_officer"])
def test_only_triage_roles_may_decide(allegation, request, role_fixture, cotton):
    actor = request.getfixturevalue(role_fixture)
    for path in [*FINAL_PATHS, "ask"]:
        with pytest.raises(PermissionDeniedError):
            _decide(path, allegation, actor, cotton)
    allegation.refresh_from_db()
    assert allegation.decision == ""


def test_submitter_can_add_files_until_declined(allegation, intake_analyst):
    services.allegation_files_add(allegation=allegation, files=[pdf("more.pdf")])
    assert allegation.attachments.count() == 2
    services.allegation_decline(
        allegation=allegation, actor=intake_analyst, reason="Outside Section 307 entirely, sorry."
    )
    with pytest.raises(ApplicationError, match="closed"):
        services.allegation_files_add(allegation=allegation, files=[pdf("late.pdf")])


def test_submission_fields_are_the_form_fields():
    assert set(report_fields()) <= set(services.ALLEGATION_FIELDS)
