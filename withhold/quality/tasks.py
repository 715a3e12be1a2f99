"""Background jobs: call the domain code; no logic here."""

from celery import shared_task


@shared_task(name="withhold.quality.tasks.quality_snapshot_take")
def quality_snapshot_take() -> int:
    from .services import quality_snapshot_take as take

    return take(actor=None).pk
