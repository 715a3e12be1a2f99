"""Screening of import entry lines against the watch list compiled from active orders, entity lists and the CAATSA presumption."""

from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "withhold.screening"
    label = "screening"
    verbose_name = "Screening"

    def ready(self) -> None:
        # The watch list is compiled from orders, their scope rules and entities, and the entity
        # lists: any change to them raises the version, so the next screening recompiles.
        from django.db.models.signals import post_delete, post_save

        from withhold.entities.models import Entity
        from withhold.orders.models import Order, ScopeRule

        from .models import EntityList
        from .watchlist import watch_list_stamp_bump

        # List entries change only through ``services.entity_list_load``, which raises the
        # version itself; leaving them without receivers keeps their bulk delete one query.
        for model in (Order, ScopeRule, Entity, EntityList):
            for signal in (post_save, post_delete):
                signal.connect(
                    watch_list_stamp_bump,
                    sender=model,
                    dispatch_uid=f"screening-watch-list-{model._meta.label_lower}-{signal}",
                )
