"""Sign-in page: Django's login view, listing the demo accounts when the demo data is loaded."""

from django.contrib.auth import get_user_model
from django.contrib.auth.views import LoginView


class SignInView(LoginView):
    """Django's ``LoginView`` on ``accounts/login.html``; signed-in users go straight on.

    When the demo data set is loaded, the page lists its accounts (``demo_users``: pairs of
    username and role labels) so that a reviewer can try each role.
    """

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        users = (
            get_user_model()
            .objects.filter(is_demo=True, is_active=True)
            .prefetch_related("groups")
            .order_by("username")
        )
        context["demo_users"] = [(user.username, ", ".join(user.role_labels())) for user in users]
        return context
