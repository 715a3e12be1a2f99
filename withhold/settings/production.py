"""Production: DEBUG off, secrets and hosts from the environment, secure cookies, HSTS, JSON logs.

Every default here is the safe one. For a plain-HTTP trial on loopback (``make serve-prod`` on a
laptop, the load benchmark) the redirect to HTTPS and the secure-cookie flags can be switched off
with ``SECURE_SSL_REDIRECT=false`` and ``SECURE_COOKIES=false``; never do that on a network.
"""

import os

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import LOGGING, env_bool

DEBUG = False
if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("Set SECRET_KEY in the environment for production.")
if len(SECRET_KEY) < 32:  # noqa: F405
    raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long in production.")
if not WITHHOLD_FIELD_KEYS:  # noqa: F405
    raise ImproperlyConfigured(
        "Set WITHHOLD_FIELD_KEYS in the environment for production: the Fernet key(s) that "
        "encrypt informants' identities at rest (docs/operations.md, 'Field encryption keys')."
    )
for _position, _key in enumerate(WITHHOLD_FIELD_KEYS, start=1):  # noqa: F405
    try:
        Fernet(_key)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"WITHHOLD_FIELD_KEYS: key {_position} is not a Fernet key (32 url-safe base64 bytes; "
            "make one with `withhold rotate-field-keys --new-key`)."
        ) from exc
if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("Set ALLOWED_HOSTS to the site's host names (no wildcard).")

# Notices go out by SMTP: EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
# EMAIL_USE_TLS or EMAIL_USE_SSL, DEFAULT_FROM_EMAIL (docs/operations.md, "E-mail and notices").
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# The health probes answer over plain HTTP so a load balancer can ask on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# The reverse proxy terminates TLS and must set (overwrite) X-Forwarded-Proto; gunicorn listens
# only on loopback or a private network behind it.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
# With a shared cache (Redis), a signed-in request reads its session from the cache instead of
# PostgreSQL; every write still goes to the database too, so a cache flush signs nobody out.
if os.environ.get("CACHE_URL"):
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# One JSON object per line on standard error, with the request id, user id, path, status and
# duration of the request it belongs to (withhold.operations.logs).
LOGGING = {
    **LOGGING,
    "filters": {"request": {"()": "withhold.operations.logs.RequestContextFilter"}},
    "formatters": {"json": {"()": "withhold.operations.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request"],
        }
    },
}
LOGGING["loggers"] = {
    **LOGGING["loggers"],
    "withhold.request": {"level": os.environ.get("REQUEST_LOG_LEVEL", "INFO")},
}
if not env_bool("LOG_JSON", True):
    LOGGING["handlers"]["console"]["formatter"] = "plain"
    LOGGING["formatters"]["plain"] = {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
