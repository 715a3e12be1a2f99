"""The data-quality API: the report's summary, its drill-downs to the cases and analysts behind a
figure, the snapshot history, the legacy review queue and the legacy import runs.

The same services, permissions and visibility as the pages: a case analyst sees the report for
the cases assigned to them, a supervisor for every case they may see, and a
law-enforcement-sensitive case only where ``cases.selectors.case_visible_queryset`` allows.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from withhold.accounts.permissions import require_perm
from withhold.cases.models import Phase, Status
from withhold.core.api import (
    ERROR_RESPONSES,
    EnumField,
    RejectUnknownFieldsMixin,
    not_found_response,
)
from withhold.core.exceptions import NotFoundError

from . import rules, selectors, services
from .models import LegacyImportRun, LegacyRecord, QualitySnapshot

REPORT_PERM = "quality.view_quality_report"
REPORT_REFUSAL = "Your role does not give access to the data-quality report."


def _require_report(user) -> None:
    require_perm(user, REPORT_PERM, REPORT_REFUSAL)


class StatusCountsSerializer(serializers.Serializer):
    active = serializers.IntegerField()
    suspended = serializers.IntegerField()
    inactive = serializers.IntegerField()


class FieldQualitySerializer(serializers.Serializer):
    name = serializers.CharField(source="spec.name", help_text="The data-dictionary field.")
    label = serializers.CharField(source="spec.label")
    required = serializers.CharField(
        source="spec.required", help_text="When the field must be filled, in words."
    )
    missing = StatusCountsSerializer(
        help_text="Cases per status lacking the field where it is required (0 if optional)."
    )
    blank = StatusCountsSerializer(help_text="Cases per status leaving an optional field blank.")
    inconsistent = StatusCountsSerializer(
        help_text="Cases per status failing a consistency rule on this field."
    )


class RuleCountSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    cases = serializers.IntegerField(help_text="Cases failing the rule.")


class QualityReportSerializer(serializers.Serializer):
    summary = serializers.CharField(
        help_text='GAO\'s sentence: "N of M fields have missing entries; …".'
    )
    status_summaries = serializers.ListField(
        child=serializers.CharField(), help_text="The same sentence for each status."
    )
    own_cases_only = serializers.BooleanField(
        help_text="True when the report covers only the cases assigned to you."
    )
    case_counts = StatusCountsSerializer()
    fields_total = serializers.IntegerField()
    fields_missing = serializers.IntegerField()
    fields_inconsistent = serializers.IntegerField()
    cases_flagged = serializers.IntegerField()
    fields = FieldQualitySerializer(many=True)
    rules = RuleCountSerializer(many=True)


class QualityReportApi(GenericAPIView):
    @extend_schema(
        operation_id="data_quality_report",
        summary="The data-quality report: completeness and consistency per field and status",
        tags=["data-quality"],
        responses={200: QualityReportSerializer, **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        _require_report(request.user)
        report = selectors.quality_report(cases=selectors.quality_cases_for_user(request.user))
        body = {
            "summary": report.summary,
            "status_summaries": report.status_summaries(),
            "own_cases_only": not request.user.has_perm("quality.view_all_quality"),
            "case_counts": report.case_counts,
            "fields_total": report.fields_total,
            "fields_missing": report.fields_missing,
            "fields_inconsistent": report.fields_inconsistent,
            "cases_flagged": report.cases_flagged,
            "fields": report.fields,
            "rules": [
                {
                    "code": rule.code,
                    "title": rule.title,
                    "description": rule.description,
                    "cases": count,
                }
                for rule, count in report.rule_counts
            ],
        }
        return Response(QualityReportSerializer(body).data)


class FlaggedCaseSerializer(serializers.Serializer):
    number = serializers.CharField(source="case.number")
    title = serializers.CharField(source="case.title")
    phase = EnumField(Phase, source="case.phase")
    status = EnumField(Status, source="case.status")
    analyst = serializers.CharField(
        source="case.assigned_analyst.username",
        allow_null=True,
        default=None,
        help_text="Username of the analyst responsible, if one is assigned.",
    )
    supervisor = serializers.CharField(
        source="case.supervisor.username", allow_null=True, default=None
    )
    problems = serializers.ListField(source="messages", child=serializers.CharField())


class DrillDownParamsSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[s.value for s in selectors.REPORT_STATUSES],
        required=False,
        default="",
        help_text="Only cases in this status (default: active, suspended and inactive).",
    )


class FieldDrillDownParamsSerializer(DrillDownParamsSerializer):
    kind = serializers.ChoiceField(
        choices=["missing", "inconsistent"],
        required=False,
        default="missing",
        help_text="missing (or blank, for an optional field) or inconsistent entries.",
    )


FIELD_NAME = OpenApiParameter(
    "name", str, OpenApiParameter.PATH, description="A data-dictionary field, e.g. hts_code."
)
RULE_CODE = OpenApiParameter(
    "code", str, OpenApiParameter.PATH, description="A consistency rule, e.g. QC-PHASE-TEXT."
)


class FieldDrillDownApi(GenericAPIView):
    @extend_schema(
        operation_id="data_quality_field_cases",
        summary="The cases behind one field's figure, with the analyst responsible",
        tags=["data-quality"],
        parameters=[FIELD_NAME, FieldDrillDownParamsSerializer],
        responses={
            200: FlaggedCaseSerializer(many=True),
            **ERROR_RESPONSES,
            **not_found_response("No such field in the data dictionary."),
        },
    )
    def get(self, request: Request, name: str) -> Response:
        _require_report(request.user)
        params = FieldDrillDownParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        items = selectors.field_problem_cases(
            cases=selectors.quality_cases_for_user(request.user),
            name=name,
            kind=params.validated_data["kind"],
            status=params.validated_data["status"],
        )
        page = self.paginate_queryset(items)
        return self.get_paginated_response(FlaggedCaseSerializer(page, many=True).data)


class RuleDrillDownApi(GenericAPIView):
    @extend_schema(
        operation_id="data_quality_rule_cases",
        summary="The cases failing one consistency rule, with what is wrong and the analyst",
        tags=["data-quality"],
        parameters=[RULE_CODE, DrillDownParamsSerializer],
        responses={
            200: FlaggedCaseSerializer(many=True),
            **ERROR_RESPONSES,
            **not_found_response("No such rule."),
        },
    )
    def get(self, request: Request, code: str) -> Response:
        _require_report(request.user)
        if code not in rules.RULES:
            raise NotFoundError("No such rule.")
        params = DrillDownParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        items = selectors.flagged_cases(
            cases=selectors.quality_cases_for_user(request.user),
            rule=code,
            status=params.validated_data["status"],
        )
        page = self.paginate_queryset(items)
        return self.get_paginated_response(FlaggedCaseSerializer(page, many=True).data)


class SnapshotSerializer(serializers.ModelSerializer):
    taken_by = serializers.CharField(source="taken_by.username", allow_null=True, default=None)
    summary = serializers.SerializerMethodField()

    class Meta:
        model = QualitySnapshot
        fields = ["id", "taken_at", "taken_by", "cases", "fields_total", "fields_missing",
                  "fields_inconsistent", "cases_flagged", "summary"]  # fmt: skip

    def get_summary(self, snapshot) -> str:
        return rules.summary_sentence(
            snapshot.fields_missing, snapshot.fields_inconsistent, snapshot.fields_total
        )


class EmptyBodySerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """No fields: the snapshot is taken of the report as it stands."""


class SnapshotListApi(GenericAPIView):
    @extend_schema(
        operation_id="data_quality_snapshots_list",
        summary="The report's history, newest first (supervisors)",
        tags=["data-quality"],
        responses={200: SnapshotSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        require_perm(
            request.user,
            "quality.view_all_quality",
            "Your role does not give access to the data-quality history.",
        )
        qs = QualitySnapshot.objects.select_related("taken_by")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(SnapshotSerializer(page, many=True).data)

    @extend_schema(
        operation_id="data_quality_snapshots_create",
        summary="Save the report's figures now (supervisor)",
        tags=["data-quality"],
        request=EmptyBodySerializer,
        responses={201: SnapshotSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        require_perm(
            request.user, "quality.add_qualitysnapshot", "Your role cannot save snapshots."
        )
        EmptyBodySerializer(data=request.data or {}).is_valid(raise_exception=True)
        snapshot = services.quality_snapshot_take(actor=request.user)
        return Response(SnapshotSerializer(snapshot).data, status=status.HTTP_201_CREATED)


class ReviewRecordSerializer(serializers.ModelSerializer):
    case = serializers.CharField(source="case.number")
    title = serializers.CharField(source="case.title")
    analyst = serializers.CharField(
        source="case.assigned_analyst.username", allow_null=True, default=None
    )
    run = serializers.IntegerField(source="run_id")
    file_name = serializers.CharField(source="run.file_name")
    outcome = EnumField(LegacyRecord.Outcome, enum_name="LegacyOutcomeEnum")
    reviewed_by = serializers.CharField(
        source="reviewed_by.username", allow_null=True, default=None
    )

    class Meta:
        model = LegacyRecord
        fields = ["id", "case", "title", "analyst", "run", "file_name", "row_number",
                  "legacy_number", "outcome", "issues", "normalisations", "reviewed_at",
                  "reviewed_by", "review_note"]  # fmt: skip


class ReviewQueueParamsSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False, default="", help_text="Text in the case number, title or legacy number."
    )
    run = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="Only rows of this import run."
    )
    sort = serializers.ChoiceField(
        choices=list(selectors.REVIEW_SORTS), required=False, default="row"
    )


class ReviewQueueApi(GenericAPIView):
    @extend_schema(
        operation_id="data_quality_review_queue",
        summary="Imported legacy cases still flagged “needs review”, with what was not mapped",
        tags=["data-quality"],
        parameters=[ReviewQueueParamsSerializer],
        responses={200: ReviewRecordSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        _require_report(request.user)
        params = ReviewQueueParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        qs = selectors.legacy_review_queue(
            user=request.user, text=data["q"], run_id=data["run"], sort=data["sort"]
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(ReviewRecordSerializer(page, many=True).data)


class ReviewSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="What was done."
    )


class ReviewApi(GenericAPIView):
    @extend_schema(
        operation_id="data_quality_review_create",
        summary="Mark an imported legacy case reviewed (supervisor)",
        tags=["data-quality"],
        parameters=[
            OpenApiParameter("record_id", int, OpenApiParameter.PATH, description="Queue row id.")
        ],
        request=ReviewSerializer,
        responses={
            200: ReviewRecordSerializer,
            **ERROR_RESPONSES,
            **not_found_response("No such row awaiting review, or one you may not see."),
        },
    )
    def post(self, request: Request, record_id: int) -> Response:
        require_perm(
            request.user, "quality.review_legacy", "Your role cannot mark legacy cases reviewed."
        )
        record = selectors.legacy_record_get_for_user(user=request.user, record_id=record_id)
        body = ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        record = services.legacy_record_review(
            actor=request.user, record=record, note=body.validated_data["note"]
        )
        return Response(ReviewRecordSerializer(record).data)


class RunCountsSerializer(serializers.Serializer):
    imported = serializers.IntegerField(default=0)
    needs_review = serializers.IntegerField(default=0)
    rejected = serializers.IntegerField(default=0)
    already_imported = serializers.IntegerField(default=0)


class RunSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None)
    rows = serializers.IntegerField(help_text="Rows recorded (already-imported rows excluded).")
    counts = RunCountsSerializer(help_text="Rows per outcome.")

    class Meta:
        model = LegacyImportRun
        fields = ["id", "file_name", "file_sha256", "actor", "at", "rows", "counts"]


class RunDetailSerializer(RunSerializer):
    awaiting_review = serializers.IntegerField(
        help_text="Rows of this run still awaiting review, among the cases you may see."
    )
    mapping_text = serializers.CharField()

    class Meta(RunSerializer.Meta):
        fields = [*RunSerializer.Meta.fields, "awaiting_review", "mapping_text"]


def _require_runs(user) -> None:
    require_perm(
        user, "quality.view_legacyimportrun", "Your role does not give access to legacy imports."
    )


class RunListApi(GenericAPIView):
    @extend_schema(
        operation_id="legacy_imports_list",
        summary="Legacy import runs, newest first (supervisors)",
        tags=["data-quality"],
        responses={200: RunSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        _require_runs(request.user)
        page = self.paginate_queryset(selectors.legacy_runs())
        return self.get_paginated_response(RunSerializer(page, many=True).data)


class RunDetailApi(GenericAPIView):
    @extend_schema(
        operation_id="legacy_imports_retrieve",
        summary="One legacy import run with its counts per outcome (supervisors)",
        tags=["data-quality"],
        parameters=[OpenApiParameter("run_id", int, OpenApiParameter.PATH)],
        responses={
            200: RunDetailSerializer,
            **ERROR_RESPONSES,
            **not_found_response("No such legacy import run."),
        },
    )
    def get(self, request: Request, run_id: int) -> Response:
        _require_runs(request.user)
        run = selectors.legacy_run_get(run_id=run_id)
        run.awaiting_review = selectors.legacy_run_open_reviews(user=request.user, run=run)
        return Response(RunDetailSerializer(run).data)
