"""Every CSV download goes through here, so every cell is safe to open in a spreadsheet.

Formula injection: a cell starting with = + - @ (or a tab or carriage return) is run as a formula
by Excel and LibreOffice; such cells are prefixed with an apostrophe. Names in exports come from
uploads and public forms, so no export may skip this.

An aware date-time (an instant) is written as the agency's local time with its offset
(``2026-12-07T23:30:00-05:00``), like every date and time the pages show.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime

from django.http import StreamingHttpResponse
from django.utils import timezone


def csv_safe(value) -> str:
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value).isoformat(timespec="seconds")
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def csv_lines(rows: Iterable[Iterable], *, batch: int = 500) -> Iterator[str]:
    """CSV text for ``rows`` (the first one the header), every cell made safe, in chunks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for n, row in enumerate(rows, start=1):
        writer.writerow(csv_safe(v) for v in row)
        if n % batch == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate(0)
    yield buffer.getvalue()


def csv_response(rows: Iterable[Iterable], *, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
