from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "withhold.core"
    label = "core"
    verbose_name = "Core"
