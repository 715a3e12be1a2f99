from .selectors import unread_count


def unread_notices(request):
    """The number shown beside "Notices" in the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notices": unread_count(user)}
