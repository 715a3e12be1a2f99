"""The case services: what a user can and cannot do to a case, and what gets recorded."""

import datetime as dt
import hashlib
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from withhold.audit.models import AuditAction, AuditEntry
from withhold.cases import services
from withhold.cases.models import Case, CaseDocument, CaseTransition, Task
from withhold.core.exceptions import ApplicationError, PermissionDeniedError

from ..factories import CaseFactory, EntityFactory
from .conftest import PDF_BYTES, pdf

pytestmark = pytest.mark.django_db


def test_case_create_numbers_cases_by_year_and_starts_in_initiation(
    new_case, case_analyst, commodity
):
    year = timezone.localdate().year
    assert re.fullmatch(rf"FL-{year}-[0-9A-HJKMNP-TV-Z]{{6}}", new_case.number)
    assert (new_case.phase, new_case.status) == ("initiation", "active")
    second = services.case_create(
        actor=case_analyst,
        title="Second",
        allegation_summary="Another allegation entirely.",
        commodity=commodity,
        source_country="MY",
        referral_source="media",
        received_on=timezone.localdate(),
    )
    assert re.fullmatch(rf"FL-{year}-[0-9A-HJKMNP-TV-Z]{{6}}", second.number)
    assert second.number != new_case.number
    opened = second.transitions.get()
    assert (opened.kind, opened.to_phase, opened.actor) == ("opened", "initiation", case_analyst)


def test_case_create_refuses_a_phase_or_status(case_analyst, commodity):
    with pytest.raises(ApplicationError, match="only through transitions"):
        services.case_create(
            actor=case_analyst,
            title="x",
            allegation_summary="y",
            commodity=commodity,
            source_country="CN",
            referral_source="ngo",
            received_on=timezone.localdate(),
            phase="legal_review",
        )
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("source_country", "XX", "not an ISO 3166 country code"),
        ("source_region", "MY-01", "not a region of CN"),
        ("hts_code", "52a1", ""),
        ("received_on", timezone.localdate() + dt.timedelta(days=3), "in the future"),
        ("referral_source", "rumour", "not a valid choice"),
    ],
)
def test_case_create_names_the_bad_field(case_analyst, commodity, field, value, message):
    data = dict(
        title="Cotton",
        allegation_summary="Forced labor alleged.",
        commodity=commodity,
        source_country="CN",
        referral_source="ngo",
        received_on=timezone.localdate(),
    )
    data[field] = value
    with pytest.raises(ValidationError) as excinfo:
        services.case_create(actor=case_analyst, **data)
    assert field in excinfo.value.message_dict
    assert message in " ".join(excinfo.value.message_dict[field])
    assert not Case.objects.exists()


def test_case_cannot_be_opened_before_it_was_received(case_analyst, commodity):
    with pytest.raises(ValidationError) as excinfo:
        services.case_create(
            actor=case_analyst,
            title="Cotton",
            allegation_summary="Forced labor alleged.",
            commodity=commodity,
            source_country="CN",
            referral_source="ngo",
            received_on=timezone.localdate(),
            opened_on=timezone.localdate() - dt.timedelta(days=1),
        )
    assert "opened_on" in excinfo.value.message_dict


def test_case_phase_advance_refuses_investigation_without_entity_and_evidence(
    new_case, case_analyst
):
    with pytest.raises(services.PhaseRequirementsMissing) as excinfo:
        services.case_phase_change(case=new_case, to_phase="investigation", actor=case_analyst)
    message = excinfo.value.message
    assert "at least one supply-chain entity" in message
    assert "at least one evidence source" in message
    new_case.refresh_from_db()
    assert new_case.phase == "initiation"
    assert new_case.transitions.count() == 1
    assert not Task.objects.exists()


