"""Every write to an order, its scope rules, legal review, approval, coordination, issuance,
modifications, reviews and petitions.

Each service checks the actor's permission, locks the order row, asks ``lifecycle`` what is wrong
with the move, writes, and appends the audit rows in the same transaction.

Legal review fits the case workflow: counsel records the opinion on the order once, and the memo
is attached to every backing case as its ``legal_opinion`` document through
``cases.services.case_document_add`` — which is what a case needs to enter implementation. Issuing
the order (the approving official) then moves backing cases still in legal review into
implementation through ``cases.services.case_phase_change``, under the same official's permission.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from withhold.accounts.permissions import require_perm
from withhold.audit.models import AuditAction
from withhold.audit.selectors import audit_last_change
from withhold.audit.services import audit_record, audit_value, model_changes
from withhold.cases import services as case_services
from withhold.cases.models import Case, CaseDocument, Phase, Task
from withhold.cases.selectors import case_visible_queryset
from withhold.core.concurrency import check_version
from withhold.core.exceptions import ApplicationError
from withhold.core.files import check_upload, display_name, storage_name
from withhold.entities.models import Entity

from . import lifecycle
from .models import (
    ApprovalDecision,
    CoordinationStep,
    Kind,
    LegalOpinion,
    Order,
    OrderModification,
    Petition,
    PetitionDocument,
    ScopeRule,
    Status,
)
from .selectors import order_facts

NUMBER_PREFIX = {Kind.WRO: "WRO", Kind.FINDING: "FND", Kind.CAATSA: "CAA", Kind.PENALTY: "PEN"}

# Fields a draft's form or API call may write directly; status and dates change through the
# lifecycle services only.
ORDER_FIELDS = [
    "merchandise",
    "published_entity",
    "country",
    "industry",
    "federal_register_citation",
    "customs_bulletin_citation",
    "penalty_amount",
    "penalty_party",
    "remarks",
    "internal_notes",
]


def _lock(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)


def _refuse(problems: list[str], prefix: str) -> None:
    if problems:
        raise ApplicationError(f"{prefix} {' '.join(problems)}")


def _next_number(kind: str, year: int) -> str:
    prefix = f"{NUMBER_PREFIX[kind]}-{year}-"
    last = (
        Order.objects.select_for_update()
        .filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


def _check_cases(actor, cases: Iterable[Case]) -> list[Case]:
    cases = list(cases)
    visible = set(
        case_visible_queryset(actor)
        .filter(pk__in=[c.pk for c in cases])
        .values_list("pk", flat=True)
    )
    if any(c.pk not in visible for c in cases):
        raise ValidationError({"cases": "One of the cases does not exist or is not yours to see."})
    return cases


def _snapshot(order: Order) -> dict[str, Any]:
    return {name: getattr(order, name) for name in ORDER_FIELDS}


@transaction.atomic
def order_create(
    *,
    actor,
    kind: str,
    merchandise: str,
    cases: Iterable[Case] = (),
    is_demo: bool = False,
    scope_rules: Iterable[dict[str, Any]] = (),
    **fields: Any,
) -> Order:
    """Draft an order on one or more cases. It starts as a draft; only the lifecycle services
    move it on. ``scope_rules`` (fields of ``ScopeRule``) are added to the draft in the same
    transaction: drafted from a case, its manufacturer and its country and HTS code."""
    require_perm(actor, "orders.add_order", "Your role cannot draft orders.")
    unknown = set(fields) - set(ORDER_FIELDS)
    if unknown:
        raise ApplicationError(f"These fields cannot be set on a new order: {', '.join(unknown)}.")
    if kind not in Kind.values:
        raise ValidationError({"kind": f"“{kind}” is not a kind of order."})
    cases = _check_cases(actor, cases)
    order = Order(
        kind=kind,
        merchandise=(merchandise or "").strip(),
        is_demo=is_demo,
        created_by=actor,
        **fields,
    )
    if order.country:
        order.country = order.country.upper()
    order.number = _next_number(kind, timezone.localdate().year)
    order.full_clean()
    order.save()
    order.cases.set(cases)
    audit_record(
        actor=actor,
        action=AuditAction.ORDER_CREATED,
        target=order,
        data={
            "kind": kind,
            "cases": [c.number for c in cases],
            **{k: audit_value(v) for k, v in _snapshot(order).items()},
        },
    )
    for rule_fields in scope_rules:
        rule = _new_rule(order, dict(rule_fields), None)
        audit_record(
            actor=actor,
            action=AuditAction.ORDER_SCOPE_RULE_ADDED,
            target=order,
            data={"rule": str(rule)},
        )
    return order


@transaction.atomic
def order_update(*, order: Order, actor, version: int | None = None, **changes: Any) -> Order:
    """Edit a draft's words. Once in legal review, counsel judges what was sent. Refused
    (``StaleVersionError``) if ``version`` is not the order's: someone else saved first."""
    require_perm(actor, "orders.change_order", "Your role cannot edit orders.")
    unknown = set(changes) - set(ORDER_FIELDS)
    if unknown:
        raise ApplicationError(f"These fields cannot be edited: {', '.join(sorted(unknown))}.")
    order = _lock(order)
    check_version(order, version, noun="order", last_change=audit_last_change)
    if order.status not in lifecycle.EDITABLE_STATUSES and set(changes) - {"internal_notes"}:
        raise ApplicationError(
            "Only a draft can be edited; an issued order changes through a modification."
        )
    before = _snapshot(order)
    for name, value in changes.items():
        setattr(order, name, value)
    if order.country:
        order.country = order.country.upper()
    order.full_clean()
    order.save()
    diff = model_changes(before, _snapshot(order))
    if diff:
        audit_record(actor=actor, action=AuditAction.ORDER_UPDATED, target=order, changes=diff)
    return order


