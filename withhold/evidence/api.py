"""The evidence API: a case's evidence items (with their files and chain of custody), indicator
matrix, supply links and supply-chain graph, trade data and allegation report, and the merging of
duplicate entities. The same services, selectors and role rules as the pages (``views.py``).

Every view: the role check → the case's access function (``cases.selectors.case_get_for_user``,
"not found" alike for a missing case and one the user may not see) → a serializer that checks
only shape and types → one service or selector → serialize. Law-enforcement-sensitive items are
left out for roles without ``cases.view_sensitive_case``, as on the pages.
"""

import json

from django.http import FileResponse, HttpResponse
from django.template.loader import render_to_string
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from withhold.accounts.permissions import require_perm
from withhold.cases.api import CASE_NUMBER, EntitySummarySerializer, IloIndicatorSerializer
from withhold.cases.api import NOT_FOUND_RESPONSE as CASE_NOT_FOUND
from withhold.cases.models import Case, CaseDocument
from withhold.cases.selectors import case_get_for_user
from withhold.core.api import (
    ERROR_RESPONSES,
    ID_MAX,
    EnumField,
    RejectUnknownFieldsMixin,
    model_help,
    not_found_response,
)
from withhold.core.exceptions import NotFoundError
from withhold.entities.api import EntitySerializer
from withhold.entities.models import Entity
from withhold.entities.selectors import entity_duplicate_suggestions, entity_get

from . import selectors, services
from .models import (
    EvidenceItem,
    InformationCredibility,
    SourceReliability,
    SupplyLink,
    TradeUpload,
)
from .tradefile import COLUMNS as TRADE_COLUMNS

ITEM_ID = OpenApiParameter("item_id", int, OpenApiParameter.PATH, description="Evidence item id.")
LINK_ID = OpenApiParameter("link_id", int, OpenApiParameter.PATH, description="Supply link id.")
ENTITY_ID = OpenApiParameter("entity_id", int, OpenApiParameter.PATH, description="Entity id.")
ITEM_NOT_FOUND = not_found_response(
    "No such case or evidence item, or one you may not see (law-enforcement-sensitive items are "
    "hidden from roles without clearance)."
)
ENTITY_NOT_FOUND = not_found_response("No such entity.")


class SvgRenderer(BaseRenderer):
    """The supply-chain graph as an SVG image; refusals stay JSON."""

    media_type = "image/svg+xml"
    format = "svg"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, str | bytes):
            return data
        return json.dumps(data).encode()


class FileRenderer(BaseRenderer):
    """Lets a client ask for the evidence file's own type (``Accept: application/pdf``)."""

    media_type = "*/*"
    format = "file"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return json.dumps(data).encode() if not isinstance(data, bytes) else data


def _case_for(request: Request, number: str) -> Case:
    """The evidence pages' rule: reading a case's evidence needs ``view_evidenceitem``."""
    require_perm(
        request.user, "evidence.view_evidenceitem", "Your role does not give access to evidence."
    )
    return case_get_for_user(user=request.user, number=number)


def _item_for(request: Request, number: str, item_id: int) -> EvidenceItem:
    case = _case_for(request, number)
    item = selectors.evidence_get_for_user(user=request.user, pk=item_id)
    if item.case_id != case.pk:
        raise NotFoundError("There is no such evidence item that you can see.")
    return item


# --- Evidence items ------------------------------------------------------------------------------


class EvidenceFileSerializer(serializers.Serializer):
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField(help_text=model_help(EvidenceItem, "sha256"))


