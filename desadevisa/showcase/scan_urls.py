"""The address a display item's QR code carries, without a language prefix: /s/<code>/."""

from django.urls import path

from desadevisa.showcase import exhibition_public_views

urlpatterns = [
    path("s/<str:code>/", exhibition_public_views.scan_view, name="scan"),
]
