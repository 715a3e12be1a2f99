"""A data set with a unique marker in every sensitive field (``accounts.visibility.POLICY``),
built through the services like the orders and evidence tests: an ordinary case in legal review
backing an order (internal notes, counsel's opinion summary), a law-enforcement-sensitive case
backing the same order, an LES evidence item on the ordinary case (in a supply link, with its
own source kind), the allegation report generated with that item, one allegation attached to
each case with the submitter's name and e-mail address, and a task on the LES case owned by an
intake analyst (as when a case is marked LES after the task was given)."""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.utils import timezone

from withhold.cases import services as case_services
from withhold.cases.models import Case, CaseDocument, Task
from withhold.evidence import services as evidence_services
from withhold.evidence.models import EvidenceItem
from withhold.intake import services as intake_services
from withhold.intake.models import Allegation
from withhold.orders.models import LegalOpinion, Order

from ..cases.conftest import (  # noqa: F401 - fixtures
    in_investigation,
    new_case,
    ready_for_investigation,
    ready_for_legal_review,
)
from ..evidence.conftest import add_evidence
from ..factories import TaskFactory
from ..intake.conftest import report_fields
from ..orders.conftest import (  # noqa: F401 - fixtures
    case_in_legal_review,
    draft,
    in_legal_review,
    with_opinion,
)

# Markers: unique words planted in the sensitive fields, found again case-insensitively.
LES_CASE_TITLE = "CNRY-LESCASE-TITLE"
LES_CASE_SUMMARY = "CNRY-LESCASE-SUMMARY"
LES_TASK_TITLE = "CNRY-LESTASK-TITLE"
LES_TASK_TEXT = "CNRY-LESTASK-TEXT"
LES_EVIDENCE_TEXT = "CNRY-LESEVIDENCE-TEXT"
ORDER_NOTES = "CNRY-ORDER-NOTES"
OPINION_SUMMARY = "CNRY-OPINION-SUMMARY"
SUBMITTER_ON_LES = "CNRY-SUBMITTER-ONE"
SUBMITTER_ON_CASE = "CNRY-SUBMITTER-TWO"
LES_SOURCE = "interview"  # the LES item's source kind: no other item of the case has it
# The LES item's date: its metadata (the supply-link table, the API) must not show it either.
LES_EVIDENCE_DATE = dt.date(2003, 3, 17)


@dataclass
class World:
    case: Case  # ordinary, in legal review, backs the order
    les_case: Case  # law-enforcement-sensitive, backs the order too
    order: Order
    opinion: LegalOpinion
    evidence: EvidenceItem  # ordinary item on ``case``
    les_evidence: EvidenceItem  # LES item on ``case``
    report: CaseDocument  # allegation report generated with the LES item
    on_les: Allegation  # attached to ``les_case``
    on_case: Allegation  # attached to ``case``
    les_task: Task  # on ``les_case``, owned by an intake analyst
    # marker -> (policy key, case the marker belongs to or None)
    markers: dict[str, tuple[str, Case | None]] = field(default_factory=dict)


@pytest.fixture
def world(
    with_opinion,  # noqa: F811
    case_analyst,
    supervisor,
    intake_analyst,
    commodity,
) -> World:
    cache.clear()  # the public form's rate limits
    order = with_opinion
    case = order.cases.get()
    Order.objects.filter(pk=order.pk).update(internal_notes=f"Informant: {ORDER_NOTES}")
    opinion = order.legal_opinions.get()
    LegalOpinion.objects.filter(pk=opinion.pk).update(
        summary=f"Sufficient, relying on {OPINION_SUMMARY}"
    )
    les_case = case_services.case_create(
        actor=supervisor,
        title=f"Joint investigation {LES_CASE_TITLE}",
        allegation_summary=f"Undercover source reports {LES_CASE_SUMMARY}.",
        commodity=commodity,
        source_country="CN",
        referral_source="ngo",
        received_on=timezone.localdate() - dt.timedelta(days=5),
        assigned_analyst=case_analyst,
        supervisor=supervisor,
        law_enforcement_sensitive=True,
    )
    Case.objects.filter(pk=les_case.pk).update(hsi_notified_on=timezone.localdate())
    order.cases.add(les_case)
    evidence = add_evidence(case, case_analyst, description="Recruiters keep passports.")
    les_evidence = add_evidence(
        case,
        case_analyst,
        kind="interview_summary",
        source=LES_SOURCE,
        obtained_on=LES_EVIDENCE_DATE,
        description=f"Informant interview: {LES_EVIDENCE_TEXT}",
        law_enforcement_sensitive=True,
    )
    mill = case.entities.get(name="Example Spinning Mill")
    factory = case.entities.get(name="Example Garment Factory")
    evidence_services.supply_link_add(
        case=case,
        actor=case_analyst,
        supplier=mill,
        buyer=factory,
        goods="Yarn",
        evidence_ids=[evidence.pk, les_evidence.pk],
    )
    report = evidence_services.allegation_report_generate(case=case, actor=case_analyst)
    on_les = intake_services.allegation_submit(
        **report_fields(
            anonymous=False,
            contact_name=SUBMITTER_ON_LES,
            contact_email=f"{SUBMITTER_ON_LES.lower()}@example.org",
        )
    ).allegation
    on_case = intake_services.allegation_submit(
        **report_fields(
            anonymous=False,
            contact_name=SUBMITTER_ON_CASE,
            contact_email=f"{SUBMITTER_ON_CASE.lower()}@example.org",
        )
    ).allegation
    intake_services.allegation_case_attach(allegation=on_les, case=les_case, actor=supervisor)
    intake_services.allegation_case_attach(allegation=on_case, case=case, actor=supervisor)
    # Given before the case was marked LES (the service now refuses it).
    les_task = TaskFactory(
        case=les_case,
        owner=intake_analyst,
        title=LES_TASK_TITLE,
        description=LES_TASK_TEXT,
        due_on=timezone.localdate(),
    )
    TaskFactory(case=les_case, owner=case_analyst, title="Check", due_on=timezone.localdate())
    les = "case.law_enforcement_sensitive"
    markers = {
        les_case.number: (les, les_case),
        LES_CASE_TITLE: (les, les_case),
        LES_CASE_SUMMARY: (les, les_case),
        LES_TASK_TITLE: (les, les_case),
        LES_TASK_TEXT: (les, les_case),
        LES_EVIDENCE_TEXT: ("evidence.law_enforcement_sensitive", case),
        LES_EVIDENCE_DATE.isoformat(): ("evidence.law_enforcement_sensitive", case),
        ORDER_NOTES: ("order.internal_notes", None),
        OPINION_SUMMARY: ("order.opinion_summary", None),
        SUBMITTER_ON_LES: ("allegation.submitter_identity", None),
        SUBMITTER_ON_CASE: ("allegation.submitter_identity", None),
    }
    return World(
        case=case,
        les_case=les_case,
        order=order,
        opinion=opinion,
        evidence=evidence,
        les_evidence=les_evidence,
        report=report,
        on_les=on_les,
        on_case=on_case,
        les_task=les_task,
        markers=markers,
    )
