from django.utils import timezone

from . import register_cache
from .selectors import reviews_overdue_count


def order_reviews_overdue(request):
    """The number of active orders past their review date, for supervisors' navigation
    (GAO-21-106: the division could not re-review active orders).

    The count is the same for everyone allowed to see it, so it is kept in the shared cache
    beside the register's answers: any change to an order (a review, an issue, a revocation)
    raises the same version, so the count is never older than the last change."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if not user.has_perm("orders.view_overdue_reviews"):
        return {"order_reviews_overdue": 0}
    today = timezone.localdate()
    if register_cache.seconds() <= 0:
        return {"order_reviews_overdue": reviews_overdue_count(user=user, today=today)}
    return {
        "order_reviews_overdue": register_cache.remember(
            f"reviews-overdue:{today.isoformat()}",
            lambda: reviews_overdue_count(user=user, today=today),
        )
    }
