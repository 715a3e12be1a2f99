"""Optimistic locking on orders: an edit from a version someone else has saved over is refused,
naming who changed the order, and nothing of it is saved."""

import pytest

from withhold.core.concurrency import StaleVersionError
from withhold.orders import services
from withhold.orders.models import Order


def test_stale_order_edit_is_refused_and_names_who_changed_it(draft, supervisor):
    opened_at = Order.objects.get(pk=draft.pk).version
    services.order_update(
        order=draft, actor=supervisor, merchandise="Cotton yarn", version=opened_at
    )
    with pytest.raises(StaleVersionError) as refused:
        services.order_update(
            order=draft, actor=supervisor, merchandise="Something else", version=opened_at
        )
    assert refused.value.message.startswith("This order was changed by ")
    assert "your changes were not saved — reload to see theirs" in refused.value.message
    assert Order.objects.get(pk=draft.pk).merchandise == "Cotton yarn"


def test_every_order_step_raises_the_version(draft, supervisor):
    before = Order.objects.get(pk=draft.pk).version
    services.order_submit(order=draft, actor=supervisor)
    assert Order.objects.get(pk=draft.pk).version == before + 1
