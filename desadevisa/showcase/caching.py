"""Whole public pages kept in the shared cache, replaced as soon as what they show changes.

Every cached page's key holds the showcase's current *generation*, a token that
``showcase_changed()`` replaces whenever a public record is saved or deleted (see
``showcase.signals``), so the next request renders afresh in every server process. Pages are
cached only for GET and HEAD (never when ``SHOWCASE_CACHE_SECONDS`` is 0), when the view
answered 200 and set no cookie; public templates read neither the session nor the CSRF token,
so one copy serves everyone.
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

GENERATION_KEY = "showcase:generation"
# Seconds browsers and proxies may reuse a public page without asking again.
BROWSER_MAX_AGE = 60


def showcase_generation() -> str:
    """The current generation token, created on first use."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.add(GENERATION_KEY, generation, timeout=None)
        generation = cache.get(GENERATION_KEY, generation)
    return generation


def showcase_changed() -> None:
    """Make every cached public page stale: the next request renders it again."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def _page_key(request: HttpRequest) -> str:
    address = f"{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"showcase:page:{showcase_generation()}:{digest}"


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve ``view``'s page from the cache while the showcase has not changed."""

    @functools.wraps(view)
    def cached_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or settings.SHOWCASE_CACHE_SECONDS <= 0:
            return view(request, *args, **kwargs)
        key = _page_key(request)
        stored = cache.get(key)
        if stored is not None:
            content, content_type = stored
            response = HttpResponse(content, content_type=content_type)
        else:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if response.status_code == 200 and not response.cookies and not response.streaming:
                cache.set(
                    key,
                    (response.content, response["Content-Type"]),
                    timeout=settings.SHOWCASE_CACHE_SECONDS,
                )
        patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
        return response

    return cached_view
