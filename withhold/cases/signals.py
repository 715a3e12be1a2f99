"""Signals for the apps above ``cases``, which may not be imported from here."""

from django.dispatch import Signal

# Sent by ``services.case_status_change`` inside its transaction, with ``case``, ``from_status``
# and ``to_status``. ``intake`` listens: a report's submitter is told when its case is closed.
case_status_changed = Signal()
