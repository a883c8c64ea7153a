"""The client's address, known to ``audit_record`` for the duration of a request.

Services never take the request; the middleware binds the address to the request's context
and ``audit_record`` reads it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_client_address: ContextVar[str | None] = ContextVar("audit_client_address", default=None)


def current_client_address() -> str | None:
    """The address of the client whose request is being served; None outside a request."""
    return _client_address.get()


def request_client_address(request: HttpRequest) -> str | None:
    """The client's IP address: REMOTE_ADDR, or X-Forwarded-For behind trusted proxies.

    With ``AUDIT_TRUSTED_PROXY_COUNT`` = n > 0, the n-th address from the right of
    X-Forwarded-For is the client: each trusted proxy appends the address it saw, and anything
    to the left of that may be made up by the client. Returns None for a value that is not an
    IP address.
    """
    address = request.META.get("REMOTE_ADDR", "")
    trusted_proxies = getattr(settings, "AUDIT_TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if trusted_proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        if len(hops) >= trusted_proxies:
            address = hops[-trusted_proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


@contextmanager
def client_address_bound(request: HttpRequest | None) -> Iterator[None]:
    """Make the request's client address current while the block runs; no-op without one."""
    if request is None:
        yield
        return
    token = _client_address.set(request_client_address(request))
    try:
        yield
    finally:
        _client_address.reset(token)


class AuditContextMiddleware:
    """Bind each request's client address for the audit events recorded while serving it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with client_address_bound(request):
            return self.get_response(request)
