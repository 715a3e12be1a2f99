"""The JSON API, mounted under ``/api/``: the OpenAPI schema and its two viewers, then the
resources (URL names in the ``api`` namespace, e.g. ``api:case-detail``)."""

from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from withhold.cases import api as cases_api
from withhold.detentions import api as detentions_api
from withhold.entities import api as entities_api
from withhold.evidence import api as evidence_api
from withhold.intake import api as intake_api
from withhold.operations.middleware import csp_allow_inline_styles
from withhold.orders import api as orders_api
from withhold.performance import api as performance_api
from withhold.quality import api as quality_api
from withhold.screening import api as screening_api
from withhold.uflpa_statistics import api as uflpa_statistics_api
from withhold.workforce import api as workforce_api

resource_patterns = [
    path("cases/", cases_api.CaseListCreateApi.as_view(), name="case-list"),
    path("cases/<str:number>/", cases_api.CaseDetailApi.as_view(), name="case-detail"),
    path(
        "cases/<str:number>/transitions/",
        cases_api.CaseTransitionApi.as_view(),
        name="case-transitions",
    ),
    path("cases/<str:number>/timeline/", cases_api.CaseTimelineApi.as_view(), name="case-timeline"),
    path("cases/<str:number>/tasks/", cases_api.CaseTaskApi.as_view(), name="case-tasks"),
    path(
        "cases/<str:number>/entities/", cases_api.CaseEntityLinkApi.as_view(), name="case-entities"
    ),
    path(
        "cases/<str:number>/entities/<int:link_id>/",
        cases_api.CaseEntityUnlinkApi.as_view(),
        name="case-entity-detail",
    ),
    path(
        "cases/<str:number>/hsi-referral/",
        cases_api.CaseHsiReferralApi.as_view(),
        name="case-hsi-referral",
    ),
    path(
        "cases/<str:number>/evidence/",
        evidence_api.CaseEvidenceApi.as_view(),
        name="case-evidence",
    ),
    path(
        "cases/<str:number>/evidence/<int:item_id>/",
        evidence_api.CaseEvidenceItemApi.as_view(),
        name="case-evidence-detail",
    ),
    path(
        "cases/<str:number>/evidence/<int:item_id>/file/",
        evidence_api.CaseEvidenceFileApi.as_view(),
        name="case-evidence-file",
    ),
    path(
        "cases/<str:number>/indicator-matrix/",
        evidence_api.CaseIndicatorMatrixApi.as_view(),
        name="case-indicator-matrix",
    ),
    path(
        "cases/<str:number>/supply-links/",
        evidence_api.CaseSupplyLinksApi.as_view(),
        name="case-supply-links",
    ),
    path(
        "cases/<str:number>/supply-links/<int:link_id>/",
        evidence_api.CaseSupplyLinkApi.as_view(),
        name="case-supply-link-detail",
    ),
    path(
        "cases/<str:number>/supply-chain/",
        evidence_api.CaseSupplyGraphApi.as_view(),
        name="case-supply-chain",
    ),
    path(
        "cases/<str:number>/supply-chain.svg",
        evidence_api.CaseSupplyGraphSvgApi.as_view(),
        name="case-supply-chain-svg",
    ),
    path(
        "cases/<str:number>/trade-data/",
        evidence_api.CaseTradeDataApi.as_view(),
        name="case-trade-data",
    ),
    path(
        "cases/<str:number>/allegation-report/",
        evidence_api.CaseAllegationReportApi.as_view(),
        name="case-allegation-report",
    ),
    path("tasks/", cases_api.TaskListApi.as_view(), name="task-list"),
    path(
        "tasks/<int:task_id>/complete/", cases_api.TaskCompleteApi.as_view(), name="task-complete"
    ),
    path("detentions/", detentions_api.DetentionListCreateApi.as_view(), name="detention-list"),
    path(
        "detentions/statistics/",
        detentions_api.DetentionStatisticsApi.as_view(),
        name="detention-statistics",
    ),
    path(
        "detentions/<int:detention_id>/",
        detentions_api.DetentionDetailApi.as_view(),
        name="detention-detail",
    ),
    path(
        "detentions/<int:detention_id>/steps/",
        detentions_api.DetentionStepApi.as_view(),
        name="detention-steps",
    ),
    path(
        "detentions/<int:detention_id>/proof/",
        detentions_api.DetentionProofApi.as_view(),
        name="detention-proof",
    ),
    path(
        "detentions/<int:detention_id>/uflpa-requests/",
        detentions_api.DetentionUflpaRequestApi.as_view(),
        name="detention-uflpa-requests",
    ),
    path(
        "detentions/<int:detention_id>/information-requests/",
        detentions_api.DetentionInformationThreadApi.as_view(),
        name="detention-information-requests",
    ),
    path(
        "detentions/<int:detention_id>/information-requests/<int:event_id>/answers/",
        detentions_api.DetentionInformationAnswerApi.as_view(),
        name="detention-information-answers",
    ),
    path(
        "uflpa-requests/<int:request_id>/decision/",
        detentions_api.UflpaExceptionDecisionApi.as_view(),
        name="uflpa-request-decision",
    ),
    path(
        "congress-reports/", detentions_api.CongressReportListApi.as_view(), name="congress-reports"
    ),
    path(
        "congress-reports/<int:report_id>/sent/",
        detentions_api.CongressReportSentApi.as_view(),
        name="congress-report-sent",
    ),
    path("entities/", entities_api.EntityListCreateApi.as_view(), name="entity-list"),
    path("entities/<int:entity_id>/", entities_api.EntityDetailApi.as_view(), name="entity-detail"),
    path(
        "entities/<int:entity_id>/duplicates/",
        evidence_api.EntityDuplicatesApi.as_view(),
        name="entity-duplicates",
    ),
    path("allegations/", intake_api.AllegationListSubmitApi.as_view(), name="allegation-list"),
    path(
        "allegations/<str:receipt_number>/",
        intake_api.AllegationDetailApi.as_view(),
        name="allegation-detail",
    ),
    path(
        "allegations/<str:receipt_number>/identity-request/",
        intake_api.AllegationRevealRequestApi.as_view(),
        name="allegation-identity-request",
    ),
    path(
        "identity-requests/<int:request_id>/decide/",
        intake_api.RevealDecideApi.as_view(),
        name="identity-request-decide",
    ),
    path(
        "allegations/<str:receipt_number>/open-case/",
        intake_api.AllegationOpenCaseApi.as_view(),
        name="allegation-open-case",
    ),
    path(
        "allegations/<str:receipt_number>/attach/",
        intake_api.AllegationAttachApi.as_view(),
        name="allegation-attach",
    ),
    path(
        "allegations/<str:receipt_number>/request-information/",
        intake_api.AllegationInformationRequestApi.as_view(),
        name="allegation-request-information",
    ),
    path(
        "allegations/<str:receipt_number>/decline/",
        intake_api.AllegationDeclineApi.as_view(),
        name="allegation-decline",
    ),
    path("register/", orders_api.RegisterListApi.as_view(), name="register-list"),
    path(
        "uflpa-statistics/",
        uflpa_statistics_api.UflpaStatisticsApi.as_view(),
        name="uflpa-statistics",
    ),
    path("orders/<str:number>/", orders_api.OrderDetailApi.as_view(), name="order-detail"),
    path(
        "orders/<str:number>/decision/",
        orders_api.OrderDecisionApi.as_view(),
        name="order-decision",
    ),
    path("orders/<str:number>/issue/", orders_api.OrderIssueApi.as_view(), name="order-issue"),
    path("kpis/", performance_api.KpiDashboardApi.as_view(), name="kpis"),
    path("kpis/targets/", performance_api.KpiTargetApi.as_view(), name="kpi-targets"),
    path("outreach/", performance_api.OutreachListCreateApi.as_view(), name="outreach-list"),
    path(
        "outreach/<int:activity_id>/",
        performance_api.OutreachDetailApi.as_view(),
        name="outreach-detail",
    ),
    path(
        "workforce/assessment/",
        workforce_api.WorkforceAssessmentApi.as_view(),
        name="workforce-assessment",
    ),
    path(
        "workforce/scenarios/compute/",
        workforce_api.ScenarioComputeApi.as_view(),
        name="workforce-scenario-compute",
    ),
    path("screening/", screening_api.ScreenApi.as_view(), name="screening"),
    path(
        "screening/judgements/",
        screening_api.JudgementListApi.as_view(),
        name="screening-judgements",
    ),
    path(
        "screening/hits/<int:hit_id>/judgement/",
        screening_api.HitJudgementApi.as_view(),
        name="screening-hit-judgement",
    ),
    path("data-quality/", quality_api.QualityReportApi.as_view(), name="data-quality"),
    path(
        "data-quality/fields/<str:name>/",
        quality_api.FieldDrillDownApi.as_view(),
        name="data-quality-field",
    ),
    path(
        "data-quality/rules/<str:code>/",
        quality_api.RuleDrillDownApi.as_view(),
        name="data-quality-rule",
    ),
    path(
        "data-quality/snapshots/",
        quality_api.SnapshotListApi.as_view(),
        name="data-quality-snapshots",
    ),
    path(
        "data-quality/legacy/",
        quality_api.ReviewQueueApi.as_view(),
        name="data-quality-review-queue",
    ),
    path(
        "data-quality/legacy/<int:record_id>/review/",
        quality_api.ReviewApi.as_view(),
        name="data-quality-review",
    ),
    path(
        "data-quality/legacy/imports/",
        quality_api.RunListApi.as_view(),
        name="legacy-import-list",
    ),
    path(
        "data-quality/legacy/imports/<int:run_id>/",
        quality_api.RunDetailApi.as_view(),
        name="legacy-import-detail",
    ),
]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file, so no inline script is needed.
    path(
        "docs/",
        csp_allow_inline_styles(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path(
        "redoc/",
        csp_allow_inline_styles(SpectacularRedocView.as_view(url_name="api-schema")),
        name="api-redoc",
    ),
    path("", include((resource_patterns, "api"))),
]
