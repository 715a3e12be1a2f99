"""The allegation API: a public, rate-limited submission, and the triage queue and decisions for
signed-in staff, under the same role rules as the pages.

Steps as everywhere: role check → access function (``selectors.allegation_get_for_user``: the
same 404 for a missing allegation and one the user may not see) → serializer (shape and types)
→ one service → serialize. Domain errors become JSON in ``withhold.core.api.exception_handler``.
"""

from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from withhold.cases.models import Priority
from withhold.cases.selectors import case_get_for_user
from withhold.core.api import (
    ERROR_RESPONSES,
    ID_MAX,
    EnumField,
    ErrorSerializer,
    RejectUnknownFieldsMixin,
    model_help,
    not_found_response,
)
from withhold.core.exceptions import PermissionDeniedError
from withhold.entities.models import Entity
from withhold.reference.countries import is_country
from withhold.reference.models import Commodity

from . import elements, ratelimit, selectors, services, triage
from .models import Allegation, Decision, SubmissionChannel, SubmitterType

RECEIPT = OpenApiParameter(
    "receipt_number",
    str,
    OpenApiParameter.PATH,
    description="The allegation's receipt number, e.g. FLA-2026-000123.",
)
NOT_FOUND = not_found_response("No such allegation, or one you may not see.")


class IntakeSubmitThrottle(BaseThrottle):
    """The public submission limit per address (``WITHHOLD["INTAKE_SUBMIT_RATE"]``), counted
    together with the web form's."""

    def allow_request(self, request, view) -> bool:
        rate = ratelimit.rate_for("INTAKE_SUBMIT_RATE")
        self._wait = ratelimit.rate_limit_retry_after(rate=rate)
        return not ratelimit.rate_limit_hit(
            scope="report", key=ratelimit.client_address(request), rate=rate
        )

    def wait(self) -> float | None:
        return getattr(self, "_wait", None)


def _require(user, perm: str, message: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDeniedError(message)


def _allegation_for(request: Request, receipt_number: str) -> Allegation:
    if not selectors.can_read_allegations(request.user):
        raise PermissionDeniedError("Your role does not give access to allegations.")
    return selectors.allegation_get_for_user(user=request.user, receipt_number=receipt_number)


# --- Serializers --------------------------------------------------------------------------------


class AllegationSubmitSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    reasons = serializers.CharField(max_length=20000, help_text=model_help(Allegation, "reasons"))
    merchandise_description = serializers.CharField(
        max_length=5000, help_text=model_help(Allegation, "merchandise_description")
    )
    hts_code = serializers.CharField(max_length=16, required=False, allow_blank=True)
    manufacturer_name = serializers.CharField(max_length=255, required=False, allow_blank=True)
    manufacturer_address = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    country = serializers.CharField(
        max_length=2, required=False, allow_blank=True, help_text=model_help(Allegation, "country")
    )
    region = serializers.CharField(max_length=200, required=False, allow_blank=True)
    supply_chain_companies = serializers.CharField(
        max_length=5000, required=False, allow_blank=True
    )
    us_importers = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    production_period = serializers.CharField(max_length=200, required=False, allow_blank=True)
    ilo_indicators = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX),
        required=False,
        help_text="Numbers (1-11) of the ILO indicators of forced labour observed.",
    )
    submitter_type = EnumField(SubmitterType)
    anonymous = serializers.BooleanField(
        help_text="True to report anonymously (contact fields are then ignored); false needs "
        "contact_email or contact_phone."
    )
    contact_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)


class AllegationReceiptSerializer(serializers.Serializer):
    receipt_number = serializers.CharField()
    follow_up_code = serializers.CharField(
        help_text="Secret code shown only in this response; with the receipt number it opens the "
        "report's status page. It cannot be recovered."
    )


class ElementSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    level = serializers.ChoiceField(choices=["good", "thin", "missing"])
    advice = serializers.ListField(child=serializers.CharField())


class AllegationListItemSerializer(serializers.Serializer):
    receipt_number = serializers.CharField()
    received_at = serializers.DateTimeField()
    age_days = serializers.IntegerField()
    overdue = serializers.BooleanField()
    waiting_for_triage = serializers.BooleanField()
    country = serializers.CharField()
    manufacturer_name = serializers.CharField()
    elements = ElementSerializer(many=True)
    decision = EnumField(Decision, allow_null=True)
    case_number = serializers.CharField(allow_null=True)


