"""The embedded default: SQLite in ./var, debug pages on, a development secret key."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "local-development-only-not-secret"  # noqa: F405

# The embedded database, uploads and file-based mail live in ./var; a fresh clone has none yet.
VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405

# Outgoing e-mail (notices) is written to files in ./var/mail, one per message, unless
# EMAIL_BACKEND says otherwise (e.g. django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")

# Without a broker, background work runs in this process: Celery's line per finished task (INFO)
# would fill `make run`'s output (a reference load re-screens once per order); failures still show.
LOGGING["loggers"]["celery.app.trace"] = {"level": "WARNING"}  # noqa: F405
