"""An order's life through the services: legal review, approval, coordination, issuance,
modification, review — each step by the role allowed to take it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from withhold.audit.models import AuditEntry
from withhold.cases.models import CaseDocument, Task
from withhold.core.exceptions import ApplicationError, PermissionDeniedError
from withhold.orders import lifecycle, services
from withhold.orders.lifecycle import OrderFacts
from withhold.orders.models import CoordinationStep, ScopeRule

from .conftest import record_opinion, today

pytestmark = pytest.mark.django_db


def test_counsels_opinion_is_attached_to_every_backing_case(with_opinion):
    case = with_opinion.cases.get()
    memo = case.documents.get(kind=CaseDocument.Kind.LEGAL_OPINION)
    assert memo.title.startswith(f"Legal-sufficiency opinion on {with_opinion.number}")
    assert memo.sha256 == with_opinion.legal_opinions.get().memo_sha256


def test_counsel_cannot_approve(with_opinion, chief_counsel):
    with pytest.raises(PermissionDeniedError, match="Only the approving official"):
        services.order_decide(
            order=with_opinion,
            actor=chief_counsel,
            decision="approved",
            decided_on=today(),
            planned_issue_on=today() + dt.timedelta(days=20),
        )
    with pytest.raises(PermissionDeniedError, match="Only the approving official can issue"):
        services.order_issue(order=with_opinion, actor=chief_counsel, issued_on=today())


def test_approver_cannot_write_the_legal_opinion(in_legal_review, approving_official):
    with pytest.raises(PermissionDeniedError, match="Only Chief Counsel"):
        record_opinion(in_legal_review, approving_official)
    assert not in_legal_review.legal_opinions.exists()


def test_issuing_without_opinion_or_approval_is_refused(in_legal_review, approving_official):
    with pytest.raises(ApplicationError) as refused:
        services.order_issue(order=in_legal_review, actor=approving_official, issued_on=today())
    assert "no legal-sufficiency opinion" in refused.value.message
    assert "not approved" in refused.value.message


def test_issuing_with_opinion_but_without_approval_is_refused(with_opinion, approving_official):
    with pytest.raises(ApplicationError, match="The approving official has not approved it"):
        services.order_issue(order=with_opinion, actor=approving_official, issued_on=today())
    with_opinion.refresh_from_db()
    assert with_opinion.status == "legal_review"


def test_an_insufficient_opinion_cannot_be_approved(
    in_legal_review, chief_counsel, approving_official
):
    record_opinion(in_legal_review, chief_counsel, sufficient=False)
    with pytest.raises(ApplicationError, match="found the evidence insufficient"):
        services.order_decide(
            order=in_legal_review,
            actor=approving_official,
            decision="approved",
            decided_on=today(),
            planned_issue_on=today() + dt.timedelta(days=20),
        )


@pytest.mark.parametrize(
    ("opinion", "decision", "status", "problems"),
    [
        (None, "", "legal_review", 2),
        (True, "", "legal_review", 1),
        (False, "approved", "approved", 1),
        (None, "approved", "approved", 1),
        (True, "rejected", "draft", 1),
        (True, "approved", "approved", 0),
    ],
)
def test_issue_needs_a_sufficient_opinion_and_an_approval(opinion, decision, status, problems):
    facts = OrderFacts("wro", status, 1, 1, opinion_sufficient=opinion, decision=decision)
    assert len(lifecycle.issue_problems(facts)) == problems


@pytest.mark.parametrize(
    ("kind", "standard", "ok"),
    [
        ("wro", "reasonable_not_conclusive", True),
        ("wro", "probable_cause", False),
        ("finding", "probable_cause", True),
        ("finding", "reasonable_not_conclusive", False),
        ("caatsa", "reasonable_not_conclusive", True),
    ],
)
def test_the_standard_follows_the_kind_of_order(kind, standard, ok):
    assert (lifecycle.standard_problem(kind, standard) is None) is ok


def test_a_wro_judged_on_probable_cause_is_refused(in_legal_review, chief_counsel):
    with pytest.raises(ValidationError) as refused:
        record_opinion(in_legal_review, chief_counsel, standard="probable_cause")
    assert "standard" in refused.value.message_dict


def test_approval_opens_dated_coordination_tasks_on_the_analysts_work(
    approved, case_analyst, client
):
    steps = list(CoordinationStep.objects.filter(order=approved).select_related("task"))
    assert {s.party for s in steps} == set(CoordinationStep.Party.values)
    planned = approved.planned_issue_on
    for step in steps:
        assert planned - dt.timedelta(days=14) <= step.task.due_on < planned
        assert step.task.owner == case_analyst
    client.force_login(case_analyst)
    page = client.get("/cases/my-work/").content.decode()
    assert f"Notify Ports of entry of {approved.number} before issuance" in page


def test_issuing_moves_the_case_to_implementation_and_lists_open_coordination(
    approved, approving_official, case_analyst
):
    step = CoordinationStep.objects.get(order=approved, party="ntac")
    from withhold.cases.services import task_complete

    task_complete(task=step.task, actor=case_analyst)
    result = services.order_issue(order=approved, actor=approving_official, issued_on=today())
    assert result.order.status == "issued"
    assert result.cases_moved == [approved.cases.get().number]
    assert approved.cases.get().phase == "implementation"
    assert len(result.open_coordination) == 5
    assert "ntac" not in {s.party for s in result.open_coordination}
    assert AuditEntry.objects.filter(action="ORDER_ISSUED", object_id=str(approved.pk)).exists()


@override_settings(
    WITHHOLD={
        "ORDER_REVIEW_INTERVAL_DAYS": 90,
        "CASE_NUMBER_PREFIX": "FL",
        "HSI_NOTIFICATION_DAYS": 10,
        "CASE_LIST_PAGE_SIZE": 25,
        "ORDER_REGISTER_PAGE_SIZE": 25,
    }
)
def test_issuance_and_each_review_set_the_next_review_date(
    approved, approving_official, case_analyst
):
    issued = services.order_issue(
        order=approved, actor=approving_official, issued_on=today() - dt.timedelta(days=10)
    ).order
    assert issued.next_review_on == today() + dt.timedelta(days=80)
    services.order_review_record(
        order=issued, actor=case_analyst, reviewed_on=today(), description="Still produced there."
    )
    issued.refresh_from_db()
    assert issued.next_review_on == today() + dt.timedelta(days=90)


def test_a_partial_revocation_excludes_one_importer(issued, supervisor):
    change = services.order_modify(
        order=issued,
        actor=supervisor,
        kind="partial_revocation",
        effective_on=today(),
        description="Goods imported by Example Imports LLC are removed after its audit.",
        exclusions=[{"kind": "excluded_importer", "entity": "Example Imports LLC"}],
    )
    issued.refresh_from_db()
    assert issued.status == "partially_revoked"
    assert issued.modified_on == today()
    rule = change.scope_rules.get()
    assert (rule.kind, rule.entity.name) == (
        ScopeRule.Kind.EXCLUDED_IMPORTER,
        "Example Imports LLC",
    )


def test_a_partial_revocation_must_say_what_it_removes(issued, supervisor):
    with pytest.raises(ValidationError) as refused:
        services.order_modify(
            order=issued,
            actor=supervisor,
            kind="partial_revocation",
            effective_on=today(),
            description="Narrowed.",
        )
    assert "exclusions" in refused.value.message_dict


def test_revocation_ends_reviews_and_only_a_supervisor_may_revoke(issued, supervisor, case_analyst):
    with pytest.raises(PermissionDeniedError):
        services.order_modify(
            order=issued,
            actor=case_analyst,
            kind="revocation",
            effective_on=today(),
            description="Revoked.",
        )
    services.order_modify(
        order=issued,
        actor=supervisor,
        kind="revocation",
        effective_on=today(),
        description="The producer ended the practices; revoked.",
    )
    issued.refresh_from_db()
    assert (issued.status, issued.revoked_on, issued.next_review_on) == ("revoked", today(), None)


def test_scope_rules_are_checked(draft, supervisor):
    with pytest.raises(ValidationError) as refused:
        services.scope_rule_add(
            order=draft,
            actor=supervisor,
            kind="country_commodity",
            country="MW",
            hts_headings=["9999"],
        )
    assert "hts_headings" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.scope_rule_add(
            order=draft,
            actor=supervisor,
            kind="vessel",
            vessel_name="Yu Long No. 2",
            imo_number="1234568",
        )
    assert "imo_number" in refused.value.message_dict
    rule = services.scope_rule_add(
        order=draft,
        actor=supervisor,
        kind="country_commodity",
        country="mw",
        hts_headings=["2401", "24.02"],
        merchandise="Tobacco produced in Malawi",
    )
    assert (rule.country, rule.hts_headings) == ("MW", ["2401", "2402"])


def test_a_draft_needs_a_case_and_a_scope_rule_before_legal_review(supervisor):
    order = services.order_create(actor=supervisor, kind="wro", merchandise="Bricks")
    with pytest.raises(ApplicationError) as refused:
        services.order_submit(order=order, actor=supervisor)
    assert "Link at least one backing case" in refused.value.message
    assert "Add at least one scope rule" in refused.value.message


def test_a_rejection_sends_the_order_back_to_draft(with_opinion, approving_official):
    services.order_decide(
        order=with_opinion,
        actor=approving_official,
        decision="rejected",
        decided_on=today(),
        reason="The supply-chain map does not reach the U.S. importer.",
    )
    with_opinion.refresh_from_db()
    assert with_opinion.status == "draft"
    assert not Task.objects.filter(coordination_step__order=with_opinion).exists()


@pytest.mark.parametrize(
    ("planned", "today"),
    [
        (dt.date(2026, 3, 15), dt.date(2026, 2, 1)),  # across the end of February
        (dt.date(2024, 3, 10), dt.date(2024, 2, 1)),  # across 29 February
        (dt.date(2027, 1, 4), dt.date(2026, 12, 1)),  # across New Year
    ],
)
def test_coordination_notices_fall_their_days_before_issuance(planned, today):
    """Each party's notice keeps its days before the planned issuance (now the clock engine's
    rows): threat analysis centers 14, NTC 12, HSI and other agencies 10, CEEs 7, ports 3."""
    days = {"ntac": 14, "ntc": 12, "hsi": 10, "other_agencies": 10, "cee": 7, "ports": 3}
    due = dict(lifecycle.coordination_due_dates(planned, today=today))
    assert due == {party: planned - dt.timedelta(days=n) for party, n in days.items()}
    assert set(due) == set(CoordinationStep.Party.values)


def test_coordination_planned_sooner_than_two_weeks_starts_today():
    planned = dt.date(2026, 3, 10)
    due = dict(lifecycle.coordination_due_dates(planned, today=dt.date(2026, 3, 5)))
    assert due["ntac"] == due["ntc"] == due["hsi"] == due["cee"] == dt.date(2026, 3, 5)
    assert due["ports"] == dt.date(2026, 3, 7)
