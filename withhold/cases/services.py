"""Every write to a case, its supply chain, timeline, tasks and documents.

Each service checks the actor's permission, locks the case row, validates, writes, and appends the
audit rows in the same transaction, so a refused request leaves nothing half-saved.
"""

import secrets
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
from withhold.accounts.visibility import can_see
from withhold.audit.models import AuditAction
from withhold.audit.selectors import audit_last_change
from withhold.audit.services import audit_record, model_changes
from withhold.core import clocks
from withhold.core.concurrency import check_version
from withhold.core.exceptions import ApplicationError, PermissionDeniedError
from withhold.core.files import check_upload, display_name, storage_name
from withhold.entities.models import Entity
from withhold.reference.countries import is_country, is_subdivision_of
from withhold.reference.hs import hs_code_problem, hs_normalise
from withhold.reference.models import EvidenceSourceKind, IloIndicator

from . import phases
from .models import (
    Case,
    CaseDocument,
    CaseEntity,
    CaseTransition,
    CaseUpdate,
    Phase,
    Status,
    Task,
)
from .notices import notify_task_assigned
from .selectors import case_facts, case_visible_queryset
from .signals import case_status_changed


class PhaseRequirementsMissing(ApplicationError):
    """The case lacks what the data dictionary requires for the phase it is moving to."""

    def __init__(self, *, to_phase: str, missing: list[phases.Requirement]):
        self.to_phase = to_phase
        self.missing = missing
        super().__init__(
            f"The case cannot enter {Phase(to_phase).label}: it needs "
            f"{phases.describe_missing(missing)}.",
            extra={"missing": [r.field for r in missing]},
        )


# Fields a case form or API call may write directly. Phase, status and their reasons are not
# among them: they change only through transitions.
CASE_SCALAR_FIELDS = [
    "title",
    "allegation_summary",
    "commodity",
    "hts_code",
    "source_country",
    "source_region",
    "referral_source",
    "received_on",
    "opened_on",
    "assigned_analyst",
    "supervisor",
    "investigative_challenges",
    "hsi_notified_on",
    "hsi_case_reference",
    "caatsa",
    "law_enforcement_sensitive",
    "priority",
    "estimated_annual_import_value",
]
# ``evidence_sources`` is not among them: it is derived from the case's evidence items
# (``case_evidence_sources_derive``, called by the evidence app) and never set by hand.
CASE_M2M_FIELDS = ["ilo_indicators"]
ASSIGNMENT_FIELDS = {"assigned_analyst", "supervisor"}
HSI_FIELDS = {"hsi_notified_on", "hsi_case_reference"}
DERIVED_SOURCES_MESSAGE = (
    "A case's evidence sources are derived from its evidence items and cannot be set by hand: "
    "add evidence to the case instead."
)

# Dates of what has already happened: none may be after today in the agency's day.
PAST_EVENT_DATES = ("received_on", "opened_on", "hsi_notified_on")
# Fields of a case derived from other records, never set by hand: no form, API field or import
# offers them (the crawl checks every form offered to every role), and the services refuse them.
DERIVED_FIELDS = {
    "evidence_sources": "the sources of the case's evidence items (case_evidence_sources_derive)",
}

# What an actor may put in an assignment field (``case_assignment_offer``).
ASSIGN_ANYONE = "anyone"
ASSIGN_SELF = "self"
ASSIGN_NOTHING = "nothing"


def case_assignment_offer(actor, case: Case | None) -> dict[str, str]:
    """What ``actor`` may put in each of ``ASSIGNMENT_FIELDS`` of ``case`` (None: a case being
    opened): anyone eligible, only themselves (or nobody), or nothing (it stays as it is).

    Only a supervisor (``cases.assign_case``) assigns and reassigns. Anyone else names the
    supervisor when opening a case, and may take a case that has no analyst. The case forms offer
    exactly this, and ``case_create``/``case_update`` refuse anything else by the same rule."""
    if actor.has_perm("cases.assign_case"):
        return dict.fromkeys(ASSIGNMENT_FIELDS, ASSIGN_ANYONE)
    if case is None:
        return {"assigned_analyst": ASSIGN_SELF, "supervisor": ASSIGN_ANYONE}
    return {
        "assigned_analyst": ASSIGN_SELF if case.assigned_analyst_id is None else ASSIGN_NOTHING,
        "supervisor": ASSIGN_NOTHING,
    }


