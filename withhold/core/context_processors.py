from django.conf import settings


def site(request):
    user = getattr(request, "user", None)
    roles = []
    if user is not None and user.is_authenticated:
        roles = user.role_labels()
    return {"site_name": "Withhold", "user_roles": roles, "debug": settings.DEBUG}
