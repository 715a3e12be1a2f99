from django.contrib import admin

from .models import ScheduledJobRun


@admin.register(ScheduledJobRun)
class ScheduledJobRunAdmin(admin.ModelAdmin):
    """Read-only: when each scheduled job last ran in-process, and how it went."""

    list_display = ["name", "last_started_at", "last_finished_at", "runs", "last_result"]
    readonly_fields = [
        "name", "task", "last_started_at", "last_finished_at", "last_result", "last_error", "runs"
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
