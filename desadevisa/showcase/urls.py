from django.urls import path

from desadevisa.showcase import views

app_name = "showcase"

urlpatterns = [
    path("", views.home_view, name="home"),
]
