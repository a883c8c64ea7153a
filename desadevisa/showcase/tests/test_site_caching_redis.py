"""The page cache in the real shared Redis: one invalidation reaches every app server, and an
outage serves pages uncached instead of failing them."""

import logging
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

from desadevisa.catalog.models import Product
from desadevisa.catalog.tests.factories import ProductFactory
from desadevisa.registry.tests.factories import VillageProfileFactory
from desadevisa.showcase import caching

CODE = "35.05.10.2001"
PAGE = f"/en/villages/{CODE}/"


@pytest.fixture
def product(db, settings, redis_cache):
    settings.SHOWCASE_CACHE_SECONDS = 600
    profile = VillageProfileFactory(is_public=True, village__code=CODE)
    return ProductFactory(village=profile.village, is_public=True, name_en="Djembe drum")


def on_another_server(function):
    """Run ``function`` with a cache client of its own, as a second app server would."""
    with ThreadPoolExecutor(max_workers=1) as other:
        return other.submit(function).result()


def test_a_change_on_one_server_makes_the_other_render_afresh(client, product):
    before = on_another_server(caching.showcase_generation)
    client.get(PAGE)

    on_another_server(caching.showcase_changed)
    Product.objects.filter(pk=product.pk).update(name_en="Kendang djimbe")

    assert caching.showcase_generation() != before
    assert "Kendang djimbe" in client.get(PAGE).text


def test_both_servers_read_the_same_generation(product):
    assert on_another_server(caching.showcase_generation) == caching.showcase_generation()


def test_cached_pages_and_the_generation_carry_the_prefix_and_a_timeout(
    client, product, redis_cache
):
    client.get(PAGE)

    server = redis.Redis.from_url(redis_cache.url)
    keys = server.keys("*")
    assert any(b"showcase:page:" in key for key in keys)
    assert all(key.startswith(b"desadevisa:") and server.ttl(key) > 0 for key in keys)


def test_public_pages_render_uncached_while_redis_is_down_and_log_it_once(
    client, product, redis_cache, caplog
):
    redis_cache.stop()

    with caplog.at_level(logging.ERROR, logger="desadevisa.core.cache"):
        responses = [client.get(PAGE) for _ in range(3)]

    assert [response.status_code for response in responses] == [200, 200, 200]
    assert "Djembe drum" in responses[-1].text
    assert [record.getMessage().split(" (")[0] for record in caplog.records] == [
        "The shared cache does not answer"
    ]


def test_pages_are_cached_again_once_redis_returns(client, product, redis_cache):
    redis_cache.stop()
    client.get(PAGE)
    redis_cache.start()

    client.get(PAGE)

    assert redis.Redis.from_url(redis_cache.url).keys("*showcase:page:*")


def test_a_change_saved_while_redis_hung_is_announced_when_it_answers_again(
    client, product, redis_cache
):
    assert "Djembe drum" in client.get(PAGE).text
    redis_cache.pause()

    product.name_en = "Kendang djimbe"
    product.save()
    redis_cache.resume()
    response = client.get(PAGE)

    assert "Kendang djimbe" in response.text