def _may_assign(offer: str, value, actor) -> bool:
    return offer == ASSIGN_ANYONE or (offer == ASSIGN_SELF and value in (None, actor))


def case_qs_select_for_update():
    return Case.objects.select_for_update()


def _lock(case: Case) -> Case:
    return case_qs_select_for_update().get(pk=case.pk)


def _snapshot(case: Case) -> dict[str, Any]:
    values = {name: getattr(case, name) for name in CASE_SCALAR_FIELDS}
    if case.pk:
        values["evidence_sources"] = sorted(case.evidence_sources.values_list("code", flat=True))
        values["ilo_indicators"] = sorted(case.ilo_indicators.values_list("name", flat=True))
    return values


def _validate_case_fields(case: Case) -> None:
    errors: dict[str, str] = {}
    if case.hsi_notified_on:
        # A date says HSI was notified; the flag alone (a legacy "yes") waits for its date.
        case.hsi_notified = True
    if case.source_country:
        case.source_country = case.source_country.upper()
        if not is_country(case.source_country):
            errors["source_country"] = f"“{case.source_country}” is not an ISO 3166 country code."
    if case.source_region:
        case.source_region = case.source_region.upper()
        if not case.source_country or not is_subdivision_of(
            case.source_region, case.source_country
        ):
            errors["source_region"] = (
                f"“{case.source_region}” is not a region of {case.source_country or 'the country'}."
            )
    if case.hts_code:
        case.hts_code = hs_normalise(case.hts_code)
        problem = hs_code_problem(case.hts_code)
        if problem:
            errors["hts_code"] = problem
    if case.received_on and case.opened_on and case.opened_on < case.received_on:
        errors["opened_on"] = "A case cannot be opened before the information was received."
    today = timezone.localdate()
    for name in PAST_EVENT_DATES:
        value = getattr(case, name)
        if value and value > today:
            errors[name] = "This date is in the future."
    if case.estimated_annual_import_value is not None and case.estimated_annual_import_value < 0:
        errors["estimated_annual_import_value"] = "An import value cannot be negative."
    if case.hsi_case_reference and not case.hsi_notified_on:
        errors["hsi_notified_on"] = "Record when HSI was notified along with its case reference."
    try:
        case.full_clean(exclude=["number"], validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, " ".join(messages))
    if errors:
        raise ValidationError(errors)


# Crockford's base-32 alphabet: no I, L, O or U, so a number read aloud or retyped is not mistaken.
CASE_NUMBER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CASE_NUMBER_RANDOM_LENGTH = 6


def case_number_next(year: int) -> str:
    """A new case number of ``year`` (``FL-2026-7KQ3M9``): the year and six random characters,
    the one place case numbers are made, for cases opened here and cases imported from the
    legacy spreadsheet.

    Not a sequence: a sequential number told anyone who saw two case numbers how many cases had
    been opened between them, and the gaps in a reader's list showed where the
    law-enforcement-sensitive cases they may not see sit (docs/adr/0004-case-numbers.md). About
    a billion numbers a year make a clash rare; a clash draws again. Numbers given before
    (``FL-2026-0016``) stay as they are. Call it inside a transaction."""
    prefix = settings.WITHHOLD["CASE_NUMBER_PREFIX"]
    for _ in range(20):
        tail = "".join(
            secrets.choice(CASE_NUMBER_ALPHABET) for _ in range(CASE_NUMBER_RANDOM_LENGTH)
        )
        number = f"{prefix}-{year}-{tail}"
        if not Case.objects.filter(number=number).exists():
            return number
    raise ApplicationError("No free case number was found; try again.")


