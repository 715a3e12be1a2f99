"""The append-only audit log.

Rows are written only by ``audit.services.audit_record`` inside the transaction of the change they
describe. The model refuses updates and deletes, and database triggers (migration 0002) refuse
them too, so neither a page, the API, the admin nor a shell can rewrite history.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .display import audit_field_label, audit_value_display


class AuditLogIsAppendOnly(Exception):
    pass


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogIsAppendOnly("The audit log is append-only; entries cannot be updated.")

    def delete(self):
        raise AuditLogIsAppendOnly("The audit log is append-only; entries cannot be deleted.")


class AuditAction(models.TextChoices):
    CASE_CREATED = "CASE_CREATED", "Case created"
    CASE_UPDATED = "CASE_UPDATED", "Case updated"
    CASE_DELETED = "CASE_DELETED", "Case deleted"
    CASE_PHASE_CHANGED = "CASE_PHASE_CHANGED", "Case phase changed"
    CASE_STATUS_CHANGED = "CASE_STATUS_CHANGED", "Case status changed"
    CASE_ASSIGNED = "CASE_ASSIGNED", "Case assigned"
    CASE_ENTITY_LINKED = "CASE_ENTITY_LINKED", "Supply-chain entity linked"
    CASE_ENTITY_UNLINKED = "CASE_ENTITY_UNLINKED", "Supply-chain entity unlinked"
    CASE_UPDATE_ADDED = "CASE_UPDATE_ADDED", "Timeline update added"
    CASE_DOCUMENT_ADDED = "CASE_DOCUMENT_ADDED", "Document attached"
    CASE_DOCUMENT_DOWNLOADED = "CASE_DOCUMENT_DOWNLOADED", "Document downloaded"
    TASK_CREATED = "TASK_CREATED", "Task created"
    TASK_UPDATED = "TASK_UPDATED", "Task updated"
    TASK_COMPLETED = "TASK_COMPLETED", "Task completed"
    TASK_CANCELLED = "TASK_CANCELLED", "Task cancelled"
    ENTITY_CREATED = "ENTITY_CREATED", "Entity created"
    ENTITY_UPDATED = "ENTITY_UPDATED", "Entity updated"
    ENTITY_DELETED = "ENTITY_DELETED", "Entity deleted"
    ALLEGATION_RECEIVED = "ALLEGATION_RECEIVED", "Allegation received"
    ALLEGATION_CASE_OPENED = "ALLEGATION_CASE_OPENED", "Case opened from allegation"
    ALLEGATION_ATTACHED = "ALLEGATION_ATTACHED", "Allegation attached to a case"
    ALLEGATION_INFO_REQUESTED = "ALLEGATION_INFO_REQUESTED", "More information requested"
    ALLEGATION_INFO_ANSWERED = "ALLEGATION_INFO_ANSWERED", "Submitter answered a request"
    ALLEGATION_FILES_ADDED = "ALLEGATION_FILES_ADDED", "Submitter added files"
    ALLEGATION_DECLINED = "ALLEGATION_DECLINED", "Allegation declined"
    ALLEGATION_ATTACHMENT_DOWNLOADED = (
        "ALLEGATION_ATTACHMENT_DOWNLOADED",
        "Allegation attachment downloaded",
    )
    IDENTITY_REVEAL_REQUESTED = "IDENTITY_REVEAL_REQUESTED", "Submitter identity requested"
    IDENTITY_REVEAL_GRANTED = "IDENTITY_REVEAL_GRANTED", "Submitter identity request granted"
    IDENTITY_REVEAL_REFUSED = "IDENTITY_REVEAL_REFUSED", "Submitter identity request refused"
    IDENTITY_REVEALED = "IDENTITY_REVEALED", "Submitter identity shown under a granted request"
    ORDER_CREATED = "ORDER_CREATED", "Order drafted"
    ORDER_UPDATED = "ORDER_UPDATED", "Order updated"
    ORDER_CASE_LINKED = "ORDER_CASE_LINKED", "Backing case linked to order"
    ORDER_SCOPE_RULE_ADDED = "ORDER_SCOPE_RULE_ADDED", "Order scope rule added"
    ORDER_SCOPE_RULE_REMOVED = "ORDER_SCOPE_RULE_REMOVED", "Order scope rule removed"
    ORDER_SUBMITTED = "ORDER_SUBMITTED", "Order sent to legal review"
    ORDER_LEGAL_OPINION_RECORDED = "ORDER_LEGAL_OPINION_RECORDED", "Legal opinion on order recorded"
    ORDER_DECIDED = "ORDER_DECIDED", "Order approved or rejected"
    ORDER_ISSUED = "ORDER_ISSUED", "Order issued"
    ORDER_MODIFIED = "ORDER_MODIFIED", "Order modified or revoked"
    ORDER_REVIEWED = "ORDER_REVIEWED", "Order reviewed"
    ORDER_REFERENCE_LOADED = "ORDER_REFERENCE_LOADED", "Order loaded from reference data"
    PETITION_SUBMITTED = "PETITION_SUBMITTED", "Petition to modify or revoke submitted"
    PETITION_DOCUMENT_ADDED = "PETITION_DOCUMENT_ADDED", "Petition document added"
    PETITION_REVIEWED = "PETITION_REVIEWED", "Petition reviewed"
    PETITION_DECIDED = "PETITION_DECIDED", "Petition decided"
    CASE_EVIDENCE_SOURCES_SET = "CASE_EVIDENCE_SOURCES_SET", "Evidence sources derived"
    CASE_ENTITY_REASSIGNED = "CASE_ENTITY_REASSIGNED", "Entity links moved by a merge"
    EVIDENCE_ADDED = "EVIDENCE_ADDED", "Evidence added"
    EVIDENCE_UPDATED = "EVIDENCE_UPDATED", "Evidence updated"
    EVIDENCE_REMOVED = "EVIDENCE_REMOVED", "Evidence removed"
    EVIDENCE_VIEWED = "EVIDENCE_VIEWED", "Evidence viewed"
    EVIDENCE_DOWNLOADED = "EVIDENCE_DOWNLOADED", "Evidence file downloaded"
    SUPPLY_LINK_ADDED = "SUPPLY_LINK_ADDED", "Supply link added"
    SUPPLY_LINK_REMOVED = "SUPPLY_LINK_REMOVED", "Supply link removed"
    ENTITY_MERGED = "ENTITY_MERGED", "Duplicate entity merged"
    TRADE_DATA_UPLOADED = "TRADE_DATA_UPLOADED", "Trade data uploaded"
    ALLEGATION_REPORT_GENERATED = "ALLEGATION_REPORT_GENERATED", "Allegation report generated"
    DETENTION_RECORDED = "DETENTION_RECORDED", "Detention recorded"
    DETENTION_DOCUMENT_ADDED = "DETENTION_DOCUMENT_ADDED", "Detention document added"
    DETENTION_PROOF_SUBMITTED = "DETENTION_PROOF_SUBMITTED", "Proof of admissibility submitted"
    DETENTION_EXPORT_NOTICE_FILED = "DETENTION_EXPORT_NOTICE_FILED", "Export notice filed"
    DETENTION_REVIEW_STARTED = "DETENTION_REVIEW_STARTED", "Detention review started"
    DETENTION_INFORMATION_REQUESTED = (
        "DETENTION_INFORMATION_REQUESTED",
        "More information requested from importer",
    )
    DETENTION_RECOMMENDED = "DETENTION_RECOMMENDED", "Detention recommendation recorded"
    DETENTION_EXCLUSION_PROPOSED = "DETENTION_EXCLUSION_PROPOSED", "Detention exclusion proposed"
    DETENTION_RELEASED = "DETENTION_RELEASED", "Detention released"
    DETENTION_EXPORTED = "DETENTION_EXPORTED", "Detained merchandise exported"
    DETENTION_EXCLUDED = "DETENTION_EXCLUDED", "Detained merchandise excluded"
    DETENTION_SEIZED = "DETENTION_SEIZED", "Detained merchandise seized"
    DETENTION_REMINDER_SENT = "DETENTION_REMINDER_SENT", "Detention deadline reminder sent"
    DETENTIONS_IMPORTED = "DETENTIONS_IMPORTED", "Detentions imported from a file"
    DETENTION_INFORMATION_ANSWERED = (
        "DETENTION_INFORMATION_ANSWERED",
        "Importer answered a request for information",
    )
    UFLPA_REQUEST_FILED = "UFLPA_REQUEST_FILED", "UFLPA applicability review or exception requested"
    UFLPA_REQUEST_DECIDED = "UFLPA_REQUEST_DECIDED", "UFLPA request decided or closed"
    UFLPA_EXCEPTION_GRANTED = "UFLPA_EXCEPTION_GRANTED", "UFLPA exception granted"
    UFLPA_EXCEPTION_DENIED = "UFLPA_EXCEPTION_DENIED", "UFLPA exception denied"
    CONGRESS_REPORT_SENT = "CONGRESS_REPORT_SENT", "UFLPA exception reported to Congress"
    LEGACY_IMPORT_RUN = "LEGACY_IMPORT_RUN", "Legacy case spreadsheet imported"
    LEGACY_CASE_IMPORTED = "LEGACY_CASE_IMPORTED", "Case imported from the legacy spreadsheet"
    LEGACY_RECORD_REVIEWED = "LEGACY_RECORD_REVIEWED", "Imported legacy case reviewed"
    QUALITY_SNAPSHOT_TAKEN = "QUALITY_SNAPSHOT_TAKEN", "Data-quality snapshot taken"
    LEGACY_UPLOAD_STORED = "LEGACY_UPLOAD_STORED", "Legacy spreadsheet stored after a dry run"
    LEGACY_UPLOAD_DELETED = "LEGACY_UPLOAD_DELETED", "Stored legacy spreadsheet deleted"
    COMMODITY_CREATED = "COMMODITY_CREATED", "Commodity added to the controlled list"
    IMPORTER_ACCOUNT_ADDED = "IMPORTER_ACCOUNT_ADDED", "Importer user tied to a company"
    IMPORTER_ACCOUNT_REMOVED = "IMPORTER_ACCOUNT_REMOVED", "Importer user untied from a company"
    OUTREACH_RECORDED = "OUTREACH_RECORDED", "Outreach activity recorded"
    OUTREACH_CHANGED = "OUTREACH_CHANGED", "Outreach activity changed"
    OUTREACH_DELETED = "OUTREACH_DELETED", "Outreach activity deleted"
    KPI_TARGET_SET = "KPI_TARGET_SET", "KPI target set"
    WORKFORCE_COMPETENCY_ADDED = "WORKFORCE_COMPETENCY_ADDED", "Required competency added"
    WORKFORCE_COMPETENCY_CHANGED = "WORKFORCE_COMPETENCY_CHANGED", "Required competency changed"
    WORKFORCE_STAFF_COMPETENCY_RECORDED = (
        "WORKFORCE_STAFF_COMPETENCY_RECORDED",
        "Staff competency recorded",
    )
    WORKFORCE_TRAINING_PLANNED = "WORKFORCE_TRAINING_PLANNED", "Training planned"
    WORKFORCE_TRAINING_STATUS_CHANGED = (
        "WORKFORCE_TRAINING_STATUS_CHANGED",
        "Training status changed",
    )
    WORKFORCE_SCENARIO_SAVED = "WORKFORCE_SCENARIO_SAVED", "Staffing scenario saved"
    ENTITY_LIST_LOADED = "ENTITY_LIST_LOADED", "Entity list loaded for screening"
    SCREENING_RUN_STARTED = "SCREENING_RUN_STARTED", "Screening run started"
    SCREENING_RUN_FINISHED = "SCREENING_RUN_FINISHED", "Screening run finished"
    SCREENING_HIT_JUDGED = "SCREENING_HIT_JUDGED", "Screening hit judged"
    SCREENED_LINES_PURGED = "SCREENED_LINES_PURGED", "Stored entry lines purged"
    API_TOKEN_CREATED = "API_TOKEN_CREATED", "API token issued"
    API_TOKEN_REVOKED = "API_TOKEN_REVOKED", "API token revoked"
    FIELD_KEYS_ROTATED = "FIELD_KEYS_ROTATED", "Field encryption keys rotated"
    ALLEGATION_IDENTITY_ERASED = (
        "ALLEGATION_IDENTITY_ERASED",
        "Submitter identity erased after the retention period",
    )
    ALLEGATION_LITIGATION_HOLD_SET = "ALLEGATION_LITIGATION_HOLD_SET", "Litigation hold set"
    ALLEGATION_LITIGATION_HOLD_RELEASED = (
        "ALLEGATION_LITIGATION_HOLD_RELEASED",
        "Litigation hold released",
    )


class AuditEntry(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who made the change; empty for the system (scheduled jobs, migrations).",
    )
    action = models.CharField(max_length=40, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(max_length=60, help_text="app_label.model of the changed record")
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(max_length=200)
    case_id = models.BigIntegerField(
        null=True, blank=True, db_index=True, help_text="The case the change belongs to, if any."
    )
    field = models.CharField(max_length=60, blank=True)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogIsAppendOnly("The audit log is append-only; entries cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("The audit log is append-only; entries cannot be deleted.")

    # For pages: the changed field and its values as a reader knows them (``display.py``).
    def field_label(self) -> str:
        return audit_field_label(self.object_type, self.field) if self.field else ""

    def old_display(self) -> str:
        return audit_value_display(self.object_type, self.field, self.old_value)

    def new_display(self) -> str:
        return audit_value_display(self.object_type, self.field, self.new_value)
