from django.urls import path

from desadevisa.support import views

app_name = "support"

ITEM = "items/<int:pk>/"
DELIVERABLE = f"{ITEM}deliverables/<int:deliverable_pk>/"

urlpatterns = [
    path("", views.item_list_view, name="item-list"),
    path("designations/<int:pk>/plan/", views.item_create_view, name="item-create"),
    path("villages/<str:code>/", views.village_plan_view, name="village-plan"),
    path(ITEM, views.item_detail_view, name="item-detail"),
    path(f"{ITEM}edit/", views.item_update_view, name="item-update"),
    path(f"{ITEM}delete/", views.item_delete_view, name="item-delete"),
    path(f"{ITEM}disbursements/add/", views.disbursement_add_view, name="disbursement-add"),
    path(
        f"{ITEM}disbursements/<int:disbursement_pk>/delete/",
        views.disbursement_delete_view,
        name="disbursement-delete",
    ),
    path(f"{ITEM}deliverables/add/", views.deliverable_add_view, name="deliverable-add"),
    path(f"{DELIVERABLE}file/", views.deliverable_file_view, name="deliverable-file"),
    path(f"{DELIVERABLE}delete/", views.deliverable_delete_view, name="deliverable-delete"),
]
