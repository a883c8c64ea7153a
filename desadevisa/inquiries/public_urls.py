"""The buyer's inquiry pages and the privacy notice, under each language's prefix."""

from django.urls import path

from desadevisa.inquiries import public_views

app_name = "inquiry"

urlpatterns = [
    path("privacy/", public_views.privacy_notice_view, name="privacy"),
    path("products/<slug:slug>/inquiry/", public_views.inquiry_create_view, name="create"),
    path("products/<slug:slug>/inquiry/sent/", public_views.inquiry_sent_view, name="sent"),
]
