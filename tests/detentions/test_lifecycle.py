"""The life of a detention through the services: who may take each step, what each needs."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from withhold.audit.models import AuditAction, AuditEntry
from withhold.core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError
from withhold.detentions import services
from withhold.detentions.models import Detention, DetentionEvent

from .conftest import make_order, pdf, proof_files

pytestmark = pytest.mark.django_db
IN_TIME = dt.date(2026, 3, 2)


def test_record_computes_deadline_and_writes_history_and_audit(detention):
    assert detention.admissibility_deadline == dt.date(2026, 4, 30)
    assert detention.status == Detention.Status.DETAINED
    assert [e.kind for e in detention.events.all()] == [DetentionEvent.Kind.RECORDED]
    assert AuditEntry.objects.filter(
        action=AuditAction.DETENTION_RECORDED, object_id=str(detention.pk)
    ).exists()


def test_record_refuses_a_draft_order_and_a_missing_order(record):
    with pytest.raises(ValidationError) as exc:
        record([make_order("wro", "WRO-2026-0009", status="draft")])
    assert "issued, active order" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        record([])
    assert "orders" in exc.value.message_dict


def test_caatsa_basis_needs_no_order(record):
    detention = record([], basis="caatsa")
    assert detention.orders.count() == 0


def test_record_refuses_a_bad_entry_number_naming_the_field(record, wro):
    with pytest.raises(ValidationError) as exc:
        record([wro], entry_number="12-34")
    assert "AB1-1234567-8" in exc.value.message_dict["entry_number"][0]


def test_importer_cannot_record(acme_user, acme, wro):
    from .conftest import detention_fields

    with pytest.raises(PermissionDeniedError):
        services.detention_record(
            actor=acme_user, orders=[wro], **detention_fields(acme_user, acme)
        )


def _to_review(detention, importer, reviewer):
    services.detention_proof_submit(
        detention=detention, actor=importer, documents=proof_files(), today=IN_TIME
    )
    return services.detention_review_start(detention=detention, actor=reviewer, today=IN_TIME)


def test_full_life_to_release(detention, acme_user, port_officer, make_user):
    reviewer = make_user("port_officer", username="cee-reviewer")
    _to_review(detention, acme_user, reviewer)
    services.detention_information_request(
        detention=detention, actor=reviewer, message="Send the spinning mill's audit."
    )
    services.detention_document_add(
        detention=detention,
        actor=acme_user,
        document=services.DetentionFile("audit_report", "Mill audit", pdf("audit.pdf")),
    )
    services.detention_recommend(
        detention=detention, actor=reviewer, recommendation="release", reason="Traced to US cotton."
    )
    services.detention_release(
        detention=detention, actor=port_officer, on=IN_TIME, reason="Admissible."
    )
    detention.refresh_from_db()
    assert detention.status == Detention.Status.RELEASED
    assert detention.disposed_on == IN_TIME
    assert detention.recommendation == "release"
    kinds = list(detention.events.values_list("kind", flat=True))
    assert kinds == [
        "recorded",
        "proof_submitted",
        "review_started",
        "information_requested",
        "document_added",
        "recommended",
        "released",
    ]
    assert detention.documents.filter(kind="audit_report").get().sha256


def test_proof_needs_certificate_and_statement(detention, acme_user):
    with pytest.raises(ApplicationError, match="certificate of origin and a detailed statement"):
        services.detention_proof_submit(detention=detention, actor=acme_user, today=IN_TIME)
    detention.refresh_from_db()
    assert detention.status == Detention.Status.DETAINED


def test_proof_after_deadline_is_refused(detention, acme_user):
    with pytest.raises(ApplicationError, match="ended on 2026-04-30"):
        services.detention_proof_submit(
            detention=detention,
            actor=acme_user,
            documents=proof_files(),
            today=dt.date(2026, 5, 1),
        )
    assert detention.documents.count() == 0  # nothing half-stored


def test_seizure_refused_without_a_finding(detention, acme_user, port_officer):
    _to_review(detention, acme_user, port_officer)
    with pytest.raises(ApplicationError, match="Seizure needs a Finding"):
        services.detention_seize(
            detention=detention, actor=port_officer, on=IN_TIME, reason="Forced labor."
        )
    with pytest.raises(ValidationError, match="Seizure needs a Finding"):
        services.detention_recommend(
            detention=detention, actor=port_officer, recommendation="seize", reason="x"
        )
    detention.refresh_from_db()
    assert detention.status == Detention.Status.UNDER_REVIEW


def test_seizure_allowed_under_a_finding(record, finding, acme_user, port_officer):
    detention = record([finding])
    _to_review(detention, acme_user, port_officer)
    services.detention_seize(
        detention=detention, actor=port_officer, on=IN_TIME, reason="Finding applies."
    )
    detention.refresh_from_db()
    assert detention.status == Detention.Status.SEIZED


def test_past_deadline_without_proof_is_proposed_never_excluded(detention, port_officer):
    with pytest.raises(ApplicationError, match="cannot be excluded"):
        services.detention_exclude(
            detention=detention, actor=port_officer, on=IN_TIME, reason="No proof."
        )
    assert services.detention_exclusions_propose(today=dt.date(2026, 4, 30)) == 0
    assert services.detention_exclusions_propose(today=dt.date(2026, 5, 1)) == 1
    assert services.detention_exclusions_propose(today=dt.date(2026, 5, 2)) == 0
    detention.refresh_from_db()
    assert detention.status == Detention.Status.PROPOSED_EXCLUSION
    assert detention.disposed_on is None
    services.detention_exclude(
        detention=detention, actor=port_officer, on=dt.date(2026, 5, 4), reason="No proof."
    )
    detention.refresh_from_db()
    assert detention.status == Detention.Status.EXCLUDED
    event = detention.events.get(kind="excluded")
    assert event.actor == port_officer


def test_export_needs_an_export_notice(detention, acme_user, port_officer):
    with pytest.raises(ApplicationError, match="no export notice"):
        services.detention_export(
            detention=detention, actor=port_officer, on=IN_TIME, reason="Left on MSC Anna."
        )
    services.detention_export_notice_file(
        detention=detention,
        actor=acme_user,
        document=services.DetentionFile("export_notice", "Export to Vietnam", pdf()),
        today=IN_TIME,
    )
    services.detention_export(
        detention=detention, actor=port_officer, on=IN_TIME, reason="Left on MSC Anna."
    )
    detention.refresh_from_db()
    assert detention.status == Detention.Status.EXPORTED


@pytest.mark.parametrize(
    ("role", "service"),
    [
        ("importer", "detention_release"),
        ("case_analyst", "detention_release"),
        ("supervisor", "detention_release"),
        ("port_officer", "detention_release"),
    ],
)
def test_who_may_dispose(role, service, make_user, detention, acme_user):
    actor = make_user(role, username=f"disposer-{role}")
    call = getattr(services, service)
    if role == "port_officer":
        call(detention=detention, actor=actor, on=IN_TIME, reason="Order revoked.")
        detention.refresh_from_db()
        assert detention.status == Detention.Status.RELEASED
    else:
        with pytest.raises(PermissionDeniedError):
            call(detention=detention, actor=actor, on=IN_TIME, reason="Order revoked.")


def test_another_importer_cannot_act(detention, globex_user):
    with pytest.raises(NotFoundError):
        services.detention_proof_submit(
            detention=detention, actor=globex_user, documents=proof_files(), today=IN_TIME
        )
    with pytest.raises(NotFoundError):
        services.detention_document_add(
            detention=detention,
            actor=globex_user,
            document=services.DetentionFile("other", "x", pdf()),
        )
    assert detention.documents.count() == 0


def test_importer_account_needs_importer_role(supervisor, case_analyst, acme):
    with pytest.raises(ValidationError, match="importer role"):
        services.importer_account_add(actor=supervisor, user=case_analyst, entity=acme)


def test_record_refuses_an_officer_who_is_not_a_port_officer(port_officer, acme, wro, case_analyst):
    from .conftest import detention_fields

    with pytest.raises(ValidationError) as exc:
        services.detention_record(
            actor=port_officer, orders=[wro], **detention_fields(case_analyst, acme)
        )
    assert "is not a port officer" in exc.value.message_dict["officer"][0]
    assert not services.Detention.objects.exists()
