"""Every write to the outreach log and the KPI targets: permission first, rules, save, audit row
in the same transaction."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from withhold.accounts.permissions import require_perm
from withhold.audit.models import AuditAction
from withhold.audit.services import audit_record
from withhold.reference.countries import is_country

from .models import Indicator, KpiTarget, OutreachActivity, OutreachAudience, OutreachKind

OUTREACH_FIELDS = [
    "held_on",
    "title",
    "kind",
    "audience",
    "country",
    "organisations",
    "participants",
    "notes",
]
EARLIEST_FISCAL_YEAR = 2016  # TFTEA; the division's records start after it


def _clean_organisations(text: str) -> str:
    return "\n".join(line.strip() for line in (text or "").splitlines() if line.strip())


def _outreach_problems(values: dict, *, today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not values["title"].strip():
        errors["title"] = "Give the activity a title."
    if values["kind"] not in OutreachKind.values:
        errors["kind"] = f"“{values['kind']}” is not a kind of outreach activity."
    if values["audience"] not in OutreachAudience.values:
        errors["audience"] = f"“{values['audience']}” is not an audience."
    if not is_country(values["country"]):
        errors["country"] = f"“{values['country']}” is not an ISO 3166 country code."
    if values["held_on"] > today:
        errors["held_on"] = "Record an activity once it has taken place, not before."
    participants = values["participants"]
    if not isinstance(participants, int) or isinstance(participants, bool) or participants < 0:
        errors["participants"] = "Give the number of participants as a whole number, 0 or more."
    return errors


@transaction.atomic
def outreach_create(
    *,
    actor,
    held_on: date,
    title: str,
    kind: str,
    audience: str,
    country: str,
    participants: int,
    organisations: str = "",
    notes: str = "",
    is_demo: bool = False,
) -> OutreachActivity:
    require_perm(actor, "performance.add_outreachactivity")
    values = {
        "held_on": held_on,
        "title": (title or "").strip(),
        "kind": kind,
        "audience": audience,
        "country": (country or "").strip().upper(),
        "organisations": _clean_organisations(organisations),
        "participants": participants,
        "notes": (notes or "").strip(),
    }
    errors = _outreach_problems(values, today=timezone.localdate())
    if errors:
        raise ValidationError(errors)
    activity = OutreachActivity.objects.create(**values, is_demo=is_demo, created_by=actor)
    audit_record(
        actor=actor,
        action=AuditAction.OUTREACH_RECORDED,
        target=activity,
        changes={name: (None, getattr(activity, name)) for name in OUTREACH_FIELDS},
    )
    return activity


@transaction.atomic
def outreach_update(*, actor, activity: OutreachActivity, **changes) -> OutreachActivity:
    """Change any of ``OUTREACH_FIELDS``; one audit row per field that changed."""
    require_perm(actor, "performance.change_outreachactivity")
    unknown = set(changes) - set(OUTREACH_FIELDS)
    if unknown:
        raise ValidationError({name: "This field cannot be changed." for name in sorted(unknown)})
    activity = OutreachActivity.objects.select_for_update().get(pk=activity.pk)
    values = {name: getattr(activity, name) for name in OUTREACH_FIELDS}
    values.update(changes)
    values["title"] = (values["title"] or "").strip()
    values["country"] = (values["country"] or "").strip().upper()
    values["organisations"] = _clean_organisations(values["organisations"])
    values["notes"] = (values["notes"] or "").strip()
    errors = _outreach_problems(values, today=timezone.localdate())
    if errors:
        raise ValidationError(errors)
    diff = {
        name: (getattr(activity, name), values[name])
        for name in OUTREACH_FIELDS
        if getattr(activity, name) != values[name]
    }
    if not diff:
        return activity
    for name, (_old, new) in diff.items():
        setattr(activity, name, new)
    activity.save()
    audit_record(actor=actor, action=AuditAction.OUTREACH_CHANGED, target=activity, changes=diff)
    return activity


@transaction.atomic
def kpi_target_set(
    *,
    actor,
    indicator: str,
    fiscal_year: int,
    target: int,
    reason: str,
    baseline: int | None = None,
) -> KpiTarget:
    """Set the target (and optionally an entered baseline) of one indicator for one fiscal
    year. The previous setting stays as history; the audit row records old and new values."""
    require_perm(actor, "performance.set_kpi_target")
    errors: dict[str, str] = {}
    if indicator not in Indicator.values:
        errors["indicator"] = f"“{indicator}” is not a key performance indicator."
    this_year = timezone.localdate().year + 1
    if not isinstance(fiscal_year, int) or not (
        EARLIEST_FISCAL_YEAR <= fiscal_year <= this_year + 1
    ):
        errors["fiscal_year"] = (
            f"Choose a fiscal year from FY{EARLIEST_FISCAL_YEAR} to FY{this_year + 1}."
        )
    if not isinstance(target, int) or isinstance(target, bool) or target < 0:
        errors["target"] = "A target is a whole number, 0 or more."
    if baseline is not None and (
        not isinstance(baseline, int) or isinstance(baseline, bool) or baseline < 0
    ):
        errors["baseline"] = "A baseline is a whole number, 0 or more, or empty to compute it."
    if not (reason or "").strip():
        errors["reason"] = "Say why this target was chosen."
    if errors:
        raise ValidationError(errors)
    previous = (
        KpiTarget.objects.select_for_update()
        .filter(indicator=indicator, fiscal_year=fiscal_year)
        .order_by("-set_at", "-id")
        .first()
    )
    row = KpiTarget.objects.create(
        indicator=indicator,
        fiscal_year=fiscal_year,
        target=target,
        baseline=baseline,
        reason=reason.strip(),
        set_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.KPI_TARGET_SET,
        target=row,
        changes={
            "target": (previous.target if previous else None, target),
            "baseline": (previous.baseline if previous else None, baseline),
        },
        data={"indicator": indicator, "fiscal_year": fiscal_year, "reason": reason.strip()},
    )
    return row


@transaction.atomic
def outreach_delete(*, actor, activity: OutreachActivity) -> None:
    """Remove an activity recorded in error; the audit row keeps what it said."""
    require_perm(actor, "performance.delete_outreachactivity")
    activity = OutreachActivity.objects.select_for_update().get(pk=activity.pk)
    audit_record(
        actor=actor,
        action=AuditAction.OUTREACH_DELETED,
        target=activity,
        changes={name: (getattr(activity, name), None) for name in OUTREACH_FIELDS},
    )
    activity.delete()
