from django.db import models

from .constraints import PythonCheckedConstraints


class TimeStampedModel(PythonCheckedConstraints, models.Model):
    """Every record knows when it was created and last changed (and its check constraints are
    validated in Python before a save: ``core.constraints``)."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
