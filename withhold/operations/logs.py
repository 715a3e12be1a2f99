"""Structured logs: one JSON object per line, carrying the request each line belongs to.

``RequestLogMiddleware`` (``middleware.py``) gives every request an id (the client's
``X-Request-ID`` when it is a plain token, else a new one), keeps it in a context variable for the
length of the request, and writes one ``withhold.request`` line when the response is ready.
``RequestContextFilter`` copies the id, user id and path onto every other record logged meanwhile,
so a traceback can be matched to its request. Our own formatter, not a library: it is forty lines
and writes exactly the fields the operations doc promises.
"""

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

REQUEST_CONTEXT: ContextVar[dict | None] = ContextVar("withhold_request_context", default=None)

# Fields a record may carry (from ``extra=`` or the filter) that the JSON line includes.
CONTEXT_FIELDS = ("request_id", "user_id", "method", "path", "status", "duration_ms")


class RequestContextFilter(logging.Filter):
    """Copy the current request's id, user and path onto the record (never overwriting)."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = REQUEST_CONTEXT.get()
        if context:
            for key, value in context.items():
                if not hasattr(record, key):
                    setattr(record, key, value)
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in CONTEXT_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                entry[field] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)
