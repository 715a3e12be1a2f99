from django.apps import AppConfig


class UflpaStatisticsConfig(AppConfig):
    name = "withhold.uflpa_statistics"
    label = "uflpa_statistics"
    verbose_name = "UFLPA statistics"
