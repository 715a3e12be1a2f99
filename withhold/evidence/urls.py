from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("cases/<str:number>/evidence/", views.case_evidence, name="case"),
    path("cases/<str:number>/evidence/section/", views.case_section, name="case_section"),
    path("cases/<str:number>/evidence/add/", views.evidence_add, name="add"),
    path("cases/<str:number>/evidence/entities/", views.case_entity_add, name="entity_add"),
    path("cases/<str:number>/evidence/links/", views.supply_link_add, name="link_add"),
    path(
        "cases/<str:number>/evidence/links/<int:link_id>/remove/",
        views.supply_link_remove,
        name="link_remove",
    ),
    path("cases/<str:number>/evidence/trade/", views.trade_upload, name="trade_upload"),
    path("cases/<str:number>/evidence/trade.csv", views.trade_csv, name="trade_csv"),
    path("cases/<str:number>/allegation-report/", views.allegation_report, name="report"),
    path(
        "cases/<str:number>/allegation-report/generate/",
        views.allegation_report_generate,
        name="report_generate",
    ),
    path("evidence/<int:pk>/", views.evidence_detail, name="detail"),
    path("evidence/<int:pk>/file/", views.evidence_download, name="download"),
    path("evidence/<int:pk>/remove/", views.evidence_remove, name="remove"),
    path("entities/<int:pk>/duplicates/", views.entity_duplicates, name="entity_duplicates"),
]
