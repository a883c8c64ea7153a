"""The staff's inquiry pipeline."""

from django.urls import path

from desadevisa.inquiries import views

app_name = "inquiries"

urlpatterns = [
    path("", views.inquiry_list_view, name="list"),
    path("<int:pk>/", views.inquiry_detail_view, name="detail"),
    path("<int:pk>/move/", views.inquiry_move_view, name="move"),
]
