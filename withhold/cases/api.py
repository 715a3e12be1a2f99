"""The case API: cases, their transitions, timeline, tasks, supply chain and HSI referral.

Every view follows the same steps: the role check → the access function
(``selectors.case_get_for_user``, which answers "not found" alike for a case that does not exist
and one the user may not see) → a serializer that checks only the request's shape and types →
one service from ``services`` (which applies the rules and writes the audit row) → serialize.
Errors raised by services become JSON in ``withhold.core.api.exception_handler``.
"""

from django.contrib.auth import get_user_model
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from withhold.accounts.permissions import require_perm
from withhold.core.api import (
    CONFLICT_RESPONSE,
    ERROR_RESPONSES,
    ID_MAX,
    EnumField,
    ErrorSerializer,
    RejectUnknownFieldsMixin,
    model_help,
    not_found_response,
)
from withhold.core.exceptions import NotFoundError, PermissionDeniedError
from withhold.entities.models import Entity
from withhold.reference.countries import is_country
from withhold.reference.models import Commodity, EvidenceSource, IloIndicator

from . import selectors, services
from .models import (
    Case,
    CaseEntity,
    CaseTransition,
    CaseUpdate,
    ClosingOutcome,
    InactiveReason,
    Phase,
    Priority,
    ReferralSource,
    Status,
    SuspensionReason,
    Task,
)

User = get_user_model()

CASE_READ_PERMS = ("cases.view_case", "cases.view_hsi_case")
TRANSITION_ONLY_FIELDS = (
    "phase",
    "status",
    "suspension_reason",
    "inactive_reason",
    "closing_outcome",
)
TRANSITION_ONLY_MESSAGE = (
    "Phase and status change only through transitions: POST to /api/cases/{number}/transitions/."
)

DERIVED_MESSAGE = (
    "Evidence sources are derived from the case's evidence items and cannot be sent: POST an "
    "item to /api/cases/{number}/evidence/ and its source becomes one of the case's."
)

CASE_NUMBER = OpenApiParameter(
    "number",
    str,
    OpenApiParameter.PATH,
    description="The case number, e.g. FL-2026-0042.",
)
NOT_FOUND_RESPONSE = not_found_response("No such case, or one you may not see.")


def _require_case_reader(user) -> None:
    """Reading any case needs ``view_case`` (all cases) or ``view_hsi_case`` (HSI's cases);
    which cases exactly is ``selectors.case_visible_queryset``'s answer."""
    if not any(user.has_perm(perm) for perm in CASE_READ_PERMS):
        raise PermissionDeniedError("Your role does not give access to cases.")


def _case_for(request: Request, number: str, *, detail: bool = False) -> Case:
    _require_case_reader(request.user)
    if detail:
        return selectors.case_detail_for_user(user=request.user, number=number)
    return selectors.case_get_for_user(user=request.user, number=number)


# --- Fields and small serializers --------------------------------------------------------------


class UserSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    name = serializers.CharField(source="get_full_name", read_only=True)


class CommoditySummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Commodity
        fields = ["id", "name", "hs_code"]
        read_only_fields = fields


class EntitySummarySerializer(serializers.ModelSerializer):
    kind = EnumField(Entity.Kind, read_only=True)

    class Meta:
        model = Entity
        fields = ["id", "kind", "name", "country"]
        read_only_fields = fields


class CaseEntitySerializer(serializers.ModelSerializer):
    """One link between a case and an entity: ``id`` is the link's, used to remove it."""

    entity = EntitySummarySerializer(read_only=True)
    role = EnumField(CaseEntity.Role, read_only=True)

    class Meta:
        model = CaseEntity
        fields = ["id", "entity", "role", "added_at"]
        read_only_fields = fields


class IloIndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = IloIndicator
        fields = ["id", "number", "name"]
        read_only_fields = fields


class PhaseEnteredOnSerializer(serializers.Serializer):
    """The date the case last entered each phase it has been in."""

    initiation = serializers.DateField(required=False)
    investigation = serializers.DateField(required=False)
    legal_review = serializers.DateField(required=False)
    implementation = serializers.DateField(required=False)


