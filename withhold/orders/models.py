"""Enforcement orders: Withhold Release Orders, Findings, CAATSA actions and civil penalties.

An order is backed by one or more cases, says what it covers through scope rules precise enough
for screening, passes legal review (counsel's opinion) and the approving official's decision,
is coordinated with ports and agencies, issued, and then modified, partially revoked or revoked
on petition or review. Every state change goes through ``services.py``; the public register
(``selectors.register_list``) shows only issued orders and only their public fields.

Law-enforcement-sensitive parts never leave the signed-in pages: the backing cases, the legal
opinion and its memo, the approver's decision, coordination, petitions and ``internal_notes``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from withhold.cases.models import Case, Task
from withhold.core.concurrency import VersionedModel
from withhold.core.models import TimeStampedModel
from withhold.entities.models import Entity, imo_check_digit_ok
from withhold.reference.countries import is_country, is_subdivision_of
from withhold.reference.hs import hs_code_problem, hs_normalise
from withhold.reference.models import Commodity


class Kind(models.TextChoices):
    """The enforcement actions of DOMAIN.md: 19 CFR 12.42(e) and (f), CAATSA 302A, penalties."""

    WRO = "wro", "Withhold Release Order"
    FINDING = "finding", "Finding"
    CAATSA = "caatsa", "CAATSA action"
    PENALTY = "penalty", "Civil penalty"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    LEGAL_REVIEW = "legal_review", "In legal review"
    APPROVED = "approved", "Approved"
    ISSUED = "issued", "Issued (active)"
    MODIFIED = "modified", "Modified"
    PARTIALLY_REVOKED = "partially_revoked", "Partially revoked"
    REVOKED = "revoked", "Revoked"
    INACTIVE = "inactive", "Inactive"


# Statuses an order has once issued: the only ones the public register shows.
PUBLIC_STATUSES = [
    Status.ISSUED,
    Status.MODIFIED,
    Status.PARTIALLY_REVOKED,
    Status.REVOKED,
    Status.INACTIVE,
]
# Orders that still bind the ports and so need periodic re-review (GAO-21-106).
ACTIVE_STATUSES = [Status.ISSUED, Status.MODIFIED, Status.PARTIALLY_REVOKED]


class DatePrecision(models.TextChoices):
    """How much of ``issued_on`` the source gives: GAO-21-106 gives months, CBP gives days."""

    DAY = "day", "Day"
    MONTH = "month", "Month"
    SPAN = "span", "Span of months"


class Order(VersionedModel, TimeStampedModel):
    Kind = Kind
    Status = Status

    number = models.CharField(
        max_length=32,
        unique=True,
        editable=False,
        help_text="Order number: WRO-YYYY-NNNN (or FND, CAA, PEN) for orders made here; the "
        "source's key (GAO-T2-01, CBP-0038) for orders loaded from public reference data.",
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, help_text="The enforcement action.")
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Where the order stands; changed only by the order services.",
    )
    cases = models.ManyToManyField(
        Case,
        blank=True,
        related_name="orders",
        help_text="The cases whose evidence backs the order. Law-enforcement-sensitive.",
    )
    merchandise = models.TextField(
        help_text="The merchandise covered, as the order describes it (public)."
    )
    published_entity = models.CharField(
        max_length=400,
        blank=True,
        help_text="Manufacturer or entity as the public register names it; for orders made here, "
        "filled from the entity and vessel scope rules at issuance when left empty.",
    )
    country = models.CharField(
        max_length=2,
        blank=True,
        help_text="ISO 3166-1 alpha-2 code of the country of production; empty for fishing "
        "vessels on the high seas.",
    )
    industry = models.CharField(
        max_length=120, blank=True, help_text="Industry as CBP's published list names it."
    )
    planned_issue_on = models.DateField(
        null=True,
        blank=True,
        help_text="Planned issuance date set by the approving official; coordination tasks fall "
        "in the two weeks before it.",
    )
    issued_on = models.DateField(
        null=True, blank=True, help_text="Date the order took effect (CBP's effective date)."
    )
    issued_on_precision = models.CharField(
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="How precise ``issued_on`` is: a source giving only the month stores the 1st.",
    )
    issued_on_until = models.DateField(
        null=True,
        blank=True,
        help_text="Last possible issuance date when the source only gives a span of months.",
    )
    published_on = models.DateField(
        null=True,
        blank=True,
        help_text="Date published (Federal Register and Customs Bulletin, for a Finding).",
    )
    modified_on = models.DateField(null=True, blank=True, help_text="Date last modified.")
    revoked_on = models.DateField(null=True, blank=True, help_text="Date revoked.")
    federal_register_citation = models.CharField(
        max_length=120,
        blank=True,
        help_text="Federal Register citation of a Finding, e.g. “85 FR 66574” (19 CFR 12.42(f)).",
    )
    customs_bulletin_citation = models.CharField(
        max_length=160,
        blank=True,
        help_text="Customs Bulletin citation of a Finding, e.g. “Vol. 54, No. 43”.",
    )
    penalty_amount = models.DecimalField(
        "penalty amount (USD)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Amount of a civil penalty.",
    )
    penalty_party = models.ForeignKey(
        Entity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="penalties",
        help_text="The party a civil penalty is assessed against.",
    )
    remarks = models.TextField(
        blank=True, help_text="Public remarks, as on CBP's list (citations, removals)."
    )
    internal_notes = models.TextField(
        blank=True,
        help_text="Law-enforcement-sensitive notes for the division; never shown publicly.",
    )
    next_review_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the order is next due for re-review; set at issuance and at each review "
        "(settings.WITHHOLD['ORDER_REVIEW_INTERVAL_DAYS']).",
    )
    is_reference = models.BooleanField(
        default=False,
        help_text="Loaded from public reference data (see its sources); a real order.",
    )
    is_demo = models.BooleanField(
        default=False, help_text="Made-up record from the demo data set, not a real order."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-issued_on", "-id"]
        permissions = [
            ("record_legal_opinion", "Can record counsel's legal-sufficiency opinion on an order"),
            ("decide_order", "Can approve or reject an order"),
            ("issue_order", "Can issue an approved order"),
            ("modify_order", "Can modify, partially revoke or revoke an order"),
            ("record_review", "Can record an order's periodic review"),
            ("view_overdue_reviews", "Is shown orders whose review is overdue"),
            (
                "view_order_internals",
                "Can see an order's internal notes and counsel's opinion summaries",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-issued_on"]),
            models.Index(fields=["country"]),
            models.Index(fields=["next_review_on"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="order_kind_known"),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="order_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=PUBLIC_STATUSES) | Q(issued_on__isnull=False),
                name="order_issued_has_issue_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.REVOKED) | Q(revoked_on__isnull=False),
                name="order_revoked_has_revocation_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.merchandise[:80]}"

    def clean(self):
        errors = {}
        if self.country and not is_country(self.country):
            errors["country"] = f"“{self.country}” is not an ISO 3166 country code."
        if self.penalty_amount is not None:
            if self.kind != Kind.PENALTY:
                errors["penalty_amount"] = "Only a civil penalty has an amount."
            elif self.penalty_amount <= 0:
                errors["penalty_amount"] = "A penalty amount must be more than zero."
        if self.penalty_party_id and self.kind != Kind.PENALTY:
            errors["penalty_party"] = "Only a civil penalty names a party."
        if (self.federal_register_citation or self.customs_bulletin_citation) and (
            self.kind != Kind.FINDING
        ):
            errors["federal_register_citation"] = (
                "Federal Register and Customs Bulletin citations belong to Findings."
            )
        if not (self.merchandise or "").strip():
            errors["merchandise"] = "Describe the merchandise the order covers."
        if errors:
            raise ValidationError(errors)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def issued_on_display(self) -> str:
        """The issuance date as precisely as the source gives it."""
        if self.issued_on is None:
            return ""
        if self.issued_on_precision == DatePrecision.MONTH:
            return self.issued_on.strftime("%Y-%m")
        if self.issued_on_precision == DatePrecision.SPAN and self.issued_on_until:
            return f"{self.issued_on:%Y-%m}/{self.issued_on_until:%Y-%m}"
        return self.issued_on.isoformat()


class ScopeRuleKind(models.TextChoices):
    ENTITY = "entity", "Named entity (manufacturer, producer, group)"
    COUNTRY_COMMODITY = "country_commodity", "Country or region and commodity"
    VESSEL = "vessel", "Fishing vessel"
    EXCLUDED_IMPORTER = "excluded_importer", "Exclusion: goods imported by a named importer"
    EXCLUDED_PRODUCER = "excluded_producer", "Exclusion: goods of a named producer"
    EXCLUDED_MERCHANDISE = "excluded_merchandise", "Exclusion: merchandise"


class ScopeRule(TimeStampedModel):
    """One statement of what an order covers (or, for an exclusion, no longer covers).

    Screening applies them: a shipment is covered when it matches an including rule and no
    exclusion. Exclusions record partial revocations, e.g. "tobacco produced in Malawi imported
    by Alliance One International" (June 2020).
    """

    Kind = ScopeRuleKind

    EXCLUSIONS = (Kind.EXCLUDED_IMPORTER, Kind.EXCLUDED_PRODUCER, Kind.EXCLUDED_MERCHANDISE)
    ENTITY_KINDS = (Kind.ENTITY, Kind.EXCLUDED_IMPORTER, Kind.EXCLUDED_PRODUCER)

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="scope_rules")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    entity = models.ForeignKey(
        Entity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="order_scope_rules",
        help_text="The entity named (with its aliases and address, matched by screening).",
    )
    country = models.CharField(
        max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 code of the country of production."
    )
    region_code = models.CharField(
        max_length=10, blank=True, help_text="ISO 3166-2 code of the region, if it has one."
    )
    region_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="A named area without an ISO code (e.g. “Marange Diamond Fields”).",
    )
    commodity = models.ForeignKey(
        Commodity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="order_scope_rules",
        help_text="The commodity covered, from the controlled list.",
    )
    hts_headings = models.JSONField(
        default=list,
        blank=True,
        help_text="HS chapters, headings or subheadings covered (digits), checked against HS 2022.",
    )
    merchandise = models.CharField(
        max_length=300,
        blank=True,
        help_text="The merchandise in words, e.g. “products containing tobacco produced in Malawi”.",
    )
    vessel_name = models.CharField(max_length=120, blank=True)
    vessel_flag = models.CharField(
        max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 code of the vessel's flag state."
    )
    imo_number = models.CharField(
        "IMO number", max_length=7, blank=True, help_text="IMO ship identification number."
    )
    modification = models.ForeignKey(
        "OrderModification",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scope_rules",
        help_text="The modification or partial revocation that added this rule, if any.",
    )
    source_note = models.CharField(
        max_length=200, blank=True, help_text="Where a loaded rule came from (file and row)."
    )

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ScopeRuleKind.values), name="scope_rule_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.describe()}"

    @property
    def is_exclusion(self) -> bool:
        return self.kind in self.EXCLUSIONS

    def describe(self) -> str:
        """The rule in one line of words, for pages and the register."""
        if self.kind in self.ENTITY_KINDS:
            text = self.entity.name if self.entity_id else ""
            return f"{text} — {self.merchandise}" if self.merchandise else text
        if self.kind == self.Kind.VESSEL:
            parts = [self.vessel_name]
            if self.vessel_flag:
                parts.append(f"flag {self.vessel_flag}")
            if self.imo_number:
                parts.append(f"IMO {self.imo_number}")
            return ", ".join(parts)
        if self.kind == self.Kind.EXCLUDED_MERCHANDISE:
            return self.merchandise
        where = ", ".join(p for p in (self.region_name, self.region_code, self.country) if p)
        what = self.merchandise or (self.commodity.name if self.commodity_id else "")
        if self.hts_headings:
            what = f"{what} (HS {', '.join(self.hts_headings)})"
        return f"{what} — {where}" if where else what

    def clean(self):
        errors: dict[str, str] = {}
        kind = self.kind
        if kind in self.ENTITY_KINDS and not self.entity_id:
            errors["entity"] = "Choose the entity this rule names."
        if kind == self.Kind.COUNTRY_COMMODITY:
            if not self.country:
                errors["country"] = "A country-and-commodity rule needs a country."
            if not (self.commodity_id or self.hts_headings or self.merchandise.strip()):
                errors["commodity"] = "Name the commodity, HTS headings or merchandise covered."
        if kind == self.Kind.VESSEL and not self.vessel_name.strip():
            errors["vessel_name"] = "A vessel rule needs the vessel's name."
        if kind == self.Kind.EXCLUDED_MERCHANDISE and not self.merchandise.strip():
            errors["merchandise"] = "Describe the merchandise taken out of the order."
        if self.country and not is_country(self.country):
            errors["country"] = f"“{self.country}” is not an ISO 3166 country code."
        if self.region_code and not is_subdivision_of(self.region_code, self.country):
            errors["region_code"] = (
                f"“{self.region_code}” is not a region of {self.country or 'the country'}."
            )
        if self.vessel_flag and not is_country(self.vessel_flag):
            errors["vessel_flag"] = f"“{self.vessel_flag}” is not an ISO 3166 country code."
        if self.imo_number and not imo_check_digit_ok(self.imo_number):
            errors["imo_number"] = "An IMO number is 7 digits with a valid check digit."
        if not isinstance(self.hts_headings, list):
            errors["hts_headings"] = "HTS headings must be a list of codes."
        else:
            normalised = [hs_normalise(str(code)) for code in self.hts_headings]
            for code in normalised:
                if problem := hs_code_problem(code):
                    errors["hts_headings"] = f"{code}: {problem}"
                    break
            self.hts_headings = normalised
        if errors:
            raise ValidationError(errors)


class OrderSource(models.Model):
    """Provenance of a reference order: which public file and row it was loaded from.

    One order can have several: GAO-21-106 table 2 and CBP's current list name the same 2016–2019
    orders differently, and the loader records both rows against one order
    (``matching.match_reference_rows``).
    """

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="sources")
    source_file = models.CharField(max_length=120, help_text="File in reference/data/.")
    row_number = models.PositiveIntegerField(
        help_text="Row in the file, counting the header as row 1, as a spreadsheet does."
    )
    row_key = models.CharField(max_length=40, help_text="The row's own key (ref or row column).")
    published_status = models.CharField(
        max_length=60, blank=True, help_text="The status as the source gives it, verbatim."
    )
    published_entity = models.CharField(max_length=400, blank=True)
    published_date = models.CharField(max_length=24, blank=True)
    detail = models.TextField(blank=True, help_text="The source's own notes on the row.")
    citation = models.CharField(max_length=400, blank=True, help_text="The source's citation.")

    class Meta:
        ordering = ["source_file", "row_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_file", "row_key"], name="order_source_row_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_file} row {self.row_number}"


class LegalStandard(models.TextChoices):
    """19 CFR 12.42(e): a WRO when information reasonably but not conclusively indicates;
    12.42(f): a Finding on probable cause (conclusive evidence)."""

    REASONABLE_BUT_NOT_CONCLUSIVE = (
        "reasonable_not_conclusive",
        "Reasonable but not conclusive (19 CFR 12.42(e))",
    )
    PROBABLE_CAUSE = "probable_cause", "Probable cause (19 CFR 12.42(f))"


class LegalOpinion(models.Model):
    """Chief Counsel's legal-sufficiency opinion on an order. The memo is also attached to every
    backing case as its ``legal_opinion`` document, which the case needs to enter implementation."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="legal_opinions")
    sufficient = models.BooleanField(
        help_text="Whether the evidence meets the standard for the order's kind."
    )
    standard = models.CharField(
        max_length=32, choices=LegalStandard.choices, help_text="The standard counsel applied."
    )
    opinion_on = models.DateField(help_text="Date of the opinion.")
    summary = models.TextField(help_text="Counsel's reasoning in brief. Law-enforcement-sensitive.")
    memo = models.FileField(upload_to="orders/opinions/%Y/%m/")
    memo_name = models.CharField(max_length=255)
    memo_content_type = models.CharField(max_length=100)
    memo_size = models.PositiveBigIntegerField()
    memo_sha256 = models.CharField(max_length=64)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        verdict = "sufficient" if self.sufficient else "not sufficient"
        return f"Opinion of {self.opinion_on}: {verdict}"


