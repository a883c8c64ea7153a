import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone, translation


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English, the language of the source strings."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counts live in the cache, which outlives each test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock(monkeypatch):
    """A clock the test moves: ``clock.advance(minutes=31)``; Django reads it as now."""

    class Clock:
        def __init__(self) -> None:
            self.now = timezone.now()

        def advance(self, **delta) -> None:
            self.now += datetime.timedelta(**delta)

    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock
