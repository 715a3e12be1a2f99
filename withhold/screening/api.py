"""The screening API: up to ``SCREENING_API_MAX_LINES`` entry lines screened synchronously; the
judgements of hits (list with filters, record one on a hit)."""

from django.conf import settings
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
    not_found_response,
)

from . import selectors, services
from .engine import HIT_COLUMNS
from .models import HitJudgement, ScreeningHit


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


# Judgements -------------------------------------------------------------------------------------


class JudgementSerializer(serializers.ModelSerializer):
    verdict = EnumField(HitJudgement.Verdict, enum_name="HitJudgementVerdictEnum")
    hit_kind = EnumField(ScreeningHit.Kind, enum_name="ScreeningHitKindEnum")
    judged_by = serializers.CharField(source="judged_by.username", read_only=True)
    judged_at = serializers.DateTimeField(source="updated_at", read_only=True)
    hit = serializers.IntegerField(source="hit_id", read_only=True, allow_null=True)

    class Meta:
        model = HitJudgement
        fields = ["id", "party_name", "party_key", "hit_kind", "hit_ref", "hit_name",
                  "basis_version", "verdict", "note", "hit", "judged_by", "judged_at"]  # fmt: skip


class JudgementListParamsSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, help_text="Party, ref or note.")
    verdict = serializers.ChoiceField(
        choices=HitJudgement.Verdict.choices, required=False, allow_blank=True
    )
    kind = serializers.ChoiceField(
        choices=ScreeningHit.Kind.choices, required=False, allow_blank=True
    )
    sort = serializers.ChoiceField(
        choices=list(selectors.JUDGEMENT_SORTS), required=False, allow_blank=True
    )
    page = serializers.IntegerField(required=False, min_value=1)


class JudgementWriteSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    verdict = EnumField(HitJudgement.Verdict, enum_name="HitJudgementVerdictEnum")
    note = serializers.CharField(max_length=2000, help_text="What the analyst checked.")


HIT_ID = OpenApiParameter("hit_id", int, OpenApiParameter.PATH, description="The hit's id.")


class JudgementListApi(GenericAPIView):
    @extend_schema(
        operation_id="screening_judgements_list",
        summary="Judgements of screening hits (targeting analysts, port officers, supervisors)",
        description="Each judgement holds for one party name (normalised), one listed entry or "
        "order and one version of it; the same filters as the judgements page.",
        tags=["screening"],
        parameters=[JudgementListParamsSerializer],
        responses={200: JudgementSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        require_perm(
            request.user, "screening.view_hitjudgement", "Your role cannot see judgements."
        )
        params = JudgementListParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        qs = selectors.judgement_list(
            user=request.user,
            filters=selectors.JudgementFilters(
                text=data.get("q", ""), verdict=data.get("verdict", ""), kind=data.get("kind", "")
            ),
            sort=data.get("sort") or "-judged",
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(JudgementSerializer(page, many=True).data)


class HitJudgementApi(APIView):
    @extend_schema(
        operation_id="screening_hit_judge",
        summary="Judge a hit: true match or false positive, with a note (targeting analyst)",
        description="Recording again under the same key changes the judgement; every change is "
        "in the audit log.",
        tags=["screening"],
        parameters=[HIT_ID],
        request=JudgementWriteSerializer,
        responses={
            201: JudgementSerializer,
            **ERROR_RESPONSES,
            **not_found_response("No such hit, or one you may not see."),
        },
    )
    def post(self, request: Request, hit_id: int) -> Response:
        require_perm(
            request.user, "screening.add_hitjudgement", "Only a targeting analyst judges hits."
        )
        hit = selectors.hit_get_for_user(user=request.user, hit_id=hit_id)
        body = JudgementWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        judgement = services.hit_judge(actor=request.user, hit=hit, **body.validated_data)
        return Response(JudgementSerializer(judgement).data, status=status.HTTP_201_CREATED)
