from django.urls import path

from desadevisa.support import views

app_name = "support"

ITEM = "items/<int:pk>/"

urlpatterns = [
    path("", views.item_list_view, name="item-list"),
    path("designations/<int:pk>/plan/", views.item_create_view, name="item-create"),
    path("villages/<str:code>/", views.village_plan_view, name="village-plan"),
    path(ITEM, views.item_detail_view, name="item-detail"),
    path(f"{ITEM}edit/", views.item_update_view, name="item-update"),
    path(f"{ITEM}disbursements/add/", views.disbursement_add_view, name="disbursement-add"),
]
