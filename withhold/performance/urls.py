from django.urls import path

from . import views

app_name = "performance"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("kpis/<str:indicator>/", views.drilldown, name="drilldown"),
    path("targets/", views.targets, name="targets"),
    path("targets/new/", views.target_set, name="target_set"),
    path("outreach/", views.outreach_list, name="outreach_list"),
    path("outreach/new/", views.outreach_create, name="outreach_create"),
    path("outreach/<int:activity_id>/", views.outreach_detail, name="outreach_detail"),
    path("outreach/<int:activity_id>/edit/", views.outreach_edit, name="outreach_edit"),
    path("outreach/<int:activity_id>/delete/", views.outreach_delete, name="outreach_delete"),
]
