"""Notices: what Withhold tells someone outside the page they are on — an e-mail and, for users,
an entry in their notice list.

Each notice is written as its recipient may read it (the callers apply the visibility policy,
``accounts.visibility``, before they write the text) and kept with how its sending went:
delivered, waiting for a retry (``next_attempt_at``), or failed after ``MAX_ATTEMPTS``.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q


class Kind(models.TextChoices):
    # To the submitter of an allegation (by e-mail only; they have no account).
    QUESTION_ASKED = "question_asked", "Question about a report"
    REPORT_CLOSED = "report_closed", "Report closed"
    REPORT_RETURNED = "report_returned", "Report returned with reasons"
    # To the importer's users.
    DETENTION_RECORDED = "detention_recorded", "Detention notice"
    DETENTION_INFORMATION_REQUESTED = "detention_info", "Request for information"
    DETENTION_DECIDED = "detention_decided", "Detention decision"
    DETENTION_DEADLINE = "detention_deadline", "Detention deadline approaching"
    # To staff.
    TASK_ASSIGNED = "task_assigned", "Task assigned"
    TASK_DUE = "task_due", "Task due"


class Status(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"
    IN_APP = "in_app", "In the notice list only (no e-mail address)"


class Notice(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notices",
        help_text="The user told; empty for an allegation's submitter, who has no account and "
        "is reached at the e-mail address kept (encrypted) on the allegation.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject = models.CharField(max_length=255)
    body = models.TextField(help_text="The text as the recipient may read it.")
    link = models.CharField(
        max_length=500, blank=True, help_text="Where in Withhold the recipient acts on it."
    )
    related_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    related_id = models.PositiveBigIntegerField(null=True, blank=True)
    related = GenericForeignKey("related_type", "related_id")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="E-mail sends tried so far.")
    last_error = models.TextField(blank=True, help_text="Why the last send failed, if it did.")
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="When the retry job next tries a pending notice."
    )
    sent_at = models.DateTimeField(null=True, blank=True, help_text="When the e-mail went out.")
    read_at = models.DateTimeField(
        null=True, blank=True, help_text="When the recipient marked it read in the notice list."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notice_retry_due"),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notice_unread",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | Q(related_id__isnull=False),
                name="notice_has_recipient_or_related",
            ),
            models.CheckConstraint(
                condition=~Q(status="delivered") | Q(sent_at__isnull=False),
                name="notice_delivered_has_sent_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
