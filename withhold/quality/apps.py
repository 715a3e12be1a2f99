from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "withhold.quality"
    label = "quality"
    verbose_name = "Data quality"
