"""The case record. Every field carries its definition (``help_text``); ``docs/data-dictionary.md``
is generated from these models and from the requirement table in ``phases.py``.

Phase and status change only through ``services.case_phase_change`` and
``services.case_status_change``; database constraints keep each status and its reason consistent
even if someone bypasses the services.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from withhold.core.concurrency import VersionedModel
from withhold.core.models import TimeStampedModel
from withhold.entities.models import Entity
from withhold.reference.models import Commodity, EvidenceSourceKind, IloIndicator


class Phase(models.TextChoices):
    """The four phases of a forced-labor investigation (GAO-21-106, figure 1)."""

    INITIATION = "initiation", "1 · Initiation"
    INVESTIGATION = "investigation", "2 · Investigation"
    LEGAL_REVIEW = "legal_review", "3 · Legal review"
    IMPLEMENTATION = "implementation", "4 · Implementation"


class Status(models.TextChoices):
    """Separate from phase: whether the case is being worked (GAO-21-106)."""

    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    INACTIVE = "inactive", "Inactive"
    CLOSED = "closed", "Closed"


class ReferralSource(models.TextChoices):
    E_ALLEGATION = "e_allegation", "e-Allegation / allegations portal"
    NGO = "ngo", "Non-governmental organization"
    ANONYMOUS_TIP = "anonymous_tip", "Anonymous tip"
    SELF_INITIATED = "self_initiated", "Self-initiated by the division"
    OTHER_AGENCY = "other_agency", "Other government agency"
    DOL_RESEARCH = "dol_research", "Department of Labor research"
    MEDIA = "media", "Media report"
    COURT_CASE = "court_case", "Court case"
    TRADE_INDUSTRY = "trade_industry", "Trade or industry"
    WORKER = "worker", "Worker or worker representative"
    FOREIGN_GOVERNMENT = "foreign_government", "Foreign government"
    OTHER = "other", "Other"


class SuspensionReason(models.TextChoices):
    LACK_OF_PERSONNEL = "lack_of_personnel", "Lack of personnel"
    LACK_OF_INFORMATION = "lack_of_information", "Lack of information"
    AWAITING_FOREIGN_GOVERNMENT = "awaiting_foreign_government", "Awaiting foreign government"
    AWAITING_OTHER_AGENCY = "awaiting_other_agency", "Awaiting another agency"
    LITIGATION = "litigation", "Pending litigation"
    OTHER = "other", "Other (explained in the transition reason)"
    # Only the legacy import sets it: a spreadsheet that says "suspended" and gives no reason.
    # Nobody may choose it (phases.status_move_problems); the data-quality report counts it as a
    # missing entry until a supervisor records the real reason.
    NOT_RECORDED = "not_recorded", "Not recorded (a legacy record gave no reason)"


class InactiveReason(models.TextChoices):
    INSUFFICIENT_EVIDENCE = "insufficient_evidence", "Insufficient evidence"
    NO_CLEAR_VIOLATION = "no_clear_violation", "No clear violation"
    NO_US_NEXUS = "no_us_nexus", "No link to the U.S. market"
    DUPLICATE = "duplicate", "Duplicate of another case"
    OTHER = "other", "Other (explained in the transition reason)"


class ClosingOutcome(models.TextChoices):
    ORDER_ISSUED = "order_issued", "Order issued (WRO or Finding)"
    PENALTY = "penalty", "Civil penalty"
    REFERRED_TO_HSI = "referred_to_hsi", "Referred to HSI"
    NO_VIOLATION = "no_violation", "No violation found"
    NO_US_NEXUS = "no_us_nexus", "No U.S. nexus"
    MERGED = "merged", "Merged into another case"
    OTHER = "other", "Other (explained in the transition reason)"


class Priority(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class Case(VersionedModel, TimeStampedModel):
    Phase = Phase
    Status = Status

    number = models.CharField(
        max_length=16,
        unique=True,
        editable=False,
        help_text="Case number such as FL-2026-7KQ3M9, given on creation: the year opened and six "
        "random characters, so it tells nothing of how many cases exist (older numbers, FL-YYYY-NNNN from a "
        "yearly sequence, stay valid).",
    )
    title = models.CharField(
        max_length=200, help_text="Short name of the case: merchandise, producer and country."
    )
    allegation_summary = models.TextField(
        help_text="What is alleged: the reasons for the belief that the goods are made with forced "
        "labor (19 CFR 12.42(b)(1))."
    )
    commodity = models.ForeignKey(
        Commodity,
        on_delete=models.PROTECT,
        related_name="cases",
        help_text="The merchandise, from the controlled commodity list.",
    )
    hts_code = models.CharField(
        "HTS code",
        max_length=12,
        blank=True,
        help_text="Tariff classification of the merchandise if known: HS chapter (2 digits), heading "
        "(4), subheading (6) or HTSUS line (8 or 10), digits only.",
    )
    source_country = models.CharField(
        max_length=2,
        help_text="ISO 3166-1 alpha-2 code of the country where the goods are produced.",
    )
    source_region = models.CharField(
        max_length=10,
        blank=True,
        help_text="ISO 3166-2 code of the province, state or region of production, if known.",
    )
    referral_source = models.CharField(
        max_length=24,
        choices=ReferralSource.choices,
        help_text="How the allegation reached the division.",
    )
    received_on = models.DateField(help_text="Date the allegation or information was received.")
    opened_on = models.DateField(
        help_text="Date the case was opened; on or after the date received."
    )
    assigned_analyst = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="analyst_cases",
        help_text="The case analyst working the case.",
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_cases",
        help_text="The supervisor responsible for the case.",
    )
    phase = models.CharField(
        max_length=16,
        choices=Phase.choices,
        default=Phase.INITIATION,
        help_text="Where the investigation stands; changed only by a phase transition.",
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.ACTIVE,
        help_text="Whether the case is being worked; changed only by a status transition.",
    )
    suspension_reason = models.CharField(
        max_length=32,
        choices=SuspensionReason.choices,
        blank=True,
        help_text="Why a suspended case is not being worked now; set exactly when suspended.",
    )
    suspension_detail = models.TextField(
        blank=True,
        help_text="The suspension reason in the record's own words, beside the controlled reason "
        "(e.g. a legacy spreadsheet's free text). Optional.",
    )
    inactive_reason = models.CharField(
        max_length=32,
        choices=InactiveReason.choices,
        blank=True,
        help_text="Why the case was made inactive; set exactly when inactive.",
    )
    closing_outcome = models.CharField(
        max_length=24,
        choices=ClosingOutcome.choices,
        blank=True,
        help_text="How the case ended; set exactly when closed.",
    )
    entities = models.ManyToManyField(
        Entity,
        through="CaseEntity",
        related_name="cases",
        blank=True,
        help_text="Supply-chain entities involved (manufacturer, suppliers, exporter, importers): "
        "linked records shared across cases.",
    )
    evidence_sources = models.ManyToManyField(
        EvidenceSourceKind,
        blank=True,
        related_name="cases",
        help_text="Kinds of source the case's evidence comes from: derived from the sources of "
        "its evidence items, never set by hand.",
    )
    ilo_indicators = models.ManyToManyField(
        IloIndicator,
        verbose_name="ILO indicators",
        blank=True,
        related_name="cases",
        help_text="The ILO indicators of forced labour the evidence points to.",
    )
    investigative_challenges = models.TextField(
        blank=True,
        help_text="Obstacles to the investigation (access, language, supply-chain opacity...).",
    )
    hsi_notified = models.BooleanField(
        "HSI notified",
        default=False,
        help_text="HSI was told of the case. Set with the date below; a legacy record may say only "
        "yes, and the data-quality report counts the date as missing until it is filled.",
    )
    hsi_notified_on = models.DateField(
        "HSI notified on",
        null=True,
        blank=True,
        help_text="Date Homeland Security Investigations was notified of the case.",
    )
    hsi_case_reference = models.CharField(
        "HSI case reference",
        max_length=40,
        blank=True,
        help_text="HSI's own case number, linking the criminal side to this case. Sensitive.",
    )
    caatsa = models.BooleanField(
        "CAATSA",
        default=False,
        help_text="North Korean labor is involved: CAATSA section 302A presumption applies.",
    )
    law_enforcement_sensitive = models.BooleanField(
        default=False,
        help_text="Law-enforcement-sensitive: hidden from roles without a need to know.",
    )
    priority = models.CharField(
        max_length=6, choices=Priority.choices, default=Priority.MEDIUM, help_text="Work priority."
    )
    estimated_annual_import_value = models.DecimalField(
        "estimated annual U.S. import value (USD)",
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Estimated yearly value of the merchandise imported into the United States.",
    )
    is_demo = models.BooleanField(
        default=False, help_text="Made-up record from the demo data set, not a real case."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opened_on", "-id"]
        permissions = [
            ("view_sensitive_case", "Can see law-enforcement-sensitive cases"),
            ("view_hsi_case", "Can see cases HSI has been notified of"),
            ("advance_phase", "Can move a case between phases 1-3"),
            ("approve_implementation", "Can approve a case into implementation"),
            ("change_status", "Can suspend, inactivate and reactivate a case"),
            ("close_case", "Can close a case with an outcome"),
            ("assign_case", "Can assign analysts and supervisors"),
            ("export_case", "Can export case lists"),
            ("record_hsi_referral", "Can record HSI notification and case reference"),
            ("record_legal_opinion", "Can attach a legal-sufficiency opinion"),
            ("manage_any_task", "Can complete or reassign any task"),
        ]
        indexes = [
            models.Index(fields=["phase", "status"]),
            models.Index(fields=["source_country"]),
            models.Index(fields=["status", "-opened_on"]),
            models.Index(fields=["assigned_analyst", "status"]),
            # The case list's default order and its title sort (benchmarks/cases.py): without
            # them every unfiltered list page sorts all cases after joining them.
            models.Index(fields=["-opened_on", "-id"], name="case_opened_on_id_desc_idx"),
            models.Index(fields=["title", "id"], name="case_title_id_idx"),
            # The list filtered by country (and phase, and status) in its default order: the
            # rows and their count come from this index alone (index-only scan), each probing
            # the search's hashed id sets, instead of visiting every case of the country.
            models.Index(
                fields=["source_country", "phase", "status", "-opened_on", "-id"],
                name="case_country_phase_status_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(phase__in=Phase.values), name="case_phase_in_vocabulary"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="case_status_in_vocabulary"
            ),
            models.CheckConstraint(
                condition=(Q(status=Status.SUSPENDED) & ~Q(suspension_reason=""))
                | (~Q(status=Status.SUSPENDED) & Q(suspension_reason="")),
                name="case_suspension_reason_iff_suspended",
            ),
            models.CheckConstraint(
                condition=(Q(status=Status.INACTIVE) & ~Q(inactive_reason=""))
                | (~Q(status=Status.INACTIVE) & Q(inactive_reason="")),
                name="case_inactive_reason_iff_inactive",
            ),
            models.CheckConstraint(
                condition=(Q(status=Status.CLOSED) & ~Q(closing_outcome=""))
                | (~Q(status=Status.CLOSED) & Q(closing_outcome="")),
                name="case_closing_outcome_iff_closed",
            ),
            models.CheckConstraint(
                condition=Q(opened_on__gte=models.F("received_on")),
                name="case_opened_on_or_after_received",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class CaseEntity(models.Model):
    """An entity's part in one case's supply chain."""

    class Role(models.TextChoices):
        RAW_MATERIAL_PRODUCER = "raw_material_producer", "Raw-material producer"
        PROCESSOR = "processor", "Processor"
        MANUFACTURER = "manufacturer", "Manufacturer"
        SUPPLIER = "supplier", "Supplier"
        EXPORTER = "exporter", "Exporter"
        TRADER = "trader", "Trader or intermediary"
        IMPORTER = "importer", "U.S. importer"
        VESSEL = "vessel", "Fishing vessel"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_entities")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="case_links")
    role = models.CharField(max_length=24, choices=Role.choices)
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["role", "entity__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "entity", "role"], name="case_entity_role_unique"
            )
        ]
        # The case search's entity arm reads the cases of matching entities from the index
        # alone (index-only scan), not from 10,000 heap rows.
        indexes = [models.Index(fields=["entity", "case"], name="caseentity_entity_case_idx")]

    def __str__(self) -> str:
        return f"{self.entity.name} ({self.get_role_display()})"


class CaseTransition(models.Model):
    """One phase or status change: who, when, from, to and why. Written once, never edited."""

    class Kind(models.TextChoices):
        OPENED = "opened", "Opened"
        PHASE = "phase", "Phase change"
        STATUS = "status", "Status change"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    from_phase = models.CharField(max_length=16, choices=Phase.choices, blank=True)
    to_phase = models.CharField(max_length=16, choices=Phase.choices)
    from_status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Status.choices)
    reason_code = models.CharField(
        max_length=32, blank=True, help_text="Suspension or inactive reason, or closing outcome."
    )
    reason = models.TextField(blank=True, help_text="Why, in the actor's words.")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self) -> str:
        if self.kind == self.Kind.STATUS:
            return f"{self.get_from_status_display()} → {self.get_to_status_display()}"
        if self.kind == self.Kind.OPENED:
            return f"Opened in {self.get_to_phase_display()}"
        return f"{self.get_from_phase_display()} → {self.get_to_phase_display()}"

    @property
    def reason_code_label(self) -> str:
        """The reason code in words (a suspension reason, an inactive reason or a closing
        outcome, whichever the status it moved to takes)."""
        reasons = {
            Status.SUSPENDED: SuspensionReason,
            Status.INACTIVE: InactiveReason,
            Status.CLOSED: ClosingOutcome,
        }.get(self.to_status)
        if reasons is not None and self.reason_code in reasons.values:
            return str(reasons(self.reason_code).label)
        return self.reason_code


class CaseUpdate(models.Model):
    """A dated narrative entry on the case timeline. Never a place for structured data."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="updates")
    occurred_on = models.DateField(help_text="The date the event described happened.")
    text = models.TextField(help_text="What happened, in sentences.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.occurred_on}: {self.text[:60]}"


class Task(TimeStampedModel):
    """A piece of work with an owner and a due date (e.g. notify HSI on entering investigation)."""

    class Kind(models.TextChoices):
        NOTIFY_HSI = "notify_hsi", "Notify HSI"
        GENERAL = "general", "General"

    class State(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.GENERAL)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tasks"
    )
    due_on = models.DateField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reminded_on = models.DateField(
        null=True, blank=True, help_text="Last day a reminder e-mail went to the owner."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["owner", "state", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(state="open") & Q(completed_at__isnull=True))
                | (~Q(state="open") & Q(completed_at__isnull=False)),
                name="task_completed_at_iff_not_open",
            )
        ]

    def __str__(self) -> str:
        return self.title


class CaseDocument(models.Model):
    """A file attached to a case, type- and size-checked, stored with its SHA-256."""

    class Kind(models.TextChoices):
        ALLEGATION_REPORT = "allegation_report", "Allegation report"
        LEGAL_OPINION = "legal_opinion", "Legal-sufficiency opinion"
        CORRESPONDENCE = "correspondence", "Correspondence"
        OTHER = "other", "Other"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="cases/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    law_enforcement_sensitive = models.BooleanField(
        default=False,
        help_text="Generated from law-enforcement-sensitive material (an LES case or LES evidence "
        "items): shown only to roles that may see it (accounts.visibility).",
    )

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"
