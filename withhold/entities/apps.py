from django.apps import AppConfig


class EntitiesConfig(AppConfig):
    name = "withhold.entities"
    label = "entities"
    verbose_name = "Supply-chain entities"
