"""Background jobs: fetch what they need and call the domain code; no logic here."""

from celery import shared_task

from .services import allegation_identities_erase


@shared_task(name="withhold.intake.tasks.allegation_identities_erase")
def allegation_identities_erase_task() -> int:
    """Daily (beat): erase the submitter identities whose retention period has passed."""
    return allegation_identities_erase()
