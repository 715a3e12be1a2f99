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

        # An order issued or changed (or its scope rules) re-screens the stored entry lines
        # against that order alone, after the commit; the task does nothing when what the
        # watch list holds of the order did not change.
        for model in (Order, ScopeRule):
            for signal in (post_save, post_delete):
                signal.connect(
                    order_rescreen_queue,
                    sender=model,
                    dispatch_uid=f"screening-rescreen-{model._meta.label_lower}-{signal}",
                )


def order_rescreen_queue(sender, instance, **_kwargs) -> None:
    from django.db import transaction

    from withhold.orders.models import ACTIVE_STATUSES, Order

    order_id = instance.pk if sender is Order else instance.order_id
    if sender is Order and instance.status not in ACTIVE_STATUSES:
        return
    if order_id is None:
        return

    def queue() -> None:
        from .tasks import order_rescreen

        order_rescreen.delay(order_id)

    # robust: a re-screening that fails is logged, and never fails the committed order change.
    transaction.on_commit(queue, robust=True)
