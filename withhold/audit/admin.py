from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log can be searched here but never added to, changed or deleted."""

    list_display = ["at", "actor", "action", "object_repr", "field", "old_value", "new_value"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "object_id", "field"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}
