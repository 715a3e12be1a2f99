"""Middleware of the deployment: request ids and request logs, and the Content-Security-Policy."""

import logging
import re
import time
import uuid

from django.conf import settings

from .logs import REQUEST_CONTEXT

request_logger = logging.getLogger("withhold.request")

# A client-supplied request id is kept only if it is a short plain token (proxies set one).
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestLogMiddleware:
    """Give the request an id (``X-Request-ID`` in and out) and log one line when it ends."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if REQUEST_ID_PATTERN.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        context = {"request_id": request_id, "method": request.method, "path": request.path}
        token = REQUEST_CONTEXT.set(context)
        try:
            response = self.get_response(request)
            # Only a user the view already loaded: reading request.user here would cost a
            # session and a user query on requests that never needed them (probes, static).
            user = getattr(request, "_cached_user", None)
            user_id = user.pk if user is not None and user.is_authenticated else None
            context["user_id"] = user_id
            response["X-Request-ID"] = request_id
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            level = logging.ERROR if response.status_code >= 500 else logging.INFO
            request_logger.log(
                level,
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={**context, "status": response.status_code, "duration_ms": duration_ms},
            )
            return response
        finally:
            REQUEST_CONTEXT.reset(token)


def content_security_policy() -> str:
    return "; ".join(
        f"{directive} {' '.join(sources)}".strip()
        for directive, sources in settings.WITHHOLD_CSP.items()
    )


class ContentSecurityPolicyMiddleware:
    """Send ``Content-Security-Policy`` (from ``settings.WITHHOLD_CSP``) on every response that
    does not set its own. Our own twenty lines rather than django-csp: the policy is one fixed
    header (no inline scripts or styles anywhere, so no nonces), and the few pages that need a
    different one (the API's browsable docs) set it on their response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = (
            "Content-Security-Policy-Report-Only"
            if getattr(settings, "WITHHOLD_CSP_REPORT_ONLY", False)
            else "Content-Security-Policy"
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header not in response and settings.WITHHOLD_CSP:
            response[self.header] = content_security_policy()
        return response


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response to a signed-in user (pages, API, downloads),
    to a request that carried credentials (an API token), and to an anonymous visitor whose
    session holds something (an allegation's receipt and follow-up access): no browser, proxy or
    shared computer keeps a copy of what only that reader may see. Public pages (the register,
    the report form) and static files keep their own caching. This is a response header only:
    the per-process page cache (``cases/page_cache.py``) is unaffected."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        private = (
            (user is not None and user.is_authenticated)
            or "HTTP_AUTHORIZATION" in request.META
            or (session is not None and session.accessed and not session.is_empty())
        )
        if private:
            response["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
        return response


def csp_allow_inline_styles(view):
    """For third-party viewers that set styles from script (the API's Swagger UI and Redoc pages,
    staff-only): the site policy plus inline styles and blob: workers. Scripts stay 'self' only."""
    from functools import wraps

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        policy = {key: list(values) for key, values in settings.WITHHOLD_CSP.items()}
        policy["style-src"] = [*policy.get("style-src", []), "'unsafe-inline'"]
        policy["worker-src"] = ["'self'", "blob:"]
        response["Content-Security-Policy"] = "; ".join(
            f"{directive} {' '.join(sources)}" for directive, sources in policy.items()
        )
        return response

    return wrapped
