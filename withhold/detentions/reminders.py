"""Deadline reminders: 30, 14 and 7 days before a detention's three months end, an e-mail to the
responsible officer and to the importer's users, each sent once (``DetentionReminder``).

Run by Celery beat (``tasks.py``). Safe to run twice at once: each detention row is locked and
its reminders re-read before an e-mail goes out; the e-mail is sent inside the transaction so a
failed send leaves the reminder unrecorded, to be tried again on the next run.
"""

from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from withhold.audit.models import AuditAction
from withhold.audit.services import audit_record

from . import deadlines
from .models import OPEN_STATUSES, Detention, DetentionReminder, ImporterAccount, Status

REMINDED_STATUSES = [Status.DETAINED, Status.PROOF_SUBMITTED, Status.UNDER_REVIEW]


def _recipients(detention: Detention) -> tuple[list[str], list[str]]:
    """(CBP's recipients, the importer's): each gets its own message, so neither side sees the
    other's addresses (the officer is internal to CBP)."""
    officer = [detention.officer.email] if detention.officer.email else []
    importer = sorted(
        {
            email
            for email in ImporterAccount.objects.filter(
                entity_id=detention.importer_id, user__is_active=True
            ).values_list("user__email", flat=True)
            if email
        }
    )
    return officer, importer


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
            officer, importer = _recipients(detention)
            recipients = sorted({*officer, *importer})
            DetentionReminder.objects.create(
                detention=detention, days_before=due, sent_on=today, recipients=recipients
            )
            for group in (officer, importer):
                if not group:
                    continue
                send_mail(
                    subject=(
                        f"[Withhold] Detention {detention}: {remaining} day(s) left to prove "
                        "admissibility or export"
                    ),
                    message=(
                        f"Entry {detention.entry_number}, line {detention.entry_line} "
                        f"({detention.merchandise[:120]}) was detained at "
                        f"{detention.port_of_entry}. The importer has until "
                        f"{detention.admissibility_deadline:%Y-%m-%d} to export the goods or "
                        "prove their admissibility (19 CFR 12.43, 12.44); after that they are "
                        f"proposed for exclusion.\n\nStatus: {detention.get_status_display()}.\n"
                    ),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=group,
                )
            audit_record(
                actor=None,
                action=AuditAction.DETENTION_REMINDER_SENT,
                target=detention,
                data={"days_before": due, "recipients": recipients},
            )
            sent += 1
    return sent
