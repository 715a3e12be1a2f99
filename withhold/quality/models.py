"""Bookkeeping of legacy imports and the history of the data-quality report.

Cases themselves stay in ``cases``; a ``LegacyRecord`` says which spreadsheet row became which
case (or why it did not), so a re-run of the same file finds its rows again instead of
duplicating them, and "needs review" is a flag here with the list of what could not be mapped.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from withhold.cases.models import Case


class LegacyImportRun(models.Model):
    """One run of ``withhold import-cases`` (or the upload page) that was written."""

    file_name = models.CharField(max_length=255, help_text="Name of the imported file.")
    file_sha256 = models.CharField(max_length=64, db_index=True, help_text="SHA-256 of the file.")
    mapping_text = models.TextField(help_text="The TOML mapping file used, as given.")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    counts = models.JSONField(default=dict, help_text="Rows per outcome.")

    class Meta:
        ordering = ["-at", "-id"]
        permissions = [
            ("import_legacy", "Can import legacy case spreadsheets"),
            ("review_legacy", "Can mark imported legacy cases as reviewed"),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({timezone.localtime(self.at):%Y-%m-%d %H:%M})"


class LegacyRecord(models.Model):
    """What became of one spreadsheet row."""

    class Outcome(models.TextChoices):
        IMPORTED = "imported", "Imported"
        NEEDS_REVIEW = "needs_review", "Imported, needs review"
        REJECTED = "rejected", "Rejected"
        SKIPPED = "skipped", "Not a case (empty row, heading repeated, or a note)"

    run = models.ForeignKey(LegacyImportRun, on_delete=models.PROTECT, related_name="records")
    row_number = models.PositiveIntegerField(help_text="Row in the spreadsheet (1 = headings).")
    source_key = models.CharField(
        max_length=80,
        help_text="Stable key of the row: the legacy case number, or a hash of the row's cells.",
    )
    legacy_number = models.CharField(max_length=80, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    issues = models.JSONField(default=list, help_text="What could not be mapped, or why rejected.")
    normalisations = models.JSONField(default=list, help_text="Every value changed on the way in.")
    raw = models.JSONField(default=dict, help_text="The row's cells by field, as read.")
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="legacy_records"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["run", "row_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_key"],
                condition=~Q(outcome__in=["rejected", "skipped"]),
                name="legacy_record_one_case_per_source_key",
            )
        ]
        indexes = [models.Index(fields=["outcome", "reviewed_at"])]

    def __str__(self) -> str:
        return f"row {self.row_number}: {self.get_outcome_display()}"

    @property
    def awaiting_review(self) -> bool:
        return self.outcome == self.Outcome.NEEDS_REVIEW and self.reviewed_at is None


class QualitySnapshot(models.Model):
    """The data-quality report's figures at one moment, so the trend shows."""

    taken_at = models.DateTimeField(auto_now_add=True, db_index=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cases = models.PositiveIntegerField(help_text="Cases counted (active, suspended, inactive).")
    fields_total = models.PositiveIntegerField()
    fields_missing = models.PositiveIntegerField(
        help_text="Fields with at least one missing entry."
    )
    fields_inconsistent = models.PositiveIntegerField(
        help_text="Fields with at least one inconsistent value."
    )
    cases_flagged = models.PositiveIntegerField(help_text="Cases failing a consistency rule.")
    detail = models.JSONField(default=dict, help_text="Per field and per rule counts.")

    class Meta:
        ordering = ["-taken_at", "-id"]
        permissions = [
            ("view_quality_report", "Can see the data-quality report for own cases"),
            ("view_all_quality", "Can see the data-quality report for every case"),
        ]

    def __str__(self) -> str:
        return f"Data quality {timezone.localtime(self.taken_at):%Y-%m-%d %H:%M}"


class PendingLegacyUpload(models.Model):
    """A legacy spreadsheet and its mapping kept after a dry run on the upload page, so the
    same person can import them without choosing the files again. Deleted (with the stored
    file) a day after upload if never imported; see ``services.legacy_uploads_purge``."""

    file = models.FileField(upload_to="quality/legacy/%Y/%m/", help_text="The stored spreadsheet.")
    file_name = models.CharField(max_length=255, help_text="Name of the file as uploaded.")
    file_sha256 = models.CharField(max_length=64, help_text="SHA-256 of the stored spreadsheet.")
    mapping_text = models.TextField(help_text="The TOML mapping file, as uploaded.")
    mapping_sha256 = models.CharField(max_length=64, help_text="SHA-256 of the mapping file.")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, db_index=True)
    counts = models.JSONField(default=dict, help_text="Rows per outcome in the dry run.")
    run = models.OneToOneField(
        LegacyImportRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="upload",
        help_text="The import made from these files, once imported.",
    )
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} (uploaded {timezone.localtime(self.uploaded_at):%Y-%m-%d %H:%M})"

    @property
    def rows_to_write(self) -> int:
        """Rows the dry run would import (cleanly or needing review)."""
        return int(self.counts.get("imported", 0)) + int(self.counts.get("needs_review", 0))
