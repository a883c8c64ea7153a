from django.urls import path

from desadevisa.catalog import views

app_name = "catalog"

urlpatterns = [
    path("products/", views.product_list_view, name="product-list"),
    path("products/new/", views.product_create_view, name="product-create"),
    path("products/<int:pk>/", views.product_detail_view, name="product-detail"),
    path("products/<int:pk>/edit/", views.product_update_view, name="product-update"),
    path("products/<int:pk>/delete/", views.product_delete_view, name="product-delete"),
    path("products/<int:pk>/photos/", views.product_photos_view, name="product-photos"),
    path(
        "photos/<int:pk>/caption/", views.product_photo_caption_view, name="product-photo-caption"
    ),
    path("photos/<int:pk>/move/", views.product_photo_move_view, name="product-photo-move"),
    path("photos/<int:pk>/cover/", views.product_photo_cover_view, name="product-photo-cover"),
    path("photos/<int:pk>/delete/", views.product_photo_delete_view, name="product-photo-delete"),
    path(
        "photos/<int:pk>/file/<str:rendition>/",
        views.product_photo_file_view,
        name="product-photo-file",
    ),
    path("hs-codes/", views.hs_code_search_view, name="hs-code-search"),
]
