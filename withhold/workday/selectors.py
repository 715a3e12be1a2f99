"""What is due, for the signed-in user's home page: one section per kind of work their roles do.

Each section is built only for a user whose permissions allow the work (the same permission the
page the row leads to checks), and reads through the owning app's access functions
(``case_visible_queryset``, ``allegation_visible_queryset``, ``detention_visible_queryset``...),
so a row or a count never includes a record the reader may not see (``accounts.visibility``).
Rows are sorted soonest due first; a row without a due date comes after the dated ones.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

from django.db.models import Case as CaseWhen
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from withhold.accounts.models import User
from withhold.accounts.roles import Role
from withhold.cases import phases
from withhold.cases.models import Task
from withhold.cases.selectors import case_facts, case_visible_queryset
from withhold.detentions.models import (
    OPEN_STATUSES,
    CongressReport,
    Detention,
    DetentionEvent,
    UflpaRequest,
)
from withhold.detentions.models import Status as DetentionStatus
from withhold.detentions.selectors import detention_visible_queryset
from withhold.intake import selectors as intake_selectors
from withhold.orders.models import ACTIVE_STATUSES, ApprovalDecision, LegalOpinion, Petition
from withhold.orders.models import Status as OrderStatus
from withhold.orders.selectors import order_visible_queryset, petition_visible_queryset
from withhold.quality.selectors import legacy_review_queue
from withhold.screening.models import ScreeningHit, ScreeningRun
from withhold.screening.selectors import hits_with_judgements

# How many rows a section shows; its "see all" link leads to the full list.
SECTION_ROWS = 10
# A screening hit is "new" for this many days after its run finished.
NEW_HIT_DAYS = 14
# An order's periodic review shows this many days before it is due.
REVIEW_AHEAD_DAYS = 30


@dataclass
class DueRow:
    label: str
    url: str
    detail: str = ""
    due_on: date | None = None
    days_left: int | None = None
    tag: str = ""

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -(self.days_left or 0)


@dataclass
class Section:
    key: str
    title: str
    empty: str  # what will appear here, said when nothing does
    rows: list[DueRow] = field(default_factory=list)
    total: int | None = None  # rows in all, when more than are shown
    more_url: str = ""
    more_label: str = ""
    table: list[dict] | None = None  # for the team-load table

    @property
    def count(self) -> int:
        return self.total if self.total is not None else len(self.rows)


def _sorted(rows: list[DueRow]) -> list[DueRow]:
    return sorted(rows, key=lambda r: (r.due_on is None, r.due_on or date.max, r.label))


def _dated(due_on: date | None, today: date) -> dict:
    return {"due_on": due_on, "days_left": (due_on - today).days if due_on else None}


# --- Intake -------------------------------------------------------------------------------------


def allegations_to_triage(*, user, today: date) -> Section:
    """Allegations waiting for triage with the 19 CFR 12.42(c) clock, the soonest due first."""
    qs = intake_selectors.allegation_queue(
        user=user, filters=intake_selectors.QueueFilters(state="waiting"), today=today
    )
    total = qs.count()
    rows = []
    for allegation in qs[:SECTION_ROWS]:
        row = intake_selectors.allegation_queue_row(allegation, today=today)
        rows.append(
            DueRow(
                label=allegation.receipt_number,
                url=reverse("intake:detail", args=[allegation.receipt_number]),
                detail=" ".join(allegation.merchandise_description.split()[:12]),
                due_on=row.due_on,
                days_left=row.days_left,
                tag=_("%(n)d of 3 elements") % {"n": row.complete},
            )
        )
    return Section(
        "allegations",
        _("Allegations to triage"),
        _(
            "Reports from the public that wait for triage appear here, with the days left of "
            "the ten that 19 CFR 12.42(c) allows."
        ),
        _sorted(rows),
        total=total,
        more_url=reverse("intake:queue"),
        more_label=_("All allegations waiting"),
    )


# --- Case work ----------------------------------------------------------------------------------


def my_tasks(*, user, today: date) -> Section:
    visible = case_visible_queryset(user)
    qs = (
        Task.objects.filter(owner=user, state=Task.State.OPEN, case__in=visible)
        .select_related("case")
        .order_by("due_on", "id")
    )
    rows = [
        DueRow(
            label=task.title,
            url=reverse("cases:detail", args=[task.case.number]) + "#tasks",
            detail=task.case.number,
            **_dated(task.due_on, today),
        )
        for task in qs[:SECTION_ROWS]
    ]
    return Section(
        "tasks",
        _("My tasks"),
        _("Tasks assigned to you on cases appear here, the soonest due first."),
        rows,
        total=qs.count(),
        more_url=reverse("cases:my_work"),
        more_label=_("All my tasks"),
    )


def missing_items(*, user, today: date) -> Section:
    """For each active case the user carries, what its phase requires and the case lacks
    (``phases.missing_for``): the work that stands between the case and its next step."""
    cases = (
        case_visible_queryset(user)
        .filter(Q(assigned_analyst=user) | Q(supervisor=user), status="active")
        .order_by("opened_on", "id")
    )
    rows = []
    for case in cases[:50]:
        missing = phases.missing_for(case_facts(case), case.phase)
        if missing:
            rows.append(
                DueRow(
                    label=case.number,
                    url=reverse("cases:detail", args=[case.number]),
                    detail=phases.describe_missing(missing),
                    tag=case.get_phase_display(),
                )
            )
    return Section(
        "missing",
        _("Missing items on my cases"),
        _("When a case you carry lacks something its phase requires, it appears here."),
        rows[:SECTION_ROWS],
        total=len(rows),
        more_url=reverse("cases:list") + "?status=active",
        more_label=_("All active cases"),
    )


def order_reviews_due(*, user, today: date) -> Section:
    """Periodic reviews of the active orders backed by cases the user carries."""
    carried = case_visible_queryset(user).filter(Q(assigned_analyst=user) | Q(supervisor=user))
    qs = (
        order_visible_queryset(user)
        .filter(
            status__in=ACTIVE_STATUSES,
            next_review_on__lte=today + timedelta(days=REVIEW_AHEAD_DAYS),
            cases__in=carried,
        )
        .distinct()
        .order_by("next_review_on", "number")
    )
    rows = [
        DueRow(
            label=order.number,
            url=reverse("orders:detail", args=[order.number]),
            detail=" ".join(order.merchandise.split()[:12]),
            **_dated(order.next_review_on, today),
        )
        for order in qs[:SECTION_ROWS]
    ]
    return Section(
        "reviews",
        _("Order reviews due"),
        _(
            "Active orders backed by your cases appear here when their periodic review falls "
            "in the next %(days)d days."
        )
        % {"days": REVIEW_AHEAD_DAYS},
        rows,
        total=qs.count(),
        more_url=reverse("orders:reviews_overdue"),
        more_label=_("Overdue reviews"),
    )


# --- Supervisor ---------------------------------------------------------------------------------


def team_load(*, user, today: date) -> Section:
    """Each analyst's active cases, open and overdue tasks, counted on cases the supervisor may
    see."""
    visible = case_visible_queryset(user)
    analysts = User.objects.filter(is_active=True, groups__name=Role.CASE_ANALYST.label).order_by(
        "last_name", "first_name", "username"
    )
    cases = Counter(
        dict(
            visible.filter(status="active", assigned_analyst__isnull=False)
            .values_list("assigned_analyst")
            .annotate(n=Count("id"))
        )
    )
    open_tasks = Task.objects.filter(state=Task.State.OPEN, case__in=visible)
    tasks = Counter(dict(open_tasks.values_list("owner").annotate(n=Count("id"))))
    overdue = Counter(
        dict(open_tasks.filter(due_on__lt=today).values_list("owner").annotate(n=Count("id")))
    )
    table = [
        {
            "who": str(analyst),
            "cases": cases[analyst.pk],
            "tasks": tasks[analyst.pk],
            "overdue": overdue[analyst.pk],
            "url": reverse("cases:list") + f"?analyst={analyst.pk}&status=active",
        }
        for analyst in analysts
    ]
    table.sort(key=lambda r: (-r["overdue"], -r["cases"], r["who"]))
    return Section(
        "team",
        _("Team load"),
        _("Case analysts appear here with their active cases and open tasks."),
        table=table,
        total=len(table),
    )


def overdue_items(*, user, today: date) -> Section:
    """Everything past its date on the cases the supervisor may see: tasks (whoever owns
    them), allegations past the 12.42(c) clock, order reviews."""
    visible = case_visible_queryset(user)
    rows = [
        DueRow(
            label=task.title,
            url=reverse("cases:detail", args=[task.case.number]) + "#tasks",
            detail=f"{task.case.number} · {task.owner}",
            **_dated(task.due_on, today),
        )
        for task in Task.objects.filter(
            state=Task.State.OPEN, case__in=visible, due_on__lt=today
        ).select_related("case", "owner")[:50]
    ]
    if user.has_perm("intake.view_allegation"):
        waiting = intake_selectors.allegation_queue(
            user=user,
            filters=intake_selectors.QueueFilters(state="waiting", overdue=True),
            today=today,
        )
        for allegation in waiting[:50]:
            row = intake_selectors.allegation_queue_row(allegation, today=today)
            rows.append(
                DueRow(
                    label=allegation.receipt_number,
                    url=reverse("intake:detail", args=[allegation.receipt_number]),
                    detail=_("Allegation waiting for triage"),
                    due_on=row.due_on,
                    days_left=row.days_left,
                )
            )
    if user.has_perm("orders.view_overdue_reviews"):
        for order in order_visible_queryset(user).filter(
            status__in=ACTIVE_STATUSES, next_review_on__lt=today
        )[:50]:
            rows.append(
                DueRow(
                    label=order.number,
                    url=reverse("orders:detail", args=[order.number]),
                    detail=_("Periodic review"),
                    **_dated(order.next_review_on, today),
                )
            )
    rows = _sorted(rows)
    return Section(
        "overdue",
        _("Overdue across the team"),
        _("Tasks, allegations and order reviews past their date appear here."),
        rows[:SECTION_ROWS],
        total=len(rows),
    )


def legacy_rows_to_review(*, user, today: date) -> Section:
    qs = legacy_review_queue(user=user)
    rows = [
        DueRow(
            label=record.case.number,
            url=reverse("quality:review_queue") + f"?q={record.case.number}",
            detail=_("Row %(row)d of %(file)s")
            % {"row": record.row_number, "file": record.run.file_name},
        )
        for record in qs[:SECTION_ROWS]
    ]
    return Section(
        "legacy",
        _("Legacy rows to review"),
        _("Cases imported from the legacy spreadsheet that need a look appear here."),
        rows,
        total=qs.count(),
        more_url=reverse("quality:review_queue"),
        more_label=_("The whole review queue"),
    )


# --- Orders: counsel and the approving official ---------------------------------------------------


def _latest(model, field_name: str):
    return (
        model.objects.filter(order=OuterRef("pk"))
        .order_by("-recorded_at", "-id")
        .values(field_name)[:1]
    )


def _in_legal_review(user):
    """Orders in legal review, each with when its latest opinion and decision were recorded.
    As ``orders.selectors.order_facts`` reads them, a decision counts only if made after the
    latest opinion; an order sent back to draft and resubmitted needs a new opinion."""
    return (
        order_visible_queryset(user)
        .filter(status=OrderStatus.LEGAL_REVIEW)
        .annotate(
            opinion_at=Subquery(_latest(LegalOpinion, "recorded_at")),
            decision_at=Subquery(_latest(ApprovalDecision, "recorded_at")),
        )
        .order_by("updated_at", "id")
    )


def _order_rows(orders, today: date) -> list[DueRow]:
    return [
        DueRow(
            label=order.number,
            url=reverse("orders:detail", args=[order.number]),
            detail=" ".join(order.merchandise.split()[:12]),
            tag=order.get_kind_display(),
        )
        for order in orders
    ]


def orders_awaiting_opinion(*, user, today: date) -> Section:
    orders = [
        o
        for o in _in_legal_review(user)
        if o.opinion_at is None or (o.decision_at is not None and o.decision_at > o.opinion_at)
    ]
    return Section(
        "opinions",
        _("Orders awaiting your legal-sufficiency opinion"),
        _("Orders sent to legal review appear here until an opinion is recorded."),
        _order_rows(orders[:SECTION_ROWS], today),
        total=len(orders),
        more_url=reverse("orders:list") + "?status=legal_review",
        more_label=_("All orders in legal review"),
    )


def orders_awaiting_decision(*, user, today: date) -> Section:
    orders = [
        o
        for o in _in_legal_review(user)
        if o.opinion_at is not None and (o.decision_at is None or o.decision_at < o.opinion_at)
    ]
    return Section(
        "decisions",
        _("Orders awaiting your decision"),
        _("Orders with counsel's opinion recorded appear here until you approve or reject them."),
        _order_rows(orders[:SECTION_ROWS], today),
        total=len(orders),
        more_url=reverse("orders:list") + "?status=legal_review",
        more_label=_("All orders in legal review"),
    )


# --- Screening, ports, CEE, importers -------------------------------------------------------------


def new_screening_hits(*, user, today: date) -> Section:
    """Hits of runs finished in the last ``NEW_HIT_DAYS`` days that no targeting analyst has
    judged yet (``screening.selectors.hits_with_judgements``: a judgement under the hit's key,
    also one made on an earlier run) and whose entry has no detention yet, strongest first
    (detain before review)."""
    since = timezone.now() - timedelta(days=NEW_HIT_DAYS)
    detained = Detention.objects.filter(entry_number=OuterRef("entry_number"))
    qs = (
        hits_with_judgements(
            ScreeningHit.objects.filter(
                run__status=ScreeningRun.Status.DONE, run__finished_at__gte=since
            )
        )
        .filter(verdict__isnull=True)
        .exclude(Q(entry_number="") | Q(Exists(detained)))
        .select_related("run")
        .order_by("action", "-score", "-run__finished_at", "position")
    )
    rows = [
        DueRow(
            label=hit.entry_number or hit.line_id,
            # Filtered on the entry, so the hit is on the run page's first page.
            url=reverse("screening:run", args=[hit.run_id])
            + f"?{urlencode({'q': hit.entry_number})}#hit-{hit.pk}",
            detail=f"{hit.hit_name} ({hit.get_hit_kind_display()}, {hit.score})",
            tag=hit.get_action_display(),
        )
        for hit in qs[:SECTION_ROWS]
    ]
    return Section(
        "hits",
        _("New screening hits"),
        _(
            "Hits from screening runs of the last %(days)d days that nobody has judged yet and "
            "whose entry is not detained appear here, the strongest first."
        )
        % {"days": NEW_HIT_DAYS},
        rows,
        total=qs.count(),
        more_url=reverse("screening:runs"),
        more_label=_("All screening runs"),
    )


def _detention_rows(qs, today: date) -> list[DueRow]:
    return [
        DueRow(
            label=detention.entry_number,
            url=reverse("detentions:detail", args=[detention.pk]),
            detail=" ".join((detention.merchandise or "").split()[:12]),
            tag=detention.get_status_display(),
            **_dated(detention.admissibility_deadline, today),
        )
        for detention in qs
    ]


def detentions_by_days_left(*, user, today: date) -> Section:
    qs = (
        detention_visible_queryset(user)
        .filter(status__in=OPEN_STATUSES)
        .exclude(status=DetentionStatus.PROOF_SUBMITTED)
        .order_by("admissibility_deadline", "id")
    )
    return Section(
        "detentions",
        _("Open detentions by days left"),
        _(
            "Detained shipments appear here with the days left before the admissibility "
            "deadline of 19 CFR 12.43."
        ),
        _detention_rows(qs[:SECTION_ROWS], today),
        total=qs.count(),
        more_url=reverse("detentions:desk"),
        more_label=_("The detention desk"),
    )


def proofs_awaiting_review(*, user, today: date) -> Section:
    qs = (
        detention_visible_queryset(user)
        .filter(status=DetentionStatus.PROOF_SUBMITTED)
        .order_by("admissibility_deadline", "id")
    )
    return Section(
        "proofs",
        _("Proofs of admissibility awaiting review"),
        _("When an importer submits proof of admissibility, the detention appears here."),
        _detention_rows(qs[:SECTION_ROWS], today),
        total=qs.count(),
        more_url=reverse("detentions:list") + "?status=proof_submitted",
        more_label=_("All detentions with proof submitted"),
    )


def exceptions_awaiting_decision(*, user, today: date) -> Section:
    """UFLPA exception requests the CEE has reviewed and recommended on, for the approving
    official (the Commissioner's authority, section 3(b)), the 30 days' end first."""
    qs = (
        detention_visible_queryset(user)
        .filter(
            status=DetentionStatus.UNDER_REVIEW,
            uflpa_requests__path=UflpaRequest.Path.EXCEPTION,
            uflpa_requests__state=UflpaRequest.State.SUBMITTED,
        )
        .exclude(recommendation="")
        .distinct()
        .order_by("admissibility_deadline", "id")
    )
    return Section(
        "exceptions",
        _("UFLPA exception requests awaiting your decision"),
        _(
            "When a CEE has reviewed an importer's exception request and recorded its "
            "recommendation, the detention appears here for you to grant or deny."
        ),
        _detention_rows(qs[:SECTION_ROWS], today),
        total=qs.count(),
        more_url=reverse("detentions:list") + "?basis=uflpa&status=under_review",
        more_label=_("UFLPA detentions under review"),
    )


def congress_reports_due(*, user, today: date) -> Section:
    """Reports to Congress of granted exceptions not yet sent: due 30 days after the grant
    (UFLPA section 3(c)), the soonest first."""
    qs = CongressReport.objects.filter(state=CongressReport.State.OPEN).order_by("due_on", "id")
    rows = [
        DueRow(
            label=report.number,
            url=reverse("detentions:congress_report", args=[report.pk]),
            detail=" ".join(report.goods.split()[:12]),
            tag=_("Report to Congress"),
            **_dated(report.due_on, today),
        )
        for report in qs[:SECTION_ROWS]
    ]
    return Section(
        "congress_reports",
        _("Reports to Congress due"),
        _("A granted UFLPA exception appears here until its report is marked sent."),
        rows,
        total=qs.count(),
        more_url=reverse("detentions:congress_reports"),
        more_label=_("All reports to Congress"),
    )


def importer_awaiting_proof(*, user, today: date) -> Section:
    """The company's detained shipments that wait for its proof of admissibility (or export),
    the nearest deadline first: what the importer must act on."""
    qs = (
        detention_visible_queryset(user)
        .filter(status=DetentionStatus.DETAINED)
        .order_by("admissibility_deadline", "id")
    )
    return Section(
        "awaiting_proof",
        _("Detained shipments awaiting your proof"),
        _(
            "Shipments of your company that CBP detains appear here, with the days left to "
            "submit proof of admissibility or export them."
        ),
        _detention_rows(qs[:SECTION_ROWS], today),
        total=qs.count(),
        more_url=reverse("detentions:list"),
        more_label=_("All my detentions"),
    )


def importer_detentions(*, user, today: date) -> Section:
    """The company's other open detentions: proof submitted, under review, exclusion proposed."""
    qs = (
        detention_visible_queryset(user)
        .filter(status__in=OPEN_STATUSES)
        .exclude(status=DetentionStatus.DETAINED)
        .order_by("admissibility_deadline", "id")
    )
    return Section(
        "my_detentions",
        _("My company's detentions with CBP"),
        _("Detentions for which your company has sent proof appear here while CBP decides."),
        _detention_rows(qs[:SECTION_ROWS], today),
        total=qs.count(),
        more_url=reverse("detentions:list"),
        more_label=_("All my detentions"),
    )


def importer_open_requests(*, user, today: date) -> Section:
    """CBP's requests for information the importer has not answered (no step by the importer
    after the request), and its petitions not yet decided."""
    rows = []
    detentions = detention_visible_queryset(user).filter(status__in=OPEN_STATUSES)
    for detention in detentions.prefetch_related("events"):
        events = [e for e in detention.events.all() if e.kind not in DetentionEvent.INTERNAL_KINDS]
        last_request = max(
            (e for e in events if e.kind == DetentionEvent.Kind.INFORMATION_REQUESTED),
            key=lambda e: (e.at, e.id),
            default=None,
        )
        if last_request is None:
            continue
        if any(e.by_importer and (e.at, e.id) > (last_request.at, last_request.id) for e in events):
            continue
        rows.append(
            DueRow(
                label=detention.entry_number,
                url=reverse("detentions:detail", args=[detention.pk]),
                detail=_("Request for information: %(note)s")
                % {"note": " ".join(last_request.importer_note.split()[:20])},
                **_dated(detention.admissibility_deadline, today),
            )
        )
    if user.has_perm("orders.add_petition"):
        petitions = (
            petition_visible_queryset(user)
            .filter(state__in=[Petition.State.SUBMITTED, Petition.State.UNDER_REVIEW])
            .select_related("order")
        )
        for petition in petitions:
            rows.append(
                DueRow(
                    label=petition.order.number,
                    url=reverse("orders:petition_detail", args=[petition.pk]),
                    detail=f"{petition.get_request_display()}: {petition.get_state_display()}",
                    tag=_("Petition"),
                )
            )
    rows = _sorted(rows)
    return Section(
        "requests",
        _("Open requests"),
        _(
            "CBP's requests for more information about your detentions, and your petitions "
            "not yet decided, appear here."
        ),
        rows[:SECTION_ROWS],
        total=len(rows),
    )


# --- HSI ------------------------------------------------------------------------------------------


def hsi_referred_cases(*, user, today: date) -> Section:
    """Cases HSI was notified of, those still without HSI's case reference first."""
    qs = case_visible_queryset(user).filter(hsi_notified_on__isnull=False)
    qs = qs.annotate(
        has_reference=CaseWhen(When(hsi_case_reference="", then=Value(0)), default=Value(1))
    ).order_by("has_reference", "-hsi_notified_on", "number")
    rows = [
        DueRow(
            label=case.number,
            url=reverse("cases:detail", args=[case.number]),
            detail=case.title,
            tag=_("Needs your case reference") if not case.hsi_case_reference else "",
            due_on=None,
        )
        for case in qs[:SECTION_ROWS]
    ]
    return Section(
        "referred",
        _("Cases referred to HSI"),
        _("Cases CBP refers to HSI appear here; record HSI's case reference on each."),
        rows,
        total=qs.count(),
        more_url=reverse("cases:list"),
        more_label=_("All referred cases"),
    )


# --- The page -------------------------------------------------------------------------------------

# (section builder, the permission it needs): the permission is the one the page its rows lead
# to checks, so the home page never offers work the reader cannot open.
SECTIONS = (
    (allegations_to_triage, ("intake.triage_allegation",)),
    (orders_awaiting_opinion, ("orders.record_legal_opinion",)),
    (orders_awaiting_decision, ("orders.decide_order",)),
    (exceptions_awaiting_decision, ("detentions.decide_uflpa_exception",)),
    (congress_reports_due, ("detentions.decide_uflpa_exception",)),
    (overdue_items, ("cases.assign_case",)),
    (team_load, ("cases.assign_case",)),
    (legacy_rows_to_review, ("quality.review_legacy",)),
    (my_tasks, ("cases.view_case", "cases.view_hsi_case")),
    (missing_items, ("cases.change_case",)),
    (order_reviews_due, ("orders.record_review",)),
    (hsi_referred_cases, ("cases.view_hsi_case",)),
    (new_screening_hits, ("screening.view_screeningrun",)),
    (proofs_awaiting_review, ("detentions.review_detention",)),
    (detentions_by_days_left, ("detentions.dispose_detention",)),
    (importer_awaiting_proof, ("detentions.submit_proof",)),
    (importer_detentions, ("detentions.submit_proof",)),
    (importer_open_requests, ("detentions.submit_proof", "orders.add_petition")),
)


def home_sections(*, user, today: date) -> list[Section]:
    """The sections of ``user``'s home page, in the order above."""
    return [
        build(user=user, today=today)
        for build, perms in SECTIONS
        if any(user.has_perm(p) for p in perms)
    ]
