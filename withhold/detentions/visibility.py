"""What an importer may see: views of detentions, their documents and history built from each
model's ``IMPORTER_FIELDS`` alone (an allow-list), for the importer's pages.

``for_importer(row)`` wraps a row so that a template reaches only the marked fields, their
``get_FOO_display`` labels and the few methods named in ``IMPORTER_METHODS``; anything else
(the CEE's recommendation, the officer, internal notes, stored file names) reads as missing,
which a template shows as nothing. The importer's API answers use serializers whose fields are
the same tuples (``api.py``).
"""

from typing import Any

from django.db.models import Model

from .models import Detention, DetentionDocument, DetentionEvent, UflpaRequest
from .selectors import ThreadEntry


class ImporterView:
    """A read-only view of one row exposing only its model's importer-visible fields."""

    __slots__ = ("_allowed", "_row")

    def __init__(self, row: Model):
        model = type(row)
        fields = model.IMPORTER_FIELDS
        allowed = set(fields) | set(model.IMPORTER_METHODS)
        allowed |= {f"get_{name}_display" for name in fields if model._meta.get_field(name).choices}
        object.__setattr__(self, "_row", row)
        object.__setattr__(self, "_allowed", frozenset(allowed))

    def __getattr__(self, name: str) -> Any:
        if name in self._allowed:
            return getattr(self._row, name)
        raise AttributeError(f"{name} is not shown to the importer.")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("An importer's view is read-only.")

    def __str__(self) -> str:
        row = self._row
        if isinstance(row, Detention):
            return str(row)
        return f"{type(row).__name__} {row.pk}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ImporterView) and other._row == self._row

    def __hash__(self) -> int:
        return hash(self._row)


def for_importer(row: Model) -> ImporterView:
    return ImporterView(row)


def importer_documents(detention: Detention) -> list[ImporterView]:
    """The documents the importer sent, as it may see them."""
    return [for_importer(d) for d in detention.documents.filter(by_importer=True)]


def importer_history(detention: Detention) -> list[ImporterView]:
    """The steps shown to the importer, as it may see them."""
    return [for_importer(e) for e in DetentionEvent.importer_queryset(detention)]


def importer_document_visible(document: DetentionDocument) -> bool:
    return document.by_importer


def importer_requests(requests: list[UflpaRequest]) -> list[ImporterView]:
    """The importer's UFLPA requests, as it may see them (not who decided, nor CBP's notes)."""
    return [for_importer(r) for r in requests]


def importer_thread(entries: list[ThreadEntry]) -> list[ThreadEntry]:
    """The requests for information and the importer's answers, as it may see them: each step
    through its importer view, and of the files only those it sent."""
    return [
        ThreadEntry(
            request=for_importer(entry.request),
            answers=[
                (for_importer(answer), [for_importer(d) for d in docs if d.by_importer])
                for answer, docs in entry.answers
            ],
        )
        for entry in entries
    ]
