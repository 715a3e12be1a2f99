from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "withhold.workforce"
    label = "workforce"
    verbose_name = "Workforce"