class ApprovalDecision(models.Model):
    """The approving official's decision on the recommendation package (by delegation, the
    Executive Assistant Commissioner, Office of Trade)."""

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    decided_on = models.DateField()
    planned_issue_on = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why; required for a rejection.")
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} on {self.decided_on}"


class CoordinationStep(models.Model):
    """One pre-issuance notification (GAO-21-106: ports, CEEs, the National Targeting Center, the
    threat analysis centers, HSI and other agencies, in the two weeks before issuance).

    The work itself is a ``cases.Task`` on the order's first backing case, so it has an owner and
    a due date, shows on the owner's "My work" page and gets the task reminders. This record only
    says which order and which party the task is for, so issuance can list the open ones.
    """

    class Party(models.TextChoices):
        PORTS = "ports", "Ports of entry"
        CEE = "cee", "Centers of Excellence and Expertise"
        NTC = "ntc", "National Targeting Center"
        NTAC = "ntac", "Threat analysis centers"
        HSI = "hsi", "Homeland Security Investigations"
        OTHER_AGENCIES = "other_agencies", "Other agencies"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="coordination_steps")
    party = models.CharField(max_length=16, choices=Party.choices)
    task = models.OneToOneField(Task, on_delete=models.PROTECT, related_name="coordination_step")

    class Meta:
        ordering = ["task__due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "party"], name="coordination_party_unique")
        ]

    def __str__(self) -> str:
        return f"{self.order.number}: {self.get_party_display()}"


