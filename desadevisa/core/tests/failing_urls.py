"""A URLconf whose pages fail with exceptions a visitor must never read."""

from django.db import OperationalError
from django.urls import path

FAILURE_TEXT = "Payment ledger desadevisa.exports.ledger lost row 42"


def failing_view(request):
    raise RuntimeError(FAILURE_TEXT)


def database_down_view(request):
    raise OperationalError("could not connect to server: Connection refused (10.0.0.5:5432)")


urlpatterns = [path("failing/", failing_view), path("database-down/", database_down_view)]

handler500 = "desadevisa.core.views.server_error"
