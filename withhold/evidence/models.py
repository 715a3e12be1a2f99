"""Evidence items, the "supplies" links of a case's supply chain, and uploaded trade data.

A case's evidence sources (``cases.Case.evidence_sources``) are derived from its evidence items by
``services`` (GAO-21-106 found the sources of evidence missing for almost all active cases); the
chain of custody of an item's file is kept in the audit log (added, viewed, downloaded).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from withhold.cases.models import Case
from withhold.core.models import TimeStampedModel
from withhold.entities.models import Entity
from withhold.reference.models import EvidenceSourceKind, IloIndicator


class SourceReliability(models.TextChoices):
    """How far the source can be trusted (the A–F scale of the NATO/Admiralty grading system)."""

    A = "A", "A · Completely reliable"
    B = "B", "B · Usually reliable"
    C = "C", "C · Fairly reliable"
    D = "D", "D · Not usually reliable"
    E = "E", "E · Unreliable"
    F = "F", "F · Reliability cannot be judged"


class InformationCredibility(models.TextChoices):
    """How far the information itself is confirmed (the 1–6 scale of the same system)."""

    CONFIRMED = "1", "1 · Confirmed by other sources"
    PROBABLY_TRUE = "2", "2 · Probably true"
    POSSIBLY_TRUE = "3", "3 · Possibly true"
    DOUBTFUL = "4", "4 · Doubtful"
    IMPROBABLE = "5", "5 · Improbable"
    CANNOT_JUDGE = "6", "6 · Truth cannot be judged"


class EvidenceItem(TimeStampedModel):
    """One piece of evidence on a case, tagged with the ILO indicators it supports."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", "Document"
        PHOTO = "photo", "Photo"
        AUDIT_REPORT = "audit_report", "Audit report"
        NGO_REPORT = "ngo_report", "NGO report"
        MEDIA_ARTICLE = "media_article", "Media article"
        TRADE_DATA = "trade_data", "Trade data"
        IMPORTER_SURVEY = "importer_survey", "Importer survey"
        INTERVIEW_SUMMARY = "interview_summary", "Interview summary"
        SITE_VISIT = "site_visit", "Site visit"
        REMOTE_SENSING = "remote_sensing", "Remote sensing"
        OTHER = "other", "Other"

    class Translation(models.TextChoices):
        NOT_NEEDED = "not_needed", "Not needed"
        NEEDED = "needed", "Needed"
        REQUESTED = "requested", "Requested"
        DONE = "done", "Done"

    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="evidence_items",
        help_text="The case the evidence belongs to.",
    )
    kind = models.CharField(
        max_length=20, choices=Kind.choices, help_text="What the evidence is, physically."
    )
    source = models.ForeignKey(
        EvidenceSourceKind,
        on_delete=models.PROTECT,
        related_name="evidence_items",
        help_text="Where the information came from (the data dictionary's evidence sources); "
        "the case's evidence sources are the set of its items' sources.",
    )
    obtained_on = models.DateField(help_text="Date the division obtained the evidence.")
    description = models.TextField(help_text="What the evidence shows, in sentences.")
    indicators = models.ManyToManyField(
        IloIndicator,
        blank=True,
        related_name="evidence_items",
        help_text="The ILO indicators of forced labour this evidence supports.",
    )
    language = models.CharField(
        max_length=40, help_text="Language the evidence is in (e.g. English, Mandarin)."
    )
    translation_status = models.CharField(
        max_length=12,
        choices=Translation.choices,
        default=Translation.NOT_NEEDED,
        help_text="Whether a translation is needed, requested or done; counsel reads English.",
    )
    source_reliability = models.CharField(
        max_length=1,
        choices=SourceReliability.choices,
        help_text="Reliability grade of the source (A–F).",
    )
    information_credibility = models.CharField(
        max_length=1,
        choices=InformationCredibility.choices,
        help_text="Credibility grade of the information (1–6).",
    )
    law_enforcement_sensitive = models.BooleanField(
        default=False,
        help_text="Law-enforcement-sensitive: shown only to roles that may see sensitive cases.",
    )
    allegation_attachment = models.ForeignKey(
        "intake.AllegationAttachment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence_items",
        help_text="The allegation file this item was made from when the allegation was filed "
        "into the case (its provenance); empty for evidence added on the case.",
    )
    file = models.FileField(upload_to="evidence/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(
        max_length=64, blank=True, db_index=True, help_text="SHA-256 of the file as received."
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    is_demo = models.BooleanField(default=False, help_text="Made-up record from the demo data set.")

    class Meta:
        ordering = ["-obtained_on", "-id"]
        permissions = [
            ("merge_entities", "Can merge duplicate supply-chain entities"),
            ("generate_allegation_report", "Can generate a case's allegation report"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(source_reliability__in=SourceReliability.values),
                name="evidence_source_reliability_in_vocabulary",
            ),
            models.CheckConstraint(
                condition=Q(information_credibility__in=InformationCredibility.values),
                name="evidence_information_credibility_in_vocabulary",
            ),
            models.CheckConstraint(
                condition=Q(file="") | ~Q(sha256=""), name="evidence_file_has_sha256"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.obtained_on:%Y-%m-%d}: {self.description[:50]}"

    @property
    def grade(self) -> str:
        return f"{self.source_reliability}{self.information_credibility}"

    def clean(self):
        if not (self.description or "").strip():
            raise ValidationError({"description": "Say what the evidence shows."})


class SupplyLink(TimeStampedModel):
    """ "Supplier supplies buyer with goods" in one case's supply chain, and the evidence for it."""

    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="supply_links",
        help_text="The case whose supply chain this link belongs to.",
    )
    supplier = models.ForeignKey(
        Entity,
        on_delete=models.PROTECT,
        related_name="supplies_to",
        help_text="The entity that supplies the goods.",
    )
    buyer = models.ForeignKey(
        Entity,
        on_delete=models.PROTECT,
        related_name="supplied_by",
        help_text="The entity that receives them.",
    )
    goods = models.CharField(max_length=200, help_text="What passes along the link.")
    evidence = models.ManyToManyField(
        EvidenceItem,
        blank=True,
        related_name="supply_links",
        help_text="The evidence items that show the link exists.",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    is_demo = models.BooleanField(default=False, help_text="Made-up record from the demo data set.")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(supplier=models.F("buyer")), name="supply_link_not_to_itself"
            ),
            models.UniqueConstraint(
                fields=["case", "supplier", "buyer", "goods"], name="supply_link_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier.name} → {self.buyer.name}: {self.goods}"


class TradeUpload(models.Model):
    """One accepted file of import entries; stored whole or not at all."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="trade_uploads")
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the uploaded file.")
    row_count = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False, help_text="Made-up record from the demo data set.")

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.row_count} rows)"


class TradeEntry(models.Model):
    """One U.S. import entry of the merchandise: the case's U.S. nexus."""

    upload = models.ForeignKey(TradeUpload, on_delete=models.CASCADE, related_name="entries")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="trade_entries")
    entry_date = models.DateField(help_text="Date of importation.")
    importer = models.CharField(max_length=200, help_text="Importer of record.")
    manufacturer = models.CharField(max_length=200, help_text="Manufacturer as declared.")
    hts_code = models.CharField("HTS code", max_length=10, help_text="HTSUS number, digits only.")
    quantity = models.DecimalField(max_digits=16, decimal_places=3, help_text="Quantity entered.")
    value = models.DecimalField(
        max_digits=16, decimal_places=2, help_text="Entered value in U.S. dollars."
    )
    port = models.CharField(max_length=80, help_text="Port of entry.")
    is_demo = models.BooleanField(default=False, help_text="Made-up record from the demo data set.")

    class Meta:
        ordering = ["entry_date", "id"]
        indexes = [models.Index(fields=["case", "entry_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=0), name="trade_quantity_not_negative"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="trade_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.entry_date} {self.importer} {self.hts_code}"
