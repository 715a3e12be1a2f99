from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "withhold.audit"
    label = "audit"
    verbose_name = "Audit log"
