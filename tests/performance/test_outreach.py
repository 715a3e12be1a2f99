"""The outreach and engagement log: recording, editing and deleting are checked and audited."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from withhold.audit.models import AuditAction, AuditEntry
from withhold.core.exceptions import PermissionDeniedError
from withhold.performance import services
from withhold.performance.models import OutreachActivity

pytestmark = pytest.mark.django_db

FIELDS = {
    "held_on": dt.date(2026, 10, 14),
    "title": "Forced-labor briefing for footwear importers",
    "kind": "presentation",
    "audience": "industry",
    "country": "us",
    "organisations": "  Footwear Distributors Association \n\nRetail Council\n",
    "participants": 55,
}


def test_recording_an_activity_cleans_input_and_audits_every_field(case_analyst):
    activity = services.outreach_create(actor=case_analyst, **FIELDS)
    assert activity.country == "US"
    assert activity.organisation_list == ["Footwear Distributors Association", "Retail Council"]
    fields = set(
        AuditEntry.objects.filter(
            action=AuditAction.OUTREACH_RECORDED, object_id=str(activity.pk)
        ).values_list("field", flat=True)
    )
    assert {"held_on", "title", "country", "participants", "organisations"} <= fields


def test_bad_activity_input_names_each_field(case_analyst):
    with pytest.raises(ValidationError) as exc:
        services.outreach_create(
            actor=case_analyst,
            **{**FIELDS, "title": " ", "country": "XX", "kind": "party", "audience": "cats",
               "participants": -3, "held_on": dt.date(2099, 1, 1)},
        )  # fmt: skip
    assert set(exc.value.message_dict) == {
        "title", "country", "kind", "audience", "participants", "held_on"
    }  # fmt: skip
    assert not OutreachActivity.objects.exists()


def test_editing_records_only_the_fields_that_changed(case_analyst):
    activity = services.outreach_create(actor=case_analyst, **FIELDS)
    services.outreach_update(
        actor=case_analyst, activity=activity, participants=60, title=FIELDS["title"]
    )
    entry = AuditEntry.objects.get(action=AuditAction.OUTREACH_CHANGED)
    assert (entry.field, entry.old_value, entry.new_value) == ("participants", "55", "60")


def test_only_supervisors_delete_and_the_audit_keeps_the_record(case_analyst, supervisor):
    activity = services.outreach_create(actor=case_analyst, **FIELDS)
    with pytest.raises(PermissionDeniedError):
        services.outreach_delete(actor=case_analyst, activity=activity)
    services.outreach_delete(actor=supervisor, activity=activity)
    assert not OutreachActivity.objects.exists()
    kept = AuditEntry.objects.get(action=AuditAction.OUTREACH_DELETED, field="title")
    assert kept.old_value == FIELDS["title"]


@pytest.mark.parametrize("role_fixture", ["approving_official", "port_officer", "importer"])
def test_roles_without_the_permission_cannot_record_outreach(role_fixture, request):
    with pytest.raises(PermissionDeniedError):
        services.outreach_create(actor=request.getfixturevalue(role_fixture), **FIELDS)