def _list_item(row: selectors.QueueRow) -> dict:
    a = row.allegation
    return {
        "receipt_number": a.receipt_number,
        "received_at": a.created_at,
        "age_days": row.age_days,
        "overdue": row.overdue,
        "waiting_for_triage": row.waiting,
        "country": a.country,
        "manufacturer_name": a.manufacturer_name,
        "elements": [e.__dict__ for e in row.assessments],
        "decision": a.decision or None,
        "case_number": selectors.visible_case_number(a),
    }


class InformationRequestSerializer(serializers.Serializer):
    question = serializers.CharField()
    asked_at = serializers.DateTimeField()
    answer = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()


class AllegationDetailSerializer(AllegationListItemSerializer):
    reasons = serializers.CharField()
    merchandise_description = serializers.CharField()
    hts_code = serializers.CharField()
    manufacturer_address = serializers.CharField()
    region = serializers.CharField()
    supply_chain_companies = serializers.CharField()
    us_importers = serializers.CharField()
    production_period = serializers.CharField()
    ilo_indicators = serializers.ListField(child=serializers.CharField())
    submitter_type = EnumField(SubmitterType)
    anonymous = serializers.BooleanField()
    submitter_identity = serializers.ChoiceField(
        choices=["shown", "granted", "withheld", "anonymous"],
        help_text="How the caller sees the submitter: shown to their role, shown under a granted "
        "request (the reading is audited), withheld (the contact fields are null; ask a "
        "supervisor on the allegation page), or anonymous.",
    )
    contact_name = serializers.CharField(allow_null=True)
    contact_email = serializers.CharField(allow_null=True)
    contact_phone = serializers.CharField(allow_null=True)
    decided_by = serializers.CharField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    decline_reason = serializers.CharField()
    public_status = serializers.ChoiceField(choices=list(triage.PUBLIC_STATUS_LABELS))
    information_requests = InformationRequestSerializer(many=True)
    attachments = AttachmentSerializer(many=True)


def _detail(allegation: Allegation, user) -> dict:
    """The allegation as ``user`` may see it: the case number only if they can see the case,
    the submitter's identity through the visibility policy (``selectors.submitter_identity``)."""
    access = selectors.submitter_identity_access(user=user, allegation=allegation)
    if access == selectors.IDENTITY_GRANTED:
        services.identity_revealed(allegation=allegation, actor=user)
    facts = selectors.allegation_facts(
        allegation,
        ilo_count=len(allegation.ilo_indicators.all()),
        attachment_count=len(allegation.attachments.all()),
    )
    assessments = elements.assess(facts)
    today = timezone.localdate()
    received_on = timezone.localdate(allegation.created_at)
    has_open = any(q.is_open for q in allegation.information_requests.all())
    waiting = triage.needs_triage(decision=allegation.decision, has_open_question=has_open)
    return {
        "receipt_number": allegation.receipt_number,
        "received_at": allegation.created_at,
        "age_days": (today - received_on).days,
        "overdue": triage.is_overdue(
            received_on=received_on,
            today=today,
            days=settings.WITHHOLD["INTAKE_TRIAGE_DAYS"],
            waiting=waiting,
        ),
        "waiting_for_triage": waiting,
        "elements": [e.__dict__ for e in assessments],
        "decision": allegation.decision or None,
        "case_number": selectors.visible_case_number(allegation),
        "submitter_identity": access,
        **selectors.submitter_identity(allegation, access),
        "ilo_indicators": [i.name for i in allegation.ilo_indicators.all()],
        "decided_by": str(allegation.decided_by) if allegation.decided_by_id else None,
        "public_status": selectors.allegation_public_status(allegation),
        "information_requests": [
            {
                "question": q.question,
                "asked_at": q.asked_at,
                "answer": q.answer,
                "answered_at": q.answered_at,
            }
            for q in allegation.information_requests.all()
        ],
        "attachments": [
            {
                "id": f.pk,
                "original_name": f.original_name,
                "content_type": f.content_type,
                "size": f.size,
                "sha256": f.sha256,
            }
            for f in allegation.attachments.all()
        ],
        **{
            name: getattr(allegation, name)
            for name in (
                "country",
                "manufacturer_name",
                "reasons",
                "merchandise_description",
                "hts_code",
                "manufacturer_address",
                "region",
                "supply_chain_companies",
                "us_importers",
                "production_period",
                "submitter_type",
                "anonymous",
                "decided_at",
                "decline_reason",
            )
        },
    }


