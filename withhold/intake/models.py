"""Allegations: what a member of the public reports (19 CFR 12.42(b)), the files they send, the
questions the division asks back, and the one triage decision that ends each allegation.

Every write goes through ``services.py``. Database constraints keep a decision and its facts
(who, when, the case, the reason) together, so even raw SQL cannot leave a half-made decision.
"""

from django.conf import settings
from django.core.validators import EmailValidator, MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from withhold.cases.models import Case
from withhold.core.crypto import EncryptedTextField
from withhold.core.models import TimeStampedModel
from withhold.reference.models import IloIndicator


class SubmitterType(models.TextChoices):
    WORKER = "worker", _("Worker or worker representative")
    NGO = "ngo", _("Non-governmental organization")
    COMPANY = "company", _("Company or trade association")
    JOURNALIST = "journalist", _("Journalist")
    RESEARCHER = "researcher", _("Researcher or academic")
    GOVERNMENT = "government", _("Government official")
    OTHER = "other", _("Other")


class Decision(models.TextChoices):
    """The triage decisions. Opening a case, attaching to a case and declining are final; a
    request for information returns the report with advice (19 CFR 12.42(c)) and may be followed,
    once the submitter answers, by a final decision."""

    CASE_OPENED = "case_opened", _("New case opened")
    ATTACHED = "attached", _("Attached to an existing case")
    INFO_REQUESTED = "info_requested", _("More information requested")
    DECLINED = "declined", _("Declined")


FINAL_DECISIONS = frozenset({Decision.CASE_OPENED, Decision.ATTACHED, Decision.DECLINED})
# The submitter's identity (``accounts.visibility``: ``allegation.submitter_identity``).
CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")


class SubmissionChannel(models.TextChoices):
    WEB = "web", _("Public web form")
    API = "api", _("API")
    DEMO = "demo", _("Demo data")


