"""Rate limits in the real shared Redis: every app server counts together, and an outage
refuses what must be counted while sign-in goes on."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import caches

from desadevisa.accounts.rate_limits import RateLimitUnavailable, rate_limit_hit
from desadevisa.accounts.tests.test_sign_in import LOGIN, PROFILE, sign_in

MINUTE = 60


def hit(key: str) -> bool:
    return rate_limit_hit(key=key, limit=2, window_seconds=MINUTE)


def on_another_server(function, *args):
    """Run ``function`` in a thread of its own: Django gives it its own cache client and
    connection pool, as a second app server would have."""
    with ThreadPoolExecutor(max_workers=1) as other:
        return other.submit(function, *args).result()


def test_two_app_servers_share_one_count(redis_cache):
    here = hit("inquiry:address:203.0.113.7")
    there = on_another_server(lambda: (hit("inquiry:address:203.0.113.7"), id(caches["default"])))
    third_here = hit("inquiry:address:203.0.113.7")

    assert (here, there[0], third_here) == (False, False, True)
    assert there[1] != id(caches["default"])


def test_counts_are_stored_under_the_key_prefix_with_a_timeout(redis_cache):
    import redis

    hit("inquiry:address:203.0.113.7")

    server = redis.Redis.from_url(redis_cache.url)
    keys = server.keys("*")
    assert keys
    assert all(key.startswith(b"desadevisa:") for key in keys)
    assert all(0 < server.ttl(key) <= MINUTE + 1 for key in keys)


def test_a_count_is_refused_when_redis_is_down_and_works_again_when_it_returns(redis_cache):
    redis_cache.stop()

    with pytest.raises(RateLimitUnavailable):
        hit("inquiry:address:203.0.113.7")
    redis_cache.start()

    assert hit("inquiry:address:203.0.113.7") is False


def test_sign_in_works_while_redis_is_down(client, organisation_manager, redis_cache):
    redis_cache.stop()

    response = sign_in(client, "organisation-manager")

    assert (response.status_code, response["Location"]) == (302, PROFILE)


def test_sign_in_lockouts_are_counted_in_the_database_while_redis_is_down(
    client, organisation_manager, redis_cache
):
    redis_cache.stop()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "organisation-manager", "not the password")

    response = sign_in(client, "organisation-manager")

    assert response.status_code == 429
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"


def test_a_password_reset_is_refused_with_a_message_while_redis_is_down(
    client, provincial_officer, redis_cache, django_capture_on_commit_callbacks
):
    redis_cache.stop()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/accounts/password/reset/", {"email": provincial_officer.email})

    assert response.status_code == 503
    assert (
        "Password reset requests cannot be handled right now. Please try again in a few minutes."
    ) in response.text
    assert mail.outbox == []
    assert client.get(LOGIN).status_code == 200
