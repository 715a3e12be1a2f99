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
    path("detentions/<int:detention_id>/", views.detention_detail, name="detail"),
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
