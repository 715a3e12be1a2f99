"""The orders API: the public register (no sign-in), and for staff an order's detail, its
approval decision and its issuance. The same services and role rules as the pages."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
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

from . import selectors, services
from .models import ApprovalDecision, Kind, Order, ScopeRule, Status

ORDER_NUMBER = OpenApiParameter(
    "number", str, OpenApiParameter.PATH, description="The order number, e.g. WRO-2026-0001."
)
NOT_FOUND_RESPONSE = not_found_response("No such order, or one you may not see.")


class RegisterSourceSerializer(serializers.Serializer):
    source_file = serializers.CharField()
    row_number = serializers.IntegerField()
    row_key = serializers.CharField()
    published_status = serializers.CharField()
    published_entity = serializers.CharField()
    published_date = serializers.CharField()
    detail = serializers.CharField()
    citation = serializers.CharField()


class RegisterRowSerializer(serializers.Serializer):
    """An order as the public register shows it: public fields only."""

    number = serializers.CharField()
    kind = EnumField(Kind, enum_name="OrderKindEnum")
    kind_label = serializers.CharField()
    issued = serializers.CharField(
        help_text="YYYY-MM-DD, or YYYY-MM where the source gives a month."
    )
    year = serializers.IntegerField(allow_null=True)
    merchandise = serializers.CharField()
    entity = serializers.CharField()
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2; empty for fishing vessels.")
    country_name = serializers.CharField()
    status = EnumField(Status, enum_name="OrderStatusEnum")
    status_label = serializers.CharField()
    published_on = serializers.CharField()
    modified_on = serializers.CharField()
    revoked_on = serializers.CharField()
    federal_register_citation = serializers.CharField()
    customs_bulletin_citation = serializers.CharField()
    penalty_amount = serializers.CharField()
    penalty_party = serializers.CharField()
    remarks = serializers.CharField()
    scope = serializers.ListField(child=serializers.CharField())
    exclusions = serializers.ListField(child=serializers.CharField())
    changes = serializers.ListField(child=serializers.CharField())
    sources = RegisterSourceSerializer(many=True)
    is_demo = serializers.BooleanField()


class RegisterParamsSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False, default="", help_text="Text in merchandise or entity."
    )
    kind = serializers.ChoiceField(choices=Kind.choices, required=False, default="")
    status = serializers.ChoiceField(
        choices=selectors.register_status_choices(), required=False, default=""
    )
    country = serializers.CharField(
        required=False, default="", help_text="ISO alpha-2, or FV for fishing vessels."
    )
    year = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1900, max_value=2100
    )
    year_from = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1900, max_value=2100
    )
    year_to = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1900, max_value=2100
    )


class RegisterListApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        operation_id="register_list",
        summary="The public register of orders and findings (no sign-in)",
        tags=["register"],
        parameters=[RegisterParamsSerializer],
        responses={200: RegisterRowSerializer(many=True), 400: ERROR_RESPONSES[400]},
    )
    def get(self, request: Request) -> Response:
        params = RegisterParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        qs = selectors.register_queryset(
            filters=selectors.RegisterFilters(
                text=data["q"],
                kind=data["kind"],
                status=data["status"],
                country=data["country"],
                year=data["year"],
                year_from=data["year_from"],
                year_to=data["year_to"],
            )
        )
        rows = selectors.register_rows(qs)
        return Response(RegisterRowSerializer([r.as_json() for r in rows], many=True).data)


class ScopeRuleSerializer(serializers.ModelSerializer):
    kind = EnumField(ScopeRule.Kind, enum_name="ScopeRuleKindEnum")
    entity = serializers.CharField(source="entity.name", allow_null=True, default=None)
    entity_aliases = serializers.ListField(
        source="entity.aliases", child=serializers.CharField(), default=list
    )
    commodity = serializers.CharField(source="commodity.name", allow_null=True, default=None)

    class Meta:
        model = ScopeRule
        fields = [
            "kind",
            "entity",
            "entity_aliases",
            "country",
            "region_code",
            "region_name",
            "commodity",
            "hts_headings",
            "merchandise",
            "vessel_name",
            "vessel_flag",
            "imo_number",
        ]


class OrderDetailSerializer(serializers.ModelSerializer):
    kind = EnumField(Kind, enum_name="OrderKindEnum")
    status = EnumField(Status, enum_name="OrderStatusEnum")
    cases = serializers.SerializerMethodField()
    scope_rules = ScopeRuleSerializer(many=True)
    open_coordination = serializers.SerializerMethodField()
    # Not read-only, so that the schema does not promise it: it is left out for roles the
    # visibility policy does not let see it (``order.internal_notes``).
    internal_notes = serializers.CharField(
        required=False, help_text=Order._meta.get_field("internal_notes").help_text
    )

    class Meta:
        model = Order
        fields = [
            "number",
            "kind",
            "status",
            "merchandise",
            "published_entity",
            "country",
            "planned_issue_on",
            "issued_on",
            "published_on",
            "modified_on",
            "revoked_on",
            "next_review_on",
            "federal_register_citation",
            "customs_bulletin_citation",
            "penalty_amount",
            "internal_notes",
            "is_reference",
            "is_demo",
            "version",
            "cases",
            "scope_rules",
            "open_coordination",
        ]

    def get_cases(self, order) -> list[str]:
        """Numbers of the backing cases the caller may see."""
        return [c.number for c in self.context["cases"]]

    def get_open_coordination(self, order) -> list[str]:
        return [s.get_party_display() for s in selectors.coordination_open(order)]

    def to_representation(self, order) -> dict:
        data = super().to_representation(order)
        if not self.context.get("show_internal_notes", False):
            data.pop("internal_notes")
        return data


def _order_for(request: Request, number: str) -> Order:
    require_perm(request.user, "orders.view_order", "Your role does not give access to orders.")
    return selectors.order_get_for_user(user=request.user, number=number)


def _detail(request: Request, order: Order) -> dict:
    context = selectors.order_detail_for_user(user=request.user, number=order.number)
    return OrderDetailSerializer(
        context["order"],
        context={
            "cases": context["cases"],
            "show_internal_notes": context["show_internal_notes"],
        },
    ).data


class OrderDetailApi(APIView):
    @extend_schema(
        operation_id="orders_retrieve",
        parameters=[ORDER_NUMBER],
        summary="Show an order (staff)",
        tags=["orders"],
        responses={200: OrderDetailSerializer, **ERROR_RESPONSES, **NOT_FOUND_RESPONSE},
    )
    def get(self, request: Request, number: str) -> Response:
        return Response(_detail(request, _order_for(request, number)))


class OrderDecisionSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    decision = EnumField(ApprovalDecision.Decision, enum_name="OrderDecisionEnum")
    decided_on = serializers.DateField()
    planned_issue_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=model_help(Order, "planned_issue_on"),
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class OrderDecisionApi(APIView):
    @extend_schema(
        operation_id="orders_decision_create",
        parameters=[ORDER_NUMBER],
        summary="Approve or reject an order in legal review (approving official)",
        tags=["orders"],
        request=OrderDecisionSerializer,
        responses={200: OrderDetailSerializer, **ERROR_RESPONSES, **NOT_FOUND_RESPONSE},
    )
    def post(self, request: Request, number: str) -> Response:
        order = _order_for(request, number)
        body = OrderDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.order_decide(order=order, actor=request.user, **body.validated_data)
        return Response(_detail(request, order))


class OrderIssueSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    issued_on = serializers.DateField()
    published_on = serializers.DateField(required=False, allow_null=True, default=None)


class OrderIssueApi(APIView):
    @extend_schema(
        operation_id="orders_issue_create",
        parameters=[ORDER_NUMBER],
        summary="Issue an approved order (approving official)",
        description="Refused unless counsel found the evidence sufficient and the approving "
        "official approved. ``open_coordination`` lists notifications still open.",
        tags=["orders"],
        request=OrderIssueSerializer,
        responses={200: OrderDetailSerializer, **ERROR_RESPONSES, **NOT_FOUND_RESPONSE},
    )
    def post(self, request: Request, number: str) -> Response:
        order = _order_for(request, number)
        body = OrderIssueSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.order_issue(order=order, actor=request.user, **body.validated_data)
        return Response(_detail(request, order))
