from django.apps import AppConfig


class DetentionsConfig(AppConfig):
    name = "withhold.detentions"
    label = "detentions"
    verbose_name = "Detentions"
