"""Errors a user can cause, with a message that says what to do."""


class ApplicationError(Exception):
    """A domain rule refused the request. ``message`` is shown to the user as it is."""

    def __init__(self, message: str, *, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class PermissionDeniedError(ApplicationError):
    """The actor's role may not take this action."""


class NotFoundError(ApplicationError):
    """The object does not exist, or the actor may not know that it does (same message either way)."""
