"""Read queries on the reference tables."""

from withhold.core.stamps import Stamp

from .models import Commodity

# Raised by any save or delete of a commodity (apps.ReferenceConfig.ready).
COMMODITIES = Stamp("reference:commodities")


def commodity_options() -> list[tuple[int, str]]:
    """Every commodity as ``(pk, label)``, for a choice list (kept under ``COMMODITIES``)."""
    return COMMODITIES.remember(
        "options", lambda: [(c.pk, str(c)) for c in Commodity.objects.order_by("name")]
    )
