from django.apps import AppConfig


class EntitiesConfig(AppConfig):
    name = "withhold.entities"
    label = "entities"
    verbose_name = "Supply-chain entities"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .models import Entity
        from .selectors import ENTITIES

        for signal in (post_save, post_delete):
            signal.connect(ENTITIES.bump, sender=Entity, dispatch_uid=f"entities-stamp-{signal}")
