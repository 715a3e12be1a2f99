"""The entity API: supply-chain entities shared by every case.

Thin views: role check → read through ``selectors`` → validate the shape of the request → one
service from ``services`` → serialize. Rules (and the audit row) live in the service.
"""

from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from withhold.accounts.permissions import require_perm
from withhold.core.api import (
    ERROR_RESPONSES,
    EnumField,
    RejectUnknownFieldsMixin,
    model_help,
    not_found_response,
)
from withhold.core.exceptions import NotFoundError

from . import selectors, services
from .models import Entity

NOT_FOUND_RESPONSE = not_found_response("No such entity.")


class EntitySerializer(serializers.ModelSerializer):
    kind = EnumField(Entity.Kind, read_only=True)
    aliases = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text=model_help(Entity, "aliases")
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


class EntityWriteSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    kind = EnumField(
        Entity.Kind, required=False, help_text="What the entity is; a company if not given."
    )
    aliases = serializers.ListField(
        child=serializers.CharField(), required=False, help_text=model_help(Entity, "aliases")
    )

    class Meta:
        model = Entity
        fields = services.ENTITY_FIELDS


class EntityListParamsSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=(
            "Words that must all appear in the name, or in the name or an alias after "
            "normalising (case, accents, punctuation and legal forms such as “Co., Ltd.” or "
            "“Sdn. Bhd.” ignored)."
        ),
    )
    country = serializers.CharField(
        required=False, max_length=2, help_text="ISO 3166-1 alpha-2 country code."
    )
    kind = EnumField(Entity.Kind, required=False)


class EntityListCreateApi(GenericAPIView):
    @extend_schema(
        operation_id="entities_list",
        summary="List supply-chain entities",
        tags=["entities"],
        parameters=[EntityListParamsSerializer],
        responses={200: EntitySerializer(many=True), **ERROR_RESPONSES},
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
        return self.get_paginated_response(EntitySerializer(page, many=True).data)

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
    """The entity ``pk``; for an id merged into another, a 404 whose body names the survivor
    (``merged_into``), so a write never lands on a record the client did not name."""
    entity = selectors.entity_get(pk=pk)
    if entity is None:
        survivor_id = selectors.entity_merged_into(pk=pk)
        if survivor_id is not None:
            raise NotFoundError(
                f"Entity {pk} was merged into entity {survivor_id}.",
                extra={"merged_into": survivor_id},
            )
        raise NotFoundError(f"There is no entity {pk}.")
    return entity


class MergedEntitySerializer(serializers.Serializer):
    detail = serializers.CharField()
    merged_into = serializers.IntegerField(help_text="Id of the entity it was merged into.")


MERGED_REDIRECT_RESPONSE = {
    301: OpenApiResponse(
        MergedEntitySerializer,
        description=(
            "The entity was merged into another: `Location` is the surviving entity's URL "
            "(followed by HTTP clients for a GET) and `merged_into` its id."
        ),
    )
}


class EntityDetailApi(APIView):
    @extend_schema(
        operation_id="entities_retrieve",
        summary="Show a supply-chain entity",
        description=(
            "An entity merged into another answers 301 Moved Permanently with `Location` set to "
            "the surviving entity, so a client following redirects reads the survivor. A PATCH "
            "of a merged-away id is refused with 404 and `merged_into` (it is never redirected: "
            "the client names the record it means to change)."
        ),
        tags=["entities"],
        responses={
            200: EntitySerializer,
            **MERGED_REDIRECT_RESPONSE,
            **ERROR_RESPONSES,
            **NOT_FOUND_RESPONSE,
        },
    )
    def get(self, request: Request, entity_id: int) -> Response:
        require_perm(request.user, "entities.view_entity", "Your role cannot see entities.")
        entity = selectors.entity_get(pk=entity_id)
        if entity is None:
            survivor_id = selectors.entity_merged_into(pk=entity_id)
            if survivor_id is not None:
                return Response(
                    {
                        "detail": f"Entity {entity_id} was merged into entity {survivor_id}.",
                        "merged_into": survivor_id,
                    },
                    status=status.HTTP_301_MOVED_PERMANENTLY,
                    headers={
                        "Location": request.build_absolute_uri(
                            reverse("api:entity-detail", kwargs={"entity_id": survivor_id})
                        )
                    },
                )
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
