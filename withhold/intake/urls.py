from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    # Public: no sign-in.
    path("report/", views.report, name="report"),
    path("report/receipt/", views.receipt, name="receipt"),
    path("report/status/", views.status_lookup, name="status_lookup"),
    path("report/status/<str:receipt_number>/", views.status, name="status"),
    path(
        "report/status/<str:receipt_number>/returns/<int:notice_id>/",
        views.public_return_notice,
        name="public_return_notice",
    ),
    path(
        "report/status/<str:receipt_number>/returns/<int:notice_id>/pdf/",
        views.public_return_notice_pdf,
        name="public_return_notice_pdf",
    ),
    # Staff: triage.
    path("intake/", views.queue, name="queue"),
    path("intake/identity-requests/", views.reveal_requests, name="reveal_requests"),
    path(
        "intake/identity-requests/<int:request_id>/decide/",
        views.reveal_decide,
        name="reveal_decide",
    ),
    path("intake/<str:receipt_number>/", views.detail, name="detail"),
    path("intake/<str:receipt_number>/open-case/", views.open_case, name="open_case"),
    path("intake/<str:receipt_number>/attach/", views.attach, name="attach"),
    path(
        "intake/<str:receipt_number>/request-information/",
        views.request_information,
        name="request_information",
    ),
    path("intake/<str:receipt_number>/decline/", views.decline, name="decline"),
    path(
        "intake/<str:receipt_number>/return/", views.return_with_reasons, name="return_with_reasons"
    ),
    path(
        "intake/<str:receipt_number>/returns/<int:notice_id>/",
        views.return_notice,
        name="return_notice",
    ),
    path(
        "intake/<str:receipt_number>/returns/<int:notice_id>/pdf/",
        views.return_notice_pdf,
        name="return_notice_pdf",
    ),
    path(
        "intake/<str:receipt_number>/litigation-hold/",
        views.litigation_hold,
        name="litigation_hold",
    ),
    path(
        "intake/<str:receipt_number>/identity-request/",
        views.reveal_request,
        name="reveal_request",
    ),
    path(
        "intake/<str:receipt_number>/files/<int:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
]