class EvidenceItemSerializer(serializers.ModelSerializer):
    kind = EnumField(EvidenceItem.Kind, read_only=True)
    source = serializers.CharField(
        source="source.code", read_only=True, help_text=model_help(EvidenceItem, "source")
    )
    source_label = serializers.CharField(source="source", read_only=True)
    indicators = IloIndicatorSerializer(many=True, read_only=True)
    translation_status = EnumField(EvidenceItem.Translation, read_only=True)
    source_reliability = EnumField(SourceReliability, read_only=True)
    information_credibility = EnumField(InformationCredibility, read_only=True)
    grade = serializers.CharField(read_only=True, help_text="Source grade and information grade.")
    file = serializers.SerializerMethodField()
    added_by = serializers.CharField(source="added_by.username", read_only=True)

    class Meta:
        model = EvidenceItem
        fields = [
            "id",
            "kind",
            "source",
            "source_label",
            "obtained_on",
            "description",
            "indicators",
            "language",
            "translation_status",
            "source_reliability",
            "information_credibility",
            "grade",
            "law_enforcement_sensitive",
            "file",
            "added_by",
            "created_at",
            "is_demo",
        ]
        read_only_fields = fields

    @extend_schema_field(EvidenceFileSerializer(allow_null=True))
    def get_file(self, item: EvidenceItem) -> dict | None:
        return EvidenceFileSerializer(item).data if item.file else None


class CustodyEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None)


class EvidenceItemDetailSerializer(EvidenceItemSerializer):
    custody = CustodyEntrySerializer(many=True, read_only=True, source="custody_entries")

    class Meta(EvidenceItemSerializer.Meta):
        fields = [*EvidenceItemSerializer.Meta.fields, "custody"]
        read_only_fields = fields


class EvidenceAddSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """Shape only; ``services.evidence_add`` checks the source, dates, indicators and file."""

    kind = EnumField(EvidenceItem.Kind)
    source = serializers.CharField(help_text="Evidence-source code, e.g. ``ngo_report``.")
    obtained_on = serializers.DateField(help_text=model_help(EvidenceItem, "obtained_on"))
    description = serializers.CharField(help_text=model_help(EvidenceItem, "description"))
    language = serializers.CharField(max_length=40, help_text=model_help(EvidenceItem, "language"))
    translation_status = EnumField(
        EvidenceItem.Translation, required=False, default=EvidenceItem.Translation.NOT_NEEDED
    )
    source_reliability = EnumField(SourceReliability)
    information_credibility = EnumField(InformationCredibility)
    indicators = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX),
        required=False,
        default=list,
        help_text="Ids of the ILO indicators the evidence supports.",
    )
    law_enforcement_sensitive = serializers.BooleanField(
        required=False,
        default=False,
        help_text=model_help(EvidenceItem, "law_enforcement_sensitive"),
    )
    file = serializers.FileField(
        required=False, help_text="Optional; its type is read from its content, size capped."
    )


class EvidenceRemoveSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(help_text="Why the evidence is removed (kept in the audit log).")


class CaseEvidenceApi(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        operation_id="cases_evidence_list",
        parameters=[CASE_NUMBER],
        summary="List a case's evidence items",
        tags=["evidence"],
        responses={200: EvidenceItemSerializer(many=True), **ERROR_RESPONSES, **CASE_NOT_FOUND},
    )
    def get(self, request: Request, number: str) -> Response:
        case = _case_for(request, number)
        items = selectors.evidence_list_for_case(case=case, user=request.user)
        return Response(EvidenceItemSerializer(items, many=True).data)

    @extend_schema(
        operation_id="cases_evidence_create",
        parameters=[CASE_NUMBER],
        summary="Add an evidence item, with an optional file",
        description="Send ``multipart/form-data`` to include a file. The case's evidence sources "
        "are re-derived from its items.",
        tags=["evidence"],
        request={
            "multipart/form-data": EvidenceAddSerializer,
            "application/json": EvidenceAddSerializer,
        },
        responses={201: EvidenceItemSerializer, **ERROR_RESPONSES, **CASE_NOT_FOUND},
    )
    def post(self, request: Request, number: str) -> Response:
        case = _case_for(request, number)
        require_perm(request.user, "evidence.add_evidenceitem", "Your role cannot add evidence.")
        body = EvidenceAddSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        uploaded = data.pop("file", None)
        item = services.evidence_add(case=case, actor=request.user, uploaded_file=uploaded, **data)
        item = selectors.evidence_get_for_user(user=request.user, pk=item.pk)
        return Response(EvidenceItemSerializer(item).data, status=status.HTTP_201_CREATED)


