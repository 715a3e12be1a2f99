from django.utils import timezone

from .selectors import reviews_overdue_count


def order_reviews_overdue(request):
    """The number of active orders past their review date, for supervisors' navigation
    (GAO-21-106: the division could not re-review active orders)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"order_reviews_overdue": reviews_overdue_count(user=user, today=timezone.localdate())}