def test_entering_investigation_records_the_transition_and_opens_an_hsi_task(
    in_investigation, case_analyst
):
    case = in_investigation
    assert case.phase == "investigation"
    transition = case.transitions.get(kind=CaseTransition.Kind.PHASE)
    assert (transition.from_phase, transition.to_phase, transition.actor) == (
        "initiation",
        "investigation",
        case_analyst,
    )
    task = case.tasks.get()
    assert task.kind == Task.Kind.NOTIFY_HSI
    assert task.owner == case_analyst
    assert task.due_on == timezone.localdate() + dt.timedelta(days=10)
    assert AuditEntry.objects.filter(
        case_id=case.pk,
        action=AuditAction.CASE_PHASE_CHANGED,
        old_value="initiation",
        new_value="investigation",
    ).exists()


def test_recording_the_hsi_notification_closes_the_hsi_task(in_investigation, case_analyst):
    case = services.case_hsi_referral_record(
        case=in_investigation,
        actor=case_analyst,
        notified_on=timezone.localdate(),
        case_reference="HSI-NY-2026-17",
    )
    assert case.hsi_case_reference == "HSI-NY-2026-17"
    assert case.tasks.get().state == Task.State.DONE


def test_hsi_task_cannot_be_ticked_off_without_recording_the_notification(
    in_investigation, case_analyst
):
    task = in_investigation.tasks.get()
    with pytest.raises(ApplicationError, match="Record the date HSI was notified"):
        services.task_complete(task=task, actor=case_analyst)


def test_legal_review_needs_an_allegation_report(in_investigation, case_analyst):
    with pytest.raises(services.PhaseRequirementsMissing) as excinfo:
        services.case_phase_change(
            case=in_investigation, to_phase="legal_review", actor=case_analyst
        )
    assert "documents.allegation_report" in excinfo.value.extra["missing"]


def test_case_reaches_implementation_only_with_counsel_opinion_and_approver(
    ready_for_legal_review, case_analyst, chief_counsel, approving_official
):
    case = services.case_phase_change(
        case=ready_for_legal_review, to_phase="legal_review", actor=case_analyst
    )
    with pytest.raises(PermissionDeniedError):
        services.case_document_add(
            case=case,
            actor=case_analyst,
            kind=CaseDocument.Kind.LEGAL_OPINION,
            title="Opinion",
            uploaded_file=pdf(),
        )
    services.case_document_add(
        case=case,
        actor=chief_counsel,
        kind=CaseDocument.Kind.LEGAL_OPINION,
        title="Opinion",
        uploaded_file=pdf(),
    )
    with pytest.raises(PermissionDeniedError):
        services.case_phase_change(case=case, to_phase="implementation", actor=case_analyst)
    case = services.case_phase_change(
        case=case, to_phase="implementation", actor=approving_official
    )
    assert case.phase == "implementation"


def test_edit_cannot_take_away_what_the_current_phase_needs(in_investigation, supervisor):
    with pytest.raises(services.PhaseRequirementsMissing, match="a supervisor"):
        services.case_update(case=in_investigation, actor=supervisor, supervisor=None)
    in_investigation.refresh_from_db()
    assert in_investigation.supervisor == supervisor


def test_unlinking_the_last_entity_in_investigation_is_refused(in_investigation, case_analyst):
    link = in_investigation.case_entities.get()
    with pytest.raises(services.PhaseRequirementsMissing):
        services.case_entity_unlink(link=link, actor=case_analyst)
    assert in_investigation.case_entities.count() == 1


def test_going_back_a_phase_needs_a_reason(in_investigation, case_analyst):
    with pytest.raises(ApplicationError, match="Give a reason"):
        services.case_phase_change(case=in_investigation, to_phase="initiation", actor=case_analyst)
    case = services.case_phase_change(
        case=in_investigation,
        to_phase="initiation",
        actor=case_analyst,
        reason="The allegation names the wrong mill.",
    )
    assert case.phase == "initiation"


