"""The site's URLconf with pages that fail: the way a lost database connection does, by a bug,
and by refusing the person (under each language's prefix, as the site's pages are)."""

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.urls import path

from config.urls import urlpatterns as site_patterns


def database_down_view(request):
    raise OperationalError("server closed the connection unexpectedly")


def broken_view(request):
    raise RuntimeError("a bug")


def forbidden_view(request):
    raise PermissionDenied("Only the organisation's manager may change the product.")


urlpatterns = [
    path("database-down/", database_down_view),
    *i18n_patterns(
        path("database-down/", database_down_view),
        path("broken/", broken_view),
        path("forbidden/", forbidden_view),
    ),
    *site_patterns,
]

handler403 = "desadevisa.core.views.permission_denied"
handler500 = "desadevisa.core.views.server_error"
