"""The Celery application.

With ``CELERY_BROKER_URL`` set (e.g. ``redis://127.0.0.1:6379/0``) background work runs on real
workers; without it, tasks run in-process when they are queued (``task_always_eager``), so a
single ``make run`` needs no broker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "withhold.settings.local")

app = Celery("withhold")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
