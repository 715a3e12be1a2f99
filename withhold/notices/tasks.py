"""Background jobs: fetch by id, call the services; no logic here."""

from celery import shared_task

from . import services


@shared_task(name="withhold.notices.tasks.notice_deliver")
def notice_deliver_task(notice_id: int) -> str:
    return services.notice_deliver(notice_id)


@shared_task(name="withhold.notices.tasks.notices_retry")
def notices_retry() -> int:
    return services.notices_retry()
