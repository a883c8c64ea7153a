"""The public catalog: the product search and each product's page."""

from django.urls import path

from desadevisa.showcase import catalog_views

urlpatterns = [
    path("products/", catalog_views.product_list_view, name="product-list"),
    path("products/<slug:slug>/", catalog_views.product_detail_view, name="product"),
]
