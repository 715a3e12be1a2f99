"""Writing notices and sending them by e-mail, with retries.

A notice is written by the domain code that has something to tell (``intake.notices``,
``detentions.notices``, ``cases.notices``), in words its recipient may read under the
visibility policy. ``notice_create`` keeps it and, once the transaction commits, sends it in the
background (``core.jobs``); a failed send is retried by ``notices_retry`` (the scheduled job) with
a growing delay, ``MAX_ATTEMPTS`` times in all, every attempt recorded on the notice.

A submitter's e-mail address is not copied onto the notice: it stays encrypted on the allegation
and is read (decrypted) only when the e-mail is sent, from the related object's
``notice_address()``. An address erased in the meantime is not written to.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from withhold.core import jobs

from .models import Kind, Notice, Status

MAX_ATTEMPTS = 6
# Seconds after the n-th failed attempt before the next: 1 min, 5 min, 25 min, ~2 h, 6 h.
FIRST_DELAY = 60
DELAY_FACTOR = 5
MAX_DELAY = 6 * 3600
# A new notice is sent as soon as its transaction commits; the retry job takes it up only if that
# send has not happened this long after (the process stopped in between, say).
GRACE = timedelta(minutes=2)
# How long a send may take before the retry job may try the notice again.
SENDING_LEASE = timedelta(minutes=10)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after ``attempts`` failed sends before the next."""
    return timedelta(seconds=min(MAX_DELAY, FIRST_DELAY * DELAY_FACTOR ** max(0, attempts - 1)))


def _related(obj: models.Model | None) -> dict:
    if obj is None:
        return {}
    return {"related_type": ContentType.objects.get_for_model(obj), "related_id": obj.pk}


def notice_create(
    *,
    kind: str,
    subject: str,
    body: str,
    recipient=None,
    related: models.Model | None = None,
    link: str = "",
    send_on_commit: bool = True,
) -> Notice:
    """Keep a notice and send it after the commit. Without ``recipient`` it goes to the address
    the related object gives (``related.notice_address()``) and appears in nobody's list. A
    scheduled job passes ``send_on_commit=False`` and calls ``notice_deliver`` itself once its
    transaction is done."""
    if recipient is None and related is None:
        raise ValueError("A notice needs a recipient or a related object that gives an address.")
    notice = Notice.objects.create(
        recipient=recipient,
        kind=Kind(kind),
        subject=subject[:255],
        body=body,
        link=link[:500],
        next_attempt_at=timezone.now() + GRACE,
        **_related(related),
    )
    from .tasks import notice_deliver_task

    if send_on_commit:
        transaction.on_commit(lambda: jobs.enqueue(notice_deliver_task, notice.pk))
    return notice


def notices_create_for(users: Iterable, **fields) -> list[Notice]:
    """The same notice to each of ``users`` (each gets its own e-mail: none sees the others)."""
    return [notice_create(recipient=user, **fields) for user in users]


def _address(notice: Notice) -> str:
    if notice.recipient_id is not None:
        user = notice.recipient
        return user.email if user.is_active else ""
    related = notice.related
    address = getattr(related, "notice_address", None)
    return (address() if callable(address) else "") or ""


def _message(notice: Notice, address: str) -> EmailMessage:
    body = notice.body
    if notice.link:
        base = settings.WITHHOLD_SITE_URL.rstrip("/")
        link = notice.link if notice.link.startswith("http") else f"{base}{notice.link}"
        body = f"{body.rstrip()}\n\n{link}\n"
    return EmailMessage(
        subject=f"[Withhold] {notice.subject}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
    )


def notice_deliver(notice_id: int, *, now: datetime | None = None) -> str:
    """Send one pending notice by e-mail and record how it went; returns its status ("" when
    there was nothing to do: already sent, or another process is sending it).

    The notice is claimed first (its attempt counted and its next attempt put ``SENDING_LEASE``
    ahead, by a conditional update that only one process can win), then sent with no database
    transaction open — a slow mail server holds up nobody — and the outcome is written after. A
    process that dies while sending leaves the notice to the retry job once the lease is over."""
    now = now or timezone.now()
    notice = (
        Notice.objects.select_related("recipient")
        .filter(pk=notice_id, status=Status.PENDING)
        .first()
    )
    if notice is None:
        return ""
    mine = Notice.objects.filter(pk=notice.pk, status=Status.PENDING, attempts=notice.attempts)
    address = _address(notice)
    if not address:
        mine.update(status=Status.IN_APP, next_attempt_at=None)
        return Status.IN_APP
    if not mine.update(attempts=F("attempts") + 1, next_attempt_at=now + SENDING_LEASE):
        return ""
    attempts = notice.attempts + 1
    try:
        _message(notice, address).send(fail_silently=False)
    except Exception as exc:  # any failure of the mail server or the connection to it
        failed = attempts >= MAX_ATTEMPTS
        outcome = {
            "last_error": f"{type(exc).__name__}: {exc}"[:2000],
            "status": Status.FAILED if failed else Status.PENDING,
            "next_attempt_at": None if failed else now + retry_delay(attempts),
        }
    else:
        outcome = {"status": Status.DELIVERED, "sent_at": timezone.now(), "next_attempt_at": None}
    Notice.objects.filter(pk=notice.pk).update(**outcome)
    return outcome["status"]


def notices_retry(*, now: datetime | None = None) -> int:
    """The scheduled job: send every pending notice whose next attempt is due. Returns how many
    were delivered."""
    now = now or timezone.now()
    due = list(
        Notice.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)
    )
    return sum(notice_deliver(pk, now=now) == Status.DELIVERED for pk in due)


def notice_mark_read(*, user, notice: Notice) -> Notice:
    if notice.recipient_id != user.pk:
        raise Notice.DoesNotExist
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


def notices_mark_all_read(*, user) -> int:
    return Notice.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