class CaseEvidenceItemApi(APIView):
    @extend_schema(
        operation_id="cases_evidence_retrieve",
        parameters=[CASE_NUMBER, ITEM_ID],
        summary="Show an evidence item and its chain of custody",
        description="Recorded in the item's chain of custody as a view when it has a file, as "
        "the item's page does.",
        tags=["evidence"],
        responses={200: EvidenceItemDetailSerializer, **ERROR_RESPONSES, **ITEM_NOT_FOUND},
    )
    def get(self, request: Request, number: str, item_id: int) -> Response:
        item = _item_for(request, number, item_id)
        services.evidence_viewed(item=item, actor=request.user)
        item.custody_entries = list(selectors.evidence_custody(item))
        return Response(EvidenceItemDetailSerializer(item).data)

    @extend_schema(
        operation_id="cases_evidence_destroy",
        parameters=[CASE_NUMBER, ITEM_ID],
        summary="Remove an evidence item recorded in error",
        description="The body gives the ``reason``; the audit log keeps what the item was.",
        tags=["evidence"],
        request=EvidenceRemoveSerializer,
        responses={204: None, **ERROR_RESPONSES, **ITEM_NOT_FOUND},
    )
    def delete(self, request: Request, number: str, item_id: int) -> Response:
        item = _item_for(request, number, item_id)
        require_perm(
            request.user, "evidence.delete_evidenceitem", "Your role cannot remove evidence."
        )
        body = EvidenceRemoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.evidence_remove(item=item, actor=request.user, **body.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CaseEvidenceFileApi(APIView):
    renderer_classes = [JSONRenderer, FileRenderer]

    @extend_schema(
        operation_id="cases_evidence_file_retrieve",
        parameters=[CASE_NUMBER, ITEM_ID],
        summary="Download an evidence item's file",
        description="Recorded in the item's chain of custody (who, when, which SHA-256).",
        tags=["evidence"],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file as received."
            ),
            **ERROR_RESPONSES,
            **ITEM_NOT_FOUND,
        },
    )
    def get(self, request: Request, number: str, item_id: int) -> FileResponse:
        item = _item_for(request, number, item_id)
        if not item.file:
            raise NotFoundError("This evidence item has no file.")
        services.evidence_downloaded(item=item, actor=request.user)
        return FileResponse(
            item.file.open("rb"),
            as_attachment=True,
            filename=item.original_name,
            content_type=item.content_type,
        )


# --- Indicator matrix ----------------------------------------------------------------------------


class IndicatorRowSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()
    total = serializers.IntegerField(help_text="Items supporting the indicator.")
    counts = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Items supporting the indicator by source reliability grade (A–F).",
    )
    best_grade = serializers.CharField(
        help_text="Most reliable source grade supporting it; empty if none."
    )


class CaseIndicatorMatrixApi(APIView):
    @extend_schema(
        operation_id="cases_indicator_matrix_list",
        parameters=[CASE_NUMBER],
        summary="The 11 ILO indicators against the case's evidence",
        tags=["evidence"],
        responses={200: IndicatorRowSerializer(many=True), **ERROR_RESPONSES, **CASE_NOT_FOUND},
    )
    def get(self, request: Request, number: str) -> Response:
        case = _case_for(request, number)
        rows = selectors.case_indicator_matrix(case=case, user=request.user)
        return Response(IndicatorRowSerializer(rows, many=True).data)


# --- Supply links and graph ----------------------------------------------------------------------


class SupplyLinkSerializer(serializers.ModelSerializer):
    supplier = EntitySummarySerializer(read_only=True)
    buyer = EntitySummarySerializer(read_only=True)
    evidence = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = SupplyLink
        fields = ["id", "supplier", "buyer", "goods", "evidence", "created_at", "is_demo"]
        read_only_fields = fields


class SupplyLinkAddSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """Shape only; the service checks both entities are in the case's supply chain."""

    supplier = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, help_text="Id of the entity that supplies the goods."
    )
    buyer = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, help_text="Id of the entity that receives them."
    )
    goods = serializers.CharField(max_length=200, help_text=model_help(SupplyLink, "goods"))
    evidence = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX),
        required=False,
        default=list,
        help_text="Ids of this case's evidence items that show the link.",
    )


