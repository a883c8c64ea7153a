from django.urls import path

from desadevisa.regions import views

app_name = "regions"

urlpatterns = [
    path("villages/", views.village_search_view, name="village-search"),
]
