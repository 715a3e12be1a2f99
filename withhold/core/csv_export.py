"""Every CSV download goes through here, so every cell is safe to open in a spreadsheet.

Formula injection: a cell starting with = + - @ (or a tab or carriage return) is run as a formula
by Excel and LibreOffice; such cells are prefixed with an apostrophe. Names in exports come from
uploads and public forms, so no export may skip this.
"""

import csv
import io
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse


def csv_safe(value) -> str:
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
