"""Detained shipments, the importer's proof of admissibility, and what became of each.

Once an order is issued, ports detain covered shipments (19 CFR 12.42(e)); the importer has
three months from the date of importation to export them or prove admissibility (12.43, 12.44);
otherwise the goods are excluded, or seized under a Finding (12.42(f)). Every change of state
goes through ``services.py``, which records a ``DetentionEvent`` (the history shown on the
detention page) and an audit row in the same transaction.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from withhold.core import clocks, files
from withhold.core.concurrency import VersionedModel
from withhold.core.models import TimeStampedModel
from withhold.entities.models import Entity
from withhold.orders.models import Order
from withhold.reference.countries import is_country
from withhold.reference.hs import hs_code_problem

from . import deadlines, uflpa_guidance
from .entry_numbers import entry_number_problem


class Status(models.TextChoices):
    DETAINED = "detained", "Detained"
    PROOF_SUBMITTED = "proof_submitted", "Proof submitted"
    UNDER_REVIEW = "under_review", "Under review"
    PROPOSED_EXCLUSION = "proposed_exclusion", "Proposed exclusion"
    RELEASED = "released", "Released"
    EXPORTED = "exported", "Exported"
    EXCLUDED = "excluded", "Excluded"
    SEIZED = "seized", "Seized"


OPEN_STATUSES = [
    Status.DETAINED,
    Status.PROOF_SUBMITTED,
    Status.UNDER_REVIEW,
    Status.PROPOSED_EXCLUSION,
]
DISPOSED_STATUSES = [Status.RELEASED, Status.EXPORTED, Status.EXCLUDED, Status.SEIZED]


class Basis(models.TextChoices):
    ORDER = "order", "Withhold Release Order or Finding"
    CAATSA = "caatsa", "CAATSA section 302A presumption"
    UFLPA = "uflpa", "UFLPA presumption"


class Nexus(models.TextChoices):
    """What ties goods to the UFLPA presumption (Public Law 117-78, section 3(a))."""

    LISTED_ENTITY = "listed_entity", "Entity on the UFLPA Entity List"
    XUAR_ORIGIN = "xuar_origin", "Input from the Xinjiang Uyghur Autonomous Region (XUAR)"
    BOTH = "both", "Listed entity and XUAR input"

    @classmethod
    def needs_entity(cls, value: str) -> bool:
        return value in (cls.LISTED_ENTITY, cls.BOTH)

    @classmethod
    def needs_xuar(cls, value: str) -> bool:
        return value in (cls.XUAR_ORIGIN, cls.BOTH)


@dataclass(frozen=True)
class UflpaClocks:
    """The clocks of 19 U.S.C. 1499(c) / 19 CFR 151.16 on one UFLPA detention, as of ``today``
    (all from the clock engine, ``withhold.core.clocks``)."""

    presented_on: date
    decision_due: date
    notice_due: date
    notice_late: bool
    admissibility_due: date
    admissibility_days_left: int | None
    deemed_excluded_on: date | None
    protest_due: date | None
    protest_days_left: int | None


class ImporterAccount(TimeStampedModel):
    """A user who speaks for an importer of record: they see that company's detentions, and only
    those, and submit its proof of admissibility and export notices."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="importer_account",
        help_text="The importer's user (role Importer).",
    )
    entity = models.ForeignKey(
        Entity,
        on_delete=models.PROTECT,
        related_name="importer_accounts",
        help_text="The company the user imports for.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["entity__name", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} for {self.entity}"


class Detention(VersionedModel, TimeStampedModel):
    Status = Status
    Basis = Basis

    class Recommendation(models.TextChoices):
        RELEASE = "release", "Release"
        EXCLUDE = "exclude", "Exclude"
        SEIZE = "seize", "Seize"

    entry_number = models.CharField(
        max_length=13,
        help_text="CBP entry number, FFF-NNNNNNN-C: filer code, entry number, check digit "
        "(19 CFR 142.3a).",
    )
    entry_line = models.PositiveIntegerField(
        default=1,
        validators=[MinValueValidator(1)],
        help_text="Line of the entry the detained merchandise is declared on.",
    )
    port_of_entry = models.CharField(
        max_length=120, help_text="Port of entry, e.g. “2704 Los Angeles, CA”."
    )
    imported_on = models.DateField(
        help_text="Date of importation; the three months of 19 CFR 12.43 run from it."
    )
    presented_on = models.DateField(
        null=True,
        blank=True,
        help_text="UFLPA: date the goods were presented for examination; the clocks of "
        "19 U.S.C. 1499(c) and 19 CFR 151.16 run from it. Required for a UFLPA detention.",
    )
    notice_on = models.DateField(help_text="Date the notice of detention was issued.")
    admissibility_deadline = models.DateField(
        editable=False,
        help_text="Last day to export or prove admissibility: date of importation + 3 calendar "
        "months, clamped to the month's last day (19 CFR 12.43, 12.44; ``deadlines.py``). "
        "UFLPA: the last day for a final admissibility decision, presentation + 30 days "
        "(19 U.S.C. 1499(c)(5)(A)); the goods are deemed excluded on it if none is made.",
    )
    importer = models.ForeignKey(
        Entity,
        on_delete=models.PROTECT,
        related_name="detentions_as_importer",
        help_text="The importer of record.",
    )
    manufacturer = models.ForeignKey(
        Entity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="detentions_as_manufacturer",
        help_text="The manufacturer or producer of the merchandise, if known.",
    )
    country_of_origin = models.CharField(
        max_length=2, help_text="ISO 3166-1 alpha-2 code of the country of origin."
    )
    merchandise = models.TextField(help_text="The merchandise detained, as entered.")
    hts_code = models.CharField(
        max_length=12, help_text="Harmonized Tariff Schedule code declared (at least 4 digits)."
    )
    quantity = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text="Quantity detained, in ``quantity_unit``.",
    )
    quantity_unit = models.CharField(max_length=20, help_text="Unit of quantity, e.g. kg, pcs.")
    value_usd = models.DecimalField(
        "value (USD)",
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text="Entered value in US dollars.",
    )
    basis = models.CharField(
        max_length=8,
        choices=Basis.choices,
        default=Basis.ORDER,
        help_text="Why the shipment is detained: an order (WRO or Finding) or the CAATSA "
        "section 302A presumption.",
    )
    uflpa_nexus = models.CharField(
        "UFLPA nexus",
        max_length=16,
        choices=Nexus.choices,
        blank=True,
        help_text="UFLPA: what ties the goods to the presumption: a listed entity, an input from "
        "the XUAR, or both. Empty for other bases.",
    )
    uflpa_list_entry = models.ForeignKey(
        "screening.ListEntry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="UFLPA: the entry of the loaded UFLPA Entity List relied on (the entity name, "
        "row and list version are also copied below, so they outlast a reload of the list).",
    )
    uflpa_entity_name = models.CharField(
        "UFLPA listed entity",
        max_length=400,
        blank=True,
        help_text="UFLPA: the listed entity relied on, as the list names it.",
    )
    uflpa_list_row = models.PositiveIntegerField(
        "UFLPA list row",
        null=True,
        blank=True,
        help_text="UFLPA: row of the entity in the list file (the header is row 1).",
    )
    uflpa_list_version = models.CharField(
        "UFLPA list version",
        max_length=200,
        blank=True,
        help_text="UFLPA: the version of the Entity List relied on: the file loaded, the day it "
        "was loaded and its SHA-256 prefix.",
    )
    xuar_input = models.CharField(
        "XUAR input",
        max_length=400,
        blank=True,
        help_text="UFLPA: the input of the goods mined, produced or manufactured in the XUAR "
        "(e.g. “cotton yarn”).",
    )
    xuar_evidence = models.TextField(
        "XUAR evidence",
        blank=True,
        help_text="UFLPA: the evidence of the XUAR origin (e.g. the manufacturer's address on the "
        "entry line, a mill certificate). Internal to CBP.",
    )
    orders = models.ManyToManyField(
        Order,
        blank=True,
        related_name="detentions",
        help_text="The issued order(s) applied; at least one when the basis is an order.",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="detentions",
        help_text="The officer responsible; reminded at 30, 14 and 7 days.",
    )
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.DETAINED,
        help_text="Where the detention stands; changed only by the detention services.",
    )
    recommendation = models.CharField(
        max_length=8,
        choices=Recommendation.choices,
        blank=True,
        help_text="The CEE reviewer's recommendation on the proof.",
    )
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    disposed_on = models.DateField(
        null=True, blank=True, help_text="Date of release, exportation, exclusion or seizure."
    )
    disposition_reason = models.TextField(blank=True, help_text="Why it was disposed of so.")
    is_demo = models.BooleanField(default=False, help_text="Made-up record from the demo data set.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["admissibility_deadline", "id"]
        permissions = [
            ("review_detention", "Can review proof of admissibility and recommend (CEE)"),
            ("dispose_detention", "Can release, export, exclude or seize a detention"),
            ("import_detentions", "Can import detentions from a port's file"),
            ("view_detention_statistics", "Can see detention statistics"),
            ("submit_proof", "Can submit proof of admissibility for its own company"),
            (
                "decide_uflpa_exception",
                "Can grant or deny a UFLPA exception and report it to Congress (the "
                "Commissioner's authority, UFLPA section 3(b), (c))",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "admissibility_deadline"]),
            models.Index(fields=["notice_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["entry_number", "entry_line"], name="detention_entry_line_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="detention_status_known"
            ),
            models.CheckConstraint(
                condition=(Q(status__in=DISPOSED_STATUSES) & Q(disposed_on__isnull=False))
                | (Q(status__in=OPEN_STATUSES) & Q(disposed_on__isnull=True)),
                name="detention_disposed_on_iff_disposed",
            ),
            models.CheckConstraint(
                condition=Q(notice_on__gte=models.F("imported_on")),
                name="detention_notice_not_before_importation",
            ),
            models.CheckConstraint(
                condition=~Q(basis=Basis.UFLPA)
                | (Q(presented_on__isnull=False) & ~Q(uflpa_nexus="")),
                name="detention_uflpa_presented_and_nexus",
            ),
        ]

    # What the importer of record may see of a detention: its pages, history and API answers draw
    # only from these (``visibility.for_importer``); every other field is CBP's own. A new field
    # stays internal until it is added here.
    IMPORTER_FIELDS = (
        "id",
        "entry_number",
        "entry_line",
        "port_of_entry",
        "imported_on",
        "presented_on",
        "notice_on",
        "admissibility_deadline",
        "importer",
        "manufacturer",
        "country_of_origin",
        "merchandise",
        "hts_code",
        "quantity",
        "quantity_unit",
        "value_usd",
        "basis",
        "uflpa_nexus",
        "uflpa_entity_name",
        "uflpa_list_row",
        "uflpa_list_version",
        "xuar_input",
        "orders",
        "status",
        "disposed_on",
        "disposition_reason",
        "version",
    )
    # Methods and properties of the visible fields alone, usable on the importer's view.
    IMPORTER_METHODS = ("pk", "is_open", "is_uflpa", "days_remaining", "uflpa_clocks")

    def __str__(self) -> str:
        return f"{self.entry_number} line {self.entry_line}"

    def clean(self):
        # The date rules (no date after today, events in order) are the services' own
        # (``services.detention_date_problems``), so every channel states them alike.
        errors = {}
        problem = entry_number_problem(self.entry_number)
        if problem:
            errors["entry_number"] = problem
        if self.hts_code:
            problem = hs_code_problem(self.hts_code)
            if problem:
                errors["hts_code"] = problem
        if self.country_of_origin and not is_country(self.country_of_origin):
            errors["country_of_origin"] = (
                f"“{self.country_of_origin}” is not an ISO 3166 country code."
            )
        if not (self.merchandise or "").strip():
            errors["merchandise"] = "Describe the merchandise detained."
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def days_remaining(self, today: date) -> int:
        return deadlines.days_remaining(self.admissibility_deadline, today=today)

    def may_receive_proof(self, today: date) -> bool:
        """The importer may still prove admissibility: detained, and the three months (or the
        UFLPA's 30 days) not yet over."""
        return self.status == Status.DETAINED and today <= self.admissibility_deadline

    def may_receive_export_notice(self, today: date) -> bool:
        """The importer may still say it will export the goods: open, and in time."""
        return self.is_open and today <= self.admissibility_deadline

    @property
    def is_uflpa(self) -> bool:
        return self.basis == Basis.UFLPA

    def uflpa_clocks(self, today: date) -> UflpaClocks | None:
        """The UFLPA clocks as of ``today``: the decision to detain (5 business days after
        presentation), the notice (5 business days after that; late if sent after), the final
        admissibility decision (30 days after presentation; a disposition is that decision), and
        the deemed exclusion with its 180-day protest window when none came in time. An explicit
        exclusion opens the protest window from its own date. None for other bases."""
        if not self.is_uflpa or self.presented_on is None:
            return None
        decision_due = clocks.due_on("uflpa_detention_decision", self.presented_on)
        notice_due = clocks.due_on("uflpa_detention_notice", decision_due)
        admissibility_due = clocks.due_on("uflpa_admissibility_decision", self.presented_on)
        expiry = clocks.expired(
            "uflpa_admissibility_decision",
            self.presented_on,
            today=today,
            done_on=self.disposed_on,
        )
        protest_due = None
        if expiry is not None:
            protest_due = expiry.follow_on_due
        elif self.status == Status.EXCLUDED and self.disposed_on:
            protest_due = clocks.due_on("exclusion_protest", self.disposed_on)
        open_decision = self.is_open and expiry is None
        return UflpaClocks(
            presented_on=self.presented_on,
            decision_due=decision_due,
            notice_due=notice_due,
            notice_late=bool(self.notice_on and self.notice_on > notice_due),
            admissibility_due=admissibility_due,
            admissibility_days_left=(
                clocks.days_left("uflpa_admissibility_decision", admissibility_due, today=today)
                if open_decision
                else None
            ),
            deemed_excluded_on=expiry.happened_on if expiry else None,
            protest_due=protest_due,
            protest_days_left=(
                clocks.days_left("exclusion_protest", protest_due, today=today)
                if protest_due
                else None
            ),
        )


class DetentionDocument(models.Model):
    """Proof of admissibility or an export notice from the importer (19 CFR 12.43), checked by
    content and hashed like every upload."""

    class Kind(models.TextChoices):
        CERTIFICATE_OF_ORIGIN = "certificate_of_origin", "Certificate of origin"
        DETAILED_STATEMENT = "detailed_statement", "Detailed statement"
        SUPPLY_CHAIN = "supply_chain", "Supply-chain tracing documents"
        AUDIT_REPORT = "audit_report", "Audit report"
        EXPORT_NOTICE = "export_notice", "Export notice"
        # The kinds CBP's UFLPA guidance names (``uflpa_guidance.CHECKLISTS``).
        TRANSACTION_RECORDS = (
            "transaction_records",
            "Transaction records (orders, invoices, payment)",
        )
        TRANSPORT_RECORDS = (
            "transport_records",
            "Transport records (packing lists, bills of lading)",
        )
        PRODUCTION_RECORDS = "production_records", "Production records of each step"
        RAW_MATERIAL_ORIGIN = "raw_material_origin", "Origin of the raw material"
        DUE_DILIGENCE_SYSTEM = "due_diligence_system", "Due-diligence system information"
        MANAGEMENT_MEASURES = "management_measures", "Supply-chain management measures"
        OTHER = "other", "Other"

    PROOF_KINDS = (
        Kind.CERTIFICATE_OF_ORIGIN,
        Kind.DETAILED_STATEMENT,
        Kind.SUPPLY_CHAIN,
        Kind.AUDIT_REPORT,
        Kind.OTHER,
    )

    # What each kind of document may be, by its content (``core.files.check_upload`` reads the
    # type from the file's bytes, never its name): a signed certificate or a notice is a PDF or
    # a scan; statements and reports may also be word-processor files; tracing documents may
    # be spreadsheets or data files too.
    SCANS = frozenset({files.PDF, files.PNG, files.JPEG, files.TIFF})
    WRITTEN = SCANS | {files.DOCX, files.OLE}
    KIND_TYPES = {
        Kind.CERTIFICATE_OF_ORIGIN: SCANS,
        Kind.DETAILED_STATEMENT: WRITTEN,
        Kind.SUPPLY_CHAIN: WRITTEN | {files.XLSX, files.CSV, files.GIF, files.WEBP},
        Kind.AUDIT_REPORT: WRITTEN,
        Kind.EXPORT_NOTICE: SCANS,
        Kind.TRANSACTION_RECORDS: WRITTEN | {files.XLSX, files.CSV},
        Kind.TRANSPORT_RECORDS: WRITTEN | {files.XLSX, files.CSV},
        Kind.PRODUCTION_RECORDS: WRITTEN | {files.XLSX, files.CSV},
        Kind.RAW_MATERIAL_ORIGIN: WRITTEN | {files.XLSX, files.CSV},
        Kind.DUE_DILIGENCE_SYSTEM: WRITTEN,
        Kind.MANAGEMENT_MEASURES: WRITTEN,
        Kind.OTHER: files.DOCUMENT_TYPES,
    }
    # What the importer may send with a UFLPA request or an answer: every kind but the export
    # notice, which is filed on its own.
    UFLPA_KINDS = (
        Kind.SUPPLY_CHAIN,
        Kind.TRANSACTION_RECORDS,
        Kind.TRANSPORT_RECORDS,
        Kind.PRODUCTION_RECORDS,
        Kind.RAW_MATERIAL_ORIGIN,
        Kind.DUE_DILIGENCE_SYSTEM,
        Kind.MANAGEMENT_MEASURES,
        Kind.AUDIT_REPORT,
        Kind.OTHER,
    )

    detention = models.ForeignKey(Detention, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    by_importer = models.BooleanField(
        default=False,
        help_text="Sent by the importer's users; only these are shown to the importer.",
    )
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="detentions/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the file as received.")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    answer = models.ForeignKey(
        "DetentionEvent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
        help_text="The importer's answer to a request for information this file came with.",
    )

    # What the importer sees of the documents it sent (``by_importer``); the stored file's path,
    # the uploader and the file's original name stay internal.
    IMPORTER_FIELDS = ("id", "kind", "title", "content_type", "size", "sha256", "uploaded_at")
    IMPORTER_METHODS = ("pk",)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class DetentionEvent(models.Model):
    """One step in a detention's history, with its date and reason, shown on its page (to the
    importer too: requests for more information and the outcome)."""

    class Kind(models.TextChoices):
        RECORDED = "recorded", "Detention recorded"
        PROOF_SUBMITTED = "proof_submitted", "Proof of admissibility submitted"
        DOCUMENT_ADDED = "document_added", "Document added"
        EXPORT_NOTICE = "export_notice", "Export notice filed"
        REVIEW_STARTED = "review_started", "Review started"
        INFORMATION_REQUESTED = "information_requested", "More information requested"
        RECOMMENDED = "recommended", "Recommendation recorded"
        EXCLUSION_PROPOSED = "exclusion_proposed", "Exclusion proposed (deadline passed)"
        RELEASED = "released", "Released"
        EXPORTED = "exported", "Exported"
        EXCLUDED = "excluded", "Excluded"
        SEIZED = "seized", "Seized"
        INFORMATION_ANSWERED = "information_answered", "Information sent in answer"
        APPLICABILITY_REQUESTED = "applicability_requested", "UFLPA applicability review requested"
        EXCEPTION_REQUESTED = "exception_requested", "UFLPA exception requested"
        EXCEPTION_GRANTED = "exception_granted", "UFLPA exception granted"
        EXCEPTION_DENIED = "exception_denied", "UFLPA exception denied"
        CONGRESS_REPORT_SENT = "congress_report_sent", "Exception reported to Congress"

    detention = models.ForeignKey(Detention, on_delete=models.CASCADE, related_name="events")
    in_reply_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="answers",
        help_text="The request for information an importer's answer replies to.",
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    on = models.DateField(help_text="Date the step took effect.")
    importer_note = models.TextField(
        blank=True,
        help_text="What the importer is told of this step: the request for information, the "
        "reason for a decision, or its own note and documents.",
    )
    reason = models.TextField(
        blank=True,
        help_text="CBP's internal note (e.g. the CEE's reasons); never shown to the importer.",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who took the step; empty for the deadline job.",
    )
    by_importer = models.BooleanField(
        default=False, help_text="Taken by the importer's users (else by CBP or its jobs)."
    )
    at = models.DateTimeField(auto_now_add=True)

    # What the importer sees of a step it is shown (``importer_queryset``): who took it only as
    # "the importer" or "CBP" (``by_importer``), never the person, nor the internal note.
    IMPORTER_FIELDS = ("id", "kind", "on", "to_status", "importer_note", "by_importer")
    IMPORTER_METHODS = ("pk",)
    # Steps that are CBP's internal business: never shown to the importer at all.
    INTERNAL_KINDS = (Kind.RECOMMENDED,)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.on}"

    @classmethod
    def importer_queryset(cls, detention: "Detention"):
        """The steps shown to the importer: not the internal kinds, and of added documents only
        its own (CBP's documents are not shown to it)."""
        return (
            cls.objects.filter(detention=detention)
            .exclude(kind__in=cls.INTERNAL_KINDS)
            .exclude(kind=cls.Kind.DOCUMENT_ADDED, by_importer=False)
        )


