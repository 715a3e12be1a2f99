from django.urls import path

from . import views

app_name = "quality"

urlpatterns = [
    path("", views.report, name="report"),
    path("fields/<str:name>/", views.field_cases, name="field_cases"),
    path("rules/<str:code>/", views.rule_cases, name="rule_cases"),
    path("snapshots/", views.snapshot_take, name="snapshot_take"),
    path("legacy/", views.review_queue, name="review_queue"),
    path("legacy/import/", views.legacy_upload, name="legacy_upload"),
    path("legacy/suggest/", views.legacy_suggest, name="legacy_suggest"),
    path(
        "legacy/suggest/mapping.toml",
        views.legacy_suggest_download,
        name="legacy_suggest_download",
    ),
    path(
        "legacy/import/<int:upload_id>/",
        views.legacy_upload_import,
        name="legacy_upload_import",
    ),
    path("legacy/<int:record_id>/review/", views.record_review, name="record_review"),
    path("cases/<str:number>/legacy/", views.case_section, name="case_section"),
]
