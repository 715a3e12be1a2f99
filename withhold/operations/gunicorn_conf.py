"""gunicorn settings for ``make serve-prod`` (``gunicorn -c python:withhold.operations.gunicorn_conf``).

Every value can be overridden by the environment: ``WEB_BIND`` (default 127.0.0.1:8000: put a
TLS-terminating proxy in front), ``WEB_WORKERS`` (default 2 × CPUs + 1), ``WEB_THREADS`` (1),
``WEB_TIMEOUT`` (30 s), ``WEB_MAX_REQUESTS`` (1000, with jitter, to recycle workers),
``WEB_PRELOAD`` (true).

With ``WEB_PRELOAD`` the master process loads Withhold once and warms it up (imports every view,
compiles every template: ``withhold.operations.warmup``) before it forks the workers, so a new
worker, or one replacing a recycled one, starts in milliseconds instead of spending two seconds
of CPU loading the same code again. Code changes then need a restart, not a ``HUP``.
"""

import multiprocessing
import os

bind = os.environ.get("WEB_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("WEB_THREADS", "1"))
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("WEB_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("WEB_KEEPALIVE", "5"))
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "1000"))
max_requests_jitter = max_requests // 10
# Requests are logged by Withhold itself as JSON (withhold.operations.middleware); gunicorn's
# access log would only repeat them.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Headers from the proxy (X-Forwarded-Proto) are trusted only from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
wsgi_app = "withhold.wsgi:application"
preload_app = os.environ.get("WEB_PRELOAD", "true").lower() in {"1", "true", "yes", "on"}


def when_ready(server):
    """In the master, after the application is loaded and before any worker is forked."""
    if preload_app:
        from withhold.operations.warmup import warm_up

        warm_up()
