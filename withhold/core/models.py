from django.db import models

from .constraints import PythonCheckedConstraints

# The largest id the database holds (a 64-bit signed integer, ``BigAutoField``): a form or
# serializer field that takes an id caps its value here, so a larger number is a validation
# error, not an overflow error in the database driver (a 500).
ID_MAX = 2**63 - 1


class TimeStampedModel(PythonCheckedConstraints, models.Model):
    """Every record knows when it was created and last changed (and its check constraints are
    validated in Python before a save: ``core.constraints``)."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