def _check_people(case: Case) -> None:
    from withhold.accounts.roles import Role

    errors = {}
    if case.assigned_analyst and not case.assigned_analyst.has_perm("cases.change_case"):
        errors["assigned_analyst"] = (
            f"{case.assigned_analyst} cannot work cases; choose a {Role.CASE_ANALYST.label.lower()}"
            " or supervisor."
        )
    if case.supervisor and not case.supervisor.has_perm("cases.assign_case"):
        errors["supervisor"] = f"{case.supervisor} is not a supervisor."
    for name in ("assigned_analyst", "supervisor"):
        person = getattr(case, name)
        if name not in errors and person and not _can_see_case(person, case):
            errors[name] = f"{person} cannot see this case (law-enforcement-sensitive)."
    if errors:
        raise ValidationError(errors)


def _can_see_case(user, case: Case) -> bool:
    """Whether ``user`` may see ``case`` as it now stands (saved or not), by the one access
    rule (``selectors.case_visible_queryset``)."""
    if case.pk is None:
        return not case.law_enforcement_sensitive or can_see(user, "case.law_enforcement_sensitive")
    return case_visible_queryset(user).filter(pk=case.pk).exists()


def _check_task_owners_see(case: Case) -> None:
    """A task's owner must be able to see its case: refused (naming them) when a change would
    hide the case from the owner of an open task."""
    blind = sorted(
        {
            str(task.owner)
            for task in case.tasks.filter(state=Task.State.OPEN).select_related("owner")
            if not _can_see_case(task.owner, case)
        }
    )
    if blind:
        raise ValidationError(
            {
                "law_enforcement_sensitive": "These task owners could no longer see the case: "
                f"{', '.join(blind)}. Reassign or close their tasks first."
            }
        )


@dataclass(frozen=True)
class EntityLink:
    entity: Entity
    role: str


@transaction.atomic
def case_create(
    *,
    actor,
    entity_links: Iterable[EntityLink] = (),
    ilo_indicators: Iterable[int] = (),
    is_demo: bool = False,
    **fields: Any,
) -> Case:
    """Open a case in initiation. Phase and status cannot be chosen: every case starts at the
    beginning, and reaches later phases only through ``case_phase_change``."""
    require_perm(actor, "cases.add_case")
    if set(fields) & set(DERIVED_FIELDS):
        raise ApplicationError(DERIVED_SOURCES_MESSAGE)
    unknown = set(fields) - set(CASE_SCALAR_FIELDS)
    if unknown:
        raise ApplicationError(
            f"These fields cannot be set when creating a case: {', '.join(sorted(unknown))}. "
            "Phase and status change only through transitions."
        )
    if HSI_FIELDS & {k for k, v in fields.items() if v} and not actor.has_perm(
        "cases.record_hsi_referral"
    ):
        raise PermissionDeniedError("Your role cannot record HSI referrals.")
    if fields.get("law_enforcement_sensitive") and not can_see(
        actor, "case.law_enforcement_sensitive"
    ):
        raise ValidationError(
            {
                "law_enforcement_sensitive": "Your role cannot see law-enforcement-sensitive "
                "cases, so it cannot open one; open the case and ask a case analyst to mark it."
            }
        )
    offer = case_assignment_offer(actor, None)
    if not all(_may_assign(offer[f], fields.get(f), actor) for f in ASSIGNMENT_FIELDS):
        raise PermissionDeniedError(
            "Only a supervisor can assign a case to someone else; leave the analyst empty or "
            "choose yourself."
        )
    fields.setdefault("opened_on", timezone.localdate())
    case = Case(**fields, is_demo=is_demo, created_by=actor)
    _validate_case_fields(case)
    _check_people(case)
    case.number = case_number_next(case.opened_on.year)
    case.save()
    _set_ilo_indicators(case, ilo_indicators)
    for link in entity_links:
        CaseEntity.objects.create(case=case, entity=link.entity, role=link.role, added_by=actor)
    CaseTransition.objects.create(
        case=case,
        kind=CaseTransition.Kind.OPENED,
        to_phase=case.phase,
        to_status=case.status,
        actor=actor,
        at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action=AuditAction.CASE_CREATED,
        target=case,
        case_id=case.pk,
        data={
            **{k: _plain(v) for k, v in _snapshot(case).items()},
            "entities": [f"{link.entity.name} ({link.role})" for link in entity_links],
        },
    )
    return case


