from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "withhold.orders"
    label = "orders"
    verbose_name = "Enforcement orders"

    def ready(self) -> None:
        # The public register's answers are kept in the cache (register_cache): anything shown
        # on it changing raises the register version, so the next reader sees the change.
        from django.db.models.signals import post_delete, post_save

        from withhold.entities.models import Entity
        from withhold.reference.models import Commodity

        from .models import Order, OrderModification, OrderSource, ScopeRule
        from .register_cache import register_version_bump

        for model in (Order, ScopeRule, OrderSource, OrderModification, Entity, Commodity):
            for signal in (post_save, post_delete):
                signal.connect(
                    register_version_bump,
                    sender=model,
                    dispatch_uid=f"orders-register-{model._meta.label_lower}-{signal}",
                )
