"""Settings shared by every environment. Twelve-factor: everything that differs comes from the
environment (``DATABASE_URL``, ``SECRET_KEY``, ``CELERY_BROKER_URL``, ...)."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("WITHHOLD_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "withhold.core",
    "withhold.accounts",
    "withhold.audit",
    "withhold.reference",
    "withhold.notices",
    "withhold.entities",
    "withhold.cases",
    "withhold.intake",
    "withhold.orders",
    "withhold.evidence",
    "withhold.detentions",
    "withhold.screening",
    "withhold.performance",
    "withhold.quality",
    "withhold.workforce",
    "withhold.uflpa_statistics",
    "withhold.operations",
    "withhold.workday",
]

MIDDLEWARE = [
    # First: the request id and the one log line per request (withhold.operations.logs).
    "withhold.operations.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "withhold.operations.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Idle timeout and absolute lifetime of a sign-in (withhold.accounts.sessions).
    "withhold.accounts.sessions.SessionTimeoutMiddleware",
    # Cache-Control: no-store on every signed-in response (withhold.operations.middleware).
    "withhold.operations.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires: it turns a locked-out sign-in into a 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "withhold.urls"
WSGI_APPLICATION = "withhold.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "withhold.core.context_processors.site",
                "withhold.orders.context_processors.order_reviews_overdue",
                "withhold.notices.context_processors.unread_notices",
                "withhold.workday.context_processors.menu",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'withhold.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # JIT compilation costs 20 ms on every filtered count of the case list and wins nothing on
    # these short OLTP queries (measured in benchmarks/cases.py; docs/benchmarks.md).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workday:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Staff sign-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one
# username from one address, that pair is locked out for AXES_COOLOFF_TIME hours.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, with each user's permission set kept in the shared cache.
    "withhold.accounts.backends.CachedPermissionBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_TIME_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = PROJECT_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Uploaded files live outside any web root and are only ever streamed by views that check access.
MEDIA_ROOT = Path(os.environ.get("WITHHOLD_MEDIA_ROOT", VAR_DIR / "uploads"))
UPLOAD_MAX_BYTES = int(os.environ.get("WITHHOLD_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Fernet keys for fields encrypted at rest (the allegation submitter's identity and contact
# details; withhold.core.crypto), comma-separated, newest first. Empty: development and tests
# derive one from SECRET_KEY; production refuses to start. Rotation: docs/operations.md.
WITHHOLD_FIELD_KEYS = [
    key.strip() for key in os.environ.get("WITHHOLD_FIELD_KEYS", "").split(",") if key.strip()
]

SESSION_COOKIE_HTTPONLY = True
# A staff sign-in ends after WITHHOLD_SESSION_IDLE_SECONDS without a request (30 minutes) and,
# however busy, WITHHOLD_SESSION_MAX_SECONDS after signing in (12 hours); see
# withhold/accounts/sessions.py and docs/operations.md.
SESSION_COOKIE_AGE = int(os.environ.get("WITHHOLD_SESSION_MAX_SECONDS", str(12 * 3600)))
# Days an API token is valid after it is issued, unless `withhold token-issue --days` says otherwise.
WITHHOLD_API_TOKEN_DAYS = int(os.environ.get("WITHHOLD_API_TOKEN_DAYS", "90"))
WITHHOLD_SESSION_IDLE_SECONDS = int(os.environ.get("WITHHOLD_SESSION_IDLE_SECONDS", "1800"))
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy on every page (withhold.operations.middleware): only our own scripts,
# styles, images and fonts; no inline script or style anywhere. WITHHOLD_CSP_REPORT_ONLY=true
# sends it as Content-Security-Policy-Report-Only instead (to try a change of policy).
WITHHOLD_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
WITHHOLD_CSP_REPORT_ONLY = env_bool("WITHHOLD_CSP_REPORT_ONLY", False)

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "withhold@localhost")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
# The address links in e-mails start with (the receipt page, a detention, a task's case).
WITHHOLD_SITE_URL = os.environ.get("WITHHOLD_SITE_URL", "http://127.0.0.1:8000")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # Hashed, expiring, revocable, scoped keys (withhold.accounts.tokens).
        "withhold.accounts.tokens.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "withhold.core.api.exception_handler",
    "DEFAULT_METADATA_CLASS": "withhold.core.api.DescribeOnlyMetadata",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Withhold API",
    "DESCRIPTION": (
        "Cases, supply-chain entities, phase and status transitions, timeline and tasks. "
        "Every operation applies the same role rules as the web pages."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    # In-process: nothing is sent anywhere, and Celery must not fall back to amqp://localhost.
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
# Without a broker, background jobs (screening a file, sending a notice) run on a few threads of
# the web process (withhold.core.jobs), and `withhold serve` runs the beat schedule below itself
# (withhold.operations.scheduler).
WITHHOLD_BACKGROUND_THREADS = env_bool("WITHHOLD_BACKGROUND_THREADS", CELERY_TASK_ALWAYS_EAGER)
WITHHOLD_BACKGROUND_WORKERS = int(os.environ.get("WITHHOLD_BACKGROUND_WORKERS", "2"))
WITHHOLD_SCHEDULER = env_bool("WITHHOLD_SCHEDULER", True)
WITHHOLD_SCHEDULER_TICK_SECONDS = float(os.environ.get("WITHHOLD_SCHEDULER_TICK_SECONDS", "30"))
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "task-due-reminders": {"task": "withhold.cases.tasks.task_reminders_send", "schedule": 3600.0},
    "detention-deadline-reminders": {
        "task": "withhold.detentions.tasks.detention_reminders_send",
        "schedule": 3600.0,
    },
    "detention-exclusions-proposed": {
        "task": "withhold.detentions.tasks.detention_exclusions_propose",
        "schedule": 3600.0,
    },
    "allegation-identity-erasure": {
        "task": "withhold.intake.tasks.allegation_identities_erase",
        "schedule": 86400.0,
    },
    "screened-lines-purge": {
        "task": "withhold.screening.tasks.screened_lines_purge",
        "schedule": 86400.0,
    },
    "notice-retries": {"task": "withhold.notices.tasks.notices_retry", "schedule": 60.0},
    "quality-snapshot": {
        "task": "withhold.quality.tasks.quality_snapshot_take",
        "schedule": float(os.environ.get("WITHHOLD_QUALITY_SNAPSHOT_SECONDS", 86400)),
    },
}

# Rate limits and sign-in throttling count in the cache: with several processes, point
# CACHE_URL at Redis (e.g. redis://127.0.0.1:6379/1) so they count together.
CACHES = {
    "default": (
        {
            "BACKEND": "withhold.core.cache.RedisCache",
            "LOCATION": os.environ["CACHE_URL"],
        }
        if os.environ.get("CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # One line per request (withhold.operations.middleware); INFO in production.
        "withhold.request": {"level": os.environ.get("REQUEST_LOG_LEVEL", "WARNING")},
    },
}

# Withhold's own settings.
WITHHOLD = {
    "CASE_NUMBER_PREFIX": "FL",
    "HSI_NOTIFICATION_DAYS": int(os.environ.get("WITHHOLD_HSI_NOTIFICATION_DAYS", "10")),
    "CASE_LIST_PAGE_SIZE": 25,
    # Allegation intake (withhold.intake): receipts, attachments, rate limits, triage clock.
    "ALLEGATION_RECEIPT_PREFIX": "FLA",
    "INTAKE_MAX_ATTACHMENTS": int(os.environ.get("WITHHOLD_INTAKE_MAX_ATTACHMENTS", "5")),
    "INTAKE_ATTACHMENT_MAX_BYTES": int(
        os.environ.get("WITHHOLD_INTAKE_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024))
    ),
    "INTAKE_SUBMIT_RATE": os.environ.get("WITHHOLD_INTAKE_SUBMIT_RATE", "5/3600"),
    "INTAKE_FOLLOW_UP_RATE": os.environ.get("WITHHOLD_INTAKE_FOLLOW_UP_RATE", "20/3600"),
    # 19 CFR 12.42(c): a conforming report goes to the Commissioner within 10 days.
    "INTAKE_TRIAGE_DAYS": int(os.environ.get("WITHHOLD_INTAKE_TRIAGE_DAYS", "10")),
    # Days a declined allegation keeps its submitter's name, e-mail and phone (3 years), unless
    # a supervisor puts it on litigation hold; then `erase-expired-identities` (daily) blanks them.
    "INTAKE_IDENTITY_RETENTION_DAYS": int(
        os.environ.get("WITHHOLD_INTAKE_IDENTITY_RETENTION_DAYS", str(3 * 365))
    ),
    # GAO-21-106: active orders were never re-reviewed. Days from issuance (or the last review)
    # to an order's next review.
    "ORDER_REVIEW_INTERVAL_DAYS": int(os.environ.get("WITHHOLD_ORDER_REVIEW_INTERVAL_DAYS", "365")),
    "ORDER_REGISTER_PAGE_SIZE": 25,
    # Case pages kept in each web process's memory, at most this many, drawn again after any
    # change to what they show (withhold.cases.page_cache); only with a shared cache. 0: off.
    "CASE_PAGE_MEMORY_ENTRIES": int(os.environ.get("WITHHOLD_CASE_PAGE_MEMORY_ENTRIES", "500")),
    # Seconds that values derived from users, roles and reference tables (each user's
    # permissions and roles, the analyst and commodity choices) are kept in the shared cache;
    # a change to their sources clears them at once (withhold.core.stamps). Off (0) without a
    # shared cache (CACHE_URL), where a change in one process could not reach the others.
    "SHARED_CACHE_SECONDS": int(
        os.environ.get(
            "WITHHOLD_SHARED_CACHE_SECONDS", "300" if os.environ.get("CACHE_URL") else "0"
        )
    ),
    # Seconds the public register's pages and downloads are kept in the shared cache; any change
    # to an order shown on it clears them at once (withhold.orders.register_cache). 0: off.
    "ORDER_REGISTER_CACHE_SECONDS": int(
        os.environ.get("WITHHOLD_ORDER_REGISTER_CACHE_SECONDS", "300")
    ),
    # Public UFLPA statistics (withhold.uflpa_statistics): a country with fewer shipments than
    # this is counted under "All other countries", so a small cell cannot point to one importer.
    "UFLPA_STATISTICS_MIN_CELL": int(os.environ.get("WITHHOLD_UFLPA_STATISTICS_MIN_CELL", "3")),
    # Screening (withhold.screening): a hit scoring at least DETAIN is "detain", at least REVIEW
    # "review"; lower scores are no hit. See docs/screening.md.
    "SCREENING_DETAIN_SCORE": int(os.environ.get("WITHHOLD_SCREENING_DETAIN_SCORE", "92")),
    "SCREENING_REVIEW_SCORE": int(os.environ.get("WITHHOLD_SCREENING_REVIEW_SCORE", "85")),
    "SCREENING_API_MAX_LINES": 1000,
    "SCREENING_UPLOAD_MAX_BYTES": int(
        os.environ.get("WITHHOLD_SCREENING_UPLOAD_MAX_BYTES", str(200 * 1024 * 1024))
    ),
    # With a Celery broker, files longer than this are split into chunks of this many lines.
    "SCREENING_CHUNK_LINES": int(os.environ.get("WITHHOLD_SCREENING_CHUNK_LINES", "50000")),
    # Days every screened entry line is kept for re-screening when an order is issued or
    # modified or an entity list changes; older lines are purged daily (screened-lines-purge).
    "SCREENING_RETENTION_DAYS": int(os.environ.get("WITHHOLD_SCREENING_RETENTION_DAYS", "365")),
}

# Workforce needs assessment (withhold.workforce); see docs/operations.md and docs/workforce.md.
WITHHOLD_WORKFORCE = {
    # Hours an analyst gives to casework in a month, after leave, training and other duties.
    "PRODUCTIVE_HOURS_PER_MONTH": float(
        os.environ.get("WITHHOLD_WORKFORCE_PRODUCTIVE_HOURS_PER_MONTH", "120")
    ),
    # The model never plans a phase's analysts busier than this (slack for surges and leave).
    "MAX_UTILISATION": float(os.environ.get("WITHHOLD_WORKFORCE_MAX_UTILISATION", "0.85")),
    # Months of history behind the demand figures and the scenario's defaults.
    "HISTORY_MONTHS": int(os.environ.get("WITHHOLD_WORKFORCE_HISTORY_MONTHS", "24")),
    # Starting values for the scenario page where history has nothing better.
    "HOURS_PER_CASE": {
        "initiation": 40,
        "investigation": 300,
        "legal_review": 80,
        "implementation": 40,
    },
    "TARGET_DAYS": {
        "initiation": 90,
        "investigation": 365,
        "legal_review": 120,
        "implementation": 60,
    },
    # The CEE review queue (proof reviews and UFLPA requests): specialist hours one review takes
    # (no published figure: one working day, to be set locally) and the target calendar days from
    # arrival to recommendation (half the UFLPA's 30 days from presentation to a final decision,
    # leaving the rest for the officer's decision and notice).
    "CEE_HOURS_PER_REVIEW": float(os.environ.get("WITHHOLD_WORKFORCE_CEE_HOURS_PER_REVIEW", "8")),
    "CEE_REVIEW_TARGET_DAYS": float(
        os.environ.get("WITHHOLD_WORKFORCE_CEE_REVIEW_TARGET_DAYS", "15")
    ),
    "PAGE_SIZE": 25,
}
