"""The public site's own pages under each language's prefix: home and villages."""

from django.urls import path

from desadevisa.showcase import views

urlpatterns = [
    path("", views.home_view, name="home"),
    path("villages/", views.village_list_view, name="village-list"),
    path("villages/<str:code>/", views.village_detail_view, name="village"),
]
