"""Site-wide views: error pages in the visitor's language and the health and readiness probes."""

import logging
from contextlib import AbstractContextManager, nullcontext

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.db import connections
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.formats import number_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language_from_path, gettext, ngettext, override
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

from desadevisa.core.health import readiness

logger = logging.getLogger(__name__)

MEGABYTE = 1024 * 1024


def _error_page(
    request: HttpRequest, *, status: int, title: str, sentences: list[str]
) -> HttpResponse:
    """The error page in the site's layout, with a way back: to the page the person came
    from when it is one of ours, else home."""
    referer = request.headers.get("referer", "")
    back = referer if url_has_allowed_host_and_scheme(referer, {request.get_host()}) else ""
    context = {"title": title, "sentences": sentences, "back_url": back, "status": status}
    response = render(request, "error.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _language(request: HttpRequest) -> AbstractContextManager:
    """The language of the path's prefix, kept even when the failure came before the locale
    middleware; without a prefix, the language already active."""
    code = get_language_from_path(request.path_info)
    return override(code) if code else nullcontext()


def too_large_sentences(exception: Exception) -> tuple[int, list[str]] | None:
    """The status and the explanation of a request refused for its size, or None."""
    back = gettext(
        "Go back with your browser's Back button: what you typed is still in the form. "
        "Shorten it, or send fewer files at once, and send it again."
    )
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / MEGABYTE
        return 413, [
            gettext(
                "What you sent is too large: the text of a form may be at most %(limit)s MB, "
                "files apart."
            )
            % {"limit": number_format(limit, decimal_pos=1)},
            back,
        ]
    if isinstance(exception, TooManyFieldsSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        return 400, [
            gettext("The form you sent has too many fields: at most %(limit)s are accepted.")
            % {"limit": number_format(limit, force_grouping=True)},
            back,
        ]
    if isinstance(exception, TooManyFilesSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        return 400, [
            ngettext(
                "You sent too many files at once: at most %(limit)s is accepted.",
                "You sent too many files at once: at most %(limit)s are accepted.",
                limit,
            )
            % {"limit": limit},
            back,
        ]
    return None


# The layout puts the CSRF token on <body>; error handlers can run before the CSRF middleware.
@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Answer 400 (413 for a body over the size limit) with the site's layout, saying what
    was wrong with the request when it was its size."""
    with _language(request):
        refused = too_large_sentences(exception)
        if refused is not None:
            status, sentences = refused
            return _error_page(
                request, status=status, title=gettext("Request too large"), sentences=sentences
            )
        return _error_page(
            request,
            status=400,
            title=gettext("Bad request"),
            sentences=[
                gettext("The page could not understand what your browser sent."),
                gettext("Go back and try again, or start again from the home page."),
            ],
        )


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Answer 403 with the site's layout: the page exists, but not this action for this
    person."""
    with _language(request):
        return _error_page(
            request,
            status=403,
            title=gettext("Not allowed"),
            sentences=[
                gettext("You may see this page, but you may not do this here."),
                gettext("If you think you should, ask a programme officer for the right role."),
            ],
        )


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Answer a form refused for its missing or stale security token: most often a page left
    open through a sign-out, so the person is told to reload it."""
    with _language(request):
        return _error_page(
            request,
            status=403,
            title=gettext("The form has expired"),
            sentences=[
                gettext(
                    "The form was sent without a valid security token, often because it stayed "
                    "open while you signed out and in again."
                ),
                gettext(
                    "Go back, reload the page and send the form again. Copy what you typed "
                    "first: reloading may empty the form."
                ),
            ],
        )


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
    with _language(request):
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
