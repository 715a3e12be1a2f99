from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("deadlines/", views.deadline_rules, name="deadline_rules"),
]
