from django.urls import path

from . import views

app_name = "workday"

urlpatterns = [
    path("", views.home, name="home"),
]
