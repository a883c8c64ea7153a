"""The exhibitions' staff pages, under /<lang>/showcase/exhibitions/."""

from django.urls import path

from desadevisa.showcase import exhibition_views as views

app_name = "exhibitions"

urlpatterns = [
    path("", views.exhibition_list_view, name="list"),
    path("new/", views.exhibition_create_view, name="create"),
    path("<int:pk>/", views.exhibition_detail_view, name="detail"),
    path("<int:pk>/edit/", views.exhibition_update_view, name="update"),
    path("<int:pk>/venues/new/", views.venue_add_view, name="venue-add"),
    path("<int:pk>/items/new/", views.item_add_view, name="item-add"),
    path("<int:pk>/cards.pdf", views.cards_view, name="cards"),
    path("venues/<int:pk>/delete/", views.venue_delete_view, name="venue-delete"),
    path("items/<int:pk>/edit/", views.item_update_view, name="item-update"),
    path("items/<int:pk>/move/<slug:direction>/", views.item_move_view, name="item-move"),
    path("items/<int:pk>/delete/", views.item_delete_view, name="item-delete"),
    path("items/<int:pk>/qr.svg", views.item_qr_view, name="item-qr"),
    path("items/<int:pk>/card.pdf", views.item_card_view, name="item-card"),
]
