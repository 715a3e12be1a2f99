"""What the importer of record, and the detaining officer, are told of a detention.

The importer's users are told only what the importer may see of a detention
(``Detention.IMPORTER_FIELDS``, ``DetentionEvent.importer_note``), each user in an e-mail of their
own; the officer is told of the deadline of detentions they recorded.
"""

from django.urls import reverse

from withhold.notices.models import Kind
from withhold.notices.services import notice_create, notices_create_for

from .models import Detention, ImporterAccount


def importer_users(detention: Detention) -> list:
    return [
        account.user
        for account in ImporterAccount.objects.filter(
            entity_id=detention.importer_id, user__is_active=True
        ).select_related("user")
    ]


def _goods(detention: Detention) -> str:
    return (
        f"Entry {detention.entry_number}, line {detention.entry_line} "
        f"({detention.merchandise[:120]}), at {detention.port_of_entry}"
    )


def _to_importer(
    detention: Detention, *, kind: str, subject: str, body: str, send_on_commit: bool = True
) -> list:
    return notices_create_for(
        importer_users(detention),
        kind=kind,
        subject=subject,
        body=body,
        related=detention,
        link=reverse("detentions:detail", args=[detention.pk]),
        send_on_commit=send_on_commit,
    )


def notify_detention_recorded(detention: Detention) -> list:
    return _to_importer(
        detention,
        kind=Kind.DETENTION_RECORDED,
        subject=f"Notice of detention: entry {detention.entry_number}",
        body=(
            f"{_goods(detention)}, was detained on {detention.notice_on:%Y-%m-%d} "
            "(19 CFR 12.42(e)). You may export the goods or prove their admissibility "
            "(19 CFR 12.43) until "
            f"{detention.admissibility_deadline:%Y-%m-%d}; after that they are proposed for "
            "exclusion. Send the proof or the export notice on the detention's page.\n"
        ),
    )


def notify_detention_information_requested(detention: Detention, message: str) -> list:
    return _to_importer(
        detention,
        kind=Kind.DETENTION_INFORMATION_REQUESTED,
        subject=f"Information requested: entry {detention.entry_number}",
        body=(
            f"CBP asks for more information about {_goods(detention)}:\n\n{message}\n\n"
            f"Send it on the detention's page before {detention.admissibility_deadline:%Y-%m-%d}.\n"
        ),
    )


def notify_detention_decided(detention: Detention) -> list:
    return _to_importer(
        detention,
        kind=Kind.DETENTION_DECIDED,
        subject=(
            f"Decision on entry {detention.entry_number}: {detention.get_status_display().lower()}"
        ),
        body=(
            f"{_goods(detention)}: {detention.get_status_display()} on "
            f"{detention.disposed_on:%Y-%m-%d}.\n\n{detention.disposition_reason}\n"
        ),
    )


def notify_detention_deadline(detention: Detention, *, remaining: int) -> list:
    """The deadline reminder: to the officer who recorded it and to each of the importer's users
    (sent by the reminder job itself, after its transaction)."""
    subject = f"Detention {detention}: {remaining} day(s) left to prove admissibility or export"
    body = (
        f"{_goods(detention)}, was detained. The importer has until "
        f"{detention.admissibility_deadline:%Y-%m-%d} to export the goods or prove their "
        "admissibility (19 CFR 12.43, 12.44); after that they are proposed for exclusion.\n\n"
        f"Status: {detention.get_status_display()}.\n"
    )
    link = reverse("detentions:detail", args=[detention.pk])
    notices = []
    if detention.officer.is_active:
        notices.append(
            notice_create(
                recipient=detention.officer,
                kind=Kind.DETENTION_DEADLINE,
                subject=subject,
                body=body,
                related=detention,
                link=link,
                send_on_commit=False,
            )
        )
    notices += _to_importer(
        detention,
        kind=Kind.DETENTION_DEADLINE,
        subject=subject,
        body=body,
        send_on_commit=False,
    )
    return notices
