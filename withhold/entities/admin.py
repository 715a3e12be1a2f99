from django.contrib import admin

from .models import Entity


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    """Read-only: entity changes go through the entity pages so they are audited."""

    list_display = ["name", "kind", "country", "is_demo"]
    list_filter = ["kind", "country", "is_demo"]
    search_fields = ["name", "registration_number", "imo_number"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
