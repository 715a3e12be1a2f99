"""Deadline reminders: 30, 14 and 7 days before a detention's three months end, a notice to the
responsible officer and to each of the importer's users (``notices``: the notice list and an
e-mail), each reminder once (``DetentionReminder``).

Run by Celery beat (``tasks.py``), or without a broker by ``withhold serve``'s scheduler. Safe to
run twice at once: each detention row is locked and its reminders re-read before the reminder is
recorded. The e-mails are sent after the detention's transaction; one that fails is kept on its
notice and retried by the notice-retry job.
"""

from datetime import date

from django.db import transaction

from withhold.audit.models import AuditAction
from withhold.audit.services import audit_record
from withhold.notices.services import notice_deliver

from . import deadlines
from .models import OPEN_STATUSES, Detention, DetentionReminder, Status
from .notices import notify_detention_deadline

REMINDED_STATUSES = [Status.DETAINED, Status.PROOF_SUBMITTED, Status.UNDER_REVIEW]


def detention_reminders_send(*, today: date) -> int:
    """Send the reminders due ``today``; returns how many detentions were reminded."""
    horizon = date.fromordinal(today.toordinal() + max(deadlines.REMINDER_DAYS))
    ids = list(
        Detention.objects.filter(
            status__in=REMINDED_STATUSES,
            admissibility_deadline__gte=today,
            admissibility_deadline__lte=horizon,
        ).values_list("pk", flat=True)
    )
    sent = 0
    for pk in ids:
        with transaction.atomic():
            detention = (
                # of=("self",): lock the detention only, not its officer and importer rows,
                # which other detentions share (a second run would skip those detentions).
                Detention.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("officer", "importer")
                .filter(pk=pk, status__in=OPEN_STATUSES)
                .first()
            )
            if detention is None:
                continue
            remaining = detention.days_remaining(today)
            already = set(detention.reminders.values_list("days_before", flat=True))
            due = deadlines.reminder_due(remaining, already)
            if due is None:
                continue
            notices = notify_detention_deadline(detention, remaining=remaining)
            recipients = sorted({n.recipient.email for n in notices if n.recipient.email})
            DetentionReminder.objects.create(
                detention=detention, days_before=due, sent_on=today, recipients=recipients
            )
            audit_record(
                actor=None,
                action=AuditAction.DETENTION_REMINDER_SENT,
                target=detention,
                data={"days_before": due, "recipients": recipients},
            )
            sent += 1
        for notice in notices:
            notice_deliver(notice.pk)
    return sent
