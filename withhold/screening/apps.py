from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "withhold.screening"
    label = "screening"
    verbose_name = "Screening"
