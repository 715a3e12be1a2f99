from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "withhold.intake"
    label = "intake"
    verbose_name = "Allegation intake"
