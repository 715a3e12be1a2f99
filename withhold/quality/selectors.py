"""Reads of the quality app: the data-quality report, its drill-downs, the legacy review queue.

Completeness is one aggregate query (a filtered count per field and status). The consistency
rules that compare columns are database filters; those that read prose (``rules.narrative_*``)
stream the text with ``iterator()``. Who sees what: ``quality_cases_for_user`` — every case the
user may see with ``view_all_quality``, only the cases assigned to them with
``view_quality_report`` — and law-enforcement-sensitive cases only as ``case_visible_queryset``
allows.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from withhold.cases import phases
from withhold.cases.dictionary import DERIVED, STATUS_BOUND
from withhold.cases.models import (
    Case,
    CaseEntity,
    CaseTransition,
    CaseUpdate,
    ClosingOutcome,
    InactiveReason,
    Phase,
    Priority,
    ReferralSource,
    Status,
    SuspensionReason,
)
from withhold.cases.selectors import case_visible_queryset
from withhold.core.exceptions import NotFoundError
from withhold.entities.models import Entity
from withhold.reference.countries import country_choices, is_subdivision_of
from withhold.reference.hs import hs_code_problem

from . import rules
from .models import LegacyImportRun, LegacyRecord, PendingLegacyUpload, QualitySnapshot

REPORT_STATUSES = [Status.ACTIVE, Status.SUSPENDED, Status.INACTIVE]
SKIPPED_FIELDS = {"id", "created_at", "updated_at", "created_by", "is_demo"}
TIMELINE = "updates"
LABELS = {
    "ilo_indicators": "ILO indicators",
    "entities": "Supply-chain entities",
    "law_enforcement_sensitive": "Law-enforcement-sensitive",
}


# Values that stand in for a missing entry: a legacy "suspended" with no reason is recorded as
# "not recorded" (the database requires a reason), and still counts as missing here.
ALSO_MISSING = {"suspension_reason": Q(suspension_reason=SuspensionReason.NOT_RECORDED)}
# Cases that must have a field beyond the phase rules: a record saying HSI was notified (a
# legacy "yes") needs the date.
ALSO_EXPECTED = {"hsi_notified_on": (Q(hsi_notified=True), "when HSI notified is yes")}


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    required: str  # when the field must be filled, in words
    expected: Q | None  # cases that must have it; None = optional
    missing: Q | None  # cases that lack it; None = can never be empty


def _phases_from(phase: str) -> list[str]:
    return phases.PHASE_ORDER[phases.phase_index(phase) :]


def field_specs() -> list[FieldSpec]:
    """Every data-dictionary field of a case, plus the timeline (GAO's "current update")."""
    required_from = {}
    for req in phases.REQUIREMENTS:
        required_from.setdefault(req.field, req.from_phase)
    specs = []
    fields = [*Case._meta.concrete_fields, *Case._meta.many_to_many]
    for f in fields:
        if f.name in SKIPPED_FIELDS or f.name.endswith("_ptr"):
            continue
        if f.many_to_many:
            through = f.remote_field.through  # CaseEntity for entities
            missing = ~Q(Exists(through.objects.filter(case_id=OuterRef("pk"))))
        elif f.get_internal_type() == "BooleanField":
            missing = None
        elif f.null:
            missing = Q(**{f"{f.name}__isnull": True})
        elif f.get_internal_type() in ("CharField", "TextField"):
            missing = Q(**{f.name: ""})
        else:
            missing = None  # a non-null date, number or link: the database keeps it filled
        if f.name in DERIVED:
            expected, required = Q(), DERIVED[f.name]
        elif f.name in STATUS_BOUND:
            status = {
                "suspension_reason": Status.SUSPENDED,
                "inactive_reason": Status.INACTIVE,
                "closing_outcome": Status.CLOSED,
            }[f.name]
            expected, required = Q(status=status), STATUS_BOUND[f.name]
        elif f.name in required_from:
            start = required_from[f.name]
            expected = Q(phase__in=_phases_from(start))
            required = (
                "always" if start == Phase.INITIATION else f"from {rules.PHASE_LABELS[start]}"
            )
        else:
            expected, required = None, "optional"
        if f.name in ALSO_MISSING:
            missing = missing | ALSO_MISSING[f.name]
        if f.name in ALSO_EXPECTED:
            more, why = ALSO_EXPECTED[f.name]
            expected = more if expected is None else expected | more
            required = why if required == "optional" else f"{required}; {why}"
        label = LABELS.get(f.name) or str(f.verbose_name)
        specs.append(FieldSpec(f.name, label[:1].upper() + label[1:], required, expected, missing))
    specs.append(
        FieldSpec(
            TIMELINE,
            "Timeline updates",
            "optional",
            None,
            ~Q(Exists(CaseUpdate.objects.filter(case_id=OuterRef("pk")))),
        )
    )
    return specs


def field_spec(name: str) -> FieldSpec:
    for spec in field_specs():
        if spec.name == name:
            return spec
    raise NotFoundError("No such field in the data dictionary.")


def quality_cases_for_user(user) -> QuerySet[Case]:
    """The cases whose quality ``user`` may see, among active, suspended and inactive ones."""
    qs = case_visible_queryset(user).filter(status__in=REPORT_STATUSES)
    if user.has_perm("quality.view_all_quality"):
        return qs
    if user.has_perm("quality.view_quality_report"):
        return qs.filter(assigned_analyst=user)
    return qs.none()


@dataclass(frozen=True)
class Finding:
    case_id: int
    field: str
    rule: str
    message: str


_VOCABULARIES = {
    "phase": Phase.values,
    "status": Status.values,
    "referral_source": ReferralSource.values,
    "suspension_reason": SuspensionReason.values,
    "inactive_reason": InactiveReason.values,
    "closing_outcome": ClosingOutcome.values,
    "priority": Priority.values,
}


def _vocabulary_findings(cases: QuerySet[Case]) -> Iterator[Finding]:
    code = rules.VOCABULARY.code
    for name, allowed in _VOCABULARIES.items():
        bad = cases.exclude(**{name: ""}).exclude(**{f"{name}__in": allowed})
        for pk, value in bad.values_list("pk", name).iterator():
            yield Finding(pk, name, code, f"{name} “{value}” is not in the vocabulary.")
    countries = [c for c, _ in country_choices()]
    bad = cases.exclude(source_country="").exclude(source_country__in=countries)
    for pk, value in bad.values_list("pk", "source_country").iterator():
        yield Finding(pk, "source_country", code, f"“{value}” is not an ISO 3166 country code.")
    hts_values = cases.exclude(hts_code="").values_list("hts_code", flat=True).distinct()
    wrong = {v: hs_code_problem(v) for v in hts_values.iterator() if hs_code_problem(v)}
    for pk, value in cases.filter(hts_code__in=wrong).values_list("pk", "hts_code"):
        yield Finding(pk, "hts_code", code, f"HTS code “{value}”: {wrong[value]}")
    regions = cases.exclude(source_region="").values_list("source_region", "source_country")
    wrong_regions = {
        (r, c) for r, c in regions.distinct().iterator() if not is_subdivision_of(r, c or "")
    }
    for pk, region, country in regions.values_list("pk", "source_region", "source_country"):
        if (region, country) in wrong_regions:
            yield Finding(
                pk,
                "source_region",
                code,
                f"“{region}” is not a region of {country or 'no country'}.",
            )


def _date_findings(cases: QuerySet[Case], today: date) -> Iterator[Finding]:
    code = rules.DATE_ORDER.code
    for pk, opened, received in cases.filter(opened_on__lt=F("received_on")).values_list(
        "pk", "opened_on", "received_on"
    ):
        yield Finding(pk, "opened_on", code, f"Opened {opened} before it was received {received}.")
    for pk, notified, received in cases.filter(hsi_notified_on__lt=F("received_on")).values_list(
        "pk", "hsi_notified_on", "received_on"
    ):
        yield Finding(
            pk,
            "hsi_notified_on",
            code,
            f"HSI notified {notified} before the allegation {received}.",
        )
    for name in ("received_on", "opened_on", "hsi_notified_on"):
        for pk, value in cases.filter(**{f"{name}__gt": today}).values_list("pk", name):
            yield Finding(pk, name, code, f"{name} {value} is in the future.")
    entered: dict[int, dict[str, date]] = defaultdict(dict)
    opened_on = dict(cases.values_list("pk", "opened_on"))
    transitions = (
        CaseTransition.objects.filter(case__in=cases)
        .exclude(kind=CaseTransition.Kind.STATUS)
        .order_by("case_id", "at", "id")
        .values_list("case_id", "to_phase", "at")
    )
    for case_id, phase, at in transitions.iterator():
        entered[case_id].setdefault(phase, timezone.localdate(at))
    for case_id, dates in entered.items():
        for message in rules.date_order_problems(
            received_on=None,
            opened_on=opened_on.get(case_id),
            hsi_notified_on=None,
            phase_entered=dates,
            today=today,
        ):
            yield Finding(case_id, "phase", code, message)


def _text_findings(cases: QuerySet[Case]) -> Iterator[Finding]:
    names = rules.NameIndex()
    for name, aliases in Entity.objects.values_list("name", "aliases").iterator():
        names.add(name)
        for alias in aliases or []:
            names.add(str(alias))
    linked: dict[int, list[str]] = defaultdict(list)
    for case_id, name in CaseEntity.objects.filter(case__in=cases).values_list(
        "case_id", "entity__name"
    ):
        linked[case_id].append(name)
    texts = cases.values_list(
        "pk", "phase", "hts_code", "allegation_summary", "investigative_challenges"
    )
    for pk, phase, hts, summary, challenges in texts.iterator():
        for name, text in (
            ("allegation_summary", summary),
            ("investigative_challenges", challenges),
        ):
            label = "allegation summary" if name == "allegation_summary" else "challenges field"
            for code, message in rules.narrative_problems(
                text,
                phase=phase,
                entity_names=names,
                linked_names=linked.get(pk, ()),
                hts_code=hts,
                field=label,
            ):
                yield Finding(pk, name, code, message)
    updates = CaseUpdate.objects.filter(case__in=cases).values_list(
        "case_id", "case__phase", "case__hts_code", "text", "occurred_on"
    )
    for case_id, phase, hts, text, occurred_on in updates.iterator():
        for code, message in rules.narrative_problems(
            text,
            phase=phase,
            entity_names=names,
            linked_names=linked.get(case_id, ()),
            hts_code=hts,
            field=f"update of {occurred_on}",
        ):
            yield Finding(case_id, TIMELINE, code, message)


def consistency_findings(cases: QuerySet[Case], *, today: date | None = None) -> list[Finding]:
    today = today or timezone.localdate()
    return [
        *_vocabulary_findings(cases),
        *_date_findings(cases, today),
        *_text_findings(cases),
    ]


@dataclass
class FieldRow:
    spec: FieldSpec
    missing: dict[str, int]
    blank: dict[str, int]
    inconsistent: dict[str, int]

    @property
    def cells(self) -> list[tuple[str, int, int, int]]:
        """(status, missing, blank, inconsistent) in the report's status order."""
        return [(s, self.missing[s], self.blank[s], self.inconsistent[s]) for s in self.missing]

    @property
    def missing_total(self) -> int:
        return sum(self.missing.values())

    @property
    def blank_total(self) -> int:
        return sum(self.blank.values())

    @property
    def inconsistent_total(self) -> int:
        return sum(self.inconsistent.values())


@dataclass
class QualityReport:
    statuses: list[str]
    case_counts: dict[str, int]
    fields: list[FieldRow]
    rule_counts: list[tuple[rules.Rule, int]]
    findings: list[Finding] = field(default_factory=list)

    @property
    def case_count(self) -> int:
        return sum(self.case_counts.values())

    @property
    def fields_total(self) -> int:
        return len(self.fields)

    @property
    def fields_missing(self) -> int:
        return sum(1 for f in self.fields if f.missing_total)

    @property
    def fields_inconsistent(self) -> int:
        return sum(1 for f in self.fields if f.inconsistent_total)

    @property
    def cases_flagged(self) -> int:
        return len({f.case_id for f in self.findings})

    @property
    def summary(self) -> str:
        return rules.summary_sentence(
            self.fields_missing, self.fields_inconsistent, self.fields_total
        )

    def status_summaries(self) -> list[str]:
        """GAO's sentence for each status: "N of M fields have missing entries for active cases"."""
        out = []
        for status in self.statuses:
            n = sum(1 for f in self.fields if f.missing.get(status))
            m = sum(1 for f in self.fields if f.inconsistent.get(status))
            out.append(
                f"{Status(status).label} cases ({self.case_counts.get(status, 0)}): {n} of "
                f"{self.fields_total} fields have missing entries; {m} of {self.fields_total} "
                "hold inconsistent values."
            )
        return out

    def as_json(self) -> dict:
        return {
            "case_counts": self.case_counts,
            "fields": {
                f.spec.name: {"missing": f.missing, "inconsistent": f.inconsistent}
                for f in self.fields
            },
            "rules": {rule.code: count for rule, count in self.rule_counts},
        }


def completeness_counts(*, cases: QuerySet[Case], specs: list[FieldSpec]) -> dict[str, int]:
    """One aggregate query grouped by status: cases per status, and per field and status the
    cases missing it where required (``missing__<field>__<status>``) or leaving it blank where
    optional (``blank__<field>__<status>``)."""
    aggregates = {"n": Count("pk")}
    for spec in specs:
        if spec.missing is None:
            continue
        if spec.expected is not None:
            aggregates[f"missing__{spec.name}"] = Count("pk", filter=spec.missing & spec.expected)
        else:
            aggregates[f"blank__{spec.name}"] = Count("pk", filter=spec.missing)
    counts: dict[str, int] = {}
    for group in cases.order_by().values("status").annotate(**aggregates):
        status = group.pop("status")
        counts[f"cases__{status}"] = group.pop("n")
        counts.update({f"{name}__{status}": value for name, value in group.items()})
    for status in REPORT_STATUSES:
        counts.setdefault(f"cases__{status}", 0)
    return counts


def quality_report(*, cases: QuerySet[Case], today: date | None = None) -> QualityReport:
    """Completeness and consistency of every data-dictionary field, per status."""
    cases = cases.filter(status__in=REPORT_STATUSES)
    specs = field_specs()
    counts = completeness_counts(cases=cases, specs=specs)
    findings = consistency_findings(cases, today=today)
    status_of = dict(cases.values_list("pk", "status"))
    inconsistent: dict[tuple[str, str], set[int]] = defaultdict(set)
    for finding in findings:
        inconsistent[(finding.field, status_of.get(finding.case_id, ""))].add(finding.case_id)
    rows = [
        FieldRow(
            spec=spec,
            missing={s: counts.get(f"missing__{spec.name}__{s}", 0) for s in REPORT_STATUSES},
            blank={s: counts.get(f"blank__{spec.name}__{s}", 0) for s in REPORT_STATUSES},
            inconsistent={s: len(inconsistent[(spec.name, s)]) for s in REPORT_STATUSES},
        )
        for spec in specs
    ]
    per_rule: dict[str, set[int]] = defaultdict(set)
    for finding in findings:
        per_rule[finding.rule].add(finding.case_id)
    return QualityReport(
        statuses=list(REPORT_STATUSES),
        case_counts={s: counts[f"cases__{s}"] for s in REPORT_STATUSES},
        fields=rows,
        rule_counts=[(rule, len(per_rule[code])) for code, rule in rules.RULES.items()],
        findings=findings,
    )


def cases_missing_field(*, cases: QuerySet[Case], name: str, status: str = "") -> QuerySet[Case]:
    """The cases lacking ``name`` where it is required (or blank, for an optional field)."""
    spec = field_spec(name)
    qs = cases.filter(status__in=REPORT_STATUSES)
    if spec.missing is None:
        return qs.none()
    qs = qs.filter(spec.missing)
    if spec.expected is not None:
        qs = qs.filter(spec.expected)
    if status:
        qs = qs.filter(status=status)
    return qs


@dataclass
class FlaggedCase:
    case: Case
    messages: list[str]


def flagged_cases(
    *, cases: QuerySet[Case], rule: str = "", field_name: str = "", status: str = ""
) -> list[FlaggedCase]:
    """Cases failing a consistency rule (or any rule on one field), with what is wrong."""
    qs = cases.filter(status__in=REPORT_STATUSES)
    if status:
        qs = qs.filter(status=status)
    messages: dict[int, list[str]] = defaultdict(list)
    for finding in consistency_findings(qs):
        if (rule and finding.rule != rule) or (field_name and finding.field != field_name):
            continue
        messages[finding.case_id].append(f"{finding.rule}: {finding.message}")
    found = qs.filter(pk__in=messages).select_related("assigned_analyst", "supervisor")
    return [FlaggedCase(case, messages[case.pk]) for case in found.order_by("number")]


def snapshot_history(*, limit: int = 24) -> list[QualitySnapshot]:
    return list(reversed(QualitySnapshot.objects.all()[:limit]))


REVIEW_SORTS = {
    "row": ["run_id", "row_number"],
    "case": ["case__number"],
    "analyst": ["case__assigned_analyst__last_name", "case__number"],
    "-imported": ["-run__at", "row_number"],
}


def legacy_review_queue(
    *, user, text: str = "", run_id: int | None = None, sort: str = "row"
) -> QuerySet[LegacyRecord]:
    """Imported cases still flagged "needs review", among the cases ``user`` may see."""
    visible = case_visible_queryset(user)
    if not user.has_perm("quality.view_all_quality"):
        if user.has_perm("quality.view_quality_report"):
            visible = visible.filter(assigned_analyst=user)
        else:
            visible = visible.none()
    qs = (
        LegacyRecord.objects.filter(
            outcome=LegacyRecord.Outcome.NEEDS_REVIEW,
            reviewed_at__isnull=True,
            case__in=visible,
        )
        .select_related("case", "case__assigned_analyst", "run")
        .order_by(*REVIEW_SORTS.get(sort, REVIEW_SORTS["row"]))
    )
    if text:
        qs = qs.filter(
            Q(case__number__icontains=text)
            | Q(case__title__icontains=text)
            | Q(legacy_number__icontains=text)
        )
    if run_id:
        qs = qs.filter(run_id=run_id)
    return qs


def legacy_records_for_case(*, user, case: Case) -> list[LegacyRecord]:
    if not (
        user.has_perm("quality.view_all_quality")
        or (user.has_perm("quality.view_quality_report") and case.assigned_analyst_id == user.pk)
    ):
        return []
    return list(case.legacy_records.select_related("run", "reviewed_by"))


def legacy_record_get_for_user(*, user, record_id: int) -> LegacyRecord:
    record = legacy_review_queue(user=user).filter(pk=record_id).first()
    if record is None:
        raise NotFoundError("No such row awaiting review.")
    return record


def legacy_runs() -> QuerySet[LegacyImportRun]:
    return (
        LegacyImportRun.objects.select_related("actor")
        .annotate(rows=Count("records"))
        .order_by("-at", "-id")
    )


def field_problem_cases(
    *, cases: QuerySet[Case], name: str, kind: str = "missing", status: str = ""
) -> list[FlaggedCase]:
    """The cases behind one figure of the report: those missing (or leaving blank) field
    ``name``, or holding an inconsistent value in it (``kind="inconsistent"``), with what is
    wrong. ``NotFoundError`` for a field not in the data dictionary."""
    spec = field_spec(name)
    if kind == "inconsistent":
        return flagged_cases(cases=cases, field_name=name, status=status)
    qs = cases_missing_field(cases=cases, name=name, status=status)
    qs = qs.select_related("assigned_analyst", "supervisor").order_by("number")
    message = (
        f"{spec.label} is missing (required {spec.required})."
        if spec.expected is not None
        else f"{spec.label} is blank (optional)."
    )
    return [FlaggedCase(case, [message]) for case in qs]


def legacy_run_get(*, run_id: int) -> LegacyImportRun:
    run = legacy_runs().filter(pk=run_id).first()
    if run is None:
        raise NotFoundError("No such legacy import run.")
    return run


def legacy_run_open_reviews(*, user, run: LegacyImportRun) -> int:
    """Rows of ``run`` still awaiting review, among the cases ``user`` may see."""
    return legacy_review_queue(user=user, run_id=run.pk).count()


def pending_upload_get(*, upload_id: int) -> PendingLegacyUpload:
    """An upload kept after a dry run; who may import it is the service's to say."""
    upload = PendingLegacyUpload.objects.filter(pk=upload_id).first()
    if upload is None:
        raise NotFoundError("No such stored upload; it may have been deleted after a day.")
    return upload
