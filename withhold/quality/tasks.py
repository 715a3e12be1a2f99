"""Background jobs: call the domain code; no logic here."""

from celery import shared_task


@shared_task(name="withhold.quality.tasks.quality_snapshot_take")
def quality_snapshot_take() -> int:
    """The daily job: save the report's figures, and delete uploads kept for import a day or
    more ago and never imported."""
    from .services import legacy_uploads_purge
    from .services import quality_snapshot_take as take

    legacy_uploads_purge()
    return take(actor=None).pk