def _entity_field(pk: int, field: str) -> Entity:
    entity = entity_get(pk=pk)
    if entity is None:
        raise serializers.ValidationError({field: [f"There is no entity {pk}."]})
    return entity


class CaseSupplyLinksApi(APIView):
    @extend_schema(
        operation_id="cases_supply_links_list",
        parameters=[CASE_NUMBER],
        summary="List the supply links of a case",
        tags=["evidence"],
        responses={200: SupplyLinkSerializer(many=True), **ERROR_RESPONSES, **CASE_NOT_FOUND},
    )
    def get(self, request: Request, number: str) -> Response:
        case = _case_for(request, number)
        require_perm(request.user, "evidence.view_supplylink", "Your role cannot see supply links.")
        return Response(
            SupplyLinkSerializer(
                selectors.supply_links_for_case(case=case, user=request.user), many=True
            ).data
        )

    @extend_schema(
        operation_id="cases_supply_links_create",
        parameters=[CASE_NUMBER],
        summary="Record that one entity of the case supplies another",
        tags=["evidence"],
        request=SupplyLinkAddSerializer,
        responses={201: SupplyLinkSerializer, **ERROR_RESPONSES, **CASE_NOT_FOUND},
    )
    def post(self, request: Request, number: str) -> Response:
        case = _case_for(request, number)
        require_perm(
            request.user, "evidence.add_supplylink", "Your role cannot change supply chains."
        )
        body = SupplyLinkAddSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        link = services.supply_link_add(
            case=case,
            actor=request.user,
            supplier=_entity_field(data["supplier"], "supplier"),
            buyer=_entity_field(data["buyer"], "buyer"),
            goods=data["goods"],
            evidence_ids=data["evidence"],
        )
        return Response(SupplyLinkSerializer(link).data, status=status.HTTP_201_CREATED)


class CaseSupplyLinkApi(APIView):
    @extend_schema(
        operation_id="cases_supply_links_destroy",
        parameters=[CASE_NUMBER, LINK_ID],
        summary="Remove a supply link",
        tags=["evidence"],
        request=None,
        responses={
            204: None,
            **ERROR_RESPONSES,
            **not_found_response("No such case or supply link, or a case you may not see."),
        },
    )
    def delete(self, request: Request, number: str, link_id: int) -> Response:
        case = _case_for(request, number)
        require_perm(
            request.user, "evidence.delete_supplylink", "Your role cannot change supply chains."
        )
        link = (
            selectors.supply_links_visible(case=case, user=request.user)
            .filter(pk=link_id)
            .select_related("case")
            .first()
        )
        if link is None:
            raise NotFoundError(f"Case {case.number} has no supply link {link_id}.")
        services.supply_link_remove(link=link, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class GraphNodeSerializer(serializers.Serializer):
    entity_id = serializers.IntegerField()
    label = serializers.CharField()
    role_label = serializers.CharField()
    x = serializers.IntegerField()
    y = serializers.IntegerField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    lines = serializers.ListField(
        child=serializers.CharField(),
        help_text="The name as drawn in the box: one or two lines, distinct from every other box.",
    )


class GraphEdgeSerializer(serializers.Serializer):
    supplier_id = serializers.IntegerField(help_text="Entity id of the supplier.")
    buyer_id = serializers.IntegerField(help_text="Entity id of the buyer.")
    goods = serializers.CharField()
    evidence_count = serializers.IntegerField()
    x1 = serializers.IntegerField()
    y1 = serializers.IntegerField()
    x2 = serializers.IntegerField()
    y2 = serializers.IntegerField()
    points = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2),
        help_text="The arrow's route, [x, y] per corner: from the supplier box's edge to the "
        "buyer box's edge, through the gaps between boxes.",
    )


class GraphSerializer(serializers.Serializer):
    """The server's layout: entities in tiers by role and by who supplies whom, goods moving left
    to right."""

    nodes = GraphNodeSerializer(many=True)
    edges = GraphEdgeSerializer(many=True)
    width = serializers.IntegerField()
    height = serializers.IntegerField()


