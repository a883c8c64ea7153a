from django.urls import path

from desadevisa.registry import views

app_name = "registry"

urlpatterns = [
    path("villages/", views.village_profile_list_view, name="village-profile-list"),
    path(
        "villages/<str:code>/",
        views.village_profile_detail_view,
        name="village-profile-detail",
    ),
]
