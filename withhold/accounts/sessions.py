"""How long a staff sign-in lasts: an idle timeout and an absolute lifetime.

Django's own session expiry is a single age that every saved session renews, so it cannot say
both "signed out after 30 minutes without a request" and "signed out 12 hours after signing in,
however busy". ``SessionTimeoutMiddleware`` keeps two instants in the session — when the user
signed in and when they were last seen — and signs the user out when either limit has passed.
The last-seen instant is written at most once a minute, so a busy reader does not cost a session
write on every request. ``SESSION_COOKIE_AGE`` is set to the absolute lifetime as well, so the
browser drops the cookie by then too.
"""

import time

from django.conf import settings
from django.contrib.auth import logout

SIGNED_IN_AT = "withhold_signed_in_at"
LAST_SEEN_AT = "withhold_last_seen_at"
LAST_SEEN_GRANULARITY = 60


def session_mark_signed_in(sender, request, user, **kwargs):
    """``user_logged_in`` receiver: start both clocks at the sign-in."""
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


def session_expired(session, *, now: float) -> str | None:
    """Why a signed-in session has ended (``"idle"`` or ``"lifetime"``), or None."""
    signed_in = session.get(SIGNED_IN_AT)
    last_seen = session.get(LAST_SEEN_AT, signed_in)
    if signed_in is not None and now - signed_in >= settings.SESSION_COOKIE_AGE:
        return "lifetime"
    if last_seen is not None and now - last_seen >= settings.WITHHOLD_SESSION_IDLE_SECONDS:
        return "idle"
    return None


class SessionTimeoutMiddleware:
    """After ``AuthenticationMiddleware``: signs out a session that has been idle for
    ``WITHHOLD_SESSION_IDLE_SECONDS`` or signed in for ``SESSION_COOKIE_AGE`` seconds; the
    request then goes on as anonymous (pages send it to the sign-in page, the API answers 403)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            session = request.session
            if SIGNED_IN_AT not in session:
                # Signed in before these clocks existed: start them now.
                session[SIGNED_IN_AT] = int(now)
                session[LAST_SEEN_AT] = int(now)
            elif session_expired(session, now=now):
                logout(request)
            elif now - session.get(LAST_SEEN_AT, 0) >= LAST_SEEN_GRANULARITY:
                session[LAST_SEEN_AT] = int(now)
        return self.get_response(request)