class DetentionReminder(models.Model):
    """A deadline reminder sent (30, 14 or 7 days before), so each goes out once."""

    detention = models.ForeignKey(Detention, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField(help_text="30, 14 or 7.")
    sent_on = models.DateField()
    recipients = models.JSONField(default=list, help_text="E-mail addresses it was sent to.")

    class Meta:
        ordering = ["sent_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["detention", "days_before"], name="detention_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.days_before}-day reminder for {self.detention}"


class UflpaRequest(TimeStampedModel):
    """The importer's way out of the UFLPA presumption on one detention (CBP, UFLPA Operational
    Guidance for Importers, June 2022): an applicability review (the goods are outside the
    presumption: tracing from the raw material shows no XUAR input and no listed entity) or an
    exception request (section 3(b): full compliance with the guidance, complete answers to
    every request for information, clear and convincing evidence of no forced labor). A CEE
    reviews and recommends; the officer releases on an applicability review; only the approving
    official, holding the Commissioner's authority, grants or denies an exception."""

    class Path(models.TextChoices):
        APPLICABILITY_REVIEW = "applicability_review", "Applicability review"
        EXCEPTION = "exception", "Exception request (UFLPA section 3(b))"

    class State(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        GRANTED = "granted", "Granted"
        DENIED = "denied", "Denied"
        CLOSED = "closed", "Closed without a decision"

    # The Strategy's high-priority sectors, as ``uflpa_guidance.SECTORS`` declares them.
    Sector = models.TextChoices(
        "Sector", [(code.upper(), (code, label)) for code, label in uflpa_guidance.SECTOR_CHOICES]
    )

    detention = models.ForeignKey(
        Detention, on_delete=models.CASCADE, related_name="uflpa_requests"
    )
    path = models.CharField(max_length=24, choices=Path.choices)
    sector = models.CharField(
        max_length=16,
        choices=Sector.choices,
        help_text="The high-priority sector the goods belong to; it sets the documents the "
        "guidance names (``uflpa_guidance.CHECKLISTS``).",
    )
    statement = models.TextField(
        help_text="The importer's case: how the tracing shows no XUAR input and no listed "
        "entity, or why an exception is due."
    )
    guidance_compliance = models.TextField(
        blank=True,
        help_text="Exception: how the importer fully complied with CBP's UFLPA guidance "
        "(section 3(b)(1)).",
    )
    evidence_summary = models.TextField(
        blank=True,
        help_text="Exception: the clear and convincing evidence that the goods were not made "
        "wholly or in part by forced labor (section 3(b)(3)).",
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.SUBMITTED)
    submitted_on = models.DateField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.TextField(
        blank=True, help_text="What the importer is told of the decision."
    )
    internal_note = models.TextField(
        blank=True, help_text="CBP's internal reasons; never shown to the importer."
    )

    # What the importer sees of its requests (``visibility.for_importer``).
    IMPORTER_FIELDS = (
        "id",
        "path",
        "sector",
        "statement",
        "guidance_compliance",
        "evidence_summary",
        "state",
        "submitted_on",
        "decided_on",
        "decision_note",
    )
    IMPORTER_METHODS = ("pk", "is_pending", "is_exception")

    class Meta:
        ordering = ["submitted_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["detention", "path"],
                condition=Q(state="submitted"),
                name="uflpa_request_one_pending_per_path",
            ),
            models.CheckConstraint(
                condition=Q(state="submitted") | Q(decided_on__isnull=False),
                name="uflpa_request_decided_on_once_decided",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_path_display()} on {self.detention}"

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.SUBMITTED

    @property
    def is_exception(self) -> bool:
        return self.path == self.Path.EXCEPTION


class CongressReport(TimeStampedModel):
    """The report to Congress of a granted UFLPA exception (section 3(c)): due within 30 days of
    the grant (clock rule ``uflpa_exception_report``), owned by the approving official who
    granted it, and published on the public register once marked sent. Its text (the goods, the
    evidence considered, the finding that the three conditions are met) is written at the grant
    and is all the public ever sees of the file (``PUBLIC_FIELDS``)."""

    class State(models.TextChoices):
        OPEN = "open", "To send"
        SENT = "sent", "Sent and published"

    request = models.OneToOneField(
        UflpaRequest, on_delete=models.PROTECT, related_name="congress_report"
    )
    number = models.CharField(
        max_length=20, unique=True, help_text="Public number, UFLPA-EXC-YYYY-NNN."
    )
    granted_on = models.DateField(
        help_text="Day the exception was granted; the clock runs from it."
    )
    due_on = models.DateField(help_text="Last day to report to Congress (30 days after the grant).")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="congress_reports",
        help_text="Who sends the report: the approving official who granted the exception.",
    )
    goods = models.TextField(help_text="The goods the exception covers, as the report names them.")
    evidence_considered = models.TextField(help_text="The evidence the grant considered.")
    finding = models.TextField(
        help_text="The finding that the three conditions of section 3(b) are met."
    )
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    sent_on = models.DateField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_demo = models.BooleanField(default=False, help_text="Made-up record from the demo data set.")

    # What the public register shows of a sent report, and nothing else of the file.
    PUBLIC_FIELDS = ("number", "granted_on", "sent_on", "goods", "evidence_considered", "finding")

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(state="open") & Q(sent_on__isnull=True))
                | (Q(state="sent") & Q(sent_on__isnull=False)),
                name="congress_report_sent_on_iff_sent",
            )
        ]

    def __str__(self) -> str:
        return self.number

    def days_left(self, today: date) -> int:
        return clocks.days_left("uflpa_exception_report", self.due_on, today=today)
