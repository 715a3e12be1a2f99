from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "withhold.operations"
    label = "operations"
    verbose_name = "Operations"