class Petition(TimeStampedModel):
    """A request from an importer (or another party) to modify or revoke an order, with its
    evidence and translations; completeness and quality drive processing (DOMAIN.md)."""

    class Request(models.TextChoices):
        MODIFY = "modify", "Modify the order"
        REVOKE = "revoke", "Revoke the order"

    class State(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        UNDER_REVIEW = "under_review", "Under review"
        GRANTED = "granted", "Granted"
        PARTIALLY_GRANTED = "partially_granted", "Partially granted"
        DENIED = "denied", "Denied"

    DECIDED = (State.GRANTED, State.PARTIALLY_GRANTED, State.DENIED)

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="petitions")
    request = models.CharField(max_length=8, choices=Request.choices)
    petitioner_entity = models.ForeignKey(
        Entity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions",
        help_text="The company asking (e.g. the importer the order's scope would exclude).",
    )
    petitioner_name = models.CharField(
        max_length=255, help_text="The company asking, as it names itself."
    )
    grounds = models.TextField(
        help_text="Why the order should change, and what the evidence shows."
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.SUBMITTED)
    review_notes = models.TextField(blank=True, help_text="The reviewer's assessment.")
    decision_reason = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="order_petitions"
    )
    is_demo = models.BooleanField(default=False, help_text="Made-up record from the demo data set.")

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("decide_petition", "Can decide a petition to modify or revoke an order")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(state__in=["granted", "partially_granted", "denied"])
                    & Q(decided_on__isnull=False)
                )
                | (Q(state__in=["submitted", "under_review"]) & Q(decided_on__isnull=True)),
                name="petition_decided_on_iff_decided",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_request_display()} {self.order.number} ({self.petitioner_name})"


class PetitionDocument(models.Model):
    """Evidence or a translation supporting a petition, checked and hashed like every upload."""

    class Kind(models.TextChoices):
        EVIDENCE = "evidence", "Evidence"
        TRANSLATION = "translation", "Translation"

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(max_length=200)
    language = models.CharField(
        max_length=40, blank=True, help_text="Language of the document (for translations: into)."
    )
    file = models.FileField(upload_to="orders/petitions/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class OrderModification(models.Model):
    """A change to an issued order: modification, partial revocation, revocation or a periodic
    review that left it as it was. Together with opinions, decisions and petitions these make the
    order's history."""

    class Kind(models.TextChoices):
        MODIFICATION = "modification", "Modification"
        PARTIAL_REVOCATION = "partial_revocation", "Partial revocation"
        REVOCATION = "revocation", "Revocation"
        REVIEW = "review", "Periodic review (no change)"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="modifications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    effective_on = models.DateField()
    description = models.TextField(help_text="What changed and why, in words the public may read.")
    petition = models.ForeignKey(
        Petition,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="modifications",
        help_text="The petition decided by this change, if any.",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.effective_on}"
