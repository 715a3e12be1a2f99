"""The audit log can be appended to and read, never rewritten."""

import pytest
from django.db import DatabaseError, connection, transaction

from withhold.audit.models import AuditEntry, AuditLogIsAppendOnly
from withhold.cases import services

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}


@pytest.fixture
def entry(case_analyst, commodity):
    from django.utils import timezone

    case = services.case_create(
        actor=case_analyst,
        title="Cotton",
        allegation_summary="Forced labor alleged here.",
        commodity=commodity,
        source_country="CN",
        referral_source="ngo",
        received_on=timezone.localdate(),
    )
    return AuditEntry.objects.get(case_id=case.pk)


def test_case_creation_is_audited_with_who_and_what(entry, case_analyst):
    assert entry.actor == case_analyst
    assert entry.action == "CASE_CREATED"
    assert entry.data["title"] == "Cotton"


def test_model_refuses_update_and_delete(entry):
    entry.new_value = "tampered"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(new_value="tampered")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).delete()


def test_database_refuses_update_and_delete_even_in_raw_sql(entry):
    table = AuditEntry._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET new_value = 'tampered' WHERE id = %s", [entry.pk])  # noqa: S608
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [entry.pk])  # noqa: S608
    entry.refresh_from_db()
    assert entry.new_value == ""


def test_admin_offers_no_way_to_add_change_or_delete(admin_client, entry):
    assert admin_client.get("/admin/audit/auditentry/", **HOST).status_code == 200
    assert admin_client.get("/admin/audit/auditentry/add/", **HOST).status_code == 403
    assert (
        admin_client.post(
            f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}, **HOST
        ).status_code
        == 403
    )
    response = admin_client.post(
        "/admin/audit/auditentry/",
        {"action": "delete_selected", "_selected_action": [entry.pk]},
        **HOST,
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    assert response.status_code in (200, 302)


def test_audit_csv_export_lists_the_cases_changes(client, case_analyst, entry):
    from withhold.cases.models import Case

    case = Case.objects.get(pk=entry.case_id)
    services.case_update(case=case, actor=case_analyst, title="Cotton, renamed")
    client.force_login(case_analyst)
    response = client.get(f"/cases/{case.number}/audit.csv", **HOST)
    body = b"".join(response.streaming_content).decode()
    lines = body.strip().splitlines()
    assert lines[0] == "at,actor,action,object_type,object_id,object,field,old,new"
    assert any(
        "CASE_UPDATED" in line and "Cotton,Cotton, renamed" in line.replace('"', "")
        for line in lines
    )
    assert any("CASE_CREATED" in line for line in lines)


def test_audit_csv_is_refused_to_roles_without_audit_access(client, intake_analyst, entry):
    from withhold.cases.models import Case

    case = Case.objects.get(pk=entry.case_id)
    client.force_login(intake_analyst)
    assert client.get(f"/cases/{case.number}/audit.csv", **HOST).status_code == 403


@pytest.mark.postgres
def test_audit_log_refuses_truncate_on_postgresql(entry):
    """Row triggers do not fire on TRUNCATE; the statement trigger does. The test connection is
    allowed to truncate (for the runner's flush), so the test first switches that off."""
    table = AuditEntry._meta.db_table
    with (
        pytest.raises(DatabaseError, match="TRUNCATE refused"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks
        cursor.execute("SET LOCAL withhold.allow_audit_truncate = 'off'")
        cursor.execute(f"TRUNCATE {table} CASCADE")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.postgres
def test_audit_log_truncate_needs_the_session_setting():
    """Only a session that sets withhold.allow_audit_truncate (the test settings do) passes."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW withhold.allow_audit_truncate")
        assert cursor.fetchone()[0] == "on"
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgname = 'audit_auditentry_no_truncate'"
        )
        assert cursor.fetchone()[0] == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_runner_flush_still_empties_the_audit_table(case_analyst, commodity):
    """A transactional test ends with the runner's flush (TRUNCATE on PostgreSQL); it must
    still pass with the TRUNCATE trigger in place. PostgreSQL only: on SQLite the flush is a
    DELETE, which the append-only triggers refuse, so no SQLite test writes audit rows in a
    transactional test."""
    from django.utils import timezone

    services.case_create(
        actor=case_analyst,
        title="Flushed",
        allegation_summary="Forced labor alleged here.",
        commodity=commodity,
        source_country="CN",
        referral_source="ngo",
        received_on=timezone.localdate(),
    )
    assert AuditEntry.objects.exists()
