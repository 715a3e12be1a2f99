"""A small per-address rate limiter on Django's cache, for the public intake pages and API.

Fixed windows: each (scope, address) may make ``limit`` attempts in each ``window``-second
window. The cache key includes the window's number, so counts expire on their own. Limits are
settings (``WITHHOLD["INTAKE_SUBMIT_RATE"]`` etc., written "attempts/seconds").
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Rate:
    limit: int
    window: int

    @classmethod
    def parse(cls, text: str) -> "Rate":
        """``"5/3600"``: five attempts an hour."""
        limit, _, window = text.partition("/")
        rate = cls(limit=int(limit), window=int(window or 60))
        if rate.limit < 1 or rate.window < 1:
            raise ValueError(f"A rate must be two positive numbers, attempts/seconds: {text!r}")
        return rate


def rate_for(setting_name: str) -> Rate:
    return Rate.parse(settings.WITHHOLD[setting_name])


def client_address(request) -> str:
    """The client's IP address as the web server saw it. Behind a reverse proxy, configure the
    proxy to set REMOTE_ADDR; a client-supplied X-Forwarded-For is never trusted."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def _cache_key(scope: str, key: str, rate: Rate, moment: float) -> str:
    return f"withhold:ratelimit:{scope}:{key}:{int(moment // rate.window)}"


def rate_limit_reached(*, scope: str, key: str, rate: Rate, now: float | None = None) -> bool:
    """Whether ``key`` has used up this window's attempts, without counting one: for limits that
    count only what succeeded (a receipted report), checked before the attempt and counted with
    ``rate_limit_hit`` after it."""
    moment = time.time() if now is None else now
    return (cache.get(_cache_key(scope, key, rate, moment)) or 0) >= rate.limit


def rate_limit_hit(*, scope: str, key: str, rate: Rate, now: float | None = None) -> bool:
    """Count one attempt; True if it is over the limit (the caller refuses it)."""
    moment = time.time() if now is None else now
    cache_key = _cache_key(scope, key, rate, moment)
    if cache.add(cache_key, 1, timeout=rate.window + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.add(cache_key, 1, timeout=rate.window + 1)
            count = 1
    return count > rate.limit


def rate_limit_retry_after(*, rate: Rate, now: float | None = None) -> int:
    """Seconds until the current window ends."""
    moment = time.time() if now is None else now
    return int(rate.window - (moment % rate.window)) + 1