@transaction.atomic
def order_case_link(*, order: Order, case: Case, actor) -> Order:
    require_perm(actor, "orders.change_order", "Your role cannot change orders.")
    order = _lock(order)
    if order.status not in lifecycle.EDITABLE_STATUSES:
        raise ApplicationError("Backing cases are linked while the order is a draft.")
    _check_cases(actor, [case])
    if order.cases.filter(pk=case.pk).exists():
        raise ApplicationError(f"{case.number} already backs this order.")
    order.cases.add(case)
    audit_record(
        actor=actor,
        action=AuditAction.ORDER_CASE_LINKED,
        target=order,
        case_id=case.pk,
        data={"case": case.number},
    )
    return order


SCOPE_RULE_FIELDS = [
    "kind",
    "entity",
    "country",
    "region_code",
    "region_name",
    "commodity",
    "hts_headings",
    "merchandise",
    "vessel_name",
    "vessel_flag",
    "imo_number",
]


def _new_rule(order: Order, fields: dict, modification: OrderModification | None) -> ScopeRule:
    unknown = set(fields) - set(SCOPE_RULE_FIELDS)
    if unknown:
        raise ApplicationError(f"Unknown scope-rule fields: {', '.join(sorted(unknown))}.")
    rule = ScopeRule(order=order, modification=modification, **fields)
    for name in ("country", "vessel_flag", "region_code"):
        setattr(rule, name, (getattr(rule, name) or "").strip().upper())
    rule.full_clean()
    rule.save()
    return rule


@transaction.atomic
def scope_rule_add(*, order: Order, actor, **fields: Any) -> ScopeRule:
    """Say what a draft covers. After issuance, exclusions come through ``order_modify``."""
    require_perm(actor, "orders.change_order", "Your role cannot change an order's scope.")
    order = _lock(order)
    if order.status not in lifecycle.EDITABLE_STATUSES:
        raise ApplicationError(
            "Scope rules are set while the order is a draft; change an issued order's scope "
            "with a modification or partial revocation."
        )
    rule = _new_rule(order, fields, None)
    audit_record(
        actor=actor,
        action=AuditAction.ORDER_SCOPE_RULE_ADDED,
        target=order,
        data={"rule": str(rule)},
    )
    return rule


