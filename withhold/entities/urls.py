from django.urls import path

from . import views

app_name = "entities"

urlpatterns = [
    path("", views.entity_list, name="list"),
    path("new/", views.entity_create, name="create"),
    path("<int:pk>/", views.entity_detail, name="detail"),
    path("<int:pk>/edit/", views.entity_edit, name="edit"),
]