# --- Case: read --------------------------------------------------------------------------------


class CaseListItemSerializer(serializers.ModelSerializer):
    commodity = CommoditySummarySerializer(read_only=True)
    assigned_analyst = UserSummarySerializer(read_only=True, allow_null=True)
    phase = EnumField(Phase, read_only=True)
    status = EnumField(Status, read_only=True)
    referral_source = EnumField(ReferralSource, read_only=True)
    priority = EnumField(Priority, read_only=True)

    class Meta:
        model = Case
        fields = [
            "number",
            "title",
            "phase",
            "status",
            "commodity",
            "source_country",
            "referral_source",
            "received_on",
            "opened_on",
            "assigned_analyst",
            "priority",
            "caatsa",
            "law_enforcement_sensitive",
            "is_demo",
        ]
        read_only_fields = fields


class CaseDetailSerializer(serializers.ModelSerializer):
    """A case as its page shows it. ``hsi_case_reference`` is present only for roles that may
    see law-enforcement-sensitive details."""

    commodity = CommoditySummarySerializer(read_only=True)
    assigned_analyst = UserSummarySerializer(read_only=True, allow_null=True)
    supervisor = UserSummarySerializer(read_only=True, allow_null=True)
    phase = EnumField(Phase, read_only=True, help_text=model_help(Case, "phase"))
    status = EnumField(Status, read_only=True, help_text=model_help(Case, "status"))
    suspension_reason = EnumField(
        SuspensionReason,
        read_only=True,
        allow_null=True,
        help_text=model_help(Case, "suspension_reason"),
    )
    inactive_reason = EnumField(
        InactiveReason,
        read_only=True,
        allow_null=True,
        help_text=model_help(Case, "inactive_reason"),
    )
    closing_outcome = EnumField(
        ClosingOutcome,
        read_only=True,
        allow_null=True,
        help_text=model_help(Case, "closing_outcome"),
    )
    referral_source = EnumField(
        ReferralSource, read_only=True, help_text=model_help(Case, "referral_source")
    )
    priority = EnumField(Priority, read_only=True, help_text=model_help(Case, "priority"))
    phase_entered_on = serializers.SerializerMethodField()
    entities = CaseEntitySerializer(source="case_entities", many=True, read_only=True)
    evidence_sources = serializers.SerializerMethodField()
    ilo_indicators = IloIndicatorSerializer(many=True, read_only=True)
    # Not read-only, so that the schema does not promise it: it is left out for some roles.
    hsi_case_reference = serializers.CharField(
        required=False, help_text=model_help(Case, "hsi_case_reference")
    )

    class Meta:
        model = Case
        fields = [
            "number",
            "title",
            "allegation_summary",
            "commodity",
            "hts_code",
            "source_country",
            "source_region",
            "referral_source",
            "received_on",
            "opened_on",
            "assigned_analyst",
            "supervisor",
            "phase",
            "status",
            "suspension_reason",
            "inactive_reason",
            "closing_outcome",
            "phase_entered_on",
            "entities",
            "evidence_sources",
            "ilo_indicators",
            "investigative_challenges",
            "hsi_notified_on",
            "hsi_case_reference",
            "caatsa",
            "law_enforcement_sensitive",
            "priority",
            "estimated_annual_import_value",
            "is_demo",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [f for f in fields if f != "hsi_case_reference"]

    @extend_schema_field(PhaseEnteredOnSerializer)
    def get_phase_entered_on(self, case: Case) -> dict:
        return PhaseEnteredOnSerializer(selectors.case_phase_entered_on(case)).data

    @extend_schema_field(serializers.ListField(child=EnumField(EvidenceSource)))
    def get_evidence_sources(self, case: Case) -> list[str]:
        return selectors.case_evidence_source_codes_for_user(
            case=case, user=self.context["request"].user
        )

    def to_representation(self, case: Case) -> dict:
        data = super().to_representation(case)
        if not self.context.get("show_sensitive", False):
            data.pop("hsi_case_reference")
        return data


def _case_detail_data(request: Request, case: Case) -> dict:
    context = {
        "request": request,
        "show_sensitive": selectors.can_see_sensitive_fields(request.user),
    }
    return CaseDetailSerializer(case, context=context).data


# --- Case: write -------------------------------------------------------------------------------


class CaseEntityLinkSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    entity = serializers.PrimaryKeyRelatedField(
        queryset=Entity.objects.all(), help_text="The entity's id (see /api/entities/)."
    )
    role = EnumField(CaseEntity.Role, help_text="The entity's part in this case's supply chain.")


class CaseWriteSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    """The fields of a case that may be written directly. Users and the commodity are ids."""

    unknown_field_messages = {
        **{name: TRANSITION_ONLY_MESSAGE for name in TRANSITION_ONLY_FIELDS},
        "evidence_sources": DERIVED_MESSAGE,
    }

    referral_source = EnumField(ReferralSource, help_text=model_help(Case, "referral_source"))
    priority = EnumField(Priority, required=False, help_text=model_help(Case, "priority"))
    assigned_analyst = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        required=False,
        allow_null=True,
        help_text="User id of the case analyst working the case.",
    )
    supervisor = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        required=False,
        allow_null=True,
        help_text="User id of the supervisor responsible for the case.",
    )
    ilo_indicators = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX),
        required=False,
        help_text="Ids of the ILO indicators of forced labour the evidence points to.",
    )

    class Meta:
        model = Case
        fields = [*services.CASE_SCALAR_FIELDS, *services.CASE_M2M_FIELDS]
        extra_kwargs = {"opened_on": {"required": False}}


class CaseCreateSerializer(CaseWriteSerializer):
    entities = CaseEntityLinkSerializer(
        many=True, required=False, help_text="Supply-chain entities to link, each with its role."
    )

    class Meta(CaseWriteSerializer.Meta):
        fields = [*CaseWriteSerializer.Meta.fields, "entities"]


class CaseEditSerializer(CaseWriteSerializer):
    """The fields to change, and the case's ``version`` as last read (required): the edit is
    refused with 409 if someone else has saved the case since."""

    unknown_field_messages = {
        **CaseWriteSerializer.unknown_field_messages,
        "entities": "Link and unlink entities through /api/cases/{number}/entities/.",
    }

    version = serializers.IntegerField(
        min_value=1,
        required=True,
        help_text="The case's ``version`` from your last read (GET). Required: if the case has "
        "changed since, nothing is saved and the answer is 409 Conflict.",
    )

    class Meta(CaseWriteSerializer.Meta):
        fields = [*CaseWriteSerializer.Meta.fields, "version"]

    def validate(self, attrs: dict) -> dict:
        if "version" not in attrs:
            raise serializers.ValidationError(
                {"version": "Send the case's version from your last read (optimistic locking)."}
            )
        if len(attrs) == 1:
            raise serializers.ValidationError("Send at least one field to change.")
        return attrs


class CaseEditSchema(OpenApiSerializerExtension):
    """drf-spectacular drops every ``required`` from a PATCH body; ``version`` stays required."""

    target_class = CaseEditSerializer

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        schema["required"] = ["version"]
        return schema


# --- Case views --------------------------------------------------------------------------------


class CaseListParamsSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Words that must all appear in the number, title, summary or a linked "
        "entity's name.",
    )
    phase = EnumField(Phase, required=False)
    status = EnumField(Status, required=False)
    country = serializers.CharField(
        required=False, help_text="ISO 3166-1 alpha-2 code of the source country."
    )
    commodity = serializers.IntegerField(
        required=False, min_value=1, max_value=ID_MAX, help_text="Commodity id."
    )
    analyst = serializers.IntegerField(
        required=False, min_value=1, max_value=ID_MAX, help_text="User id of the assigned analyst."
    )
    referral_source = EnumField(ReferralSource, required=False)
    priority = EnumField(Priority, required=False)
    entity = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=ID_MAX,
        help_text="Entity id: only cases that involve that entity.",
    )
    received_from = serializers.DateField(required=False, help_text="Received on or after.")
    received_to = serializers.DateField(required=False, help_text="Received on or before.")
    opened_from = serializers.DateField(required=False, help_text="Opened on or after.")
    opened_to = serializers.DateField(required=False, help_text="Opened on or before.")
    sort = serializers.ChoiceField(
        choices=[key for name in selectors.CASE_SORTS for key in (name, f"-{name}")]
        + [selectors.RELEVANCE_SORT],
        required=False,
        default=selectors.DEFAULT_CASE_SORT,
        help_text="Field to sort by; prefix with - for descending order. ``relevance`` (with "
        "``q``) puts an exact case number first, then the best full-text matches.",
    )

    def validate_country(self, value: str) -> str:
        if not is_country(value):
            raise serializers.ValidationError(f"“{value}” is not an ISO 3166 country code.")
        return value.upper()


