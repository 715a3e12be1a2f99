"""Evidence items, their files and custody, and the case's evidence sources derived from them."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from withhold.audit.models import AuditAction, AuditEntry
from withhold.cases import services as case_services
from withhold.cases.forms import CaseForm
from withhold.cases.services import PhaseRequirementsMissing
from withhold.core.exceptions import ApplicationError, PermissionDeniedError
from withhold.evidence import selectors, services
from withhold.reference.models import EvidenceSourceKind

from .conftest import PDF_BYTES, add_evidence, pdf

pytestmark = pytest.mark.django_db


def _sources(case):
    return sorted(case.evidence_sources.values_list("code", flat=True))


def test_evidence_add_stores_file_with_sha256_and_opens_custody(case, case_analyst):
    item = add_evidence(case, case_analyst, uploaded_file=pdf())
    assert item.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert item.content_type == "application/pdf"
    assert item.size == len(PDF_BYTES)
    services.evidence_viewed(item=item, actor=case_analyst)
    services.evidence_downloaded(item=item, actor=case_analyst)
    custody = [e.action for e in selectors.evidence_custody(item)]
    assert custody == ["EVIDENCE_ADDED", "EVIDENCE_VIEWED", "EVIDENCE_DOWNLOADED"]


def test_evidence_add_refuses_a_file_whose_content_is_not_an_allowed_type(case, case_analyst):
    exe = SimpleUploadedFile("report.pdf", b"MZ\x90\x00" + b"\x00" * 64)
    with pytest.raises(ValidationError) as exc:
        add_evidence(case, case_analyst, uploaded_file=exe)
    assert "file" in exc.value.message_dict
    assert case.evidence_items.count() == 0


def test_evidence_add_names_each_bad_field(case, case_analyst):
    with pytest.raises(ValidationError) as exc:
        add_evidence(case, case_analyst, source="rumour", source_reliability="Z", description=" ")
    assert {"source", "source_reliability", "description"} <= set(exc.value.message_dict)


def test_case_evidence_sources_are_the_sources_of_its_items(case, case_analyst):
    assert _sources(case) == []
    add_evidence(case, case_analyst, source="ngo_report")
    add_evidence(case, case_analyst, source="media", kind="media_article")
    add_evidence(case, case_analyst, source="media", kind="media_article")
    assert _sources(case) == ["media", "ngo_report"]
    entry = AuditEntry.objects.filter(action=AuditAction.CASE_EVIDENCE_SOURCES_SET).first()
    assert entry.field == "evidence_sources" and "media" in entry.new_value


def test_evidence_sources_cannot_be_set_by_hand_through_the_services(case, case_analyst):
    """Sources are derived from items only: no service takes them."""
    with pytest.raises(ApplicationError, match="derived from its evidence items"):
        case_services.case_update(case=case, actor=case_analyst, evidence_sources=["ngo_report"])
    with pytest.raises(ApplicationError, match="derived from its evidence items"):
        case_services.case_create(actor=case_analyst, evidence_sources=["ngo_report"], title="x")
    assert _sources(case) == []
    assert "evidence_sources" not in CaseForm(actor=case_analyst).fields


def test_a_case_with_no_evidence_items_cannot_enter_investigation(case, case_analyst):
    # The case has everything else investigation needs (people, an entity).
    with pytest.raises(PhaseRequirementsMissing) as exc:
        case_services.case_phase_change(case=case, to_phase="investigation", actor=case_analyst)
    assert [r.field for r in exc.value.missing] == ["evidence_sources"]
    case.refresh_from_db()
    assert case.phase == "initiation"


def test_a_stored_source_with_no_item_behind_it_does_not_count(case, case_analyst):
    """The phase rule reads the items, not a stored copy that could have been set some other
    way (a row written before sources were derived, say)."""
    case.evidence_sources.set(EvidenceSourceKind.objects.filter(code="ngo_report"))
    with pytest.raises(PhaseRequirementsMissing):
        case_services.case_phase_change(case=case, to_phase="investigation", actor=case_analyst)


def test_adding_an_item_makes_its_source_appear_and_opens_investigation(case, case_analyst):
    add_evidence(case, case_analyst, source="interview", kind="interview_summary")
    assert _sources(case) == ["interview"]
    case = case_services.case_phase_change(case=case, to_phase="investigation", actor=case_analyst)
    assert case.phase == "investigation"


def test_legacy_listed_sources_become_items_graded_f6(case, supervisor):
    items = services.evidence_record_listed_sources(
        case=case, actor=supervisor, codes=["media", "ngo_report"], where="legacy sheet, row 4"
    )
    assert [i.grade for i in items] == ["F6", "F6"]
    assert "legacy sheet, row 4" in items[0].description
    assert _sources(case) == ["media", "ngo_report"]


def test_evidence_sources_can_no_longer_be_empty_once_the_case_has_evidence(case, case_analyst):
    """Data quality (GAO-21-106): a case with evidence always names where it came from, and in
    investigation the last item cannot be taken away."""
    item = add_evidence(case, case_analyst)
    case_services.case_phase_change(case=case, to_phase="investigation", actor=case_analyst)
    with pytest.raises(PhaseRequirementsMissing):
        services.evidence_remove(item=item, actor=case_analyst, reason="Entered twice")
    case.refresh_from_db()
    assert _sources(case) == ["ngo_report"]
    assert case.evidence_items.count() == 1


def test_removing_evidence_re_derives_the_sources(case, case_analyst):
    keep = add_evidence(case, case_analyst, source="ngo_report")
    gone = add_evidence(case, case_analyst, source="interview", kind="interview_summary")
    services.evidence_remove(item=gone, actor=case_analyst, reason="Wrong case")
    assert _sources(case) == ["ngo_report"]
    assert list(case.evidence_items.all()) == [keep]


def test_evidence_add_refused_for_a_role_without_permission(case, chief_counsel):
    with pytest.raises(PermissionDeniedError):
        add_evidence(case, chief_counsel)


def test_sensitive_evidence_is_hidden_from_roles_without_the_need_to_know(
    case, supervisor, intake_analyst
):
    add_evidence(case, supervisor, law_enforcement_sensitive=True)
    add_evidence(case, supervisor)
    assert selectors.evidence_list_for_case(case=case, user=supervisor).count() == 2
    assert selectors.evidence_list_for_case(case=case, user=intake_analyst).count() == 1


def test_indicator_matrix_counts_items_by_source_grade(case, case_analyst):
    add_evidence(case, case_analyst, indicators=[7, 3], source_reliability="A")
    add_evidence(case, case_analyst, indicators=[7], source_reliability="C")
    rows = {r.number: r for r in selectors.case_indicator_matrix(case=case, user=case_analyst)}
    assert len(rows) == 11
    assert rows[7].counts == {"A": 1, "C": 1} and rows[7].best_grade == "A"
    assert rows[3].total == 1
    assert rows[1].total == 0


def test_the_migration_derives_stored_sources_from_items_and_audits_the_change(case, case_analyst):
    """Sources ticked by hand before the rule (no item behind them) are removed by the
    migration, with an audit entry keeping the old value; sources backed by items stay."""
    from importlib import import_module

    from django.apps import apps

    from ..factories import CaseFactory

    derive = import_module(
        "withhold.evidence.migrations.0004_derive_case_evidence_sources_from_items"
    ).derive
    add_evidence(case, case_analyst, source="ngo_report")
    case.evidence_sources.add(EvidenceSourceKind.objects.get(code="media"))  # set by hand
    bare = CaseFactory()
    bare.evidence_sources.set(EvidenceSourceKind.objects.filter(code="interview"))

    derive(apps, None)

    assert _sources(case) == ["ngo_report"]
    assert _sources(bare) == []
    entry = AuditEntry.objects.get(case_id=bare.pk, action=AuditAction.CASE_EVIDENCE_SOURCES_SET)
    assert (entry.old_value, entry.new_value, entry.actor) == ("interview", "", None)
