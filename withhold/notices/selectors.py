"""Reading a user's notices, each as the user may read it now."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from . import registry
from .models import Notice

WITHHELD_SUBJECT = "A notice about a record you can no longer see"
WITHHELD_BODY = "What it said is withheld: your access to the record it is about has changed."


@dataclass(frozen=True)
class NoticeRow:
    notice: Notice
    subject: str
    body: str
    link: str


def notices_for(user) -> QuerySet[Notice]:
    return Notice.objects.filter(recipient=user)


def unread_count(user) -> int:
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


def _related_objects(notices: list[Notice]) -> dict[tuple[int, int], object]:
    wanted: dict[int, set[int]] = {}
    for notice in notices:
        if notice.related_type_id and notice.related_id:
            wanted.setdefault(notice.related_type_id, set()).add(notice.related_id)
    found: dict[tuple[int, int], object] = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        for obj in model._base_manager.filter(pk__in=ids):
            found[(type_id, obj.pk)] = obj
    return found


def notice_rows(user, notices) -> list[NoticeRow]:
    """The notices as ``user`` may read them: those about a record the user can no longer see
    (or that is gone) keep their date and kind but lose their subject, body and link."""
    notices = list(notices)
    related = _related_objects(notices)
    rows = []
    for notice in notices:
        obj = None
        if notice.related_type_id and notice.related_id:
            obj = related.get((notice.related_type_id, notice.related_id))
            if obj is None or not registry.may_read(user, obj):
                rows.append(NoticeRow(notice, WITHHELD_SUBJECT, WITHHELD_BODY, ""))
                continue
        rows.append(NoticeRow(notice, notice.subject, notice.body, notice.link))
    return rows