class QueueParamsSerializer(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=list(selectors.QUEUE_STATES), required=False, default="waiting"
    )
    country = serializers.CharField(max_length=2, required=False, allow_blank=True, default="")
    overdue = serializers.BooleanField(required=False, default=False)
    q = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class CaseOpenRequestSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    commodity = serializers.PrimaryKeyRelatedField(
        queryset=Commodity.objects.all(), help_text="Commodity id from the controlled list."
    )
    title = serializers.CharField(
        max_length=200, required=False, help_text="Defaults to the suggested title."
    )
    source_country = serializers.CharField(
        max_length=2, required=False, help_text="Defaults to the allegation's country."
    )
    priority = EnumField(Priority, required=False, default=Priority.MEDIUM)
    manufacturer_entity = serializers.PrimaryKeyRelatedField(
        queryset=Entity.objects.all(),
        required=False,
        allow_null=True,
        help_text="Link this existing entity as manufacturer instead of creating one.",
    )

    def validate_source_country(self, value: str) -> str:
        if not is_country(value):
            raise serializers.ValidationError("Not an ISO 3166 country code.")
        return value.upper()


class CaseOpenedSerializer(serializers.Serializer):
    case_number = serializers.CharField()


class AttachRequestSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    case_number = serializers.CharField(max_length=20)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class QuestionRequestSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    question = serializers.CharField(max_length=5000)


class DeclineRequestSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=5000)


class RevealRequestSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000, help_text="Why the caller needs to know who the submitter is."
    )


class RevealDecisionSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    grant = serializers.BooleanField(help_text="true grants the request, false refuses it.")


class RevealSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    receipt_number = serializers.CharField(source="allegation.receipt_number")
    requested_by = serializers.CharField()
    reason = serializers.CharField()
    requested_at = serializers.DateTimeField()
    state = serializers.ChoiceField(choices=["requested", "granted", "refused"])


# --- Views --------------------------------------------------------------------------------------


class AllegationListSubmitApi(GenericAPIView):
    """``GET``: the triage queue (intake analysts, supervisors). ``POST``: submit an allegation
    (anyone, no sign-in; rate limited per address)."""

    serializer_class = AllegationListItemSerializer

    def get_permissions(self):
        if self.request.method == "POST":
            return [AllowAny()]
        return [IsAuthenticated()]

    def get_throttles(self):
        if self.request.method == "POST":
            return [IntakeSubmitThrottle()]
        return []

    @extend_schema(
        operation_id="allegation_list",
        parameters=[QueueParamsSerializer],
        responses={200: AllegationListItemSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        _require(request.user, "intake.view_allegation", "Your role cannot see the queue.")
        params = QueueParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        today = timezone.localdate()
        qs = selectors.allegation_queue(
            user=request.user, filters=selectors.QueueFilters(**params.validated_data), today=today
        )
        page = self.paginate_queryset(qs)
        rows = [_list_item(selectors.allegation_queue_row(a, today=today)) for a in page]
        return self.get_paginated_response(AllegationListItemSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="allegation_submit",
        request=AllegationSubmitSerializer,
        responses={
            201: AllegationReceiptSerializer,
            400: ERROR_RESPONSES[400],
            429: OpenApiResponse(ErrorSerializer, description="Too many submissions."),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = AllegationSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        receipt = services.allegation_submit(
            ilo_indicators=data.pop("ilo_indicators", []),
            channel=SubmissionChannel.API,
            **data,
        )
        body = {
            "receipt_number": receipt.allegation.receipt_number,
            "follow_up_code": receipt.follow_up_code,
        }
        return Response(AllegationReceiptSerializer(body).data, status=status.HTTP_201_CREATED)


class AllegationDetailApi(APIView):
    @extend_schema(
        operation_id="allegation_detail",
        parameters=[RECEIPT],
        responses={200: AllegationDetailSerializer, **ERROR_RESPONSES, **NOT_FOUND},
    )
    def get(self, request: Request, receipt_number: str) -> Response:
        allegation = _allegation_for(request, receipt_number)
        return Response(AllegationDetailSerializer(_detail(allegation, request.user)).data)


class AllegationOpenCaseApi(APIView):
    @extend_schema(
        operation_id="allegation_open_case",
        parameters=[RECEIPT],
        request=CaseOpenRequestSerializer,
        responses={201: CaseOpenedSerializer, **ERROR_RESPONSES, **NOT_FOUND},
    )
    def post(self, request: Request, receipt_number: str) -> Response:
        allegation = _allegation_for(request, receipt_number)
        serializer = CaseOpenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        opening = services.CaseOpening(
            commodity=data["commodity"],
            title=data.get("title") or services.allegation_case_title(allegation),
            source_country=data.get("source_country") or allegation.country,
            priority=data["priority"],
            manufacturer_entity=data.get("manufacturer_entity"),
        )
        case = services.allegation_case_open(
            allegation=allegation, actor=request.user, opening=opening
        )
        return Response({"case_number": case.number}, status=status.HTTP_201_CREATED)


class AllegationAttachApi(APIView):
    @extend_schema(
        operation_id="allegation_attach",
        parameters=[RECEIPT],
        request=AttachRequestSerializer,
        responses={200: CaseOpenedSerializer, **ERROR_RESPONSES, **NOT_FOUND},
    )
    def post(self, request: Request, receipt_number: str) -> Response:
        allegation = _allegation_for(request, receipt_number)
        serializer = AttachRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _require(request.user, "intake.triage_allegation", "Your role cannot triage allegations.")
        case = case_get_for_user(
            user=request.user, number=serializer.validated_data["case_number"].strip().upper()
        )
        services.allegation_case_attach(
            allegation=allegation,
            case=case,
            actor=request.user,
            note=serializer.validated_data["note"],
        )
        return Response({"case_number": case.number})


class AllegationInformationRequestApi(APIView):
    @extend_schema(
        operation_id="allegation_request_information",
        parameters=[RECEIPT],
        request=QuestionRequestSerializer,
        responses={201: AllegationDetailSerializer, **ERROR_RESPONSES, **NOT_FOUND},
    )
    def post(self, request: Request, receipt_number: str) -> Response:
        allegation = _allegation_for(request, receipt_number)
        serializer = QuestionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.allegation_information_request(
            allegation=allegation, actor=request.user, **serializer.validated_data
        )
        allegation = _allegation_for(request, receipt_number)
        return Response(
            AllegationDetailSerializer(_detail(allegation, request.user)).data,
            status=status.HTTP_201_CREATED,
        )


class AllegationDeclineApi(APIView):
    @extend_schema(
        operation_id="allegation_decline",
        parameters=[RECEIPT],
        request=DeclineRequestSerializer,
        responses={200: AllegationDetailSerializer, **ERROR_RESPONSES, **NOT_FOUND},
    )
    def post(self, request: Request, receipt_number: str) -> Response:
        allegation = _allegation_for(request, receipt_number)
        serializer = DeclineRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.allegation_decline(
            allegation=allegation, actor=request.user, **serializer.validated_data
        )
        allegation = _allegation_for(request, receipt_number)
        return Response(AllegationDetailSerializer(_detail(allegation, request.user)).data)


class AllegationRevealRequestApi(APIView):
    @extend_schema(
        operation_id="allegation_identity_request",
        summary="Ask a supervisor to see who submitted the allegation, saying why",
        parameters=[RECEIPT],
        request=RevealRequestSerializer,
        responses={201: RevealSerializer, **ERROR_RESPONSES, **NOT_FOUND},
    )
    def post(self, request: Request, receipt_number: str) -> Response:
        allegation = _allegation_for(request, receipt_number)
        serializer = RevealRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reveal = services.identity_reveal_request(
            allegation=allegation, actor=request.user, **serializer.validated_data
        )
        return Response(RevealSerializer(reveal).data, status=status.HTTP_201_CREATED)


class RevealDecideApi(APIView):
    @extend_schema(
        operation_id="identity_request_decide",
        summary="Grant or refuse a request to see a submitter (supervisor)",
        request=RevealDecisionSerializer,
        responses={
            200: RevealSerializer,
            **ERROR_RESPONSES,
            **not_found_response("No such request."),
        },
    )
    def post(self, request: Request, request_id: int) -> Response:
        _require(
            request.user,
            "intake.grant_identity_reveal",
            "Only a supervisor can grant a request to see a submitter's identity.",
        )
        serializer = RevealDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reveal = services.identity_reveal_decide(
            request=selectors.reveal_request_get(pk=request_id),
            actor=request.user,
            grant=serializer.validated_data["grant"],
        )
        return Response(RevealSerializer(reveal).data)
