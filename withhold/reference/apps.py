from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "withhold.reference"
    label = "reference"
    verbose_name = "Reference data"