class Allegation(TimeStampedModel):
    """One report to the division. ``created_at`` is when it was received."""

    SubmitterType = SubmitterType
    Decision = Decision

    receipt_number = models.CharField(
        max_length=20,
        unique=True,
        editable=False,
        help_text="Receipt number PREFIX-YYYY-NNNNNN given to the submitter: year and a yearly "
        "sequence.",
    )
    follow_up_code_hash = models.CharField(
        max_length=64,
        editable=False,
        help_text="Keyed hash (HMAC-SHA256) of the secret follow-up code shown once to the "
        "submitter; the code itself is never stored.",
    )
    reasons = models.TextField(
        help_text="19 CFR 12.42(b)(1): a full statement of the reasons for the belief that the "
        "goods are made with forced labor."
    )
    merchandise_description = models.TextField(
        help_text="19 CFR 12.42(b)(2): a detailed description of the merchandise."
    )
    hts_code = models.CharField(
        "HTS code",
        max_length=12,
        blank=True,
        help_text="Tariff classification of the merchandise if the submitter knows it, digits only.",
    )
    manufacturer_name = models.CharField(
        max_length=255,
        blank=True,
        help_text="19 CFR 12.42(b)(3): the producer or manufacturer named by the submitter.",
    )
    manufacturer_address = models.TextField(
        blank=True, help_text="The producer's address, as far as the submitter knows it."
    )
    country = models.CharField(
        max_length=2,
        blank=True,
        help_text="ISO 3166-1 alpha-2 code of the country where the goods are produced.",
    )
    region = models.CharField(
        max_length=200,
        blank=True,
        help_text="Province, state, region or town of production, in the submitter's words.",
    )
    supply_chain_companies = models.TextField(
        blank=True,
        help_text="Other companies in the supply chain (suppliers, processors, exporters).",
    )
    us_importers = models.TextField(
        "known U.S. importers", blank=True, help_text="U.S. importers of the goods, if known."
    )
    production_period = models.CharField(
        max_length=200,
        blank=True,
        help_text="When the goods were produced or shipped, as far as known.",
    )
    ilo_indicators = models.ManyToManyField(
        IloIndicator,
        blank=True,
        related_name="allegations",
        help_text="The ILO indicators of forced labour the submitter observed.",
    )
    submitter_type = models.CharField(
        max_length=12, choices=SubmitterType.choices, help_text="Who the submitter is."
    )
    anonymous = models.BooleanField(
        default=False, help_text="The submitter chose to give no contact details."
    )
    # The submitter's identity and contact details are encrypted at rest (withhold.core.crypto):
    # the column holds a Fernet token, the attribute the plain text. They cannot be searched.
    contact_name = EncryptedTextField(
        blank=True,
        validators=[MaxLengthValidator(200)],
        help_text="The submitter's name, if given (encrypted at rest).",
    )
    contact_email = EncryptedTextField(
        blank=True,
        validators=[MaxLengthValidator(254), EmailValidator()],
        help_text="The submitter's e-mail address, if given (encrypted at rest).",
    )
    contact_phone = EncryptedTextField(
        blank=True,
        validators=[MaxLengthValidator(40)],
        help_text="The submitter's phone number, if given (encrypted at rest).",
    )
    identity_erased_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the submitter's identity and contact details were erased at the end of "
        "the retention period (WITHHOLD['INTAKE_IDENTITY_RETENTION_DAYS'] after a decline).",
    )
    litigation_hold = models.BooleanField(
        default=False,
        help_text="Set by a supervisor: the submitter's identity is kept past the retention "
        "period while litigation or an investigation needs it.",
    )
    litigation_hold_reason = models.TextField(
        blank=True, help_text="Why the hold was set; empty when there is no hold."
    )
    channel = models.CharField(
        max_length=8, choices=SubmissionChannel.choices, default=SubmissionChannel.WEB
    )
    decision = models.CharField(
        max_length=16,
        choices=Decision.choices,
        blank=True,
        help_text="The triage decision; empty while the allegation waits in the queue.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who made the triage decision.",
    )
    decided_at = models.DateTimeField(
        null=True, blank=True, help_text="When the triage decision was made."
    )
    case = models.ForeignKey(
        Case,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allegations",
        help_text="The case opened from the allegation or that it was attached to.",
    )
    decline_reason = models.TextField(
        blank=True, help_text="Why the allegation was declined; set exactly when declined."
    )
    is_demo = models.BooleanField(
        default=False, help_text="Made-up record from the demo data set, not a real allegation."
    )

    class Meta:
        ordering = ["created_at", "id"]
        permissions = [
            ("triage_allegation", "Can triage allegations (open a case, attach, ask, decline)"),
            ("view_linked_allegation", "Can read allegations linked to cases they can see"),
            ("hold_allegation", "Can set and release a litigation hold on an allegation"),
            (
                "view_submitter_identity",
                "Can see who submitted an allegation (name, e-mail address, telephone)",
            ),
            (
                "grant_identity_reveal",
                "Can grant another reader's request to see a submitter's identity",
            ),
        ]
        indexes = [
            models.Index(fields=["decision", "created_at"]),
            models.Index(fields=["country"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="") | Q(decision__in=Decision.values),
                name="allegation_decision_in_vocabulary",
            ),
            models.CheckConstraint(
                condition=(Q(decision="") & Q(decided_by__isnull=True) & Q(decided_at__isnull=True))
                | (~Q(decision="") & Q(decided_by__isnull=False) & Q(decided_at__isnull=False)),
                name="allegation_decision_has_who_and_when",
            ),
            models.CheckConstraint(
                condition=(
                    Q(decision__in=[Decision.CASE_OPENED, Decision.ATTACHED])
                    & Q(case__isnull=False)
                )
                | (
                    ~Q(decision__in=[Decision.CASE_OPENED, Decision.ATTACHED])
                    & Q(case__isnull=True)
                ),
                name="allegation_case_iff_opened_or_attached",
            ),
            models.CheckConstraint(
                condition=(Q(decision=Decision.DECLINED) & ~Q(decline_reason=""))
                | (~Q(decision=Decision.DECLINED) & Q(decline_reason="")),
                name="allegation_decline_reason_iff_declined",
            ),
            models.CheckConstraint(
                condition=(
                    Q(anonymous=True)
                    & Q(contact_name="")
                    & Q(contact_email="")
                    & Q(contact_phone="")
                )
                | (Q(anonymous=False) & (~Q(contact_email="") | ~Q(contact_phone="")))
                | (
                    Q(identity_erased_at__isnull=False)
                    & Q(contact_name="")
                    & Q(contact_email="")
                    & Q(contact_phone="")
                ),
                name="allegation_contact_or_anonymous",
            ),
            models.CheckConstraint(
                condition=Q(litigation_hold=True) | Q(litigation_hold_reason=""),
                name="allegation_hold_reason_only_with_hold",
            ),
            models.CheckConstraint(
                condition=Q(litigation_hold=False) | ~Q(litigation_hold_reason=""),
                name="allegation_hold_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.receipt_number

    @property
    def is_final(self) -> bool:
        return self.decision in FINAL_DECISIONS

    def notice_address(self) -> str:
        """Where the submitter's notices go: the e-mail address given, read (decrypted) only
        when a notice is sent (``notices.services``); none once the identity is erased."""
        if self.anonymous or self.identity_erased_at is not None:
            return ""
        return self.contact_email or ""


class InformationRequest(models.Model):
    """A question the division asks the submitter through the receipt page, and the answer."""

    allegation = models.ForeignKey(
        Allegation, on_delete=models.CASCADE, related_name="information_requests"
    )
    question = models.TextField(help_text="What the division needs to know, in plain words.")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField()
    answer = models.TextField(blank=True, help_text="The submitter's answer.")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(answer="") & Q(answered_at__isnull=True))
                | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="information_request_answered_at_iff_answer",
            ),
            # One open question at a time: the submitter answers it before the next is asked.
            models.UniqueConstraint(
                fields=["allegation"],
                condition=Q(answered_at__isnull=True),
                name="information_request_one_open_per_allegation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.allegation}: {self.question[:60]}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class AllegationAttachment(models.Model):
    """A file sent with an allegation or later, type-checked by content and stored with its
    SHA-256 under MEDIA_ROOT (outside any web root); staff download it through an audited view,
    the public never."""

    allegation = models.ForeignKey(Allegation, on_delete=models.CASCADE, related_name="attachments")
    information_request = models.ForeignKey(
        InformationRequest,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
        help_text="The question this file answers, if any.",
    )
    file = models.FileField(upload_to="intake/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class ReturnNotice(models.Model):
    """The written return of a report that lacks the elements of 19 CFR 12.42(b): 12.42(c) asks
    for "detailed written advice" of what is missing. Names each element not met (from
    ``elements.assess`` at the time) with the advice, and the analyst's reasons; kept as a page
    and as a PDF stored with its SHA-256. The submitter reads both through the receipt (follow-up
    code); it comes with the question (``information_request``) they answer there."""

    allegation = models.ForeignKey(
        Allegation, on_delete=models.CASCADE, related_name="return_notices"
    )
    information_request = models.OneToOneField(
        InformationRequest,
        on_delete=models.CASCADE,
        related_name="return_notice",
        help_text="The question the submitter answers to complete the report.",
    )
    reasons = models.TextField(help_text="The analyst's reasons, written for the submitter.")
    missing = models.JSONField(
        help_text="Each element not met when the notice was written: key, label, level, advice."
    )
    pdf = models.FileField(upload_to="intake/returns/%Y/%m/")
    pdf_size = models.PositiveBigIntegerField()
    pdf_sha256 = models.CharField(max_length=64, help_text="SHA-256 of the stored PDF, in hex.")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField()

    class Meta:
        ordering = ["issued_at", "id"]

    def __str__(self) -> str:
        return f"Return of {self.allegation} with reasons ({timezone.localdate(self.issued_at):%Y-%m-%d})"


class PendingReportFile(models.Model):
    """A file chosen on the public form, checked and kept while the submitter checks the report
    ("Check my report"), so it need not be chosen again before sending. Tied to the browser's
    session by a keyed hash of its key (``services.pending_session_hash``); it becomes an
    ``AllegationAttachment`` when the report is sent, and is removed with its file then, when the
    submitter removes it, or a day after it was kept (``services.pending_files_purge``)."""

    session_hash = models.CharField(
        max_length=64, db_index=True, help_text="Keyed hash (HMAC-SHA256) of the session key."
    )
    file = models.FileField(upload_to="intake/pending/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    kept_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kept_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class AllegationReceiptSequence(models.Model):
    """The last receipt number given in a year; locked row by row so numbers never repeat."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_value = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_value}"


class IdentityRevealRequest(models.Model):
    """A reader's request, with a reason, to see who submitted an allegation.

    The visibility policy (``accounts.visibility``, ``allegation.submitter_identity``) shows a
    submitter's name, e-mail address and telephone only to the roles that triage allegations;
    anyone else who reads the allegation sees "withheld" and may ask. A supervisor grants or
    refuses; a granted request lets that reader see that allegation's submitter, and every time
    it does is audited."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Waiting for a supervisor")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    allegation = models.ForeignKey(
        Allegation, on_delete=models.CASCADE, related_name="reveal_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(help_text="Why the reader needs to know who the submitter is.")
    requested_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.REQUESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The supervisor who granted or refused the request.",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["requested", "granted", "refused"]),
                name="identity_reveal_state_in_vocabulary",
            ),
            models.CheckConstraint(
                condition=(
                    Q(state="requested") & Q(decided_by__isnull=True) & Q(decided_at__isnull=True)
                )
                | (
                    ~Q(state="requested")
                    & Q(decided_by__isnull=False)
                    & Q(decided_at__isnull=False)
                ),
                name="identity_reveal_decided_iff_not_waiting",
            ),
            models.UniqueConstraint(
                fields=["allegation", "requested_by"],
                condition=Q(state="requested"),
                name="identity_reveal_one_waiting_per_reader",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.allegation}: {self.requested_by} ({self.get_state_display()})"
