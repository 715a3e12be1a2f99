"""The admin shows cases read-only: phase, status and fields change only through the case pages,
the API and the command line, which apply the workflow rules and write the audit trail."""

from django.contrib import admin

from .models import Case, CaseTransition, Task


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TransitionInline(admin.TabularInline):
    model = CaseTransition
    extra = 0
    can_delete = False
    fields = ["at", "kind", "from_phase", "to_phase", "from_status", "to_status", "actor", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "phase", "status", "source_country", "opened_on", "is_demo"]
    list_filter = ["phase", "status", "referral_source", "is_demo", "law_enforcement_sensitive"]
    search_fields = ["number", "title"]
    inlines = [TransitionInline]


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ["title", "case", "owner", "due_on", "state"]
    list_filter = ["state", "kind"]
