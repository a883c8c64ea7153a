"""A URLconf whose only page fails with an exception a visitor must never read."""

from django.urls import path

FAILURE_TEXT = "Payment ledger desadevisa.exports.ledger lost row 42"


def failing_view(request):
    raise RuntimeError(FAILURE_TEXT)


urlpatterns = [path("failing/", failing_view)]

handler500 = "desadevisa.core.views.server_error"
