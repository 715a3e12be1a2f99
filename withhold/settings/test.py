"""Test settings: fast hashing, in-process background work, files in a temporary folder."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="withhold-test-media-"))
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Background jobs run in the caller, so a test sees their effect when the call returns.
WITHHOLD_BACKGROUND_THREADS = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Django's test client signs in without a request, which django-axes refuses; the tests of
# sign-in throttling switch it on with override_settings(AXES_ENABLED=True).
AXES_ENABLED = False
# The register cache lives in the per-process local-memory cache here, which outlives each test's
# database rollback: off by default, switched on by the tests of the cache (tests/orders).
WITHHOLD = {**WITHHOLD, "ORDER_REGISTER_CACHE_SECONDS": 0}  # noqa: F405
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    # The test runner empties every table with TRUNCATE after each transactional test; the
    # audit table's TRUNCATE trigger (audit migration 0013) lets only a session that sets this
    # through. Production connections never set it.
    _options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    _options["options"] = (
        _options.get("options", "") + " -c withhold.allow_audit_truncate=on"
    ).strip()
