from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("my-work/", views.my_work, name="my_work"),
    path("new/", views.case_create, name="create"),
    path("regions/", views.region_options, name="region_options"),
    path("tasks/<int:task_id>/complete/", views.task_complete, name="task_complete"),
    path("<str:number>/", views.case_detail, name="detail"),
    path("<str:number>/edit/", views.case_edit, name="edit"),
    path("<str:number>/delete/", views.case_delete, name="delete"),
    path("<str:number>/transition/", views.case_transition, name="transition"),
    path("<str:number>/entities/", views.case_entity_add, name="entity_add"),
    path("<str:number>/entities/options/", views.entity_options, name="entity_options"),
    path(
        "<str:number>/entities/<int:link_id>/remove/",
        views.case_entity_remove,
        name="entity_remove",
    ),
    path("<str:number>/updates/", views.case_update_add, name="update_add"),
    path("<str:number>/tasks/", views.case_task_add, name="task_add"),
    path("<str:number>/hsi-referral/", views.case_hsi_referral, name="hsi_referral"),
    path("<str:number>/documents/", views.case_document_add, name="document_add"),
    path(
        "<str:number>/documents/<int:document_id>/",
        views.case_document_download,
        name="document_download",
    ),
    path("<str:number>/audit.csv", views.case_audit_csv, name="audit_csv"),
]
