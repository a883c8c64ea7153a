"""The public exhibition pages and the kiosk, under each language's prefix."""

from django.urls import path

from desadevisa.showcase import exhibition_public_views as views

urlpatterns = [
    path("exhibitions/<slug:slug>/", views.exhibition_view, name="exhibition"),
    path("exhibitions/<slug:slug>/kiosk/", views.kiosk_view, name="kiosk"),
    path("exhibitions/<slug:slug>/kiosk.json", views.kiosk_feed_view, name="kiosk-feed"),
]
