from django.urls import path

from desadevisa.exports import views

app_name = "exports"

urlpatterns = [
    path("shipments/", views.shipment_list_view, name="shipment-list"),
    path("shipments/new/", views.shipment_create_view, name="shipment-create"),
    path("shipments/totals/", views.shipment_totals_view, name="shipment-totals"),
    path("shipments/<int:pk>/", views.shipment_detail_view, name="shipment-detail"),
    path("shipments/<int:pk>/edit/", views.shipment_update_view, name="shipment-update"),
    path("shipments/<int:pk>/delete/", views.shipment_delete_view, name="shipment-delete"),
    path("shipments/<int:pk>/evidence/", views.shipment_evidence_view, name="shipment-evidence"),
    path("exchange-rates/", views.exchange_rate_list_view, name="exchange-rate-list"),
    path("exchange-rates/new/", views.exchange_rate_create_view, name="exchange-rate-create"),
    path(
        "exchange-rates/<int:pk>/edit/",
        views.exchange_rate_update_view,
        name="exchange-rate-update",
    ),
    path(
        "exchange-rates/<int:pk>/delete/",
        views.exchange_rate_delete_view,
        name="exchange-rate-delete",
    ),
]
