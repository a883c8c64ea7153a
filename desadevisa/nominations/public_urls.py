"""The public verification pages of certificates, under each language's prefix."""

from django.urls import path

from desadevisa.nominations import designation_views

app_name = "verify"

urlpatterns = [
    path("", designation_views.verify_lookup_view, name="lookup"),
    path("<str:code>/", designation_views.verify_certificate_view, name="certificate"),
]
