"""Audit rows as a page shows them: the field's name and each value's label, not the codes."""

import re

import pytest

from withhold.audit.models import AuditAction, AuditEntry
from withhold.audit.services import audit_record

from ..factories import CaseFactory

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}


def _entry(case, actor, field, old, new) -> AuditEntry:
    [entry] = audit_record(
        actor=actor,
        action=AuditAction.CASE_UPDATED,
        target=case,
        case_id=case.pk,
        changes={field: (old, new)},
    )
    return entry


def test_choice_codes_field_names_and_numbers_read_as_labels(supervisor):
    case = CaseFactory()
    phase = _entry(case, supervisor, "phase", "investigation", "legal_review")
    assert (phase.field_label(), phase.old_display(), phase.new_display()) == (
        "Phase",
        "2 · Investigation",
        "3 · Legal review",
    )
    value = _entry(case, supervisor, "estimated_annual_import_value", None, "50647000.00")
    assert value.field_label() == "Estimated annual U.S. import value (USD)"
    assert value.new_display() == "50,647,000.00"
    # A many-to-many field of coded rows: each code by its label.
    sources = _entry(case, supervisor, "evidence_sources", "allegation", "allegation; social_audit")
    assert sources.new_display() == "The allegation itself; Social or compliance audit"
    # Free text stays as typed.
    title = _entry(case, supervisor, "title", "Old title", "legal_review of cotton")
    assert title.new_display() == "legal_review of cotton"


def test_case_page_audit_trail_shows_no_codes(client, supervisor):
    case = CaseFactory(supervisor=supervisor)
    _entry(case, supervisor, "phase", "investigation", "legal_review")
    _entry(case, supervisor, "estimated_annual_import_value", None, "50647000.00")
    client.force_login(supervisor)
    html = client.get(f"/cases/{case.number}/", **HOST).content.decode()
    audit = html[html.index('id="audit"') :]
    assert "3 · Legal review" in audit
    assert "50,647,000.00" in audit
    assert not re.search(r">[^<]*(legal_review|estimated_annual_import_value)[^<]*<", audit)