def test_suspending_needs_a_reason_and_stops_phase_changes(ready_for_investigation, case_analyst):
    with pytest.raises(ApplicationError, match="Choose a suspension reason"):
        services.case_status_change(
            case=ready_for_investigation, to_status="suspended", actor=case_analyst
        )
    case = services.case_status_change(
        case=ready_for_investigation,
        to_status="suspended",
        actor=case_analyst,
        reason_code="lack_of_personnel",
    )
    assert (case.status, case.suspension_reason) == ("suspended", "lack_of_personnel")
    with pytest.raises(ApplicationError, match="Only an active case can change phase"):
        services.case_phase_change(case=case, to_phase="investigation", actor=case_analyst)
    case = services.case_status_change(
        case=case, to_status="active", actor=case_analyst, reason="Analyst back from leave."
    )
    assert (case.status, case.suspension_reason) == ("active", "")


def test_closing_needs_an_outcome_and_a_supervisor(new_case, case_analyst, supervisor):
    with pytest.raises(PermissionDeniedError):
        services.case_status_change(
            case=new_case, to_status="closed", actor=case_analyst, reason_code="no_violation"
        )
    with pytest.raises(ApplicationError, match="Choose a closing outcome"):
        services.case_status_change(case=new_case, to_status="closed", actor=supervisor)
    case = services.case_status_change(
        case=new_case, to_status="closed", actor=supervisor, reason_code="no_violation"
    )
    assert case.closing_outcome == "no_violation"


def test_database_refuses_a_status_without_its_reason(db):
    case = CaseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(status="suspended")
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(closing_outcome="penalty")


def test_only_a_supervisor_reassigns_but_an_analyst_can_take_an_unassigned_case(
    new_case, case_analyst, make_user, supervisor
):
    from withhold.accounts.roles import Role

    other = make_user(Role.CASE_ANALYST, username="other_analyst")
    case = services.case_update(case=new_case, actor=case_analyst, assigned_analyst=case_analyst)
    assert case.assigned_analyst == case_analyst
    with pytest.raises(PermissionDeniedError, match="Only a supervisor"):
        services.case_update(case=case, actor=case_analyst, assigned_analyst=other)
    case = services.case_update(case=case, actor=supervisor, assigned_analyst=other)
    assert case.assigned_analyst == other
    assert (
        AuditEntry.objects.filter(
            case_id=case.pk, action=AuditAction.CASE_ASSIGNED, field="assigned_analyst"
        ).count()
        == 2
    )


def test_a_port_officer_cannot_be_assigned_as_analyst(new_case, supervisor, port_officer):
    with pytest.raises(ValidationError) as excinfo:
        services.case_update(case=new_case, actor=supervisor, assigned_analyst=port_officer)
    assert "assigned_analyst" in excinfo.value.message_dict


def test_every_field_change_is_audited_with_old_and_new(new_case, case_analyst):
    services.case_update(
        case=new_case, actor=case_analyst, title="Cotton yarn, revised", priority="high"
    )
    entries = {
        e.field: (e.old_value, e.new_value)
        for e in AuditEntry.objects.filter(case_id=new_case.pk, action=AuditAction.CASE_UPDATED)
    }
    assert entries == {
        "title": ("Cotton yarn from Example Spinning", "Cotton yarn, revised"),
        "priority": ("medium", "high"),
    }


def test_timeline_refuses_structured_data_in_place_of_an_update(
    ready_for_investigation, case_analyst
):
    with pytest.raises(ValidationError, match="Describe what happened"):
        services.case_update_add(
            case=ready_for_investigation,
            actor=case_analyst,
            occurred_on=timezone.localdate(),
            text="Example Spinning Mill",
        )
    services.case_entity_link(
        case=ready_for_investigation,
        entity=EntityFactory(name="Hetian Example Apparel Company Limited"),
        role="manufacturer",
        actor=case_analyst,
    )
    with pytest.raises(ValidationError, match="is the name of a linked entity"):
        services.case_update_add(
            case=ready_for_investigation,
            actor=case_analyst,
            occurred_on=timezone.localdate(),
            text="HETIAN EXAMPLE APPAREL COMPANY LIMITED.",
        )
    update = services.case_update_add(
        case=ready_for_investigation,
        actor=case_analyst,
        occurred_on=timezone.localdate(),
        text="Spoke with the NGO; they will share worker testimony next week.",
    )
    assert update.case == ready_for_investigation


