"""The outreach and engagement log, and the targets (and entered baselines) a supervisor sets for
the key performance indicators of GAO-21-106 table 3. The indicators themselves are defined in
``kpis.py``; nothing here stores a computed figure."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from withhold.core.models import TimeStampedModel


class OutreachKind(models.TextChoices):
    """What sort of activity it was."""

    PRESENTATION = "presentation", "Presentation or conference talk"
    TRAINING = "training", "Training session"
    MEETING = "meeting", "Meeting"
    WEBINAR = "webinar", "Webinar"
    ROUNDTABLE = "roundtable", "Roundtable or working group"
    SITE_VISIT = "site_visit", "Site visit"
    PUBLICATION = "publication", "Published guidance or notice"
    OTHER = "other", "Other"


class OutreachAudience(models.TextChoices):
    """Who the activity reached (GAO-21-106: business community, foreign governments, NGOs)."""

    INDUSTRY = "industry", "Industry and trade associations"
    NGO = "ngo", "Non-governmental organizations and civil society"
    FOREIGN_GOVERNMENT = "foreign_government", "Foreign governments"
    US_GOVERNMENT = "us_government", "U.S. government agencies"
    ACADEMIA = "academia", "Academia and researchers"
    WORKERS = "workers", "Workers and worker representatives"
    PUBLIC = "public", "General public and media"
    MIXED = "mixed", "Mixed audience"


class Indicator(models.TextChoices):
    """The eight key performance indicators of GAO-21-106 table 3, in its order, with shipment
    detentions also counted by basis (a WRO or Finding under Section 307, or the UFLPA
    presumption) and the reviews of importers' proof by the same bases, so UFLPA work shows
    beside Section 307 work; then the importers' UFLPA requests (applicability reviews and
    exception requests, UFLPA section 3(b)) and the reports to Congress of granted exceptions
    (section 3(c), due within 30 days of the grant)."""

    OUTREACH = "outreach", "Outreach and engagement activities"
    WROS = "wros", "Withhold Release Orders"
    PENALTIES = "penalties", "Penalties"
    SEIZURES = "seizures", "Seizures"
    DETENTIONS = "detentions", "Shipment detentions"
    DETENTIONS_SECTION_307 = (
        "detentions_section_307",
        "Shipment detentions under a WRO or Finding (Section 307)",
    )
    DETENTIONS_UFLPA = "detentions_uflpa", "Shipment detentions under the UFLPA presumption"
    REVIEWS_SECTION_307 = "reviews_section_307", "Proof reviews: WRO or Finding (Section 307)"
    REVIEWS_UFLPA = "reviews_uflpa", "Proof reviews: UFLPA presumption"
    UFLPA_REVIEWS_REQUESTED = (
        "uflpa_reviews_requested",
        "UFLPA applicability reviews requested",
    )
    UFLPA_REVIEWS_DECIDED = "uflpa_reviews_decided", "UFLPA applicability reviews decided"
    UFLPA_EXCEPTIONS_REQUESTED = (
        "uflpa_exceptions_requested",
        "UFLPA exception requests (section 3(b))",
    )
    UFLPA_EXCEPTIONS_GRANTED = "uflpa_exceptions_granted", "UFLPA exceptions granted"
    CONGRESS_REPORTS_ON_TIME = (
        "congress_reports_on_time",
        "Reports to Congress of exceptions sent within 30 days",
    )
    CONGRESS_REPORTS_LATE = (
        "congress_reports_late",
        "Reports to Congress of exceptions sent late",
    )
    ACTIVE = "active_investigations", "Active investigations"
    SUSPENDED = "investigations_suspended", "Investigations suspended"
    CLOSED = "investigations_closed", "Investigations closed"


class OutreachActivity(TimeStampedModel):
    """One outreach or engagement activity; each counts once in the outreach indicator."""

    Kind = OutreachKind
    Audience = OutreachAudience

    held_on = models.DateField(
        help_text="Date the activity took place; the outreach indicator counts it in this month."
    )
    title = models.CharField(max_length=200, help_text="Short name of the activity.")
    kind = models.CharField(
        max_length=16, choices=OutreachKind.choices, help_text="What sort of activity it was."
    )
    audience = models.CharField(
        max_length=20, choices=OutreachAudience.choices, help_text="Who the activity reached."
    )
    country = models.CharField(
        max_length=2,
        help_text="ISO 3166-1 alpha-2 code of the country where it took place (or, for a "
        "remote activity, of the audience).",
    )
    organisations = models.TextField(
        blank=True,
        help_text="Organisations taking part, one per line (companies, associations, agencies).",
    )
    participants = models.PositiveIntegerField(
        help_text="Number of people who took part, not counting the division's own staff."
    )
    notes = models.TextField(blank=True, help_text="What was covered and any follow-up.")
    is_demo = models.BooleanField(
        default=False, help_text="Made-up record from the demo data set, not a real activity."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = "outreach activity"
        verbose_name_plural = "outreach activities"
        indexes = [models.Index(fields=["held_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OutreachKind.values), name="outreach_kind_in_vocabulary"
            ),
            models.CheckConstraint(
                condition=Q(audience__in=OutreachAudience.values),
                name="outreach_audience_in_vocabulary",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"

    @property
    def organisation_list(self) -> list[str]:
        return [line.strip() for line in self.organisations.splitlines() if line.strip()]


class KpiTarget(models.Model):
    """A supervisor's target for one indicator in one fiscal year, and optionally an entered
    baseline. Written once, never edited: setting it again adds a row, so the rows are the
    history and the latest one is in force."""

    indicator = models.CharField(
        max_length=32, choices=Indicator.choices, help_text="The key performance indicator."
    )
    fiscal_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2000)],
        help_text="Federal fiscal year the target is for: FY2027 runs 1 Oct 2026 to 30 Sep 2027.",
    )
    target = models.PositiveIntegerField(
        help_text="The figure aimed for: the full-year count for a count of events, the level at "
        "each month end for active investigations."
    )
    baseline = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Baseline entered by the supervisor; empty to use the one computed from the "
        "prior fiscal year.",
    )
    reason = models.TextField(
        help_text="Why this target (and baseline), in the supervisor's words."
    )
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-set_at", "-id"]
        verbose_name = "KPI target"
        permissions = [
            ("view_kpis", "Can read the key performance indicators"),
            ("set_kpi_target", "Can set KPI targets and baselines"),
        ]
        indexes = [models.Index(fields=["indicator", "fiscal_year", "-set_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(indicator__in=Indicator.values), name="kpi_target_indicator_known"
            ),
        ]

    def __str__(self) -> str:
        return f"FY{self.fiscal_year} {self.get_indicator_display()}: {self.target}"
