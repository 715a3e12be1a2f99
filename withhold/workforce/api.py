"""The workforce API: the needs assessment (read-only) and the staffing model as a calculator.

Both are for supervisors (``view_workforce_assessment``); nothing here writes. Saving a scenario
is done on the scenario page, where it is audited.
"""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from withhold.accounts.permissions import require_perm
from withhold.cases.models import Phase
from withhold.cases.phases import PHASE_ORDER
from withhold.core.api import ERROR_RESPONSES, EnumField, RejectUnknownFieldsMixin

from . import selectors, services
from .staffing import PhaseInput

PERM = "workforce.view_workforce_assessment"
REFUSAL = "Your role does not give access to the workforce needs assessment."


class MonthSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="First day of the month.")
    allegations = serializers.IntegerField(help_text="Allegations received in the month.")
    cases_opened = serializers.IntegerField(help_text="Cases opened in the month.")
    suspensions = serializers.IntegerField(help_text="Cases suspended in the month.")
    suspensions_lack_of_personnel = serializers.IntegerField(
        help_text="Of those, suspended for lack of personnel."
    )
    detentions_section_307 = serializers.IntegerField(
        help_text="Shipment detentions under a WRO or Finding (Section 307) noticed in the month."
    )
    detentions_uflpa = serializers.IntegerField(
        help_text="Shipment detentions under the UFLPA presumption noticed in the month."
    )
    reviews_section_307 = serializers.IntegerField(
        help_text="Section 307 detentions taken into review of the importer's proof in the month."
    )
    reviews_uflpa = serializers.IntegerField(
        help_text="UFLPA detentions taken into review of the importer's proof in the month."
    )
    uflpa_reviews_requested = serializers.IntegerField(
        help_text="UFLPA applicability reviews the importers asked for in the month."
    )
    uflpa_exceptions_requested = serializers.IntegerField(
        help_text="UFLPA exception requests (section 3(b)) filed in the month."
    )


class PhaseTimeSerializer(serializers.Serializer):
    phase = serializers.CharField()
    completed_stays = serializers.IntegerField(help_text="Stays in the phase that have ended.")
    open_stays = serializers.IntegerField(help_text="Cases in the phase now (stays not ended).")
    mean_days = serializers.FloatField(allow_null=True)
    median_days = serializers.FloatField(allow_null=True)
    cases_entered = serializers.IntegerField(help_text="Cases that ever entered the phase.")
    share_of_cases = serializers.FloatField(allow_null=True)


class CaseloadSerializer(serializers.Serializer):
    username = serializers.CharField(help_text="Empty for cases not assigned to anyone.")
    active = serializers.IntegerField()
    suspended = serializers.IntegerField()
    total = serializers.IntegerField()


class SuspensionSerializer(serializers.Serializer):
    suspended_now = serializers.IntegerField()
    lack_of_personnel_now = serializers.IntegerField()


class AssessmentSerializer(serializers.Serializer):
    first_month = serializers.DateField()
    last_month = serializers.DateField()
    allegations_per_year = serializers.FloatField()
    cases_per_year = serializers.FloatField()
    case_share = serializers.FloatField(allow_null=True)
    detentions_section_307_per_year = serializers.FloatField()
    detentions_uflpa_per_year = serializers.FloatField()
    reviews_section_307_per_year = serializers.FloatField()
    reviews_uflpa_per_year = serializers.FloatField()
    uflpa_reviews_requested_per_year = serializers.FloatField()
    uflpa_exceptions_requested_per_year = serializers.FloatField()
    months = MonthSerializer(many=True)
    phases = PhaseTimeSerializer(many=True)
    caseloads = CaseloadSerializer(many=True)
    suspensions = SuspensionSerializer()
    defaults = serializers.JSONField(help_text="The scenario inputs the history suggests.")


class WorkforceAssessmentApi(APIView):
    @extend_schema(
        summary="The workforce needs assessment: demand, phase times, caseloads, suspensions",
        responses={200: AssessmentSerializer, **ERROR_RESPONSES},
        tags=["workforce"],
    )
    def get(self, request: Request) -> Response:
        require_perm(request.user, PERM, REFUSAL)
        history = selectors.assessment(today=timezone.localdate())
        return Response(AssessmentSerializer(history).data)


class PhaseInputSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    phase = EnumField(Phase, enum_name="PhaseEnum")
    share = serializers.FloatField(
        min_value=0, max_value=1, help_text="Share of cases reaching the phase."
    )
    hours_per_case = serializers.FloatField(min_value=0.1, help_text="Analyst hours per case.")
    target_days = serializers.FloatField(min_value=1, help_text="Target calendar days in phase.")


class ReviewQueueSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    reviews_per_year = serializers.FloatField(
        min_value=0, help_text="Detention proof reviews and UFLPA requests expected a year."
    )
    hours_per_review = serializers.FloatField(
        min_value=0.1,
        required=False,
        help_text="Specialist hours per review; default ``CEE_HOURS_PER_REVIEW`` (8).",
    )
    target_days = serializers.FloatField(
        min_value=1,
        required=False,
        help_text="Target calendar days to a recommendation; default "
        "``CEE_REVIEW_TARGET_DAYS`` (15).",
    )


class ScenarioInputSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    allegations_per_year = serializers.FloatField(min_value=0)
    case_share = serializers.FloatField(
        min_value=0, max_value=1, help_text="Share of allegations that become cases."
    )
    analysts_on_board = serializers.IntegerField(min_value=0)
    productive_hours_per_month = serializers.FloatField(min_value=1, max_value=744)
    max_utilisation = serializers.FloatField(
        min_value=0.05, max_value=1, help_text="Highest planned utilisation of each phase."
    )
    phases = PhaseInputSerializer(many=True, allow_empty=False)
    cee_review = ReviewQueueSerializer(
        required=False,
        help_text="The CEE review queue (proof reviews and UFLPA requests); left out when absent.",
    )

    def validate_phases(self, value):
        seen = [item["phase"] for item in value]
        if len(seen) != len(set(seen)):
            raise serializers.ValidationError("Each phase may appear once.")
        return sorted(value, key=lambda item: PHASE_ORDER.index(item["phase"]))


class PhaseAnswerSerializer(serializers.Serializer):
    phase = serializers.CharField()
    label = serializers.CharField()
    arrival_rate = serializers.FloatField(help_text="Cases a month reaching the phase (λ).")
    hours_per_case = serializers.FloatField()
    target_days = serializers.FloatField()
    analysts_needed = serializers.IntegerField()
    utilisation = serializers.FloatField(help_text="ρ = λ / (c μ).")
    wait_probability = serializers.FloatField(help_text="Erlang C: chance a case waits.")
    expected_wait_days = serializers.FloatField()
    expected_days_in_phase = serializers.FloatField()
    meets_target = serializers.BooleanField()
    note = serializers.CharField()


class ScenarioAnswerSerializer(serializers.Serializer):
    cases_per_year = serializers.FloatField()
    analysts_needed = serializers.IntegerField()
    analysts_on_board = serializers.IntegerField()
    gap = serializers.IntegerField(help_text="Analysts needed minus analysts on board.")
    workload_hours_per_month = serializers.FloatField()
    overall_utilisation = serializers.FloatField(allow_null=True)
    phases = PhaseAnswerSerializer(many=True)
    cee_review = PhaseAnswerSerializer(
        allow_null=True,
        help_text="The CEE review queue's line: specialists needed (``analysts_needed``), not "
        "counted in the analysts or the gap; null when the inputs leave it out.",
    )


class ScenarioComputeApi(APIView):
    @extend_schema(
        summary="Run the staffing model (M/M/c per phase) on the inputs given; nothing is saved",
        request=ScenarioInputSerializer,
        responses={200: ScenarioAnswerSerializer, **ERROR_RESPONSES},
        tags=["workforce"],
    )
    def post(self, request: Request) -> Response:
        require_perm(request.user, PERM, REFUSAL)
        serializer = ScenarioInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        inputs = services.ScenarioInputs(
            allegations_per_year=data["allegations_per_year"],
            case_share=data["case_share"],
            analysts_on_board=data["analysts_on_board"],
            productive_hours_per_month=data["productive_hours_per_month"],
            max_utilisation=data["max_utilisation"],
            phases=[PhaseInput(**item) for item in data["phases"]],
            review_queue=services.review_queue_input(
                reviews_per_year=data["cee_review"]["reviews_per_year"],
                hours_per_review=data["cee_review"].get("hours_per_review"),
                target_days=data["cee_review"].get("target_days"),
            )
            if "cee_review" in data
            else None,
        )
        answer = services.scenario_compute(inputs)
        return Response(services.answer_as_dict(answer))
