"""The screening API: up to ``SCREENING_API_MAX_LINES`` entry lines screened synchronously."""

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from withhold.accounts.permissions import require_perm
from withhold.core.api import ERROR_RESPONSES, EnumField, RejectUnknownFieldsMixin

from . import services
from .engine import HIT_COLUMNS
from .models import ScreeningHit


class EntryLineSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    line_id = serializers.CharField(max_length=100, help_text="Your key for the line.")
    entry_number = serializers.CharField(required=False, allow_blank=True, max_length=40)
    entry_date = serializers.CharField(
        required=False, allow_blank=True, max_length=10, help_text="YYYY-MM-DD"
    )
    importer_name = serializers.CharField(required=False, allow_blank=True, max_length=400)
    manufacturer_name = serializers.CharField(required=False, allow_blank=True, max_length=400)
    manufacturer_address = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    shipper_name = serializers.CharField(required=False, allow_blank=True, max_length=400)
    country_of_origin = serializers.CharField(
        required=False, allow_blank=True, max_length=2, help_text="ISO 3166-1 alpha-2 code."
    )
    hts_code = serializers.CharField(required=False, allow_blank=True, max_length=14)
    description = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    vessel_name = serializers.CharField(required=False, allow_blank=True, max_length=200)


def _limit() -> int:
    return settings.WITHHOLD["SCREENING_API_MAX_LINES"]


class ScreenRequestSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    lines = serializers.ListField(
        child=EntryLineSerializer(),
        allow_empty=False,
        help_text="The entry lines, at most 1,000 per request.",
    )

    def to_internal_value(self, data):
        lines = data.get("lines") if isinstance(data, dict) else None
        if isinstance(lines, list) and len(lines) > _limit():
            raise serializers.ValidationError(
                {
                    "lines": [
                        f"{len(lines):,} lines sent; the API screens at most {_limit():,} "
                        "lines per request. Split them into several requests, or upload the "
                        "file on the screening page."
                    ]
                }
            )
        return super().to_internal_value(data)


class HitSerializer(serializers.Serializer):
    line_id = serializers.CharField()
    hit_kind = EnumField(ScreeningHit.Kind, enum_name="ScreeningHitKindEnum")
    hit_ref = serializers.CharField(help_text="Order number, list and row, or CAATSA 302A.")
    hit_name = serializers.CharField()
    score = serializers.IntegerField(min_value=0, max_value=100)
    action = EnumField(ScreeningHit.Action, enum_name="ScreeningHitActionEnum")
    reasons = serializers.CharField(help_text="What agreed and what did not, in words.")


class LineErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="Position of the line in ``lines``, from 1.")
    column = serializers.CharField()
    message = serializers.CharField()


class SummarySerializer(serializers.Serializer):
    lines = serializers.IntegerField(help_text="Lines screened.")
    lines_with_hits = serializers.IntegerField()
    hits = serializers.DictField(child=serializers.IntegerField(), help_text="Hits by kind.")
    hits_total = serializers.IntegerField()
    errors = serializers.IntegerField(help_text="Lines refused (see ``errors``).")


class ScreenResponseSerializer(serializers.Serializer):
    summary = SummarySerializer()
    hits = HitSerializer(many=True)
    errors = LineErrorSerializer(many=True)


class ScreenApi(APIView):
    @extend_schema(
        operation_id="screening_screen",
        summary="Screen up to 1,000 entry lines against the watch list (targeting analyst)",
        description="Each line is checked against every issued, not revoked order, the loaded "
        "entity lists and the CAATSA presumption. A line with a bad value (country, HTS code, "
        "date) is refused and listed in ``errors``; the others are screened. More than 1,000 "
        "lines: 400.",
        tags=["screening"],
        request=ScreenRequestSerializer,
        responses={200: ScreenResponseSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        require_perm(request.user, "screening.run_screening", "Your role cannot run screening.")
        body = ScreenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        result = services.screen_lines_api(actor=request.user, lines=body.validated_data["lines"])
        hits = [dict(zip(HIT_COLUMNS, hit.as_row(), strict=True)) for _line, hit in result.hits]
        errors = [{"line": e.row, "column": e.column, "message": e.message} for e in result.errors]
        return Response({"summary": result.summary.as_dict(), "hits": hits, "errors": errors})
