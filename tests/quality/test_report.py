"""The data-quality report on fixed data: completeness per field and status, each database rule
on a named example, and the snapshot history."""

import datetime as dt

import pytest
from django.utils import timezone

from withhold.cases.models import Case, CaseTransition, CaseUpdate
from withhold.quality import rules
from withhold.quality.models import QualitySnapshot
from withhold.quality.selectors import cases_missing_field, quality_report
from withhold.quality.services import quality_snapshot_take

from ..factories import CaseEntityFactory, CaseFactory, EntityFactory

pytestmark = pytest.mark.django_db


def _report():
    return quality_report(cases=Case.objects.all())


def _codes_for(report, case):
    return {(f.field, f.rule) for f in report.findings if f.case_id == case.pk}


def test_completeness_counts_required_fields_per_status(commodity):
    CaseFactory(commodity=commodity)  # initiation: nothing required is missing
    in_investigation = CaseFactory(commodity=commodity, phase="investigation")
    CaseFactory(
        commodity=commodity, phase="investigation", status="suspended",
        suspension_reason="lack_of_personnel",
    )  # fmt: skip
    report = _report()
    fields = {f.spec.name: f for f in report.fields}
    assert fields["evidence_sources"].missing == {"active": 1, "suspended": 1, "inactive": 0}
    assert fields["assigned_analyst"].missing == {"active": 1, "suspended": 1, "inactive": 0}
    assert fields["hsi_notified_on"].missing == {"active": 0, "suspended": 0, "inactive": 0}
    assert fields["title"].missing_total == 0
    assert report.case_counts == {"active": 2, "suspended": 1, "inactive": 0}
    assert list(
        cases_missing_field(cases=Case.objects.all(), name="entities", status="active")
    ) == [in_investigation]
    assert report.summary.startswith(f"{report.fields_missing} of {report.fields_total} fields")
    assert report.status_summaries()[1].startswith("Suspended cases (1):")


def test_closed_cases_are_left_out(commodity):
    CaseFactory(
        commodity=commodity, phase="investigation", status="closed", closing_outcome="penalty"
    )
    assert _report().case_count == 0


def test_value_outside_the_vocabulary(commodity):
    case = CaseFactory(commodity=commodity)
    Case.objects.filter(pk=case.pk).update(referral_source="Tip line", source_country="XX")
    assert {
        ("referral_source", rules.VOCABULARY.code),
        ("source_country", rules.VOCABULARY.code),
    } <= (_codes_for(_report(), case))


def test_phase_entered_before_an_earlier_phase(commodity):
    case = CaseFactory(commodity=commodity, phase="investigation")
    CaseTransition.objects.create(
        case=case,
        kind="phase",
        from_phase="initiation",
        to_phase="investigation",
        to_status="active",
        at=timezone.now() - dt.timedelta(days=365),
    )
    assert ("phase", rules.DATE_ORDER.code) in _codes_for(_report(), case)


def test_hsi_notified_before_the_allegation(commodity):
    case = CaseFactory(commodity=commodity)
    Case.objects.filter(pk=case.pk).update(hsi_notified_on=case.received_on - dt.timedelta(days=3))
    assert ("hsi_notified_on", rules.DATE_ORDER.code) in _codes_for(_report(), case)


def test_timeline_mentions_a_later_phase(commodity):
    case = CaseFactory(commodity=commodity, phase="investigation")
    CaseUpdate.objects.create(case=case, occurred_on=case.opened_on, text="Sent to Chief Counsel.")
    report = _report()
    assert ("updates", rules.LATER_PHASE.code) in _codes_for(report, case)
    assert dict((r.code, n) for r, n in report.rule_counts)[rules.LATER_PHASE.code] == 1


def test_manufacturer_name_in_the_update_and_in_the_summary(commodity):
    factory = EntityFactory(name="Hetian Taida Apparel Co.")
    other = EntityFactory(name="Unlinked Knitting Mill")
    case = CaseFactory(
        commodity=commodity, allegation_summary="Reports say Unlinked Knitting Mill holds wages."
    )
    CaseEntityFactory(case=case, entity=factory, role="manufacturer")
    CaseUpdate.objects.create(
        case=case, occurred_on=case.opened_on, text="Hetian Taida Apparel Co."
    )
    codes = _codes_for(_report(), case)
    assert ("updates", rules.NAME_IN_NARRATIVE.code) in codes
    assert ("allegation_summary", rules.NAME_IN_NARRATIVE.code) in codes
    assert other.name


def test_snapshots_keep_the_history(commodity, supervisor):
    CaseFactory(commodity=commodity, phase="investigation")
    first = quality_snapshot_take(actor=None)
    Case.objects.update(phase="initiation")
    second = quality_snapshot_take(actor=supervisor)
    assert QualitySnapshot.objects.count() == 2
    assert first.fields_missing > second.fields_missing
    assert second.taken_by == supervisor
    assert "evidence_sources" in first.detail["fields"]


def test_snapshot_command_prints_the_summary(commodity, capsys):
    from django.core.management import call_command

    CaseFactory(commodity=commodity)
    call_command("quality_snapshot")
    assert "fields have missing entries" in capsys.readouterr().out
    assert QualitySnapshot.objects.count() == 1


def test_the_scheduled_task_saves_a_snapshot(commodity):
    from withhold.quality.tasks import quality_snapshot_take as task

    CaseFactory(commodity=commodity)
    pk = task.delay().get()
    assert QualitySnapshot.objects.get().pk == pk
