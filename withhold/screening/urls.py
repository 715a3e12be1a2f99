from django.urls import path

from . import views

app_name = "screening"

urlpatterns = [
    path("", views.run_list, name="runs"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("runs/<int:run_id>/progress/", views.run_progress, name="progress"),
    path("hits/<int:hit_id>/detention/", views.hit_detention, name="hit_detention"),
    path("hits/<int:hit_id>/judge/", views.hit_judge, name="hit_judge"),
    path("judgements/", views.judgement_list, name="judgements"),
    path("lists/", views.entity_lists, name="lists"),
    path("lists/<str:source>/", views.entity_list_detail, name="list"),
    path("lists/<str:source>/versions/", views.list_versions, name="list_versions"),
    path(
        "lists/<str:source>/versions/<int:version_number>/",
        views.list_version_detail,
        name="list_version",
    ),
    path(
        "lists/<str:source>/versions/<int:version_number>/entries/<int:entry_number>/",
        views.list_version_entry,
        name="list_version_entry",
    ),
    path("lists/<str:source>/diff/", views.list_version_diff, name="list_diff"),
]