def _plain(value: Any) -> Any:
    from withhold.audit.services import audit_value

    if isinstance(value, list):
        return value
    return audit_value(value)


def _set_ilo_indicators(case: Case, ilo_indicators: Iterable[int]) -> None:
    """``ilo_indicators`` are IloIndicator primary keys (as the forms and the API send them)."""
    ids = [int(n) for n in ilo_indicators]
    indicators = list(IloIndicator.objects.filter(pk__in=ids))
    if len(indicators) != len(set(ids)):
        raise ValidationError({"ilo_indicators": "Unknown ILO indicator."})
    case.ilo_indicators.set(indicators)


@transaction.atomic
def case_update(*, case: Case, actor, version: int | None = None, **changes: Any) -> Case:
    """Edit a case's fields. Refused if it would take away something the current phase needs,
    or (``StaleVersionError``) if ``version`` — the one the user opened — is no longer the
    case's: someone else saved in between."""
    if set(changes) & set(DERIVED_FIELDS):
        raise ApplicationError(DERIVED_SOURCES_MESSAGE)
    unknown = set(changes) - set(CASE_SCALAR_FIELDS) - set(CASE_M2M_FIELDS)
    if unknown:
        raise ApplicationError(
            f"These fields cannot be edited: {', '.join(sorted(unknown))}. "
            "Phase and status change only through transitions."
        )
    case = _lock(case)
    check_version(case, version, noun="case", last_change=audit_last_change)
    before = _snapshot(case)
    changed = {k for k, v in changes.items() if k in CASE_M2M_FIELDS or before.get(k) != v}
    _require_edit_permissions(actor, changed, case=case, changes=changes)
    if not changed:
        return case
    for name in CASE_SCALAR_FIELDS:
        if name in changes:
            setattr(case, name, changes[name])
    _validate_case_fields(case)
    if changed & ASSIGNMENT_FIELDS:
        _check_people(case)
    case.save()
    if changed & {"law_enforcement_sensitive", "hsi_notified_on"}:
        _check_people(case)
        _check_task_owners_see(case)
    if "ilo_indicators" in changed:
        _set_ilo_indicators(case, changes["ilo_indicators"])
    missing = phases.missing_for(case_facts(case), case.phase)
    if missing:
        raise PhaseRequirementsMissing(to_phase=case.phase, missing=missing)
    diff = model_changes(before, _snapshot(case))
    if diff:
        action = (
            AuditAction.CASE_ASSIGNED
            if set(diff) <= ASSIGNMENT_FIELDS
            else AuditAction.CASE_UPDATED
        )
        audit_record(actor=actor, action=action, target=case, case_id=case.pk, changes=diff)
    return case


def _require_edit_permissions(actor, changed: set[str], *, case: Case, changes: dict) -> None:
    if not changed:
        if not (actor.has_perm("cases.change_case") or actor.has_perm("cases.record_hsi_referral")):
            raise PermissionDeniedError("Your role cannot edit cases.")
        return
    if changed <= HSI_FIELDS:
        require_perm(actor, "cases.record_hsi_referral", "Your role cannot record HSI referrals.")
        return
    require_perm(actor, "cases.change_case", "Your role cannot edit cases.")
    if changed & HSI_FIELDS:
        require_perm(actor, "cases.record_hsi_referral", "Your role cannot record HSI referrals.")
    offer = case_assignment_offer(actor, case)
    if not all(_may_assign(offer[f], changes[f], actor) for f in changed & ASSIGNMENT_FIELDS):
        # An analyst may take an unassigned case, but only a supervisor reassigns.
        raise PermissionDeniedError("Only a supervisor can assign or reassign a case.")


