from django.contrib import admin

from .models import Notice


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    """Read-only: how each notice's sending went (delivered, waiting for a retry, failed), to
    find what a mail server refused. The text is not shown: it was written for its recipient."""

    list_display = [
        "created_at", "recipient", "kind", "status", "attempts", "sent_at", "next_attempt_at"
    ]  # fmt: skip
    list_filter = ["status", "kind"]
    fields = [
        "created_at", "recipient", "kind", "status", "attempts", "last_error", "sent_at",
        "next_attempt_at", "read_at", "related_type", "related_id",
    ]  # fmt: skip
    readonly_fields = fields
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
