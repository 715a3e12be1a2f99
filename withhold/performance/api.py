"""The KPI and outreach API: the same selectors, services and role rules as the pages."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
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
from withhold.reference.countries import is_country

from . import fiscal, selectors, services
from .models import Indicator, KpiTarget, OutreachActivity, OutreachAudience, OutreachKind

ACTIVITY_ID = OpenApiParameter(
    "activity_id", int, OpenApiParameter.PATH, description="The outreach activity's id."
)
NOT_FOUND = not_found_response("No such outreach activity.")


# KPIs -------------------------------------------------------------------------------------------


class KpiParamsSerializer(serializers.Serializer):
    month = serializers.RegexField(
        r"^\d{4}-(0[1-9]|1[0-2])$",
        required=False,
        help_text="The month, YYYY-MM; the current month when omitted.",
        error_messages={"invalid": "Give the month as YYYY-MM, e.g. 2026-10."},
    )


class TrendPointSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM.")
    value = serializers.IntegerField()


class KpiSerializer(serializers.Serializer):
    indicator = EnumField(Indicator, enum_name="KpiIndicatorEnum")
    label = serializers.CharField()
    definition = serializers.CharField(help_text="What the figure counts (docs/performance.md).")
    level = serializers.BooleanField(
        help_text="True for a level at the period's end (active investigations), false for a "
        "count of events in the period."
    )
    part_of = EnumField(
        Indicator,
        enum_name="KpiIndicatorEnum",
        allow_null=True,
        help_text="The indicator this one splits by basis (Section 307 or UFLPA), if any.",
    )
    available = serializers.BooleanField(
        help_text="False when your role cannot see the records behind the figure; the figures "
        "are then null."
    )
    month_value = serializers.IntegerField(allow_null=True)
    fytd_value = serializers.IntegerField(allow_null=True, help_text="Fiscal year to date.")
    baseline = serializers.IntegerField(allow_null=True)
    baseline_source = serializers.ChoiceField(
        choices=["computed", "entered"], allow_null=True, help_text="Where the baseline comes from."
    )
    target = serializers.IntegerField(allow_null=True)
    target_to_date = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True)
    variance = serializers.DecimalField(
        max_digits=12,
        decimal_places=1,
        allow_null=True,
        help_text="Fiscal year to date minus target to date.",
    )
    variance_percent = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True)
    trend = TrendPointSerializer(many=True, help_text="Each month of the fiscal year so far.")


class KpiDashboardSerializer(serializers.Serializer):
    month = serializers.CharField()
    fiscal_year = serializers.IntegerField()
    fytd_start = serializers.DateField()
    fytd_end = serializers.DateField()
    indicators = KpiSerializer(many=True)


def _dashboard_data(board: selectors.Dashboard) -> dict:
    indicators = []
    for row in board.rows:
        source = None
        if row.available:
            source = "entered" if row.baseline_entered else "computed"
        indicators.append(
            {
                "indicator": row.indicator,
                "label": row.label,
                "definition": row.counts,
                "level": row.level,
                "part_of": row.part_of or None,
                "available": row.available,
                "month_value": row.month_value,
                "fytd_value": row.fytd_value,
                "baseline": row.baseline,
                "baseline_source": source,
                "target": row.target,
                "target_to_date": row.target_to_date,
                "variance": row.variance.absolute if row.variance else None,
                "variance_percent": row.variance.percent if row.variance else None,
                "trend": [{"month": f"{m:%Y-%m}", "value": v} for m, v in row.trend],
            }
        )
    return {
        "month": f"{board.month:%Y-%m}",
        "fiscal_year": board.fiscal_year,
        "fytd_start": board.fytd_period.start,
        "fytd_end": board.fytd_period.end,
        "indicators": indicators,
    }


class KpiDashboardApi(APIView):
    @extend_schema(
        operation_id="kpis_retrieve",
        summary="The eight key performance indicators for a month and the fiscal year to date",
        tags=["performance"],
        parameters=[KpiParamsSerializer],
        responses={200: KpiDashboardSerializer, **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        require_perm(request.user, "performance.view_kpis", "Your role cannot read the KPIs.")
        params = KpiParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        month = fiscal.parse_month(params.validated_data.get("month", "")) or timezone.localdate()
        board = selectors.kpi_dashboard(user=request.user, month=month)
        return Response(KpiDashboardSerializer(_dashboard_data(board)).data)


class KpiTargetSerializer(serializers.ModelSerializer):
    indicator = EnumField(Indicator, enum_name="KpiIndicatorEnum")
    set_by = serializers.CharField(source="set_by.username")

    class Meta:
        model = KpiTarget
        fields = ["id", "indicator", "fiscal_year", "target", "baseline", "reason", "set_by",
                  "set_at"]  # fmt: skip


class KpiTargetSetSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    indicator = EnumField(Indicator, enum_name="KpiIndicatorEnum")
    fiscal_year = serializers.IntegerField(help_text=model_help(KpiTarget, "fiscal_year"))
    target = serializers.IntegerField(min_value=0, help_text=model_help(KpiTarget, "target"))
    baseline = serializers.IntegerField(
        min_value=0, required=False, allow_null=True, default=None,
        help_text=model_help(KpiTarget, "baseline"),
    )  # fmt: skip
    reason = serializers.CharField(help_text=model_help(KpiTarget, "reason"))


class KpiTargetApi(GenericAPIView):
    @extend_schema(
        operation_id="kpi_targets_list",
        summary="Every target setting, newest first (the latest per indicator and year is in force)",
        tags=["performance"],
        responses={200: KpiTargetSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        require_perm(request.user, "performance.view_kpis", "Your role cannot read the KPIs.")
        page = self.paginate_queryset(selectors.target_history())
        return self.get_paginated_response(KpiTargetSerializer(page, many=True).data)

    @extend_schema(
        operation_id="kpi_targets_create",
        summary="Set an indicator's target (and optionally its baseline) for a fiscal year",
        tags=["performance"],
        request=KpiTargetSetSerializer,
        responses={201: KpiTargetSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        require_perm(
            request.user, "performance.set_kpi_target", "Your role cannot set KPI targets."
        )
        body = KpiTargetSetSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        row = services.kpi_target_set(actor=request.user, **body.validated_data)
        return Response(KpiTargetSerializer(row).data, status=status.HTTP_201_CREATED)


# Outreach ---------------------------------------------------------------------------------------


class OutreachSerializer(serializers.ModelSerializer):
    kind = EnumField(OutreachKind, enum_name="OutreachKindEnum")
    audience = EnumField(OutreachAudience, enum_name="OutreachAudienceEnum")
    organisations = serializers.ListField(
        source="organisation_list", child=serializers.CharField(), read_only=True
    )

    class Meta:
        model = OutreachActivity
        fields = ["id", "held_on", "title", "kind", "audience", "country", "organisations",
                  "participants", "notes", "is_demo"]  # fmt: skip


class OutreachWriteSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    held_on = serializers.DateField(help_text=model_help(OutreachActivity, "held_on"))
    title = serializers.CharField(max_length=200)
    kind = EnumField(OutreachKind, enum_name="OutreachKindEnum")
    audience = EnumField(OutreachAudience, enum_name="OutreachAudienceEnum")
    country = serializers.CharField(max_length=2, help_text=model_help(OutreachActivity, "country"))
    organisations = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list,
        help_text="Organisations taking part.",
    )  # fmt: skip
    participants = serializers.IntegerField(min_value=0)
    notes = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_country(self, value: str) -> str:
        if not is_country(value):
            raise serializers.ValidationError(f"“{value}” is not an ISO 3166 country code.")
        return value.upper()

    def validate_organisations(self, value: list[str]) -> str:
        return "\n".join(value)


class OutreachParamsSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, default="", help_text="Words in title, "
                              "organisations or notes.")  # fmt: skip
    kind = EnumField(OutreachKind, enum_name="OutreachKindEnum", required=False, default="")
    audience = EnumField(
        OutreachAudience, enum_name="OutreachAudienceEnum", required=False, default=""
    )
    country = serializers.CharField(required=False, default="", max_length=2)
    held_from = serializers.DateField(required=False, default=None)
    held_to = serializers.DateField(required=False, default=None)
    sort = serializers.ChoiceField(
        choices=list(selectors.OUTREACH_SORTS), required=False,
        default=selectors.DEFAULT_OUTREACH_SORT,
    )  # fmt: skip


def _require_outreach_reader(user) -> None:
    require_perm(
        user, "performance.view_outreachactivity", "Your role cannot read the outreach log."
    )


class OutreachListCreateApi(GenericAPIView):
    @extend_schema(
        operation_id="outreach_list",
        summary="List outreach and engagement activities",
        tags=["performance"],
        parameters=[OutreachParamsSerializer],
        responses={200: OutreachSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        _require_outreach_reader(request.user)
        params = OutreachParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        filters = dict(params.validated_data)
        sort = filters.pop("sort")
        qs = selectors.outreach_list(
            user=request.user, filters=selectors.OutreachFilters(**filters), sort=sort
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(OutreachSerializer(page, many=True).data)

    @extend_schema(
        operation_id="outreach_create",
        summary="Record an outreach or engagement activity",
        tags=["performance"],
        request=OutreachWriteSerializer,
        responses={201: OutreachSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        require_perm(
            request.user, "performance.add_outreachactivity", "Your role cannot record outreach."
        )
        body = OutreachWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        activity = services.outreach_create(actor=request.user, **body.validated_data)
        return Response(OutreachSerializer(activity).data, status=status.HTTP_201_CREATED)


class OutreachDetailApi(APIView):
    def _activity(self, request: Request, activity_id: int) -> OutreachActivity:
        _require_outreach_reader(request.user)
        return selectors.outreach_get_for_user(user=request.user, activity_id=activity_id)

    @extend_schema(
        operation_id="outreach_retrieve",
        summary="Show an outreach activity",
        tags=["performance"],
        parameters=[ACTIVITY_ID],
        responses={200: OutreachSerializer, **ERROR_RESPONSES, **NOT_FOUND},
    )
    def get(self, request: Request, activity_id: int) -> Response:
        return Response(OutreachSerializer(self._activity(request, activity_id)).data)

    @extend_schema(
        operation_id="outreach_partial_update",
        summary="Change an outreach activity (only the fields sent)",
        tags=["performance"],
        parameters=[ACTIVITY_ID],
        request=OutreachWriteSerializer(partial=True),
        responses={200: OutreachSerializer, **ERROR_RESPONSES, **NOT_FOUND},
    )
    def patch(self, request: Request, activity_id: int) -> Response:
        activity = self._activity(request, activity_id)
        require_perm(
            request.user, "performance.change_outreachactivity", "Your role cannot edit outreach."
        )
        body = OutreachWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        activity = services.outreach_update(
            actor=request.user, activity=activity, **body.validated_data
        )
        return Response(OutreachSerializer(activity).data)

    @extend_schema(
        operation_id="outreach_destroy",
        summary="Delete an outreach activity recorded in error (supervisor)",
        tags=["performance"],
        parameters=[ACTIVITY_ID],
        responses={204: None, **ERROR_RESPONSES, **NOT_FOUND},
    )
    def delete(self, request: Request, activity_id: int) -> Response:
        activity = self._activity(request, activity_id)
        services.outreach_delete(actor=request.user, activity=activity)
        return Response(status=status.HTTP_204_NO_CONTENT)
