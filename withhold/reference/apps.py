from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "withhold.reference"
    label = "reference"
    verbose_name = "Reference data"

    def ready(self) -> None:
        # Choice lists of commodities are kept in the shared cache (selectors.COMMODITIES).
        from django.db.models.signals import post_delete, post_save

        from .models import Commodity
        from .selectors import COMMODITIES

        for signal in (post_save, post_delete):
            signal.connect(
                COMMODITIES.bump,
                sender=Commodity,
                dispatch_uid=f"reference-commodities-{signal}",
            )