@transaction.atomic
def scope_rule_remove(*, rule: ScopeRule, actor) -> None:
    require_perm(actor, "orders.change_order", "Your role cannot change an order's scope.")
    order = _lock(rule.order)
    if order.status not in lifecycle.EDITABLE_STATUSES:
        raise ApplicationError("Scope rules are removed only while the order is a draft.")
    text = str(rule)
    rule.delete()
    audit_record(
        actor=actor, action=AuditAction.ORDER_SCOPE_RULE_REMOVED, target=order, data={"rule": text}
    )


@transaction.atomic
def order_submit(*, order: Order, actor) -> Order:
    """Send a draft to Chief Counsel for the legal-sufficiency opinion (phase 3)."""
    require_perm(actor, "orders.change_order", "Your role cannot send orders to legal review.")
    order = _lock(order)
    _refuse(lifecycle.submit_problems(order_facts(order)), "The order cannot go to legal review:")
    order.status = Status.LEGAL_REVIEW
    order.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.ORDER_SUBMITTED,
        target=order,
        changes={"status": (Status.DRAFT, Status.LEGAL_REVIEW)},
    )
    return order


@transaction.atomic
def order_legal_opinion_record(
    *,
    order: Order,
    actor,
    sufficient: bool,
    standard: str,
    opinion_on: date,
    summary: str,
    memo: UploadedFile,
) -> LegalOpinion:
    """Counsel's opinion: sufficient or not, the standard applied (19 CFR 12.42(e) for a WRO,
    12.42(f) for a Finding), the date and the memo. The memo is attached to each backing case as
    its legal-sufficiency opinion, so the case's own requirement is met without typing twice."""
    require_perm(
        actor,
        "orders.record_legal_opinion",
        "Only Chief Counsel can record a legal-sufficiency opinion.",
    )
    order = _lock(order)
    _refuse(lifecycle.opinion_problems(order_facts(order)), "No opinion can be recorded:")
    errors = {}
    if problem := lifecycle.standard_problem(order.kind, standard):
        errors["standard"] = problem
    if opinion_on > timezone.localdate():
        errors["opinion_on"] = "The opinion's date is in the future."
    if not (summary or "").strip():
        errors["summary"] = "Summarise counsel's reasoning."
    try:
        checked = check_upload(memo)
    except ApplicationError as exc:
        errors["memo"] = exc.message
    if errors:
        raise ValidationError(errors)
    opinion = LegalOpinion(
        order=order,
        sufficient=sufficient,
        standard=standard,
        opinion_on=opinion_on,
        summary=summary.strip(),
        memo_name=(memo.name or "memo")[:255],
        memo_content_type=checked.content_type,
        memo_size=checked.size,
        memo_sha256=checked.sha256,
        author=actor,
    )
    opinion.memo.save(storage_name(memo.name, "memo"), memo, save=False)
    opinion.save()
    verdict = "sufficient" if sufficient else "not sufficient"
    for case in order.cases.all():
        memo.seek(0)
        case_services.case_document_add(
            case=case,
            actor=actor,
            kind=CaseDocument.Kind.LEGAL_OPINION,
            title=f"Legal-sufficiency opinion on {order.number} ({verdict}, {opinion_on})",
            uploaded_file=memo,
        )
    audit_record(
        actor=actor,
        action=AuditAction.ORDER_LEGAL_OPINION_RECORDED,
        target=order,
        data={
            "sufficient": sufficient,
            "standard": standard,
            "opinion_on": opinion_on.isoformat(),
            "memo_sha256": checked.sha256,
        },
    )
    return opinion


