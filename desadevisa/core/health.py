"""Readiness: what a server needs to serve pages, each checked cheaply and reported by name.

The task worker proves it is alive by writing a heartbeat into the shared cache every
``HEARTBEAT_SECONDS``; readiness fails once the last one is older than ``HEARTBEAT_MAX_AGE``.
"""

import logging
import secrets
import threading
import time
from collections.abc import Callable

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections

logger = logging.getLogger(__name__)

HEARTBEAT_KEY = "task-worker:heartbeat"
HEARTBEAT_SECONDS = 20
HEARTBEAT_MAX_AGE = 60
PROBE_CONTENT = b"readyz"


def worker_heartbeat_write() -> None:
    """Record that a task worker is running now."""
    # Kept a little longer than it counts, then gone: a stopped worker leaves no key behind.
    cache.set(HEARTBEAT_KEY, time.time(), timeout=HEARTBEAT_MAX_AGE * 2)


def worker_heartbeat_start() -> threading.Event:
    """Write the heartbeat now and every HEARTBEAT_SECONDS from a background thread, until the
    returned event is set."""
    stop = threading.Event()

    def beat() -> None:
        while True:
            try:
                worker_heartbeat_write()
            # The worker keeps working when the cache is away; readiness reports it.
            except Exception:
                logger.warning("Task worker: the heartbeat could not be written.", exc_info=True)
            if stop.wait(HEARTBEAT_SECONDS):
                return

    threading.Thread(target=beat, name="task-worker-heartbeat", daemon=True).start()
    return stop


def _database() -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _cache() -> bool:
    key = f"readyz:{secrets.token_hex(8)}"
    cache.set(key, PROBE_CONTENT, timeout=10)
    try:
        return cache.get(key) == PROBE_CONTENT
    finally:
        cache.delete(key)


def _storage() -> bool:
    name = default_storage.save(f"readyz/{secrets.token_hex(8)}", ContentFile(PROBE_CONTENT))
    try:
        with default_storage.open(name) as stored:
            return stored.read() == PROBE_CONTENT
    finally:
        default_storage.delete(name)


def _worker() -> bool:
    beat = cache.get(HEARTBEAT_KEY)
    return beat is not None and time.time() - beat < HEARTBEAT_MAX_AGE


CHECKS: dict[str, Callable[[], bool]] = {
    "database": _database,
    "cache": _cache,
    "storage": _storage,
    "worker": _worker,
}


def readiness() -> dict[str, str]:
    """Each check's result, ``ok`` or ``failing``; never raises, logs each failure once."""
    results = {}
    for name, check in CHECKS.items():
        try:
            passed = check()
        # A probe must answer whatever broke: driver errors, timeouts, a refused connection.
        except Exception:
            logger.warning("Readiness: the %s check failed.", name, exc_info=True)
            passed = False
        results[name] = "ok" if passed else "failing"
    return results