class CaseSupplyGraphApi(APIView):
    @extend_schema(
        operation_id="cases_supply_chain_retrieve",
        parameters=[CASE_NUMBER],
        summary="The supply-chain graph of a case (nodes and edges)",
        tags=["evidence"],
        responses={200: GraphSerializer, **ERROR_RESPONSES, **CASE_NOT_FOUND},
    )
    def get(self, request: Request, number: str) -> Response:
        case = _case_for(request, number)
        return Response(
            GraphSerializer(selectors.case_supply_graph(case=case, user=request.user)).data
        )


class CaseSupplyGraphSvgApi(APIView):
    renderer_classes = [SvgRenderer, JSONRenderer]

    @extend_schema(
        operation_id="cases_supply_chain_svg_retrieve",
        parameters=[CASE_NUMBER],
        summary="The supply-chain graph of a case as an SVG image",
        tags=["evidence"],
        responses={
            (200, "image/svg+xml"): OpenApiResponse(
                OpenApiTypes.STR, description="The map as drawn on the case page."
            ),
            **ERROR_RESPONSES,
            **CASE_NOT_FOUND,
        },
    )
    def get(self, request: Request, number: str) -> HttpResponse:
        case = _case_for(request, number)
        svg = render_to_string(
            "evidence/_graph_svg.html",
            {
                "graph": selectors.case_supply_graph(case=case, user=request.user),
                "case_number": case.number,
            },
        )
        return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


# --- Trade data ----------------------------------------------------------------------------------


class TradeUploadSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True)

    class Meta:
        model = TradeUpload
        fields = ["id", "original_name", "sha256", "row_count", "uploaded_by", "uploaded_at"]
        read_only_fields = fields


class TradeAggregateSerializer(serializers.Serializer):
    entries = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=18, decimal_places=2)
    quantity = serializers.DecimalField(max_digits=18, decimal_places=3)


class TradeByYearSerializer(TradeAggregateSerializer):
    year = serializers.IntegerField()


class TradeByImporterSerializer(TradeAggregateSerializer):
    importer = serializers.CharField()


class TradeByHtsSerializer(TradeAggregateSerializer):
    hts_code = serializers.CharField()


class TradeSummarySerializer(serializers.Serializer):
    """U.S. imports of the case's merchandise: the U.S. nexus."""

    entries = serializers.IntegerField()
    total_value = serializers.DecimalField(max_digits=18, decimal_places=2)
    by_year = TradeByYearSerializer(many=True)
    by_importer = TradeByImporterSerializer(many=True)
    by_hts = TradeByHtsSerializer(many=True)
    uploads = TradeUploadSerializer(many=True)


class TradeFileSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    file = serializers.FileField(
        help_text="CSV or XLSX with the columns " + ", ".join(TRADE_COLUMNS) + "."
    )


class CaseTradeDataApi(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="cases_trade_data_retrieve",
        parameters=[CASE_NUMBER],
        summary="Summaries of the case's U.S. import entries by year, importer and HTS",
        tags=["evidence"],
        responses={200: TradeSummarySerializer, **ERROR_RESPONSES, **CASE_NOT_FOUND},
    )
    def get(self, request: Request, number: str) -> Response:
        case = _case_for(request, number)
        require_perm(request.user, "evidence.view_tradeupload", "Your role cannot see trade data.")
        return Response(TradeSummarySerializer(selectors.trade_summary(case=case)).data)

    @extend_schema(
        operation_id="cases_trade_data_create",
        parameters=[CASE_NUMBER],
        summary="Upload a file of U.S. import entries (all rows or none)",
        description="A file with any bad row is refused whole (400): ``errors`` lists each "
        "problem with its ``row`` and ``column``.",
        tags=["evidence"],
        request={"multipart/form-data": TradeFileSerializer},
        responses={201: TradeUploadSerializer, **ERROR_RESPONSES, **CASE_NOT_FOUND},
    )
    def post(self, request: Request, number: str) -> Response:
        case = _case_for(request, number)
        require_perm(
            request.user, "evidence.add_tradeupload", "Your role cannot upload trade data."
        )
        body = TradeFileSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = services.trade_data_upload(
            case=case, actor=request.user, uploaded_file=body.validated_data["file"]
        )
        return Response(TradeUploadSerializer(upload).data, status=status.HTTP_201_CREATED)


