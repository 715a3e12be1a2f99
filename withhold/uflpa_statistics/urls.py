from django.urls import path

from . import views

app_name = "uflpa_statistics"

urlpatterns = [
    path("uflpa-statistics/", views.statistics, name="statistics"),
]
