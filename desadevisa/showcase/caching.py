"""Whole public pages kept in the shared cache, replaced as soon as what they show changes.

Every cached page's key holds the showcase's current *generation*, a token that
``showcase_changed()`` replaces whenever a public record is saved or deleted (see
``showcase.signals``), so the next request renders afresh in every server process. Pages are
cached only for GET and HEAD (never when ``SHOWCASE_CACHE_SECONDS`` is 0), when the view
answered 200 and set no cookie; public templates read neither the session nor the CSRF token,
so one copy serves everyone.

When the cache does not answer, pages are rendered uncached (``core.cache`` logs the outage
once). A change made meanwhile is remembered by the process and its generation replaced as soon
as the cache answers again; pages cached before it expire after ``SHOWCASE_CACHE_SECONDS`` in any
case.
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

from desadevisa.core.cache import CACHE_ERRORS, cache_answered, cache_failed, cache_get, cache_set

GENERATION_KEY = "showcase:generation"
# A generation outlives any page cached under it; when it expires, a new one starts afresh.
GENERATION_SECONDS = 30 * 24 * 60 * 60
# Seconds browsers and proxies may reuse a public page without asking again.
BROWSER_MAX_AGE = 60

# A change this process could not announce while the cache was down; announced on recovery.
_unannounced_change = False


def showcase_generation() -> str | None:
    """The current generation token, created on first use; None when the cache does not
    answer."""
    if _unannounced_change:
        showcase_changed()
    try:
        generation = cache.get(GENERATION_KEY)
        if generation is None:
            cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=GENERATION_SECONDS)
            generation = cache.get(GENERATION_KEY)
    except CACHE_ERRORS as error:
        cache_failed("generation", error)
        return None
    cache_answered()
    return generation


def showcase_changed() -> None:
    """Make every cached public page stale: the next request renders it again."""
    global _unannounced_change
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=GENERATION_SECONDS)
    except CACHE_ERRORS as error:
        cache_failed("generation change", error)
        _unannounced_change = True
        return
    _unannounced_change = False
    cache_answered()


def _page_key(request: HttpRequest) -> str | None:
    generation = showcase_generation()
    if generation is None:
        return None
    address = f"{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"showcase:page:{generation}:{digest}"


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve ``view``'s page from the cache while the showcase has not changed."""

    @functools.wraps(view)
    def cached_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or settings.SHOWCASE_CACHE_SECONDS <= 0:
            return view(request, *args, **kwargs)
        key = _page_key(request)
        stored = cache_get(key) if key else None
        if stored is not None:
            content, content_type = stored
            response = HttpResponse(content, content_type=content_type)
        else:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            cacheable = response.status_code == 200 and not response.cookies
            if key and cacheable and not response.streaming:
                cache_set(
                    key,
                    (response.content, response["Content-Type"]),
                    timeout=settings.SHOWCASE_CACHE_SECONDS,
                )
        patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
        return response

    return cached_view