# --- Allegation report ---------------------------------------------------------------------------


class CaseDocumentSerializer(serializers.ModelSerializer):
    kind = EnumField(CaseDocument.Kind, read_only=True)

    class Meta:
        model = CaseDocument
        fields = ["id", "kind", "title", "original_name", "content_type", "size", "sha256"]
        read_only_fields = fields


class CaseAllegationReportApi(APIView):
    @extend_schema(
        operation_id="cases_allegation_report_create",
        parameters=[CASE_NUMBER],
        summary="Generate the allegation report and attach it to the case",
        description="Builds the PDF from the case and attaches it as the ``allegation_report`` "
        "document that entering legal review requires.",
        tags=["evidence"],
        request=None,
        responses={201: CaseDocumentSerializer, **ERROR_RESPONSES, **CASE_NOT_FOUND},
    )
    def post(self, request: Request, number: str) -> Response:
        case = _case_for(request, number)
        require_perm(
            request.user,
            "evidence.generate_allegation_report",
            "Your role cannot generate the report.",
        )
        document = services.allegation_report_generate(case=case, actor=request.user)
        return Response(CaseDocumentSerializer(document).data, status=status.HTTP_201_CREATED)


# --- Duplicate entities --------------------------------------------------------------------------


class DuplicateSuggestionSerializer(serializers.Serializer):
    entity = EntitySummarySerializer()
    score = serializers.IntegerField(help_text="Name similarity, 0–100.")


class EntityMergeSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    duplicate = serializers.IntegerField(
        min_value=1,
        max_value=ID_MAX,
        help_text="Id of the duplicate to merge into this entity (it is then removed).",
    )


def _entity_for(request: Request, entity_id: int) -> Entity:
    require_perm(request.user, "entities.view_entity", "Your role cannot see entities.")
    entity = entity_get(pk=entity_id)
    if entity is None:
        raise NotFoundError(f"There is no entity {entity_id}.")
    return entity


class EntityDuplicatesApi(APIView):
    @extend_schema(
        operation_id="entities_duplicates_list",
        parameters=[ENTITY_ID],
        summary="Likely duplicates of an entity (fuzzy name, same country)",
        tags=["entities"],
        responses={
            200: DuplicateSuggestionSerializer(many=True),
            **ERROR_RESPONSES,
            **ENTITY_NOT_FOUND,
        },
    )
    def get(self, request: Request, entity_id: int) -> Response:
        entity = _entity_for(request, entity_id)
        suggestions = entity_duplicate_suggestions(
            name=entity.name, country=entity.country, exclude=entity.pk
        )
        found = Entity.objects.in_bulk([s.pk for s in suggestions])
        rows = [{"entity": found[s.pk], "score": s.score} for s in suggestions if s.pk in found]
        return Response(DuplicateSuggestionSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="entities_duplicates_merge",
        parameters=[ENTITY_ID],
        summary="Merge a duplicate into this entity",
        description="The duplicate's case links and supply links move to this entity, its "
        "names become aliases, and the duplicate record is removed.",
        tags=["entities"],
        request=EntityMergeSerializer,
        responses={200: EntitySerializer, **ERROR_RESPONSES, **ENTITY_NOT_FOUND},
    )
    def post(self, request: Request, entity_id: int) -> Response:
        entity = _entity_for(request, entity_id)
        require_perm(request.user, "evidence.merge_entities", "Your role cannot merge entities.")
        body = EntityMergeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        duplicate = _entity_field(body.validated_data["duplicate"], "duplicate")
        survivor = services.entity_merge(survivor=entity, duplicate=duplicate, actor=request.user)
        return Response(EntitySerializer(survivor).data)
