"""Counting attempts in Django's cache, shared by every server, to refuse floods of requests.

Counts live in the shared cache (Redis in production), so every app server sees the same ones;
each count expires with its window. When the cache does not answer, ``rate_limit_hit`` raises
``RateLimitUnavailable`` rather than guessing: each caller decides whether that refuses the
request (the inquiry form and password resets do: a flood could not be stopped otherwise) or
lets it through. Any caller, a page or an API endpoint, passes its own key and window.
"""

import hashlib

from django.core.cache import cache
from django.utils import timezone

from desadevisa.core.cache import CACHE_ERRORS, cache_answered, cache_failed


class RateLimitUnavailable(Exception):
    """The shared cache holding the counts does not answer: nothing could be counted."""


# A window is counted in this many slices: a rolling window to a sixtieth of its length (a
# minute of an hour), where one fixed window would let twice the limit through around its end.
SLICES = 60


def rate_limit_hit(*, key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt under ``key``; True when it is beyond ``limit`` in the last
    ``window_seconds``.

    Refused attempts count too, so hammering never reopens the door early. Every attempt is
    counted (atomically) before the total is read, so concurrent attempts cannot all slip under
    the limit. Time is ``timezone.now()``. ``key`` is stored hashed: it may hold an e-mail or IP
    address. Raises RateLimitUnavailable when the cache does not answer.
    """
    try:
        hits = _count(key=key, window_seconds=window_seconds)
    except CACHE_ERRORS as error:
        cache_failed("rate limit", error)
        raise RateLimitUnavailable from error
    cache_answered()
    return hits > limit


def _count(*, key: str, window_seconds: int) -> int:
    """Add one to the current slice of ``key`` and return the window's total."""
    slice_seconds = max(window_seconds // SLICES, 1)
    slices = window_seconds // slice_seconds
    current = int(timezone.now().timestamp() // slice_seconds)
    prefix = f"rate-limit:{hashlib.sha256(key.encode()).hexdigest()}:"
    current_key = f"{prefix}{current}"
    cache.add(current_key, 0, timeout=window_seconds + slice_seconds)
    try:
        cache.incr(current_key)
    except ValueError:
        # The entry expired between add() and incr(): this attempt is the first of its slice.
        cache.set(current_key, 1, timeout=window_seconds + slice_seconds)
    window_keys = [f"{prefix}{number}" for number in range(current - slices + 1, current + 1)]
    return sum(cache.get_many(window_keys).values())
