"""The detentions API: the same services, role rules and importer isolation as the pages. An
importer sees and acts on its own company's detentions only; any other answers 404, as a
detention that does not exist."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import TextChoices
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from withhold.accounts.permissions import require_perm
from withhold.core.api import (
    CONFLICT_RESPONSE,
    ERROR_RESPONSES,
    EnumField,
    RejectUnknownFieldsMixin,
    model_help,
    not_found_response,
)
from withhold.core.exceptions import NotFoundError, PermissionDeniedError
from withhold.entities.models import Entity
from withhold.orders.models import ACTIVE_STATUSES, Order

from . import selectors, services
from .forms import uflpa_entries
from .models import (
    Basis,
    CongressReport,
    Detention,
    DetentionDocument,
    DetentionEvent,
    Nexus,
    Status,
    UflpaRequest,
)

DETENTION_ID = OpenApiParameter(
    "detention_id", int, OpenApiParameter.PATH, description="The detention's id."
)
NOT_FOUND_RESPONSE = not_found_response("No such detention, or one you may not see.")
PROOF_FIELDS = ("certificate_of_origin", "detailed_statement", "supply_chain", "audit_report")


def _may_see(request: Request) -> None:
    user = request.user
    if not (user.has_perm("detentions.view_detention") or user.has_perm("detentions.submit_proof")):
        raise PermissionDeniedError("Your role does not give access to detentions.")


def _detention_for(request: Request, detention_id: int) -> Detention:
    _may_see(request)
    return selectors.detention_get_for_user(user=request.user, detention_id=detention_id)


class DetentionEventSerializer(serializers.ModelSerializer):
    kind = EnumField(DetentionEvent.Kind, enum_name="DetentionEventKindEnum")

    class Meta:
        model = DetentionEvent
        fields = ["id", "kind", "on", "to_status", "importer_note", "reason", "by_importer"]


class ImporterDetentionEventSerializer(DetentionEventSerializer):
    """A step as the importer sees it: ``DetentionEvent.IMPORTER_FIELDS`` only."""

    class Meta(DetentionEventSerializer.Meta):
        fields = list(DetentionEvent.IMPORTER_FIELDS)


class DetentionDocumentSerializer(serializers.ModelSerializer):
    kind = EnumField(DetentionDocument.Kind, enum_name="DetentionDocumentKindEnum")

    class Meta:
        model = DetentionDocument
        fields = [
            "id", "kind", "title", "content_type", "size", "sha256", "uploaded_at", "by_importer",
        ]  # fmt: skip


class ImporterDetentionDocumentSerializer(DetentionDocumentSerializer):
    """A document as the importer sees it: ``DetentionDocument.IMPORTER_FIELDS`` only."""

    class Meta(DetentionDocumentSerializer.Meta):
        fields = list(DetentionDocument.IMPORTER_FIELDS)


class UflpaClocksSerializer(serializers.Serializer):
    """The UFLPA clocks of a detention (19 U.S.C. 1499(c); 19 CFR 151.16), as of today."""

    presented_on = serializers.DateField(help_text="Presented for examination.")
    decision_due = serializers.DateField(
        help_text="Decision to release or detain: 5 business days after presentation."
    )
    notice_due = serializers.DateField(
        help_text="Notice of detention: 5 business days after the decision's last day."
    )
    notice_late = serializers.BooleanField(help_text="The notice was dated after notice_due.")
    admissibility_due = serializers.DateField(
        help_text="Final admissibility decision: 30 days after presentation."
    )
    admissibility_days_left = serializers.IntegerField(
        allow_null=True, help_text="Days left for that decision; null once made or past."
    )
    deemed_excluded_on = serializers.DateField(
        allow_null=True,
        help_text="The day the goods were deemed excluded (no decision within 30 days); null "
        "if not.",
    )
    protest_due = serializers.DateField(
        allow_null=True, help_text="Last day to protest the exclusion (180 days); null if none."
    )
    protest_days_left = serializers.IntegerField(allow_null=True)


class DetentionSerializer(serializers.ModelSerializer):
    status = EnumField(Status, enum_name="DetentionStatusEnum")
    basis = EnumField(Basis, enum_name="DetentionBasisEnum")
    uflpa_nexus = EnumField(
        Nexus, enum_name="DetentionUflpaNexusEnum", allow_null=True, read_only=True
    )
    uflpa_clocks = serializers.SerializerMethodField()
    importer = serializers.CharField(source="importer.name")
    manufacturer = serializers.CharField(source="manufacturer.name", default="")
    orders = serializers.SerializerMethodField()
    days_remaining = serializers.SerializerMethodField(
        help_text="Days from today to the deadline (negative once past); null once disposed of."
    )

    class Meta:
        model = Detention
        fields = [
            "id", "entry_number", "entry_line", "port_of_entry", "imported_on", "notice_on",
            "admissibility_deadline", "days_remaining", "importer", "manufacturer",
            "country_of_origin", "merchandise", "hts_code", "quantity", "quantity_unit",
            "value_usd", "basis", "uflpa_nexus", "uflpa_list_entry", "uflpa_entity_name",
            "uflpa_list_row", "uflpa_list_version", "xuar_input", "xuar_evidence",
            "presented_on", "uflpa_clocks", "orders", "status", "recommendation",
            "disposed_on", "disposition_reason", "is_demo", "version",
        ]  # fmt: skip

    def get_orders(self, detention) -> list[str]:
        return [o.number for o in detention.orders.all()]

    @extend_schema_field(UflpaClocksSerializer(allow_null=True))
    def get_uflpa_clocks(self, detention) -> dict | None:
        clocks = detention.uflpa_clocks(timezone.localdate())
        return None if clocks is None else UflpaClocksSerializer(clocks).data

    def get_days_remaining(self, detention) -> int | None:
        return detention.days_remaining(timezone.localdate()) if detention.is_open else None


class DetentionDetailSerializer(DetentionSerializer):
    documents = DetentionDocumentSerializer(many=True, read_only=True)
    events = DetentionEventSerializer(many=True, read_only=True)

    class Meta(DetentionSerializer.Meta):
        fields = [*DetentionSerializer.Meta.fields, "documents", "events"]


class ImporterDetentionSerializer(DetentionSerializer):
    """A detention as its importer sees it: ``Detention.IMPORTER_FIELDS`` only (an allow-list;
    the CEE's recommendation, the officer and every other field are CBP's own)."""

    class Meta(DetentionSerializer.Meta):
        fields = [*Detention.IMPORTER_FIELDS, "days_remaining", "uflpa_clocks"]


class ImporterDetentionDetailSerializer(ImporterDetentionSerializer):
    documents = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()

    class Meta(ImporterDetentionSerializer.Meta):
        fields = [*ImporterDetentionSerializer.Meta.fields, "documents", "events"]

    @extend_schema_field(ImporterDetentionDocumentSerializer(many=True))
    def get_documents(self, detention) -> list[dict]:
        rows = detention.documents.filter(by_importer=True)
        return ImporterDetentionDocumentSerializer(rows, many=True).data

    @extend_schema_field(ImporterDetentionEventSerializer(many=True))
    def get_events(self, detention) -> list[dict]:
        rows = DetentionEvent.importer_queryset(detention)
        return ImporterDetentionEventSerializer(rows, many=True).data


def _is_staff(request: Request) -> bool:
    return request.user.has_perm("detentions.view_detention")


def _list_data(request: Request, detentions) -> list:
    serializer = DetentionSerializer if _is_staff(request) else ImporterDetentionSerializer
    return serializer(detentions, many=True).data


def _detail_data(request: Request, detention: Detention) -> dict:
    if _is_staff(request):
        return DetentionDetailSerializer(detention).data
    return ImporterDetentionDetailSerializer(detention).data


# The schema shows staff's answer; an importer's is the subset named here (``OneOf`` of the two
# would not validate, as a staff answer also matches the smaller one).
IMPORTER_NOTE = (
    " An importer user gets its own company's detentions with the importer-visible fields only "
    f"({', '.join(Detention.IMPORTER_FIELDS)}, days_remaining, uflpa_clocks; documents: "
    f"{', '.join(DetentionDocument.IMPORTER_FIELDS)}, only those it sent; events: "
    f"{', '.join(DetentionEvent.IMPORTER_FIELDS)}) — no recommendation, officer, internal notes "
    "or CBP's documents."
)


class DetentionCreateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    entry_number = serializers.CharField(help_text=model_help(Detention, "entry_number"))
    entry_line = serializers.IntegerField(min_value=1, max_value=2_147_483_647, default=1)
    port_of_entry = serializers.CharField()
    imported_on = serializers.DateField(help_text=model_help(Detention, "imported_on"))
    notice_on = serializers.DateField()
    importer = serializers.PrimaryKeyRelatedField(queryset=Entity.objects.all())
    manufacturer = serializers.PrimaryKeyRelatedField(
        queryset=Entity.objects.all(), required=False, allow_null=True, default=None
    )
    country_of_origin = serializers.CharField(max_length=2)
    merchandise = serializers.CharField()
    hts_code = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=14, decimal_places=2)
    quantity_unit = serializers.CharField()
    value_usd = serializers.DecimalField(max_digits=14, decimal_places=2)
    basis = EnumField(Basis, enum_name="DetentionBasisEnum", default=Basis.ORDER)
    presented_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=model_help(Detention, "presented_on"),
    )
    uflpa_nexus = EnumField(
        Nexus,
        enum_name="DetentionUflpaNexusEnum",
        required=False,
        allow_blank=True,
        allow_null=True,
        default=None,
        help_text=model_help(Detention, "uflpa_nexus"),
    )
    uflpa_list_row = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=2,
        max_value=2_147_483_647,
        help_text="Row of the loaded UFLPA Entity List relied on (the header is row 1); the "
        "entity's name and the list version are recorded from it.",
    )

    def validate_uflpa_list_row(self, row):
        if row is None:
            return None
        entry = uflpa_entries().select_related("entity_list").filter(row_number=row).first()
        if entry is None:
            raise serializers.ValidationError(f"The loaded UFLPA Entity List has no row {row}.")
        return entry

    xuar_input = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=model_help(Detention, "xuar_input")
    )
    xuar_evidence = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=model_help(Detention, "xuar_evidence"),
    )
    orders = serializers.SlugRelatedField(
        slug_field="number",
        many=True,
        queryset=Order.objects.filter(status__in=ACTIVE_STATUSES),
        default=list,
    )
    officer = serializers.PrimaryKeyRelatedField(
        queryset=Detention._meta.get_field("officer").related_model.objects.filter(is_active=True),
        required=False,
        default=None,
        help_text="User id of the officer responsible; you, if left out.",
    )


class DetentionListCreateApi(APIView):
    @extend_schema(
        operation_id="detentions_list",
        summary="Detentions you may see (staff: all; an importer: its company's)",
        description=IMPORTER_NOTE.strip(),
        tags=["detentions"],
        parameters=[
            OpenApiParameter(
                "basis", str, enum=Basis.values, description="Only detentions on this basis."
            ),
            OpenApiParameter(
                "deemed_excluded",
                bool,
                description="true: only UFLPA detentions deemed excluded by today (no final "
                "admissibility decision within 30 days of presentation).",
            ),
        ],
        responses={200: DetentionSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        _may_see(request)
        basis = request.query_params.get("basis", "")
        if basis and basis not in Basis.values:
            raise ValidationError({"basis": [f"“{basis}” is not a basis for detention."]})
        deemed = request.query_params.get("deemed_excluded", "").lower() in ("true", "1")
        qs = selectors.detention_list(
            user=request.user,
            filters=selectors.DetentionFilters(
                basis=basis, deemed_excluded_by=timezone.localdate() if deemed else None
            ),
        )
        return Response(_list_data(request, qs))

    @extend_schema(
        operation_id="detentions_create",
        summary="Record a detention (port officer)",
        tags=["detentions"],
        request=DetentionCreateSerializer,
        responses={201: DetentionDetailSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        require_perm(
            request.user, "detentions.add_detention", "Your role cannot record detentions."
        )
        body = DetentionCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        orders = data.pop("orders")
        data["officer"] = data["officer"] or request.user
        data["uflpa_list_entry"] = data.pop("uflpa_list_row")
        data["uflpa_nexus"] = data["uflpa_nexus"] or ""
        try:
            detention = services.detention_record(actor=request.user, orders=orders, **data)
        except DjangoValidationError as exc:
            # The service names the list entry; the API takes it by its row.
            if hasattr(exc, "error_dict") and "uflpa_list_entry" in exc.error_dict:
                exc.error_dict["uflpa_list_row"] = exc.error_dict.pop("uflpa_list_entry")
            raise
        return Response(DetentionDetailSerializer(detention).data, status=status.HTTP_201_CREATED)


class DetentionDetailApi(APIView):
    @extend_schema(
        operation_id="detentions_retrieve",
        parameters=[DETENTION_ID],
        summary="Show a detention with its documents and history",
        description=IMPORTER_NOTE.strip(),
        tags=["detentions"],
        responses={200: DetentionDetailSerializer, **ERROR_RESPONSES, **NOT_FOUND_RESPONSE},
    )
    def get(self, request: Request, detention_id: int) -> Response:
        return Response(_detail_data(request, _detention_for(request, detention_id)))


class DetentionStepSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    step = serializers.ChoiceField(
        choices=[
            "review_start",
            "request_information",
            "recommend",
            "release",
            "export",
            "exclude",
            "seize",
        ]
    )
    on = serializers.DateField(required=False, help_text="Date of a disposition.")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    message = serializers.CharField(required=False, allow_blank=True, default="")
    recommendation = EnumField(
        Detention.Recommendation, enum_name="DetentionRecommendationEnum", required=False
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The detention's ``version`` from your last read. If sent and the detention "
        "has changed since, nothing is done and the answer is 409 Conflict.",
    )


class DetentionStepApi(APIView):
    @extend_schema(
        operation_id="detentions_steps_create",
        parameters=[DETENTION_ID],
        summary="Take a step: review, request information, recommend (CEE); release, export, "
        "exclude or seize (port officer)",
        tags=["detentions"],
        request=DetentionStepSerializer,
        responses={
            200: DetentionDetailSerializer,
            **ERROR_RESPONSES,
            **NOT_FOUND_RESPONSE,
            **CONFLICT_RESPONSE,
        },
    )
    def post(self, request: Request, detention_id: int) -> Response:
        detention = _detention_for(request, detention_id)
        body = DetentionStepSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        services.detention_step_at_version(
            detention=detention,
            version=data.get("version"),
            step=lambda: self._take(detention, data, request.user),
        )
        return Response(_detail_data(request, _detention_for(request, detention_id)))

    @staticmethod
    def _take(detention: Detention, data: dict, actor) -> None:
        step = data["step"]
        if step == "review_start":
            services.detention_review_start(detention=detention, actor=actor)
        elif step == "request_information":
            services.detention_information_request(
                detention=detention, actor=actor, message=data["message"]
            )
        elif step == "recommend":
            services.detention_recommend(
                detention=detention,
                actor=actor,
                recommendation=data.get("recommendation", ""),
                reason=data["reason"],
            )
        else:
            service = getattr(services, f"detention_{step}")
            service(detention=detention, actor=actor, on=data.get("on"), reason=data["reason"])


class DetentionProofSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    certificate_of_origin = serializers.FileField(required=False)
    detailed_statement = serializers.FileField(required=False)
    supply_chain = serializers.FileField(required=False)
    audit_report = serializers.FileField(required=False)
    export_notice = serializers.FileField(
        required=False, help_text="File an export notice instead of proof."
    )
    statement = serializers.CharField(required=False, allow_blank=True, default="")


class DetentionProofApi(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="detentions_proof_create",
        parameters=[DETENTION_ID],
        summary="Submit proof of admissibility, or an export notice (the importer)",
        tags=["detentions"],
        request={"multipart/form-data": DetentionProofSerializer},
        responses={200: DetentionDetailSerializer, **ERROR_RESPONSES, **NOT_FOUND_RESPONSE},
    )
    def post(self, request: Request, detention_id: int) -> Response:
        detention = _detention_for(request, detention_id)
        body = DetentionProofSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if data.get("export_notice"):
            services.detention_export_notice_file(
                detention=detention,
                actor=request.user,
                document=services.DetentionFile(
                    "export_notice", data["export_notice"].name, data["export_notice"]
                ),
            )
        else:
            files = [
                services.DetentionFile(kind, DetentionDocument.Kind(kind).label, data[kind])
                for kind in PROOF_FIELDS
                if data.get(kind)
            ]
            services.detention_proof_submit(
                detention=detention,
                actor=request.user,
                documents=files,
                statement=data["statement"],
            )
        return Response(_detail_data(request, _detention_for(request, detention_id)))


class StatRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    value_usd = serializers.DecimalField(max_digits=16, decimal_places=2)


class DetentionStatisticsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    total_value_usd = serializers.DecimalField(max_digits=16, decimal_places=2)
    by_month = StatRowSerializer(many=True)
    by_basis = StatRowSerializer(many=True)
    by_order = StatRowSerializer(many=True)
    by_country = StatRowSerializer(many=True)
    by_industry = StatRowSerializer(many=True)
    by_outcome = StatRowSerializer(many=True)


class DetentionStatisticsParamsSerializer(serializers.Serializer):
    year = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1900, max_value=2100
    )


class DetentionStatisticsApi(APIView):
    @extend_schema(
        operation_id="detentions_statistics",
        summary="Detentions by month, order, country, industry and outcome, with value",
        tags=["detentions"],
        parameters=[DetentionStatisticsParamsSerializer],
        responses={200: DetentionStatisticsSerializer, **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        require_perm(request.user, "detentions.view_detention_statistics")
        params = DetentionStatisticsParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        stats = selectors.detention_statistics(year=params.validated_data["year"])
        return Response(DetentionStatisticsSerializer(stats).data)


# UFLPA: the importer's two paths, the thread of requests for information, the exception ------

REQUEST_ID = OpenApiParameter(
    "request_id", int, OpenApiParameter.PATH, description="The UFLPA request's id."
)
EVENT_ID = OpenApiParameter(
    "event_id", int, OpenApiParameter.PATH, description="The request for information's id."
)
REPORT_ID = OpenApiParameter(
    "report_id", int, OpenApiParameter.PATH, description="The report to Congress's id."
)


class UflpaRequestSerializer(serializers.ModelSerializer):
    path = EnumField(UflpaRequest.Path, enum_name="UflpaRequestPathEnum")
    sector = EnumField(UflpaRequest.Sector, enum_name="UflpaSectorEnum")
    state = EnumField(UflpaRequest.State, enum_name="UflpaRequestStateEnum")
    decided_by = serializers.CharField(source="decided_by.username", default=None)

    class Meta:
        model = UflpaRequest
        fields = [*UflpaRequest.IMPORTER_FIELDS, "decided_by", "internal_note"]


class ImporterUflpaRequestSerializer(UflpaRequestSerializer):
    """A request as the importer sees it: ``UflpaRequest.IMPORTER_FIELDS`` only."""

    class Meta(UflpaRequestSerializer.Meta):
        fields = list(UflpaRequest.IMPORTER_FIELDS)


class ChecklistLineSerializer(serializers.Serializer):
    kind = EnumField(
        DetentionDocument.Kind, enum_name="DetentionDocumentKindEnum", source="item.kind"
    )
    what = serializers.CharField(source="item.what")
    citation = serializers.CharField(source="item.citation")
    present = serializers.BooleanField(help_text="A document of this kind has been sent.")


class ChecklistSerializer(serializers.Serializer):
    request = serializers.IntegerField(source="request.pk")
    path = EnumField(UflpaRequest.Path, enum_name="UflpaRequestPathEnum", source="request.path")
    sector = EnumField(UflpaRequest.Sector, enum_name="UflpaSectorEnum", source="sector.code")
    lines = ChecklistLineSerializer(many=True)


class UflpaRequestsSerializer(serializers.Serializer):
    requests = UflpaRequestSerializer(many=True)
    checklists = ChecklistSerializer(
        many=True,
        help_text="The documents CBP's UFLPA guidance names for each pending request's sector "
        "and path, each marked present or missing.",
    )


class UflpaRequestCreateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    path = EnumField(UflpaRequest.Path, enum_name="UflpaRequestPathEnum")
    sector = EnumField(UflpaRequest.Sector, enum_name="UflpaSectorEnum")
    statement = serializers.CharField(help_text=model_help(UflpaRequest, "statement"))
    guidance_compliance = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=model_help(UflpaRequest, "guidance_compliance"),
    )
    evidence_summary = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=model_help(UflpaRequest, "evidence_summary"),
    )


for _kind in DetentionDocument.UFLPA_KINDS:
    UflpaRequestCreateSerializer._declared_fields[_kind.value] = serializers.FileField(
        required=False, help_text=f"{DetentionDocument.Kind(_kind).label}."
    )


def _requests_data(request: Request, detention: Detention) -> dict:
    rows = selectors.uflpa_requests(detention)
    if _is_staff(request):
        requests = UflpaRequestSerializer(rows, many=True).data
    else:
        requests = ImporterUflpaRequestSerializer(rows, many=True).data
    checklists = selectors.uflpa_checklists(detention, rows)
    return {"requests": requests, "checklists": ChecklistSerializer(checklists, many=True).data}


class DetentionUflpaRequestApi(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="detentions_uflpa_requests_list",
        parameters=[DETENTION_ID],
        summary="The UFLPA applicability reviews and exception requests on a detention, with "
        "the checklist of documents still missing",
        description="An importer gets its own requests with their importer-visible fields ("
        f"{', '.join(UflpaRequest.IMPORTER_FIELDS)}).",
        tags=["detentions"],
        responses={200: UflpaRequestsSerializer, **ERROR_RESPONSES, **NOT_FOUND_RESPONSE},
    )
    def get(self, request: Request, detention_id: int) -> Response:
        return Response(_requests_data(request, _detention_for(request, detention_id)))

    @extend_schema(
        operation_id="detentions_uflpa_requests_create",
        parameters=[DETENTION_ID],
        summary="Request an applicability review or an exception (UFLPA section 3(b)), with "
        "the tracing documents (the importer)",
        tags=["detentions"],
        request={"multipart/form-data": UflpaRequestCreateSerializer},
        responses={201: UflpaRequestsSerializer, **ERROR_RESPONSES, **NOT_FOUND_RESPONSE},
    )
    def post(self, request: Request, detention_id: int) -> Response:
        detention = _detention_for(request, detention_id)
        require_perm(request.user, "detentions.submit_proof", "Only the importer can file this.")
        body = UflpaRequestCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        files = [
            services.DetentionFile(kind, DetentionDocument.Kind(kind).label, data.pop(kind), kind)
            for kind in DetentionDocument.UFLPA_KINDS
            if data.get(kind)
        ]
        services.uflpa_request_file(
            detention=detention, actor=request.user, documents=files, **data
        )
        return Response(
            _requests_data(request, _detention_for(request, detention_id)),
            status=status.HTTP_201_CREATED,
        )


class ThreadAnswerSerializer(serializers.Serializer):
    answer = DetentionEventSerializer()
    documents = DetentionDocumentSerializer(many=True)


class ThreadEntrySerializer(serializers.Serializer):
    request = DetentionEventSerializer()
    answered = serializers.BooleanField()
    answers = serializers.SerializerMethodField()

    @extend_schema_field(ThreadAnswerSerializer(many=True))
    def get_answers(self, entry) -> list[dict]:
        importer = self.context.get("importer", False)
        event_serializer = (
            ImporterDetentionEventSerializer if importer else DetentionEventSerializer
        )
        doc_serializer = (
            ImporterDetentionDocumentSerializer if importer else DetentionDocumentSerializer
        )
        return [
            {
                "answer": event_serializer(answer).data,
                "documents": doc_serializer(
                    [d for d in docs if d.by_importer or not importer], many=True
                ).data,
            }
            for answer, docs in entry.answers
        ]

    def to_representation(self, entry):
        data = super().to_representation(entry)
        if self.context.get("importer"):
            data["request"] = ImporterDetentionEventSerializer(entry.request).data
        return data


def _thread_data(request: Request, detention: Detention) -> list:
    entries = selectors.information_thread(detention)
    return ThreadEntrySerializer(
        entries, many=True, context={"importer": not _is_staff(request)}
    ).data


class DetentionInformationThreadApi(APIView):
    @extend_schema(
        operation_id="detentions_information_requests_list",
        parameters=[DETENTION_ID],
        summary="CBP's requests for information on a detention, each with the importer's "
        "answers and their files",
        description="An importer gets the importer-visible fields of each step and only the "
        "files it sent; CBP's internal notes never.",
        tags=["detentions"],
        responses={200: ThreadEntrySerializer(many=True), **ERROR_RESPONSES, **NOT_FOUND_RESPONSE},
    )
    def get(self, request: Request, detention_id: int) -> Response:
        return Response(_thread_data(request, _detention_for(request, detention_id)))


class InformationAnswerSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    message = serializers.CharField(required=False, allow_blank=True, default="")
    kind = EnumField(
        DetentionDocument.Kind,
        enum_name="DetentionDocumentKindEnum",
        required=False,
        help_text="The kind of the attached file.",
    )
    file = serializers.FileField(required=False)

    def validate(self, data):
        if data.get("file") and not data.get("kind"):
            raise ValidationError({"kind": ["Say what kind of document the file is."]})
        return data


class DetentionInformationAnswerApi(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="detentions_information_answers_create",
        parameters=[DETENTION_ID, EVENT_ID],
        summary="Answer one of CBP's requests for information, with text and a file (the importer)",
        tags=["detentions"],
        request={"multipart/form-data": InformationAnswerSerializer},
        responses={201: ThreadEntrySerializer(many=True), **ERROR_RESPONSES, **NOT_FOUND_RESPONSE},
    )
    def post(self, request: Request, detention_id: int, event_id: int) -> Response:
        detention = _detention_for(request, detention_id)
        require_perm(request.user, "detentions.submit_proof", "Only the importer can answer.")
        body = InformationAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        asked = DetentionEvent.objects.filter(
            detention=detention, pk=event_id, kind=DetentionEvent.Kind.INFORMATION_REQUESTED
        ).first()
        if asked is None:
            raise NotFoundError("There is no such request for information on this detention.")
        files = []
        if data.get("file"):
            files = [services.DetentionFile(data["kind"], data["file"].name, data["file"], "file")]
        services.detention_information_answer(
            detention=detention,
            actor=request.user,
            request_event=asked,
            message=data["message"],
            documents=files,
        )
        return Response(
            _thread_data(request, _detention_for(request, detention_id)),
            status=status.HTTP_201_CREATED,
        )


class ExceptionDecision(TextChoices):
    GRANT = "grant", "Grant the exception"
    DENY = "deny", "Deny the exception"


class ExceptionDecisionSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    decision = EnumField(ExceptionDecision, enum_name="UflpaExceptionDecisionEnum")
    complied_with_guidance = serializers.BooleanField(
        default=False, help_text="Section 3(b)(1) met (grant)."
    )
    answered_every_request = serializers.BooleanField(
        default=False, help_text="Section 3(b)(2) met (grant); refused while any is unanswered."
    )
    clear_and_convincing = serializers.BooleanField(
        default=False, help_text="Section 3(b)(3) met (grant)."
    )
    finding = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=model_help(CongressReport, "finding"),
    )
    evidence_considered = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=model_help(CongressReport, "evidence_considered"),
    )
    importer_note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="What the importer is told (required to deny).",
    )
    internal_note = serializers.CharField(required=False, allow_blank=True, default="")


class CongressReportSerializer(serializers.ModelSerializer):
    state = EnumField(CongressReport.State, enum_name="CongressReportStateEnum")
    owner = serializers.CharField(source="owner.username")
    detention = serializers.IntegerField(source="request.detention_id")
    days_left = serializers.SerializerMethodField()

    class Meta:
        model = CongressReport
        fields = [
            "id", "number", "detention", "granted_on", "due_on", "days_left", "owner", "state",
            "sent_on", "goods", "evidence_considered", "finding", "is_demo",
        ]  # fmt: skip

    def get_days_left(self, report) -> int | None:
        if report.state != CongressReport.State.OPEN:
            return None
        return report.days_left(timezone.localdate())


class ExceptionDecisionResultSerializer(serializers.Serializer):
    request = UflpaRequestSerializer()
    congress_report = CongressReportSerializer(allow_null=True)


def _request_for(request: Request, request_id: int) -> UflpaRequest:
    _may_see(request)
    return selectors.uflpa_request_get_for_user(user=request.user, request_id=request_id)


class UflpaExceptionDecisionApi(APIView):
    @extend_schema(
        operation_id="uflpa_requests_decision_create",
        parameters=[REQUEST_ID],
        summary="Grant or deny a UFLPA exception (the approving official, by the Commissioner's "
        "authority); a grant releases the goods and opens the report to Congress, due in 30 days",
        tags=["detentions"],
        request=ExceptionDecisionSerializer,
        responses={
            200: ExceptionDecisionResultSerializer,
            **ERROR_RESPONSES,
            **not_found_response("No such UFLPA request, or one you may not see."),
        },
    )
    def post(self, request: Request, request_id: int) -> Response:
        require_perm(
            request.user,
            "detentions.decide_uflpa_exception",
            "Only the approving official may grant or deny a UFLPA exception.",
        )
        asked = _request_for(request, request_id)
        body = ExceptionDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = services.uflpa_exception_decide(
            request=asked, actor=request.user, **body.validated_data
        )
        asked.refresh_from_db()
        return Response(
            {
                "request": UflpaRequestSerializer(asked).data,
                "congress_report": CongressReportSerializer(report).data if report else None,
            }
        )


class CongressReportListApi(APIView):
    @extend_schema(
        operation_id="congress_reports_list",
        summary="Reports to Congress of granted UFLPA exceptions, soonest due first (staff)",
        tags=["detentions"],
        responses={200: CongressReportSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        require_perm(request.user, "detentions.view_detention")
        return Response(CongressReportSerializer(selectors.congress_report_list(), many=True).data)


class CongressReportSentSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    sent_on = serializers.DateField(help_text="Day the report went to Congress.")


class CongressReportSentApi(APIView):
    @extend_schema(
        operation_id="congress_reports_sent_create",
        parameters=[REPORT_ID],
        summary="Mark a report to Congress sent: it is published on the public register (the "
        "approving official)",
        tags=["detentions"],
        request=CongressReportSentSerializer,
        responses={
            200: CongressReportSerializer,
            **ERROR_RESPONSES,
            **not_found_response("No such report."),
        },
    )
    def post(self, request: Request, report_id: int) -> Response:
        require_perm(
            request.user,
            "detentions.decide_uflpa_exception",
            "Only the approving official may send the report to Congress.",
        )
        report = selectors.congress_report_get(report_id=report_id)
        body = CongressReportSentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = services.congress_report_mark_sent(
            report=report, actor=request.user, sent_on=body.validated_data["sent_on"]
        )
        return Response(CongressReportSerializer(report).data)