def _coordination_tasks_create(*, order: Order, actor, planned_issue_on: date) -> None:
    """Approval opens one dated task per party to notify before issuance (GAO-21-106). The tasks
    sit on the order's first backing case, owned by its analyst (else its supervisor, else the
    approving official), so they appear on that person's "My work" and get reminders."""
    case = order.cases.order_by("opened_on", "pk").first()
    owner = case.assigned_analyst or case.supervisor or actor
    for party, due_on in lifecycle.coordination_due_dates(
        planned_issue_on, today=timezone.localdate()
    ):
        label = CoordinationStep.Party(party).label
        if CoordinationStep.objects.filter(order=order, party=party).exists():
            step = CoordinationStep.objects.select_related("task").get(order=order, party=party)
            if step.task.state == Task.State.OPEN:
                step.task.due_on = due_on
                step.task.save(update_fields=["due_on", "updated_at"])
            continue
        task = Task.objects.create(
            case=case,
            title=f"Notify {label} of {order.number} before issuance",
            description=(
                f"{order.get_kind_display()} {order.number} is planned to issue on "
                f"{planned_issue_on:%Y-%m-%d}. Tell {label} what it covers, then mark this done."
            ),
            owner=owner,
            due_on=due_on,
            created_by=actor,
        )
        CoordinationStep.objects.create(order=order, party=party, task=task)
        audit_record(
            actor=actor,
            action=AuditAction.TASK_CREATED,
            target=task,
            case_id=case.pk,
            data={"title": task.title, "owner": str(owner), "due_on": due_on.isoformat()},
        )


