"""Site-wide views: error pages in the visitor's language and the health and readiness probes."""

import logging

from django.db import connections
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

from desadevisa.core.health import readiness

logger = logging.getLogger(__name__)


# The layout puts the CSRF token on <body>; error handlers can run before the CSRF middleware.
@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Answer 404 with the site's layout, in the language of the path or else the negotiated one."""
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Answer 500 with a standalone page showing the request's ID, for a person to quote.

    Rendered without the request, so that no context processor, session or database access can
    fail a second time while reporting the first failure. The ID is a plain attribute, set by
    ``RequestIdMiddleware`` and missing when the failure came before it.
    """
    context = {"request_id": getattr(request, "request_id", "")}
    return HttpResponseServerError(loader.get_template("500.html").render(context))


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Report whether the application and its default database answer; never raises."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    # A probe must answer whatever broke: driver errors, timeouts, a refused connection.
    except Exception:
        logger.warning("Health check: the default database is unreachable.", exc_info=True)
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_safe
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when the database, cache, storage and task worker all answer, else 503 naming the
    failing ones; only each check's name and result, nothing more."""
    results = readiness()
    failing = [name for name, result in results.items() if result != "ok"]
    body = {"status": "error" if failing else "ok", "checks": results, "failing": failing}
    return JsonResponse(body, status=503 if failing else 200)


PING_BODY = b"pong\n"


@require_safe
def ping(request: HttpRequest) -> HttpResponse:
    """Fixed bytes through the whole middleware stack and no database: the floor that page
    benchmarks are measured against (``desadevisa bench``)."""
    return HttpResponse(PING_BODY, content_type="text/plain")
