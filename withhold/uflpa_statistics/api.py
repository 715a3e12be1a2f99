"""The public UFLPA statistics as an API operation (no sign-in): the same answer as the page's
JSON download (``UflpaStatistics.as_json``)."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from withhold.core.api import ERROR_RESPONSES

from . import selectors


class UflpaRowSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text="Month (YYYY-MM), status group, country code or industry."
    )
    label = serializers.CharField()
    shipments = serializers.IntegerField(help_text="Detentions (entry lines) under the UFLPA.")
    value_usd = serializers.DecimalField(
        max_digits=16, decimal_places=2, help_text="Their entered value in US dollars."
    )


class UflpaCumulativeRowSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    shipments = serializers.IntegerField()
    value_usd = serializers.DecimalField(max_digits=16, decimal_places=2)
    cumulative_shipments = serializers.IntegerField(help_text="Since 21 June 2022.")
    cumulative_value_usd = serializers.DecimalField(max_digits=16, decimal_places=2)


class UflpaStatisticsSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    since = serializers.DateField(help_text="21 June 2022: the UFLPA presumption took effect.")
    shipments = serializers.IntegerField()
    value_usd = serializers.DecimalField(max_digits=16, decimal_places=2)
    demo_shipments = serializers.IntegerField(
        help_text="How many of the shipments are made-up demo records."
    )
    min_cell = serializers.IntegerField(
        help_text="Countries with fewer shipments are counted under “All other countries”."
    )
    by_month = UflpaRowSerializer(many=True, required=False)
    by_status = UflpaRowSerializer(many=True, required=False)
    by_country = UflpaRowSerializer(many=True, required=False)
    by_industry = UflpaRowSerializer(many=True, required=False)
    cumulative = UflpaCumulativeRowSerializer(many=True, required=False)


class UflpaStatisticsParamsSerializer(serializers.Serializer):
    breakdown = serializers.ChoiceField(
        choices=selectors.BREAKDOWNS,
        required=False,
        allow_blank=True,
        default="",
        help_text="Only this breakdown (all of them when left out).",
    )


class UflpaStatisticsApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        operation_id="uflpa_statistics",
        summary="UFLPA shipments and value by month, status, country and industry (no sign-in)",
        tags=["uflpa-statistics"],
        parameters=[UflpaStatisticsParamsSerializer],
        responses={200: UflpaStatisticsSerializer, 400: ERROR_RESPONSES[400]},
    )
    def get(self, request: Request) -> Response:
        params = UflpaStatisticsParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        stats = selectors.uflpa_statistics(today=timezone.localdate())
        return Response(stats.as_json(params.validated_data["breakdown"]))
