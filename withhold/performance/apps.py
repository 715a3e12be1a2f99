from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "withhold.performance"
    label = "performance"
    verbose_name = "Performance"