class CaseListCreateApi(GenericAPIView):
    @extend_schema(
        operation_id="cases_list",
        summary="List the cases you may see",
        tags=["cases"],
        parameters=[CaseListParamsSerializer],
        responses={200: CaseListItemSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        _require_case_reader(request.user)
        params = CaseListParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        filters = dict(params.validated_data)
        sort = filters.pop("sort")
        cases = selectors.case_list(
            user=request.user, filters=selectors.CaseFilters(**filters), sort=sort
        )
        page = self.paginate_queryset(cases)
        return self.get_paginated_response(CaseListItemSerializer(page, many=True).data)

    @extend_schema(
        operation_id="cases_create",
        summary="Open a case (in initiation, active)",
        description="Phase and status cannot be sent: every case opens in initiation and moves "
        "only through /api/cases/{number}/transitions/.",
        tags=["cases"],
        request=CaseCreateSerializer,
        responses={201: CaseDetailSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        require_perm(request.user, "cases.add_case", "Your role cannot open cases.")
        body = CaseCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        fields = dict(body.validated_data)
        links = [services.EntityLink(**link) for link in fields.pop("entities", [])]
        case = services.case_create(
            actor=request.user,
            entity_links=links,
            ilo_indicators=fields.pop("ilo_indicators", []),
            **fields,
        )
        return Response(_case_detail_data(request, case), status=status.HTTP_201_CREATED)


class CaseDetailApi(APIView):
    @extend_schema(
        operation_id="cases_retrieve",
        parameters=[CASE_NUMBER],
        summary="Show a case",
        tags=["cases"],
        responses={200: CaseDetailSerializer, **ERROR_RESPONSES, **NOT_FOUND_RESPONSE},
    )
    def get(self, request: Request, number: str) -> Response:
        case = _case_for(request, number, detail=True)
        return Response(_case_detail_data(request, case))

    @extend_schema(
        operation_id="cases_partial_update",
        parameters=[CASE_NUMBER],
        summary="Edit a case's fields",
        description="Refused (400, with ``missing``) if the edit would take away something the "
        "case's current phase requires. Phase and status change only through transitions. "
        "Send the ``version`` you read: if someone else saved the case since, nothing is saved "
        "and the answer is 409 with ``current_version``.",
        tags=["cases"],
        request=CaseEditSerializer,
        responses={
            200: CaseDetailSerializer,
            **ERROR_RESPONSES,
            **NOT_FOUND_RESPONSE,
            **CONFLICT_RESPONSE,
        },
    )
    def patch(self, request: Request, number: str) -> Response:
        case = _case_for(request, number)
        body = CaseEditSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        case = services.case_update(case=case, actor=request.user, **body.validated_data)
        return Response(_case_detail_data(request, case))


class CaseTransitionSerializer(serializers.ModelSerializer):
    kind = EnumField(CaseTransition.Kind, read_only=True)
    from_phase = EnumField(Phase, read_only=True, allow_null=True)
    to_phase = EnumField(Phase, read_only=True)
    from_status = EnumField(Status, read_only=True, allow_null=True)
    to_status = EnumField(Status, read_only=True)
    reason_code = serializers.CharField(
        read_only=True, allow_null=True, help_text=model_help(CaseTransition, "reason_code")
    )
    actor = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = CaseTransition
        fields = [
            "id",
            "kind",
            "from_phase",
            "to_phase",
            "from_status",
            "to_status",
            "reason_code",
            "reason",
            "actor",
            "at",
        ]
        read_only_fields = fields

    def to_representation(self, transition: CaseTransition) -> dict:
        data = super().to_representation(transition)
        data["reason_code"] = data["reason_code"] or None
        return data


class TransitionRequestSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """Either a phase change (``to_phase``) or a status change (``to_status`` with the
    ``reason_code`` its new status needs: a suspension reason, inactive reason or closing
    outcome)."""

    to_phase = EnumField(Phase, required=False)
    to_status = EnumField(Status, required=False)
    reason_code = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="For a status change: the suspension reason, inactive reason or closing "
        "outcome (see SuspensionReasonEnum, InactiveReasonEnum, ClosingOutcomeEnum).",
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Why, in your words. Needed to send a case back a phase, to reactivate it, "
        "or with the code “other”.",
    )

    def validate(self, attrs: dict) -> dict:
        if ("to_phase" in attrs) == ("to_status" in attrs):
            raise serializers.ValidationError("Send either to_phase or to_status.")
        if "to_phase" in attrs and attrs["reason_code"]:
            raise serializers.ValidationError(
                {"reason_code": ["A phase change takes no reason code."]}
            )
        return attrs


class PhaseRequirementsMissingSerializer(ErrorSerializer):
    # A malformed body is refused with field errors instead (``{"to_phase": [...]}``), as
    # everywhere in the API, so ``detail`` is not always there.
    detail = serializers.CharField(required=False)
    missing = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Data-dictionary keys of what the phase requires and the case lacks.",
    )


class CaseTransitionApi(APIView):
    @extend_schema(
        operation_id="cases_transitions_list",
        parameters=[CASE_NUMBER],
        summary="List a case's phase and status changes",
        tags=["cases"],
        responses={
            200: CaseTransitionSerializer(many=True),
            **ERROR_RESPONSES,
            **NOT_FOUND_RESPONSE,
        },
    )
    def get(self, request: Request, number: str) -> Response:
        case = _case_for(request, number)
        transitions = case.transitions.select_related("actor")
        return Response(CaseTransitionSerializer(transitions, many=True).data)

    @extend_schema(
        operation_id="cases_transitions_create",
        parameters=[CASE_NUMBER],
        summary="Change a case's phase or status",
        description="A phase moves one step at a time, and forward only when the case has what "
        "the new phase requires: otherwise 400 with ``missing``. Entering investigation opens "
        "a “Notify HSI” task.",
        tags=["cases"],
        request=TransitionRequestSerializer,
        responses={
            200: CaseDetailSerializer,
            400: OpenApiResponse(
                PhaseRequirementsMissingSerializer,
                description="Refused: ``detail`` says why; ``missing`` lists what the phase "
                "requires and the case lacks. A malformed body maps each field named (or "
                "``non_field_errors``) to its messages.",
            ),
            403: ERROR_RESPONSES[403],
            **NOT_FOUND_RESPONSE,
        },
    )
    def post(self, request: Request, number: str) -> Response:
        case = _case_for(request, number)
        body = TransitionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        move = body.validated_data
        if "to_phase" in move:
            case = services.case_phase_change(
                case=case, to_phase=move["to_phase"], actor=request.user, reason=move["reason"]
            )
        else:
            case = services.case_status_change(
                case=case,
                to_status=move["to_status"],
                actor=request.user,
                reason_code=move["reason_code"],
                reason=move["reason"],
            )
        return Response(_case_detail_data(request, case))


class TimelineEntrySerializer(serializers.ModelSerializer):
    author = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = CaseUpdate
        fields = ["id", "occurred_on", "text", "author", "created_at"]
        read_only_fields = ["id", "author", "created_at"]


class TimelineEntryRequestSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = CaseUpdate
        fields = ["occurred_on", "text"]


class CaseTimelineApi(APIView):
    @extend_schema(
        operation_id="cases_timeline_list",
        parameters=[CASE_NUMBER],
        summary="List a case's timeline (newest first)",
        tags=["cases"],
        responses={
            200: TimelineEntrySerializer(many=True),
            **ERROR_RESPONSES,
            **NOT_FOUND_RESPONSE,
        },
    )
    def get(self, request: Request, number: str) -> Response:
        require_perm(request.user, "cases.view_caseupdate", "Your role cannot see timelines.")
        case = _case_for(request, number)
        updates = case.updates.select_related("author")
        return Response(TimelineEntrySerializer(updates, many=True).data)

    @extend_schema(
        operation_id="cases_timeline_create",
        parameters=[CASE_NUMBER],
        summary="Add a dated update to a case's timeline",
        tags=["cases"],
        request=TimelineEntryRequestSerializer,
        responses={201: TimelineEntrySerializer, **ERROR_RESPONSES, **NOT_FOUND_RESPONSE},
    )
    def post(self, request: Request, number: str) -> Response:
        require_perm(request.user, "cases.add_caseupdate", "Your role cannot add timeline updates.")
        case = _case_for(request, number)
        body = TimelineEntryRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        update = services.case_update_add(case=case, actor=request.user, **body.validated_data)
        return Response(TimelineEntrySerializer(update).data, status=status.HTTP_201_CREATED)


class TaskSerializer(serializers.ModelSerializer):
    case = serializers.CharField(source="case.number", read_only=True, help_text="Case number.")
    kind = EnumField(Task.Kind, read_only=True)
    state = EnumField(Task.State, read_only=True)
    owner = UserSummarySerializer(read_only=True)
    completed_by = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "case",
            "kind",
            "title",
            "description",
            "owner",
            "due_on",
            "state",
            "completed_at",
            "completed_by",
            "created_at",
        ]
        read_only_fields = fields


class TaskCreateSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), help_text="User id of the person who is to do the task."
    )

    class Meta:
        model = Task
        fields = ["title", "description", "owner", "due_on"]


