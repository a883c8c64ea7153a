from django.urls import path

from desadevisa.nominations import views

app_name = "nominations"

urlpatterns = [
    path("cycles/", views.cycle_list_view, name="cycle-list"),
    path("cycles/new/", views.cycle_create_view, name="cycle-create"),
    path("cycles/<int:pk>/edit/", views.cycle_update_view, name="cycle-update"),
    path("cycles/<int:pk>/quotas/", views.cycle_quotas_view, name="cycle-quotas"),
    path("nominations/", views.nomination_list_view, name="nomination-list"),
    path("nominations/new/", views.nomination_create_view, name="nomination-create"),
    path("nominations/<int:pk>/", views.nomination_detail_view, name="nomination-detail"),
    path("nominations/<int:pk>/edit/", views.nomination_update_view, name="nomination-update"),
    path(
        "nominations/<int:pk>/step/<slug:step>/",
        views.nomination_transition_view,
        name="nomination-transition",
    ),
]
