"""A URLconf whose only page fails the way a lost database connection does."""

from django.db import OperationalError
from django.urls import path


def database_down_view(request):
    raise OperationalError("server closed the connection unexpectedly")


urlpatterns = [path("database-down/", database_down_view)]

handler500 = "desadevisa.core.views.server_error"
