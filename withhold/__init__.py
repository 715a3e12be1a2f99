"""Withhold: case management and screening for the ban on forced-labor imports."""

from .celery import app as celery_app

__all__ = ["celery_app"]