class CaseTaskApi(APIView):
    @extend_schema(
        operation_id="cases_tasks_list",
        parameters=[CASE_NUMBER],
        summary="List a case's tasks",
        tags=["tasks"],
        responses={200: TaskSerializer(many=True), **ERROR_RESPONSES, **NOT_FOUND_RESPONSE},
    )
    def get(self, request: Request, number: str) -> Response:
        require_perm(request.user, "cases.view_task", "Your role cannot see tasks.")
        case = _case_for(request, number)
        tasks = case.tasks.select_related("owner", "completed_by")
        return Response(TaskSerializer(tasks, many=True).data)

    @extend_schema(
        operation_id="cases_tasks_create",
        parameters=[CASE_NUMBER],
        summary="Give someone a task on a case",
        tags=["tasks"],
        request=TaskCreateSerializer,
        responses={201: TaskSerializer, **ERROR_RESPONSES, **NOT_FOUND_RESPONSE},
    )
    def post(self, request: Request, number: str) -> Response:
        require_perm(request.user, "cases.add_task", "Your role cannot create tasks.")
        case = _case_for(request, number)
        body = TaskCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        task = services.task_create(case=case, actor=request.user, **body.validated_data)
        return Response(TaskSerializer(task).data, status=status.HTTP_201_CREATED)