@transaction.atomic
def case_entity_link(*, case: Case, entity: Entity, role: str, actor) -> CaseEntity:
    require_perm(actor, "cases.change_case", "Your role cannot change a case's supply chain.")
    case = _lock(case)
    if role not in CaseEntity.Role.values:
        raise ValidationError({"role": f"“{role}” is not a supply-chain role."})
    if CaseEntity.objects.filter(case=case, entity=entity, role=role).exists():
        raise ApplicationError(f"{entity.name} is already linked as {CaseEntity.Role(role).label}.")
    link = CaseEntity.objects.create(case=case, entity=entity, role=role, added_by=actor)
    audit_record(
        actor=actor,
        action=AuditAction.CASE_ENTITY_LINKED,
        target=case,
        case_id=case.pk,
        changes={"entities": ("", str(link))},
        data={"entity_id": entity.pk, "role": role},
    )
    return link


@transaction.atomic
def case_entity_unlink(*, link: CaseEntity, actor) -> None:
    require_perm(actor, "cases.change_case", "Your role cannot change a case's supply chain.")
    case = _lock(link.case)
    text = str(link)
    link.delete()
    missing = phases.missing_for(case_facts(case), case.phase)
    if missing:
        raise PhaseRequirementsMissing(to_phase=case.phase, missing=missing)
    audit_record(
        actor=actor,
        action=AuditAction.CASE_ENTITY_UNLINKED,
        target=case,
        case_id=case.pk,
        changes={"entities": (text, "")},
    )


@transaction.atomic
def case_phase_change(*, case: Case, to_phase: str, actor, reason: str = "") -> Case:
    """Move a case to the next (or back to the previous) phase, if the data dictionary's
    requirements for that phase are met. Entering investigation opens a "notify HSI" task."""
    case = _lock(case)
    from_phase = case.phase
    problem = phases.phase_move_problem(from_phase, to_phase, status=case.status, reason=reason)
    if problem:
        raise ApplicationError(problem)
    require_perm(
        actor,
        phases.phase_permission(from_phase, to_phase),
        f"Your role cannot move a case into {Phase(to_phase).label}.",
    )
    forward = phases.phase_index(to_phase) > phases.phase_index(from_phase)
    if forward:
        missing = phases.missing_for(case_facts(case), to_phase)
        if missing:
            raise PhaseRequirementsMissing(to_phase=to_phase, missing=missing)
    case.phase = to_phase
    case.save(update_fields=["phase", "updated_at"])
    now = timezone.now()
    CaseTransition.objects.create(
        case=case,
        kind=CaseTransition.Kind.PHASE,
        from_phase=from_phase,
        to_phase=to_phase,
        from_status=case.status,
        to_status=case.status,
        reason=reason,
        actor=actor,
        at=now,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CASE_PHASE_CHANGED,
        target=case,
        case_id=case.pk,
        changes={"phase": (from_phase, to_phase)},
        data={"reason": reason},
    )
    if to_phase == Phase.INVESTIGATION and forward and case.hsi_notified_on is None:
        _open_hsi_task(case=case, actor=actor, today=timezone.localdate())
    return case


def _open_hsi_task(*, case: Case, actor, today: date) -> None:
    """GAO-21-106: other agencies (HSI) are notified when a case enters investigation."""
    if case.tasks.filter(kind=Task.Kind.NOTIFY_HSI, state=Task.State.OPEN).exists():
        return
    days = settings.WITHHOLD["HSI_NOTIFICATION_DAYS"]
    task = Task.objects.create(
        case=case,
        kind=Task.Kind.NOTIFY_HSI,
        title=f"Notify HSI of {case.number}",
        description="Tell Homeland Security Investigations the case has entered investigation, "
        "then record the date notified (and HSI's case reference, if given) on the case.",
        owner=case.assigned_analyst or actor,
        due_on=clocks.due_on("hsi_notification", today, amount=days),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.TASK_CREATED,
        target=task,
        case_id=case.pk,
        data={"title": task.title, "owner": str(task.owner), "due_on": task.due_on.isoformat()},
    )