@transaction.atomic
def order_decide(
    *,
    order: Order,
    actor,
    decision: str,
    decided_on: date,
    planned_issue_on: date | None = None,
    reason: str = "",
) -> ApprovalDecision:
    """The approving official approves (on counsel's opinion that the standard is met) or rejects
    the recommendation package. Approval sets the planned issuance date and opens the
    coordination tasks; rejection sends the order back to draft."""
    require_perm(actor, "orders.decide_order", "Only the approving official can decide an order.")
    order = _lock(order)
    if decision not in ApprovalDecision.Decision.values:
        raise ValidationError({"decision": "Choose approve or reject."})
    _refuse(lifecycle.decision_problems(order_facts(order), decision), "It cannot be decided:")
    errors = {}
    today = timezone.localdate()
    if decided_on > today:
        errors["decided_on"] = "The decision's date is in the future."
    if decision == ApprovalDecision.Decision.APPROVED:
        if planned_issue_on is None:
            errors["planned_issue_on"] = "Give the planned issuance date."
        elif planned_issue_on < today:
            errors["planned_issue_on"] = "The planned issuance date has passed."
    elif not (reason or "").strip():
        errors["reason"] = "Say why the order is rejected."
    if errors:
        raise ValidationError(errors)
    record = ApprovalDecision.objects.create(
        order=order,
        decision=decision,
        decided_on=decided_on,
        planned_issue_on=planned_issue_on if decision == "approved" else None,
        reason=(reason or "").strip(),
        official=actor,
    )
    before = order.status
    if decision == ApprovalDecision.Decision.APPROVED:
        order.status = Status.APPROVED
        order.planned_issue_on = planned_issue_on
        _coordination_tasks_create(order=order, actor=actor, planned_issue_on=planned_issue_on)
    else:
        order.status = Status.DRAFT
    order.save(update_fields=["status", "planned_issue_on", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.ORDER_DECIDED,
        target=order,
        changes={"status": (before, order.status)},
        data={"decision": decision, "reason": record.reason},
    )
    return record


@dataclass(frozen=True)
class IssueResult:
    order: Order
    open_coordination: list[CoordinationStep]
    cases_moved: list[str]


def _published_entity(order: Order) -> str:
    names = []
    for rule in order.scope_rules.select_related("entity"):
        if rule.kind == ScopeRule.Kind.ENTITY:
            names.append(rule.entity.name)
        elif rule.kind == ScopeRule.Kind.VESSEL:
            names.append(f"Fishing Vessel: {rule.vessel_name}")
    return "; ".join(names)[:400]


@transaction.atomic
def order_issue(
    *, order: Order, actor, issued_on: date, published_on: date | None = None
) -> IssueResult:
    """Issue an approved order: it now binds every port (19 CFR 12.42(e)). Needs counsel's
    opinion that the standard is met and the approving official's approval. Coordination tasks
    still open are returned so the page can show them; they do not block issuance. Backing cases
    still in legal review move to implementation."""
    require_perm(actor, "orders.issue_order", "Only the approving official can issue an order.")
    order = _lock(order)
    _refuse(lifecycle.issue_problems(order_facts(order)), "The order cannot be issued:")
    if issued_on > timezone.localdate():
        raise ValidationError({"issued_on": "Issue the order on the day it takes effect."})
    if order.kind == Kind.FINDING and published_on is None:
        raise ValidationError(
            {"published_on": "A Finding is published in the Federal Register (19 CFR 12.42(f))."}
        )
    order.status = Status.ISSUED
    order.issued_on = issued_on
    order.published_on = published_on
    order.next_review_on = lifecycle.next_review_on(
        issued_on, interval_days=settings.WITHHOLD["ORDER_REVIEW_INTERVAL_DAYS"]
    )
    if not order.published_entity:
        order.published_entity = _published_entity(order)
    order.save()
    moved = []
    for case in order.cases.filter(phase=Phase.LEGAL_REVIEW, status="active"):
        case_services.case_phase_change(
            case=case,
            to_phase=Phase.IMPLEMENTATION,
            actor=actor,
            reason=f"{order.get_kind_display()} {order.number} issued on {issued_on}.",
        )
        moved.append(case.number)
    open_steps = list(
        order.coordination_steps.filter(task__state=Task.State.OPEN).select_related("task")
    )
    audit_record(
        actor=actor,
        action=AuditAction.ORDER_ISSUED,
        target=order,
        changes={"status": (Status.APPROVED, Status.ISSUED)},
        data={
            "issued_on": issued_on.isoformat(),
            "cases_moved": moved,
            "open_coordination": [s.get_party_display() for s in open_steps],
        },
    )
    return IssueResult(order=order, open_coordination=open_steps, cases_moved=moved)


def _entity_for_exclusion(value: Entity | str) -> Entity:
    if isinstance(value, Entity):
        return value
    name = (value or "").strip()
    if not name:
        raise ValidationError({"entity": "Name the importer or producer to exclude."})
    entity = Entity.objects.filter(name__iexact=name).first()
    if entity is None:
        entity = Entity(name=name, kind=Entity.Kind.COMPANY)
        entity.full_clean()
        entity.save()
    return entity


@transaction.atomic
def order_modify(
    *,
    order: Order,
    actor,
    kind: str,
    effective_on: date,
    description: str,
    exclusions: Iterable[dict] = (),
    petition: Petition | None = None,
) -> OrderModification:
    """Modify, partially revoke (adding exclusion rules, e.g. one importer's goods) or revoke an
    issued order. The record joins the order's public history."""
    require_perm(actor, "orders.modify_order", "Only a supervisor can modify or revoke an order.")
    order = _lock(order)
    _refuse(lifecycle.modification_problems(order.status, kind), "The order cannot be changed:")
    if kind == "review":
        raise ApplicationError("Record a review with the review form.")
    exclusions = list(exclusions)
    errors = {}
    if effective_on > timezone.localdate():
        errors["effective_on"] = "The change's date is in the future."
    if not (description or "").strip():
        errors["description"] = "Describe what changed and why."
    if kind == OrderModification.Kind.PARTIAL_REVOCATION and not exclusions:
        errors["exclusions"] = "A partial revocation names what it takes out of the order."
    if errors:
        raise ValidationError(errors)
    modification = OrderModification.objects.create(
        order=order,
        kind=kind,
        effective_on=effective_on,
        description=description.strip(),
        petition=petition,
        actor=actor,
    )
    for exclusion in exclusions:
        fields = dict(exclusion)
        if fields.get("kind") not in ScopeRule.EXCLUSIONS:
            raise ValidationError({"exclusions": "Only exclusions can be added by a change."})
        if fields["kind"] in ScopeRule.ENTITY_KINDS:
            fields["entity"] = _entity_for_exclusion(fields.get("entity", ""))
        _new_rule(order, fields, modification)
    before = order.status
    order.status = lifecycle.STATUS_AFTER_MODIFICATION[kind]
    if kind == OrderModification.Kind.REVOCATION:
        order.revoked_on = effective_on
        order.next_review_on = None
    else:
        order.modified_on = effective_on
    order.save()
    audit_record(
        actor=actor,
        action=AuditAction.ORDER_MODIFIED,
        target=order,
        changes={"status": (before, order.status)},
        data={
            "kind": kind,
            "effective_on": effective_on.isoformat(),
            "description": modification.description,
            "exclusions": [str(r) for r in modification.scope_rules.all()],
        },
    )
    return modification


@transaction.atomic
def order_review_record(
    *, order: Order, actor, reviewed_on: date, description: str
) -> OrderModification:
    """A periodic re-review that keeps the order as it is, and sets the next review date."""
    require_perm(actor, "orders.record_review", "Your role cannot record order reviews.")
    order = _lock(order)
    _refuse(lifecycle.modification_problems(order.status, "review"), "It cannot be reviewed:")
    errors = {}
    if reviewed_on > timezone.localdate():
        errors["reviewed_on"] = "The review's date is in the future."
    if not (description or "").strip():
        errors["description"] = "Say what the review found."
    if errors:
        raise ValidationError(errors)
    record = OrderModification.objects.create(
        order=order,
        kind=OrderModification.Kind.REVIEW,
        effective_on=reviewed_on,
        description=description.strip(),
        actor=actor,
    )
    before = order.next_review_on
    order.next_review_on = lifecycle.next_review_on(
        reviewed_on, interval_days=settings.WITHHOLD["ORDER_REVIEW_INTERVAL_DAYS"]
    )
    order.save(update_fields=["next_review_on", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.ORDER_REVIEWED,
        target=order,
        changes={"next_review_on": (before, order.next_review_on)},
        data={"description": record.description},
    )
    return record


# Petitions --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PetitionFile:
    kind: str
    title: str
    uploaded_file: UploadedFile
    language: str = ""


def _petition_document_store(
    *, petition: Petition, actor, document: PetitionFile
) -> PetitionDocument:
    errors = {}
    if document.kind not in PetitionDocument.Kind.values:
        errors["kind"] = f"“{document.kind}” is not a kind of petition document."
    if not (document.title or "").strip():
        errors["title"] = "Give the document a title."
    if document.kind == PetitionDocument.Kind.TRANSLATION and not document.language.strip():
        errors["language"] = "Say which language the translation is in."
    try:
        checked = check_upload(document.uploaded_file)
    except ApplicationError as exc:
        errors["file"] = exc.message
    if errors:
        raise ValidationError(errors)
    record = PetitionDocument(
        petition=petition,
        kind=document.kind,
        title=document.title.strip(),
        language=document.language.strip(),
        original_name=display_name(document.uploaded_file.name),
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    record.file.save(storage_name(document.uploaded_file.name), document.uploaded_file, save=False)
    record.save()
    audit_record(
        actor=actor,
        action=AuditAction.PETITION_DOCUMENT_ADDED,
        target=petition,
        data={"kind": record.kind, "title": record.title, "sha256": checked.sha256},
    )
    return record


@transaction.atomic
def petition_submit(
    *,
    order: Order,
    actor,
    request: str,
    petitioner_name: str,
    grounds: str,
    petitioner_entity: Entity | None = None,
    documents: Iterable[PetitionFile] = (),
    is_demo: bool = False,
) -> Petition:
    """An importer (or another company) asks CBP to modify or revoke an active order, with its
    evidence and translations."""
    require_perm(actor, "orders.add_petition", "Your role cannot petition about orders.")
    order = _lock(order)
    if order.status not in lifecycle.MODIFIABLE_STATUSES:
        raise ApplicationError("Only an active order can be petitioned against.")
    errors = {}
    if request not in Petition.Request.values:
        errors["request"] = "Choose whether to ask for a modification or a revocation."
    if not (petitioner_name or "").strip():
        errors["petitioner_name"] = "Name the company asking."
    if not (grounds or "").strip():
        errors["grounds"] = "Explain why the order should change."
    if errors:
        raise ValidationError(errors)
    petition = Petition.objects.create(
        order=order,
        request=request,
        petitioner_name=petitioner_name.strip(),
        petitioner_entity=petitioner_entity,
        grounds=grounds.strip(),
        submitted_by=actor,
        is_demo=is_demo,
    )
    audit_record(
        actor=actor,
        action=AuditAction.PETITION_SUBMITTED,
        target=petition,
        data={"order": order.number, "request": request, "petitioner": petition.petitioner_name},
    )
    for document in documents:
        _petition_document_store(petition=petition, actor=actor, document=document)
    return petition


def petition_documents_addable(petition: Petition, actor) -> bool:
    """Whether ``actor`` may add documents to ``petition`` (``petition_document_add``): the
    petitioner or a reviewer, until the petition is decided. A page offers the form only then."""
    return petition.state not in Petition.DECIDED and (
        petition.submitted_by_id == actor.pk or actor.has_perm("orders.change_petition")
    )


@transaction.atomic
def petition_document_add(*, petition: Petition, actor, document: PetitionFile) -> PetitionDocument:
    """More evidence or a translation, from the petitioner or the reviewer, until decided."""
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if petition.submitted_by_id != actor.pk:
        require_perm(actor, "orders.change_petition", "Only the petitioner or a reviewer can add.")
    if petition.state in Petition.DECIDED:
        raise ApplicationError("The petition has been decided; documents can no longer be added.")
    return _petition_document_store(petition=petition, actor=actor, document=document)


@transaction.atomic
def petition_review(*, petition: Petition, actor, notes: str) -> Petition:
    """The analyst's assessment of a petition's completeness and quality (translations included)."""
    require_perm(actor, "orders.change_petition", "Your role cannot review petitions.")
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if petition.state in Petition.DECIDED:
        raise ApplicationError("The petition has already been decided.")
    if not (notes or "").strip():
        raise ValidationError({"review_notes": "Write the review's findings."})
    before = petition.state
    petition.state = Petition.State.UNDER_REVIEW
    petition.review_notes = notes.strip()
    petition.save()
    audit_record(
        actor=actor,
        action=AuditAction.PETITION_REVIEWED,
        target=petition,
        changes={"state": (before, petition.state)},
    )
    return petition


@transaction.atomic
def petition_decide(
    *,
    petition: Petition,
    actor,
    decision: str,
    reason: str,
    decided_on: date,
    exclusions: Iterable[dict] = (),
) -> Petition:
    """Grant (revoke or modify as asked), grant in part (a partial revocation, e.g. removing the
    petitioner's goods) or deny. A grant produces the order's modification record."""
    require_perm(actor, "orders.decide_petition", "Only a supervisor can decide petitions.")
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if petition.state in Petition.DECIDED:
        raise ApplicationError("The petition has already been decided.")
    if decision not in Petition.DECIDED:
        raise ValidationError({"decision": "Choose grant, grant in part or deny."})
    if not (reason or "").strip():
        raise ValidationError({"decision_reason": "Give the reason for the decision."})
    key = f"granted_{petition.request}" if decision == Petition.State.GRANTED else decision
    kind = lifecycle.MODIFICATION_FOR_PETITION_DECISION[key]
    if kind is not None:
        order_modify(
            order=petition.order,
            actor=actor,
            kind=kind,
            effective_on=decided_on,
            description=reason,
            exclusions=exclusions,
            petition=petition,
        )
    before = petition.state
    petition.state = decision
    petition.decision_reason = reason.strip()
    petition.decided_on = decided_on
    petition.decided_by = actor
    petition.save()
    audit_record(
        actor=actor,
        action=AuditAction.PETITION_DECIDED,
        target=petition,
        changes={"state": (before, decision)},
        data={"reason": petition.decision_reason, "order": petition.order.number},
    )
    return petition
