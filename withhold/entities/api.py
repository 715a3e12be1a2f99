"""The entity API: supply-chain entities shared by every case.

Thin views: role check → read through ``selectors`` → validate the shape of the request → one
service from ``services`` → serialize. Rules (and the audit row) live in the service.
"""

from collections.abc import Mapping

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from withhold.accounts.permissions import require_perm
from withhold.core.exceptions import NotFoundError

from . import selectors, services
from .models import Entity


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
NOT_FOUND_RESPONSE = {404: OpenApiResponse(ErrorSerializer, description="No such entity.")}


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


class EntitySerializer(serializers.ModelSerializer):
    aliases = serializers.ListField(
        child=serializers.CharField(),
        help_text=Entity._meta.get_field("aliases").help_text,
    )

    class Meta:
        model = Entity
        fields = [
            "id",
            "kind",
            "name",
            "aliases",
            "country",
            "address",
            "registration_number",
            "imo_number",
            "notes",
            "is_demo",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class EntityListItemSerializer(EntitySerializer):
    case_count = serializers.IntegerField(
        read_only=True, help_text="Number of cases that link this entity."
    )

    class Meta(EntitySerializer.Meta):
        fields = [*EntitySerializer.Meta.fields, "case_count"]
        read_only_fields = fields


class EntityWriteSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    aliases = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text=Entity._meta.get_field("aliases").help_text,
    )

    class Meta:
        model = Entity
        fields = services.ENTITY_FIELDS


class EntityListParamsSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False, allow_blank=True, help_text="Words that must all appear in the name."
    )
    country = serializers.CharField(
        required=False, max_length=2, help_text="ISO 3166-1 alpha-2 country code."
    )
    kind = serializers.ChoiceField(choices=Entity.Kind.choices, required=False)


class EntityListCreateApi(GenericAPIView):
    @extend_schema(
        operation_id="entities_list",
        summary="List supply-chain entities",
        tags=["entities"],
        parameters=[EntityListParamsSerializer],
        responses={200: EntityListItemSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        require_perm(request.user, "entities.view_entity", "Your role cannot see entities.")
        params = EntityListParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        entities = selectors.entity_list(
            text=params.validated_data.get("q", ""),
            country=params.validated_data.get("country", ""),
            kind=params.validated_data.get("kind", ""),
        )
        page = self.paginate_queryset(entities)
        return self.get_paginated_response(EntityListItemSerializer(page, many=True).data)

    @extend_schema(
        operation_id="entities_create",
        summary="Create a supply-chain entity",
        tags=["entities"],
        request=EntityWriteSerializer,
        responses={201: EntitySerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        require_perm(request.user, "entities.add_entity", "Your role cannot add entities.")
        body = EntityWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entity = services.entity_create(actor=request.user, **body.validated_data)
        return Response(EntitySerializer(entity).data, status=status.HTTP_201_CREATED)


def _entity_or_404(pk: int) -> Entity:
    entity = selectors.entity_get(pk=pk)
    if entity is None:
        raise NotFoundError(f"There is no entity {pk}.")
    return entity


class EntityDetailApi(APIView):
    @extend_schema(
        operation_id="entities_retrieve",
        summary="Show a supply-chain entity",
        tags=["entities"],
        responses={200: EntitySerializer, **ERROR_RESPONSES, **NOT_FOUND_RESPONSE},
    )
    def get(self, request: Request, entity_id: int) -> Response:
        require_perm(request.user, "entities.view_entity", "Your role cannot see entities.")
        return Response(EntitySerializer(_entity_or_404(entity_id)).data)

    @extend_schema(
        operation_id="entities_partial_update",
        summary="Edit a supply-chain entity",
        tags=["entities"],
        request=EntityWriteSerializer,
        responses={200: EntitySerializer, **ERROR_RESPONSES, **NOT_FOUND_RESPONSE},
    )
    def patch(self, request: Request, entity_id: int) -> Response:
        require_perm(request.user, "entities.change_entity", "Your role cannot edit entities.")
        entity = _entity_or_404(entity_id)
        body = EntityWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        entity = services.entity_update(entity=entity, actor=request.user, **body.validated_data)
        return Response(EntitySerializer(entity).data)