@transaction.atomic
def case_status_change(
    *, case: Case, to_status: str, actor, reason_code: str = "", reason: str = ""
) -> Case:
    """Suspend, inactivate, close or reactivate a case, with the reason its new status needs."""
    case = _lock(case)
    from_status = case.status
    problems = phases.status_move_problems(
        case_facts(case), to_status, reason_code=reason_code, reason=reason
    )
    if problems:
        raise ApplicationError(" ".join(problems))
    require_perm(
        actor,
        phases.status_permission(from_status, to_status),
        "Your role cannot make this status change.",
    )
    before = {
        "status": case.status,
        "suspension_reason": case.suspension_reason,
        "inactive_reason": case.inactive_reason,
        "closing_outcome": case.closing_outcome,
    }
    case.status = to_status
    case.suspension_reason = reason_code if to_status == Status.SUSPENDED else ""
    case.inactive_reason = reason_code if to_status == Status.INACTIVE else ""
    case.closing_outcome = reason_code if to_status == Status.CLOSED else ""
    case.save(
        update_fields=[
            "status",
            "suspension_reason",
            "inactive_reason",
            "closing_outcome",
            "updated_at",
        ]
    )
    CaseTransition.objects.create(
        case=case,
        kind=CaseTransition.Kind.STATUS,
        from_phase=case.phase,
        to_phase=case.phase,
        from_status=from_status,
        to_status=to_status,
        reason_code=reason_code,
        reason=reason,
        actor=actor,
        at=timezone.now(),
    )
    after = {k: getattr(case, k) for k in before}
    audit_record(
        actor=actor,
        action=AuditAction.CASE_STATUS_CHANGED,
        target=case,
        case_id=case.pk,
        changes=model_changes(before, after),
        data={"reason": reason},
    )
    case_status_changed.send(sender=Case, case=case, from_status=from_status, to_status=to_status)
    return case


@transaction.atomic
def case_hsi_referral_record(
    *, case: Case, actor, notified_on: date, case_reference: str = ""
) -> Case:
    """Record that HSI was notified; closes the open "notify HSI" task."""
    case = case_update(
        case=case,
        actor=actor,
        hsi_notified_on=notified_on,
        hsi_case_reference=case_reference or case.hsi_case_reference,
    )
    for task in case.tasks.filter(kind=Task.Kind.NOTIFY_HSI, state=Task.State.OPEN):
        _task_close(task=task, actor=actor, state=Task.State.DONE)
    return case


# Narrative updates are prose. GAO found the "current update" column holding manufacturers' names;
# a timeline entry that is only a name (or too short to say what happened) is refused.
MIN_UPDATE_WORDS = 4


@transaction.atomic
def case_update_add(*, case: Case, actor, occurred_on: date, text: str) -> CaseUpdate:
    require_perm(actor, "cases.add_caseupdate", "Your role cannot add timeline updates.")
    text = (text or "").strip()
    errors = {}
    if occurred_on > timezone.localdate():
        errors["occurred_on"] = (
            "An update records something that has happened; this date is in the future."
        )
    if len(text.split()) < MIN_UPDATE_WORDS:
        errors["text"] = (
            "Describe what happened in a sentence or more. Names, dates and codes belong in the "
            "case's fields (for example, add a manufacturer as a supply-chain entity)."
        )
    else:
        normalised = " ".join(text.lower().replace(",", " ").replace(".", " ").split())
        for name in case.entities.values_list("name", flat=True):
            entity_words = " ".join(name.lower().replace(",", " ").replace(".", " ").split())
            if normalised == entity_words:
                errors["text"] = (
                    f"“{text}” is the name of a linked entity, not an update. Describe what happened."
                )
    if errors:
        raise ValidationError(errors)
    update = CaseUpdate.objects.create(case=case, occurred_on=occurred_on, text=text, author=actor)
    audit_record(
        actor=actor,
        action=AuditAction.CASE_UPDATE_ADDED,
        target=update,
        case_id=case.pk,
        data={"occurred_on": occurred_on.isoformat(), "text": text},
    )
    return update


