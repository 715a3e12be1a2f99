from django.urls import path

from . import views

app_name = "workforce"

urlpatterns = [
    path("", views.assessment, name="assessment"),
    path("scenario/compute/", views.scenario_compute, name="scenario_compute"),
    path("scenarios/", views.scenario_list, name="scenario_list"),
    path("scenarios/compare/", views.scenario_compare, name="scenario_compare"),
    path("scenarios/<int:scenario_id>/", views.scenario_detail, name="scenario_detail"),
    path("competencies/", views.competency_list, name="competency_list"),
    path("competencies/new/", views.competency_create, name="competency_create"),
    path("competencies/<int:competency_id>/", views.competency_edit, name="competency_edit"),
    path("skills/", views.staff_competency_list, name="staff_competency_list"),
    path("skills/record/", views.staff_competency_record, name="staff_competency_record"),
    path("skills/gaps/", views.gap_matrix, name="gap_matrix"),
    path("training/", views.training_list, name="training_list"),
    path("training/new/", views.training_create, name="training_create"),
    path("training/<int:plan_id>/status/", views.training_status, name="training_status"),
    path("report/", views.report, name="report"),
]
