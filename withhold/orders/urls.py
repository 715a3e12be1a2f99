from django.urls import path

from . import views

app_name = "orders"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/<str:number>/", views.register_detail, name="register_detail"),
    path("orders/", views.order_list, name="list"),
    path("orders/new/", views.order_create, name="create"),
    path("orders/reviews-due/", views.reviews_overdue, name="reviews_overdue"),
    path("orders/opinions/<int:opinion_id>/memo/", views.opinion_memo, name="opinion_memo"),
    path("orders/<str:number>/", views.order_detail, name="detail"),
    path("orders/<str:number>/scope-rules/", views.scope_rule_add, name="scope_rule_add"),
    path(
        "orders/<str:number>/scope-rules/<int:rule_id>/remove/",
        views.scope_rule_remove,
        name="scope_rule_remove",
    ),
    path("orders/<str:number>/cases/", views.order_case_add, name="case_add"),
    path("orders/<str:number>/submit/", views.order_submit, name="submit"),
    path("orders/<str:number>/opinion/", views.order_opinion, name="opinion"),
    path("orders/<str:number>/decision/", views.order_decide, name="decide"),
    path("orders/<str:number>/issue/", views.order_issue, name="issue"),
    path("orders/<str:number>/modify/", views.order_modify, name="modify"),
    path("orders/<str:number>/review/", views.order_review, name="review"),
    path("petitions/", views.petition_list, name="petition_list"),
    path("petitions/new/<str:number>/", views.petition_create, name="petition_create"),
    path("petitions/<int:petition_id>/", views.petition_detail, name="petition_detail"),
    path(
        "petitions/<int:petition_id>/documents/<int:document_id>/",
        views.petition_document_download,
        name="petition_document",
    ),
]