def test_document_type_is_checked_by_content_not_name(new_case, case_analyst):
    fake = SimpleUploadedFile(
        "report.pdf", b"MZ\x90\x00\x03" + bytes(range(256)), content_type="application/pdf"
    )
    with pytest.raises(ValidationError, match="not a file type Withhold accepts"):
        services.case_document_add(
            case=new_case, actor=case_analyst, kind="other", title="Report", uploaded_file=fake
        )
    assert not CaseDocument.objects.exists()
    document = services.case_document_add(
        case=new_case, actor=case_analyst, kind="other", title="Report", uploaded_file=pdf()
    )
    assert document.content_type == "application/pdf"
    assert document.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()


def test_oversized_document_is_refused(new_case, case_analyst, settings):
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="at most 10 bytes"):
        services.case_document_add(
            case=new_case, actor=case_analyst, kind="other", title="Big", uploaded_file=pdf()
        )


def test_only_a_supervisor_deletes_and_only_in_initiation(new_case, case_analyst, supervisor):
    with pytest.raises(PermissionDeniedError):
        services.case_delete(case=new_case, actor=case_analyst, reason="Duplicate")
    number = new_case.number
    services.case_delete(case=new_case, actor=supervisor, reason="Opened twice by mistake")
    assert not Case.objects.filter(number=number).exists()
    deleted = AuditEntry.objects.get(action=AuditAction.CASE_DELETED)
    assert deleted.data["reason"] == "Opened twice by mistake"
    assert deleted.data["title"] == "Cotton yarn from Example Spinning"


def test_a_case_in_investigation_cannot_be_deleted(in_investigation, supervisor):
    with pytest.raises(ApplicationError, match="close it instead"):
        services.case_delete(case=in_investigation, actor=supervisor, reason="No longer needed")


def test_task_owner_or_supervisor_closes_a_task(new_case, case_analyst, supervisor, make_user):
    from withhold.accounts.roles import Role

    other = make_user(Role.CASE_ANALYST, username="someone_else")
    task = services.task_create(
        case=new_case,
        actor=case_analyst,
        title="Call the NGO",
        owner=case_analyst,
        due_on=timezone.localdate(),
    )
    with pytest.raises(PermissionDeniedError):
        services.task_complete(task=task, actor=other)
    services.task_complete(task=task, actor=case_analyst)
    task.refresh_from_db()
    assert task.state == Task.State.DONE and task.completed_by == case_analyst


def test_entity_imo_number_has_a_check_digit(case_analyst):
    from withhold.entities.services import entity_create

    with pytest.raises(ValidationError, match="check digit"):
        entity_create(
            actor=case_analyst, kind="vessel", name="Example Vessel No. 2", imo_number="1234560"
        )
    vessel = entity_create(
        actor=case_analyst, kind="vessel", name="Example Vessel No. 2", imo_number="9074729"
    )
    assert vessel.imo_number == "9074729"
    assert EntityFactory._meta.model.objects.filter(name="Example Vessel No. 2").count() == 1


def test_opening_a_case_an_analyst_may_take_it_but_not_hand_it_to_someone_else(
    case_analyst, supervisor, make_user, commodity
):
    from withhold.accounts.roles import Role

    other = make_user(Role.CASE_ANALYST, username="colleague")
    data = dict(
        title="Cotton",
        allegation_summary="Forced labor alleged.",
        commodity=commodity,
        source_country="CN",
        referral_source="ngo",
        received_on=timezone.localdate(),
    )
    with pytest.raises(PermissionDeniedError, match="Only a supervisor"):
        services.case_create(actor=case_analyst, assigned_analyst=other, **data)
    mine = services.case_create(
        actor=case_analyst, assigned_analyst=case_analyst, supervisor=supervisor, **data
    )
    assert mine.assigned_analyst == case_analyst
    theirs = services.case_create(actor=supervisor, assigned_analyst=other, **data)
    assert theirs.assigned_analyst == other
