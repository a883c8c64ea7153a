"""The shared cache when it may fail: Redis can stop answering while the site must not.

``CACHE_ERRORS`` are what Django's cache backends raise when their server or directory is
unusable. ``cache_get``, ``cache_set`` and ``cache_delete`` treat such a failure as a miss or a
no-op and log it once until the cache answers again, so an outage neither fails pages nor floods
the log.
Rate limits do not use them: they decide for themselves what an unanswered count means
(``accounts.rate_limits``).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache import cache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

CACHE_ERRORS = (RedisError, OSError)

_failing = False


def cache_failed(operation: str, error: BaseException) -> None:
    """Log a failed cache ``operation``, once for every outage."""
    global _failing
    if not _failing:
        _failing = True
        logger.error("The shared cache does not answer (%s): %s", operation, error)


def cache_answered() -> None:
    """Note that the cache answered, logging the end of an outage."""
    global _failing
    if _failing:
        _failing = False
        logger.warning("The shared cache answers again.")


def cache_get(key: str, default: Any = None) -> Any:
    """``cache.get``, or ``default`` when the cache does not answer."""
    try:
        value = cache.get(key, default)
    except CACHE_ERRORS as error:
        cache_failed("get", error)
        return default
    cache_answered()
    return value


def cache_set(key: str, value: Any, timeout: int) -> bool:
    """``cache.set``; False when the cache does not answer."""
    try:
        cache.set(key, value, timeout=timeout)
    except CACHE_ERRORS as error:
        cache_failed("set", error)
        return False
    cache_answered()
    return True


def cache_delete(key: str) -> None:
    """``cache.delete``; nothing when the cache does not answer (the key expires anyway)."""
    try:
        cache.delete(key)
    except CACHE_ERRORS as error:
        cache_failed("delete", error)
        return
    cache_answered()


def cache_ping() -> bool:
    """Whether the shared cache answers a write and a read (for a readiness probe)."""
    try:
        cache.set("health:ping", "1", timeout=10)
        answered = cache.get("health:ping") == "1"
    except CACHE_ERRORS as error:
        cache_failed("ping", error)
        return False
    cache_answered()
    return answered
