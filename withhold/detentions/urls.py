from django.urls import path

from . import views

app_name = "detentions"

urlpatterns = [
    path("detentions/", views.detention_list, name="list"),
    path("detentions/desk/", views.detention_desk, name="desk"),
    path("detentions/new/", views.detention_create, name="create"),
    path("detentions/import/", views.detention_import, name="import"),
    path("detentions/statistics/", views.detention_statistics, name="statistics"),
    path("detentions/importers/", views.importer_accounts, name="importers"),
    path(
        "detentions/importers/<int:account_id>/remove/",
        views.importer_account_remove,
        name="importer_remove",
    ),
    path("detentions/congress-reports/", views.congress_report_list, name="congress_reports"),
    path(
        "detentions/congress-reports/<int:report_id>/",
        views.congress_report_detail,
        name="congress_report",
    ),
    path(
        "detentions/congress-reports/<int:report_id>/pdf/",
        views.congress_report_download,
        name="congress_report_pdf",
    ),
    path(
        "detentions/congress-reports/<int:report_id>/sent/",
        views.congress_report_sent,
        name="congress_report_sent",
    ),
    path("uflpa-exceptions/", views.uflpa_exceptions_public, name="public_exceptions"),
    path("uflpa-exceptions/<str:number>/", views.uflpa_exception_public, name="public_exception"),
    path(
        "uflpa-exceptions/<str:number>/pdf/",
        views.uflpa_exception_public_pdf,
        name="public_exception_pdf",
    ),
    path("detentions/<int:detention_id>/", views.detention_detail, name="detail"),
    path(
        "detentions/<int:detention_id>/uflpa/<str:path>/",
        views.detention_uflpa_request,
        name="uflpa_request",
    ),
    path(
        "detentions/<int:detention_id>/information/<int:event_id>/answer/",
        views.detention_information_answer,
        name="information_answer",
    ),
    path(
        "detentions/<int:detention_id>/exception/<int:request_id>/decide/",
        views.uflpa_exception_decide,
        name="exception_decide",
    ),
    path("detentions/<int:detention_id>/proof/", views.detention_proof, name="proof"),
    path(
        "detentions/<int:detention_id>/export-notice/",
        views.detention_export_notice,
        name="export_notice",
    ),
    path(
        "detentions/<int:detention_id>/documents/",
        views.detention_document_add,
        name="document_add",
    ),
    path(
        "detentions/<int:detention_id>/documents/<int:document_id>/",
        views.detention_document_download,
        name="document",
    ),
    path("detentions/<int:detention_id>/review/", views.detention_review_start, name="review"),
    path(
        "detentions/<int:detention_id>/request-information/",
        views.detention_information_request,
        name="request_information",
    ),
    path("detentions/<int:detention_id>/recommend/", views.detention_recommend, name="recommend"),
    path(
        "detentions/<int:detention_id>/<str:outcome>/",
        views.detention_dispose,
        name="dispose",
    ),
]
