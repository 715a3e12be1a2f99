"""Orders fixtures: a case ready for legal review (the cases tests' own chain of fixtures) and an
order drafted on it, taken to each step of its life through the services."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from withhold.cases import services as case_services
from withhold.orders import services

from ..cases.conftest import (  # noqa: F401 - fixtures
    in_investigation,
    new_case,
    ready_for_investigation,
    ready_for_legal_review,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"
SENSITIVE = "SENSITIVE-MARKER-7731"


def pdf(name="memo.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def today():
    return timezone.localdate()


@pytest.fixture
def case_in_legal_review(ready_for_legal_review, case_analyst):  # noqa: F811
    return case_services.case_phase_change(
        case=ready_for_legal_review, to_phase="legal_review", actor=case_analyst
    )


@pytest.fixture
def draft(case_in_legal_review, supervisor):
    order = services.order_create(
        actor=supervisor,
        kind="wro",
        merchandise="Cotton yarn produced by Example Spinning Mill",
        cases=[case_in_legal_review],
        country="CN",
        internal_notes=f"Informant is a mill supervisor {SENSITIVE}",
    )
    entity = case_in_legal_review.entities.get(name="Example Garment Factory")
    services.scope_rule_add(order=order, actor=supervisor, kind="entity", entity=entity)
    return order


@pytest.fixture
def in_legal_review(draft, supervisor):
    return services.order_submit(order=draft, actor=supervisor)


def record_opinion(order, counsel, *, sufficient=True, standard="reasonable_not_conclusive"):
    return services.order_legal_opinion_record(
        order=order,
        actor=counsel,
        sufficient=sufficient,
        standard=standard,
        opinion_on=today(),
        summary=f"The evidence reasonably indicates forced labor. {SENSITIVE}",
        memo=pdf(),
    )


@pytest.fixture
def with_opinion(in_legal_review, chief_counsel):
    record_opinion(in_legal_review, chief_counsel)
    return in_legal_review


@pytest.fixture
def approved(with_opinion, approving_official):
    services.order_decide(
        order=with_opinion,
        actor=approving_official,
        decision="approved",
        decided_on=today(),
        planned_issue_on=today() + dt.timedelta(days=20),
    )
    with_opinion.refresh_from_db()
    return with_opinion


@pytest.fixture
def issued(approved, approving_official):
    services.order_issue(order=approved, actor=approving_official, issued_on=today())
    approved.refresh_from_db()
    return approved
