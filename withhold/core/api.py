"""API plumbing shared by every app: errors become JSON with a clear message, the serializer
pieces every endpoint uses, and the schema responses for refusals.

Nothing here knows about a domain app: ``withhold.core`` is the lowest layer.
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, TextChoices
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.metadata import SimpleMetadata
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .concurrency import StaleVersionError
from .exceptions import ApplicationError, NotFoundError, PermissionDeniedError
from .models import ID_MAX as _ID_MAX


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, NotFoundError):
        return Response({"detail": exc.message}, status=status.HTTP_404_NOT_FOUND)
    elif isinstance(exc, PermissionDeniedError):
        return Response({"detail": exc.message}, status=status.HTTP_403_FORBIDDEN)
    elif isinstance(exc, StaleVersionError):
        return Response({"detail": exc.message, **exc.extra}, status=status.HTTP_409_CONFLICT)
    elif isinstance(exc, ApplicationError):
        body = {"detail": exc.message}
        body.update(exc.extra)
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


# --- Refusals in the schema ----------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """What every refusal carries: a message saying what to do."""

    detail = serializers.CharField()


ERROR_RESPONSES = {
    400: OpenApiResponse(
        description="Refused. Either ``detail`` says why, or the body maps each field named to "
        "its messages."
    ),
    403: OpenApiResponse(
        ErrorSerializer, description="Not signed in, or your role does not allow this."
    ),
}


class ConflictSerializer(serializers.Serializer):
    """A stale write: the record changed after the version the client sent."""

    detail = serializers.CharField()
    current_version = serializers.IntegerField(allow_null=True)


CONFLICT_RESPONSE = {
    409: OpenApiResponse(
        ConflictSerializer,
        description="Conflict: the record changed since the ``version`` sent (someone else saved "
        "first). Nothing was saved; fetch it again and reapply your change.",
    )
}


def not_found_response(description: str) -> dict[int, OpenApiResponse]:
    """The 404 entry of an operation's ``responses``, e.g. "No such entity."."""
    return {404: OpenApiResponse(ErrorSerializer, description=description)}


# --- Serializer pieces ---------------------------------------------------------------------------

# The largest id the database holds: an id field in a request caps its value here
# (``core.models.ID_MAX``), so a larger number is a 400, not an overflow error in the driver.
ID_MAX = _ID_MAX


def model_help(model: type[Model], name: str) -> str:
    """A model field's ``help_text``, to document the same field in the API."""
    return str(model._meta.get_field(name).help_text)


class RejectUnknownFieldsMixin:
    """Refuse a body naming a field the endpoint does not take, instead of silently dropping it
    (a misspelt field would otherwise look saved). ``unknown_field_messages`` may explain
    particular names."""

    unknown_field_messages: Mapping[str, str] = {}

    def to_internal_value(self, data):
        unknown: dict[str, list[str]] = {}
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = {
                name: [self.unknown_field_messages.get(name, "This field is not accepted.")]
                for name in sorted(set(data) - writable)
            }
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if unknown and isinstance(exc.detail, dict):
                raise serializers.ValidationError({**exc.detail, **unknown}) from exc
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


class EnumField(serializers.ChoiceField):
    """A choice field over one of the domain's ``TextChoices``, documented as one named enum
    wherever it appears (e.g. ``phase``, ``from_phase`` and ``to_phase`` all use ``PhaseEnum``).

    The name is the choices' qualified name plus ``Enum`` (``Entity.Kind`` → ``EntityKindEnum``,
    ``Task.State`` → ``TaskStateEnum``), so that two ``Kind`` classes never share one; pass
    ``enum_name`` to choose another. An empty value ("no suspension reason") is shown as ``null``.
    """

    def __init__(self, enum: type[TextChoices], *, enum_name: str = "", **kwargs):
        self.enum = enum
        self.enum_name = enum_name or enum.__qualname__.replace(".", "") + "Enum"
        super().__init__(choices=enum.choices, **kwargs)

    def to_representation(self, value):
        if value in ("", None):
            return None
        return super().to_representation(value)


class EnumFieldSchema(OpenApiSerializerFieldExtension):
    target_class = EnumField

    def get_name(self) -> str:
        return self.target.enum_name

    def map_serializer_field(self, auto_schema, direction):
        enum = self.target.enum
        return {
            "type": "string",
            "enum": list(enum.values),
            "description": "\n".join(f"* `{c.value}` - {c.label}" for c in enum),
        }


class DescribeOnlyMetadata(SimpleMetadata):
    """``OPTIONS`` answers with the endpoint's name, description and formats. DRF's default also
    describes the body a ``POST``/``PUT`` takes, but only for generic views with one
    ``serializer_class``: on our ``APIView`` classes it raised an error (found by the API fuzz
    test). The OpenAPI schema (``/api/schema/``) is where bodies are described."""

    def determine_actions(self, request, view):
        return {}


def not_found(request, exception=None):
    """The site's 404 (``handler404``): for an ``/api/`` address no route matches, JSON like every
    other API answer (it was the HTML page); everywhere else the usual page."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)