@transaction.atomic
def task_create(
    *, case: Case, actor, title: str, owner, due_on: date, description: str = ""
) -> Task:
    require_perm(actor, "cases.add_task", "Your role cannot create tasks.")
    task = Task(
        case=case,
        title=(title or "").strip(),
        description=description,
        owner=owner,
        due_on=due_on,
        created_by=actor,
    )
    task.full_clean()
    if not owner.is_active or not owner.has_perm("cases.change_task"):
        raise ValidationError({"owner": f"{owner} cannot be given tasks."})
    if not _can_see_case(owner, case):
        raise ValidationError(
            {"owner": f"{owner} cannot see this case, so cannot be given its tasks."}
        )
    task.save()
    audit_record(
        actor=actor,
        action=AuditAction.TASK_CREATED,
        target=task,
        case_id=case.pk,
        data={"title": task.title, "owner": str(owner), "due_on": due_on.isoformat()},
    )
    notify_task_assigned(task, actor=actor)
    return task


def _task_close(*, task: Task, actor, state: str) -> Task:
    task.state = state
    task.completed_at = timezone.now()
    task.completed_by = actor
    task.save(update_fields=["state", "completed_at", "completed_by", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.TASK_COMPLETED
        if state == Task.State.DONE
        else AuditAction.TASK_CANCELLED,
        target=task,
        case_id=task.case_id,
        changes={"state": (Task.State.OPEN, state)},
    )
    return task


@transaction.atomic
def task_complete(*, task: Task, actor, cancel: bool = False) -> Task:
    """The owner (or a supervisor) marks a task done or cancels it."""
    require_perm(actor, "cases.change_task", "Your role cannot change tasks.")
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.owner_id != actor.pk and not actor.has_perm("cases.manage_any_task"):
        raise PermissionDeniedError("Only the task's owner or a supervisor can close it.")
    if task.state != Task.State.OPEN:
        raise ApplicationError(f"This task is already {task.get_state_display().lower()}.")
    if task.kind == Task.Kind.NOTIFY_HSI and not cancel and task.case.hsi_notified_on is None:
        raise ApplicationError(
            "Record the date HSI was notified on the case; that closes this task."
        )
    return _task_close(
        task=task, actor=actor, state=Task.State.CANCELLED if cancel else Task.State.DONE
    )


@transaction.atomic
def case_document_add(
    *,
    case: Case,
    actor,
    kind: str,
    title: str,
    uploaded_file: UploadedFile,
    law_enforcement_sensitive: bool = False,
) -> CaseDocument:
    """Attach a file, checked by content and size, stored with its SHA-256. A document made from
    law-enforcement-sensitive material is marked so (``law_enforcement_sensitive``) and shown
    only to readers cleared for it."""
    if kind == CaseDocument.Kind.LEGAL_OPINION:
        require_perm(
            actor,
            "cases.record_legal_opinion",
            "Only Chief Counsel can attach a legal-sufficiency opinion.",
        )
    else:
        require_perm(actor, "cases.add_casedocument", "Your role cannot attach documents.")
    if kind not in CaseDocument.Kind.values:
        raise ValidationError({"kind": f"“{kind}” is not a document kind."})
    if not (title or "").strip():
        raise ValidationError({"title": "Give the document a title."})
    try:
        checked = check_upload(uploaded_file)
    except ApplicationError as exc:
        raise ValidationError({"file": exc.message}) from exc
    document = CaseDocument(
        case=case,
        kind=kind,
        title=title.strip(),
        original_name=display_name(uploaded_file.name),
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
        law_enforcement_sensitive=law_enforcement_sensitive,
    )
    document.file.save(storage_name(uploaded_file.name), uploaded_file, save=False)
    document.save()
    audit_record(
        actor=actor,
        action=AuditAction.CASE_DOCUMENT_ADDED,
        target=document,
        case_id=case.pk,
        data={
            "kind": kind,
            "title": document.title,
            "sha256": checked.sha256,
            "size": checked.size,
            "content_type": checked.content_type,
        },
    )
    return document


def case_document_downloaded(*, document: CaseDocument, actor) -> None:
    """Chain of custody: who downloaded which file, when."""
    audit_record(
        actor=actor,
        action=AuditAction.CASE_DOCUMENT_DOWNLOADED,
        target=document,
        case_id=document.case_id,
        data={"sha256": document.sha256},
    )


@transaction.atomic
def case_delete(*, case: Case, actor, reason: str) -> None:
    """Remove a case opened in error. Only in initiation, only by a supervisor, with a reason;
    the audit log keeps what it was."""
    require_perm(actor, "cases.delete_case", "Only a supervisor can delete a case.")
    case = _lock(case)
    if case.phase != Phase.INITIATION:
        raise ApplicationError("Only a case still in initiation can be deleted; close it instead.")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the case is being deleted."})
    audit_record(
        actor=actor,
        action=AuditAction.CASE_DELETED,
        target=case,
        case_id=case.pk,
        data={"reason": reason, **{k: _plain(v) for k, v in _snapshot(case).items()}},
    )
    case.delete()


def case_missing_requirements(case: Case) -> list[phases.Requirement]:
    """What the case's current phase needs and the case lacks (``phases.missing_for``)."""
    return phases.missing_for(case_facts(case), case.phase)


@transaction.atomic
def case_evidence_sources_derive(
    *,
    case: Case,
    actor,
    missing_before: Iterable[phases.Requirement],
    filed_by_triage: bool = False,
) -> Case:
    """Make ``Case.evidence_sources`` the set of the sources of the case's evidence items.

    The only writer of a case's evidence sources: the evidence app calls it after each change to a
    case's items, passing what the phase lacked before that change (``case_missing_requirements``).
    The items are read through their related name, never by importing that app. Refused if the
    change takes away something the current phase needs (the last source of a case in
    investigation); a case that already lacked something (one imported from the legacy
    spreadsheet, say) can still be given its evidence.
    """
    # The files of an allegation filed into a case by triage (an intake analyst opening the
    # case) become its evidence without the right to change cases: opening one is enough.
    perm = "cases.add_case" if filed_by_triage else "cases.change_case"
    require_perm(actor, perm, "Your role cannot change a case's evidence.")
    case = _lock(case)
    missing = [m for m in case_missing_requirements(case) if m not in set(missing_before)]
    if missing:
        raise PhaseRequirementsMissing(to_phase=case.phase, missing=missing)
    kinds = list(EvidenceSourceKind.objects.filter(evidence_items__case=case).distinct())
    before = sorted(case.evidence_sources.values_list("code", flat=True))
    wanted = sorted(kind.code for kind in kinds)
    if before == wanted:
        return case
    case.evidence_sources.set(kinds)
    audit_record(
        actor=actor,
        action=AuditAction.CASE_EVIDENCE_SOURCES_SET,
        target=case,
        case_id=case.pk,
        changes={"evidence_sources": (before, wanted)},
    )
    return case


@transaction.atomic
def case_entities_reassign(*, from_entity: Entity, to_entity: Entity, actor) -> int:
    """Move every case's links from a duplicate entity to the one that survives a merge.

    A link the survivor already has in the same role is dropped rather than doubled. Returns the
    number of links moved; each affected case gets an audit row."""
    require_perm(actor, "cases.change_case", "Your role cannot change a case's supply chain.")
    moved = 0
    links = CaseEntity.objects.select_for_update().filter(entity=from_entity).select_related("case")
    for link in links:
        text = str(link)
        if CaseEntity.objects.filter(case=link.case, entity=to_entity, role=link.role).exists():
            link.delete()
        else:
            link.entity = to_entity
            link.save(update_fields=["entity"])
            moved += 1
        audit_record(
            actor=actor,
            action=AuditAction.CASE_ENTITY_REASSIGNED,
            target=link.case,
            case_id=link.case_id,
            changes={"entities": (text, f"{to_entity.name} ({CaseEntity.Role(link.role).label})")},
            data={"from_entity_id": from_entity.pk, "to_entity_id": to_entity.pk},
        )
    return moved
