"""``/healthz`` and ``/readyz``: JSON, no sign-in, nothing secret."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import health


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and answering. Says nothing about the database."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready to serve: 200 when every check passes, 503 naming the failed ones otherwise."""
    results = health.readiness_checks()
    ready = all(ok for ok, _ in results.values())
    body = {
        "status": "ok" if ready else "unavailable",
        "checks": {name: detail for name, (_, detail) in results.items()},
    }
    return JsonResponse(body, status=200 if ready else 503)
