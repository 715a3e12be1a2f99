"""Optimistic locking: two people editing the same record cannot silently overwrite each other.

A versioned record (``VersionedModel``) carries ``version``, 1 when created and one more on every
saved change. Every save of an existing row claims the next number with
``UPDATE ... SET version = n + 1 WHERE id = ... AND version = n``: if another transaction saved
first, no row matches and the save is refused (``StaleVersionError``), so a lost update cannot
happen even on a path that forgot to lock. Edit forms carry the version the user opened as a
hidden field and API updates send it in the body; the service compares it with the locked row
(``check_version``) and refuses with a message naming who changed the record and when.
"""

from collections.abc import Callable
from datetime import datetime

from django.db import models
from django.utils import timezone

from .exceptions import ApplicationError

VERSION_HELP = (
    "Optimistic-lock counter: 1 when created, one more on every saved change. An edit sends "
    "the version it was made from and is refused if the record has changed since."
)


class StaleVersionError(ApplicationError):
    """The record changed after the user opened it; nothing was saved (API: 409)."""


def stale_message(noun: str, who: str | None, at: datetime | None) -> str:
    by = f" by {who}" if who else ""
    when = f" at {timezone.localtime(at):%Y-%m-%d %H:%M}" if at else ""
    return (
        f"This {noun} was changed{by}{when} after you opened it; your changes were not saved "
        "— reload to see theirs."
    )


def check_version(
    obj: models.Model,
    expected: int | None,
    *,
    noun: str,
    last_change: Callable[[models.Model], tuple[str | None, datetime | None]] | None = None,
) -> None:
    """Refuse if the user's ``expected`` version is not the locked row's. ``None`` means the
    caller did not send one (internal callers, jobs): nothing to compare."""
    if expected is None or int(expected) == obj.version:
        return
    who, at = last_change(obj) if last_change else (None, None)
    raise StaleVersionError(
        stale_message(noun, who, at or getattr(obj, "updated_at", None)),
        extra={"current_version": obj.version},
    )


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(default=1, editable=False, help_text=VERSION_HELP)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding or self.pk is None or kwargs.get("force_insert"):
            return super().save(*args, **kwargs)
        expected = self.version
        claimed = (
            type(self)
            ._base_manager.using(kwargs.get("using") or self._state.db)
            .filter(pk=self.pk, version=expected)
            .update(version=expected + 1)
        )
        if not claimed:
            raise StaleVersionError(
                stale_message(self._meta.verbose_name, None, None),
                extra={"current_version": None},
            )
        self.version = expected + 1
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        return super().save(*args, **kwargs)
