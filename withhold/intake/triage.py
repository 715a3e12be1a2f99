"""Rules of triage that need no database: what the submitter is told, and when an allegation is
overdue. Take ``today`` as an argument."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from withhold.cases.models import Status as CaseStatus
from withhold.core import clocks

from .models import Decision

RECEIVED = "received"
UNDER_REVIEW = "under_review"
INFO_REQUESTED = "info_requested"
CLOSED = "closed"

PUBLIC_STATUS_LABELS = {
    RECEIVED: _("Received"),
    UNDER_REVIEW: _("Under review"),
    INFO_REQUESTED: _("More information requested"),
    CLOSED: _("Closed"),
}


def public_status(*, decision: str, has_open_question: bool, case_status: str = "") -> str:
    """What the submitter may be told. 19 CFR 12.42(c): the informant learns only whether the
    matter is open or closed, so a case opened from the report shows "under review" until the
    case itself is closed or made inactive, and nothing about it."""
    if decision == Decision.DECLINED:
        return CLOSED
    if decision in (Decision.CASE_OPENED, Decision.ATTACHED):
        if case_status in (CaseStatus.CLOSED, CaseStatus.INACTIVE):
            return CLOSED
        return UNDER_REVIEW
    if has_open_question:
        return INFO_REQUESTED
    if decision == Decision.INFO_REQUESTED:
        return UNDER_REVIEW  # the question was answered; back with the analysts
    return RECEIVED


def needs_triage(*, decision: str, has_open_question: bool) -> bool:
    """In the queue: never decided, or the submitter has answered the question asked."""
    return decision == "" or (decision == Decision.INFO_REQUESTED and not has_open_question)


# 19 CFR 12.42(c): the clock engine's rule for forwarding a conforming report.
TRIAGE_CLOCK = "allegation_forwarding"


def triage_due_on(received_on: date, *, days: int) -> date:
    """The last day to triage an allegation received on ``received_on``, ``days`` calendar days
    on (``settings.WITHHOLD["INTAKE_TRIAGE_DAYS"]``, ten by default)."""
    return clocks.due_on(TRIAGE_CLOCK, received_on, amount=days)


def overdue_if_received_before(*, today: date, days: int) -> date:
    """The day from which allegations are still within their ``days``: one received earlier and
    still waiting is overdue on ``today`` (the same rule as ``is_overdue``, for a query)."""
    return clocks.overdue_if_started_before(TRIAGE_CLOCK, today=today, amount=days)


def triage_days_left(*, received_on: date, today: date, days: int) -> int:
    """Days left on the 19 CFR 12.42(c) clock: ten days from receipt to forward a conforming
    report or return it with advice. Zero on the due date, negative once it has passed. Both
    dates are the agency's calendar days (``timezone.localdate``)."""
    return (triage_due_on(received_on, days=days) - today).days


def is_overdue(*, received_on: date, today: date, days: int, waiting: bool) -> bool:
    """Flag an allegation still waiting for triage ``days`` after it arrived (19 CFR 12.42(c)
    gives ten days to forward a conforming report)."""
    return waiting and today > triage_due_on(received_on, days=days)
