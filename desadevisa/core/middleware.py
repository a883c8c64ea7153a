"""Request IDs: one per request, on its response, its log lines and its error page."""

from __future__ import annotations

import logging
import re
import secrets
import time
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

from desadevisa.core.logging import request_id_bound

logger = logging.getLogger("desadevisa.request")
unavailable_logger = logging.getLogger("desadevisa.unavailable")

REQUEST_ID_HEADER = "X-Request-ID"
# What an ID from a proxy in front may look like: long enough to be unique, nothing that could
# break a header or a log line.
ACCEPTED_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{8,64}")


def request_id_for(request: HttpRequest) -> str:
    """The request's incoming ``X-Request-ID`` when it looks like one, else a new random ID."""
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    if ACCEPTED_REQUEST_ID.fullmatch(incoming):
        return incoming
    return secrets.token_hex(8)


class RequestIdMiddleware:
    """Give each request an ID: ``request.request_id``, the logs' ``request_id`` and the
    response's ``X-Request-ID`` header.

    First in MIDDLEWARE, so that every other middleware's log lines carry the ID and every
    response has the header, the error pages of failures further in included.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = request_id_for(request)
        started = time.monotonic()
        with request_id_bound(request.request_id):
            response = self.get_response(request)
            # One line per request; its logger is quiet unless LOG_FORMAT=json.
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration": round(time.monotonic() - started, 4),
                },
            )
        response[REQUEST_ID_HEADER] = request.request_id
        return response


# Seconds a client is asked to wait before trying again while a backing service is down.
RETRY_AFTER_SECONDS = 30


def unavailable_errors() -> tuple[type[BaseException], ...]:
    """The errors that mean the database or the cache does not answer."""
    errors: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:
        return errors
    return (*errors, RedisConnectionError, RedisTimeoutError)


class ServiceUnavailableMiddleware:
    """Answer 503 with a Retry-After, in the site's layout with the request ID, when a page
    fails because the database or the cache does not answer; logged once, as an error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.errors = unavailable_errors()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, self.errors):
            return None
        unavailable_logger.error(
            "Service unavailable: %s", type(exception).__name__, exc_info=exception
        )
        # Rendered without the request, as the 500 page: nothing may touch the database again.
        context = {"request_id": getattr(request, "request_id", "")}
        response = HttpResponse(loader.get_template("503.html").render(context), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        # Logged above with its cause: django.request need not log the 503 a second time.
        response._has_been_logged = True
        return response
