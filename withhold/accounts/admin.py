from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_demo"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Withhold", {"fields": ("job_title", "is_demo")}),
    )
