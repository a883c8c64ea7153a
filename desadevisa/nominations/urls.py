from django.urls import path

from desadevisa.nominations import designation_views, quota_views, views

app_name = "nominations"

urlpatterns = [
    path("cycles/", views.cycle_list_view, name="cycle-list"),
    path("cycles/new/", views.cycle_create_view, name="cycle-create"),
    path("cycles/<int:pk>/edit/", views.cycle_update_view, name="cycle-update"),
    path("cycles/<int:pk>/quotas/", views.cycle_quotas_view, name="cycle-quotas"),
    path("cycles/<int:pk>/override/", views.cycle_override_view, name="cycle-override"),
    path("waiting-list/", quota_views.waiting_list_view, name="waiting-list"),
    path(
        "quota-requests/new/",
        quota_views.quota_request_create_view,
        name="quota-request-create",
    ),
    path(
        "quota-requests/<int:pk>/answer/",
        quota_views.quota_request_answer_view,
        name="quota-request-answer",
    ),
    path(
        "nominations/<int:pk>/waiting-list/<slug:direction>/",
        quota_views.waiting_list_move_view,
        name="waiting-list-move",
    ),
    path("nominations/", views.nomination_list_view, name="nomination-list"),
    path("nominations/new/", views.nomination_create_view, name="nomination-create"),
    path("nominations/<int:pk>/", views.nomination_detail_view, name="nomination-detail"),
    path("nominations/<int:pk>/edit/", views.nomination_update_view, name="nomination-update"),
    path(
        "nominations/<int:pk>/step/<slug:step>/",
        views.nomination_transition_view,
        name="nomination-transition",
    ),
    path(
        "nominations/<int:pk>/uniqueness/",
        views.nomination_uniqueness_view,
        name="nomination-uniqueness",
    ),
    path(
        "nominations/<int:pk>/decide/",
        designation_views.nomination_decide_view,
        name="nomination-decide",
    ),
    path(
        "designations/<int:pk>/",
        designation_views.designation_detail_view,
        name="designation-detail",
    ),
    path(
        "designations/<int:pk>/status/",
        designation_views.designation_status_view,
        name="designation-status",
    ),
    path(
        "designations/<int:pk>/certificate.pdf",
        designation_views.designation_certificate_view,
        name="designation-certificate",
    ),
]