class CaseEntityLinkApi(APIView):
    @extend_schema(
        operation_id="cases_entities_create",
        parameters=[CASE_NUMBER],
        summary="Link a supply-chain entity to a case",
        tags=["cases"],
        request=CaseEntityLinkSerializer,
        responses={201: CaseEntitySerializer, **ERROR_RESPONSES, **NOT_FOUND_RESPONSE},
    )
    def post(self, request: Request, number: str) -> Response:
        require_perm(
            request.user, "cases.change_case", "Your role cannot change a case's supply chain."
        )
        case = _case_for(request, number)
        body = CaseEntityLinkSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        link = services.case_entity_link(case=case, actor=request.user, **body.validated_data)
        return Response(CaseEntitySerializer(link).data, status=status.HTTP_201_CREATED)


class CaseEntityUnlinkApi(APIView):
    @extend_schema(
        operation_id="cases_entities_destroy",
        parameters=[CASE_NUMBER],
        summary="Remove an entity from a case's supply chain",
        description="Refused (400, with ``missing``) if the case's phase needs the link.",
        tags=["cases"],
        request=None,
        responses={204: None, **ERROR_RESPONSES, **NOT_FOUND_RESPONSE},
    )
    def delete(self, request: Request, number: str, link_id: int) -> Response:
        require_perm(
            request.user, "cases.change_case", "Your role cannot change a case's supply chain."
        )
        case = _case_for(request, number)
        link = case.case_entities.select_related("entity").filter(pk=link_id).first()
        if link is None:
            raise NotFoundError(f"Case {case.number} has no entity link {link_id}.")
        services.case_entity_unlink(link=link, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class HsiReferralSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    notified_on = serializers.DateField(help_text=model_help(Case, "hsi_notified_on"))
    case_reference = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=40,
        help_text=model_help(Case, "hsi_case_reference"),
    )


class CaseHsiReferralApi(APIView):
    @extend_schema(
        operation_id="cases_hsi_referral_create",
        parameters=[CASE_NUMBER],
        summary="Record that HSI was notified (closes the “Notify HSI” task)",
        tags=["cases"],
        request=HsiReferralSerializer,
        responses={200: CaseDetailSerializer, **ERROR_RESPONSES, **NOT_FOUND_RESPONSE},
    )
    def post(self, request: Request, number: str) -> Response:
        require_perm(
            request.user, "cases.record_hsi_referral", "Your role cannot record HSI referrals."
        )
        case = _case_for(request, number)
        body = HsiReferralSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        case = services.case_hsi_referral_record(
            case=case, actor=request.user, **body.validated_data
        )
        return Response(_case_detail_data(request, case))


# --- Tasks across cases ------------------------------------------------------------------------


class TaskListParamsSerializer(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=[*Task.State.values, "all"],
        required=False,
        default=Task.State.OPEN,
        help_text="Which of your tasks: open (the default), done, cancelled or all.",
    )


class TaskListApi(GenericAPIView):
    @extend_schema(
        operation_id="tasks_list",
        summary="List your tasks (earliest due first)",
        tags=["tasks"],
        parameters=[TaskListParamsSerializer],
        responses={200: TaskSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        require_perm(request.user, "cases.view_task", "Your role cannot see tasks.")
        params = TaskListParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        tasks = selectors.task_list_for_owner(
            user=request.user, state=params.validated_data["state"]
        )
        page = self.paginate_queryset(tasks)
        return self.get_paginated_response(TaskSerializer(page, many=True).data)


class TaskCompleteSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    cancel = serializers.BooleanField(
        required=False, default=False, help_text="Cancel the task instead of marking it done."
    )


class TaskCompleteApi(APIView):
    @extend_schema(
        operation_id="tasks_complete",
        summary="Mark a task done (or cancel it)",
        tags=["tasks"],
        request=TaskCompleteSerializer,
        responses={
            200: TaskSerializer,
            **ERROR_RESPONSES,
            **not_found_response("No such task, or one on a case you may not see."),
        },
    )
    def post(self, request: Request, task_id: int) -> Response:
        require_perm(request.user, "cases.change_task", "Your role cannot change tasks.")
        task = selectors.task_get_for_user(user=request.user, task_id=task_id)
        body = TaskCompleteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        task = services.task_complete(task=task, actor=request.user, **body.validated_data)
        return Response(TaskSerializer(task).data)
