from django.urls import path

from . import views

app_name = "notices"

urlpatterns = [
    path("", views.notice_list, name="list"),
    path("read/", views.notices_read, name="read_all"),
    path("<int:notice_id>/read/", views.notice_read, name="read"),
]
