from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "withhold.cases"
    label = "cases"
    verbose_name = "Cases"
