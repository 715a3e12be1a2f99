"""What the submitter of an allegation is told by e-mail, and only what may be told.

19 CFR 12.42(c): the informant learns whether the matter is open or closed and any question or
written advice the division addresses to them, never what was done about it (no case number, no
analyst's name, no reason for a decline). The e-mail goes to the address the submitter gave,
which stays encrypted on the allegation and is decrypted only when the e-mail is sent
(``notices.services``); a report sent anonymously or without an e-mail address gets none.
"""

from django.urls import reverse
from django.utils import timezone

from withhold.cases.models import Status as CaseStatus
from withhold.notices.models import Kind, Notice
from withhold.notices.services import notice_create

from .models import Allegation, Decision, InformationRequest

SIGN_IN = (
    "Open the report's page with your receipt number and the follow-up code you were given "
    "when you sent it"
)


def _reachable(allegation: Allegation) -> bool:
    # Asked of the database (whether the encrypted column is empty): nothing is decrypted here.
    return (
        not allegation.anonymous
        and allegation.identity_erased_at is None
        and Allegation.objects.filter(pk=allegation.pk).exclude(contact_email="").exists()
    )


def _received(allegation: Allegation) -> str:
    return f"{timezone.localdate(allegation.created_at):%Y-%m-%d}"


def _notify(allegation: Allegation, *, kind: str, subject: str, body: str) -> Notice | None:
    if not _reachable(allegation):
        return None
    return notice_create(
        kind=kind,
        subject=subject,
        body=body,
        related=allegation,
        link=reverse("intake:status_lookup"),
    )


def notify_submitter_question(request: InformationRequest) -> Notice | None:
    """The division asked the submitter a question (returned the report for more information)."""
    allegation = request.allegation
    return _notify(
        allegation,
        kind=Kind.QUESTION_ASKED,
        subject=f"A question about your report {allegation.receipt_number}",
        body=(
            f"The forced labor division has a question about the report you sent on "
            f"{_received(allegation)} (receipt {allegation.receipt_number}):\n\n"
            f"{request.question}\n\n{SIGN_IN} to read the question and answer it there.\n"
        ),
    )


def notify_submitter_closed(allegation: Allegation) -> Notice | None:
    """The report is closed: the submitter is told that, and nothing of why."""
    return _notify(
        allegation,
        kind=Kind.REPORT_CLOSED,
        subject=f"Your report {allegation.receipt_number} is closed",
        body=(
            f"The report you sent on {_received(allegation)} (receipt "
            f"{allegation.receipt_number}) is closed. By law we can tell you only whether a "
            "report is open or closed, not what has been done about it.\n\nThank you for "
            "reporting. If you learn more, you may send a new report.\n"
        ),
    )


def notify_submitter_returned(allegation: Allegation, letter: str) -> Notice | None:
    """The report is returned with written advice naming what it lacks (19 CFR 12.42(c));
    ``letter`` is that advice, as written to the submitter."""
    return _notify(
        allegation,
        kind=Kind.REPORT_RETURNED,
        subject=f"Your report {allegation.receipt_number} is returned: information is missing",
        body=(
            f"The report you sent on {_received(allegation)} (receipt "
            f"{allegation.receipt_number}) cannot go further as it stands. The division's "
            f"written advice:\n\n{letter.strip()}\n\n{SIGN_IN} to read the advice and add "
            "what is missing.\n"
        ),
    )


def notify_submitters_case_closed(*, case, from_status: str, to_status: str, **_) -> list[Notice]:
    """A case closed or made inactive closes the reports it was opened from or attached to (the
    submitter's status page then says "Closed"): each submitter is told, once."""
    ended = (CaseStatus.CLOSED, CaseStatus.INACTIVE)
    if to_status not in ended or from_status in ended:
        return []
    allegations = Allegation.objects.filter(
        case=case, decision__in=[Decision.CASE_OPENED, Decision.ATTACHED]
    )
    return [n for a in allegations if (n := notify_submitter_closed(a)) is not None]
