"""Public pages come from the cache until what they show changes."""

import datetime

import pytest

from desadevisa.catalog.tests.factories import ProductFactory, ProductPhotoFactory
from desadevisa.core.editing import record_version
from desadevisa.nominations.tests.factories import DesignationFactory
from desadevisa.registry.models import VillageProfile
from desadevisa.registry.services import village_profile_update
from desadevisa.registry.tests.factories import (
    OrganisationFactory,
    VillageProfileFactory,
    VillageProfilePhotoFactory,
)
from desadevisa.showcase import caching
from desadevisa.showcase.models import DisplayItem, Exhibition, ExhibitionVenue

CODE = "35.05.10.2001"
PAGES = ["/en/", "/id/villages/", f"/en/villages/{CODE}/", "/sitemap.xml", "/robots.txt"]


@pytest.fixture
def profile(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SHOWCASE_CACHE_SECONDS = 600
    return VillageProfileFactory(is_public=True, village__code=CODE, story_en="Drums made by hand.")


@pytest.fixture
def product(profile):
    product = ProductFactory(
        village=profile.village, is_public=True, name_en="Djembe drum", slug="djembe"
    )
    ProductPhotoFactory(product=product, is_cover=True)
    return product


@pytest.mark.parametrize("path", PAGES)
def test_a_public_page_is_served_from_the_cache_the_second_time(
    client, product, django_assert_num_queries, path
):
    first = client.get(path)

    with django_assert_num_queries(0):
        second = client.get(path)

    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "public" in second["Cache-Control"]


@pytest.mark.parametrize("path", PAGES)
def test_a_public_page_does_not_vary_by_cookie_for_visitors_without_a_session(
    client, product, path
):
    for _ in range(2):
        response = client.get(path)

        assert "cookie" not in response.get("Vary", "").lower()
        assert not response.cookies


def test_each_language_has_its_own_cached_page(client, product):
    client.get("/en/")

    response = client.get("/id/")

    assert '<html lang="id"' in response.text


def test_a_page_is_not_cached_when_caching_is_off(
    client, product, settings, django_assert_max_num_queries
):
    settings.SHOWCASE_CACHE_SECONDS = 0
    client.get("/en/")

    with django_assert_max_num_queries(20) as captured:
        client.get("/en/")

    assert len(captured) > 0


def test_a_404_is_not_cached(client, db):
    VillageProfileFactory(is_public=False, village__code=CODE)
    assert client.get(f"/en/villages/{CODE}/").status_code == 404
    # A bulk update sends no signal: only the absence of a cached 404 lets the page appear.
    VillageProfile.objects.filter(village_id=CODE).update(is_public=True)

    response = client.get(f"/en/villages/{CODE}/")

    assert response.status_code == 200


def test_an_edit_of_a_product_shows_on_the_next_request(client, product):
    before = client.get(f"/en/villages/{CODE}/")
    product.name_en = "Djembe drum, hand carved"
    product.save()

    after = client.get(f"/en/villages/{CODE}/")

    assert "Djembe drum, hand carved" not in before.text
    assert "Djembe drum, hand carved" in after.text


def test_an_edit_of_a_village_profile_through_its_service_shows_on_the_next_request(
    client, product, programme_officer
):
    profile = product.village.profile
    client.get(f"/en/villages/{CODE}/")

    village_profile_update(
        profile=profile,
        data={"story_en": "A new chapter of the story."},
        seen_version=record_version(profile),
        actor=programme_officer,
    )
    response = client.get(f"/en/villages/{CODE}/")

    assert "A new chapter of the story." in response.text


def test_a_product_made_private_disappears_from_the_next_request(client, product):
    assert "Djembe drum" in client.get("/en/").text

    product.is_public = False
    product.save()

    assert "Djembe drum" not in client.get("/en/").text
    assert "Djembe drum" not in client.get(f"/en/villages/{CODE}/").text


def test_a_profile_made_private_answers_404_on_the_next_request(client, product):
    profile = product.village.profile
    client.get(f"/en/villages/{CODE}/")

    profile.is_public = False
    profile.save()

    assert client.get(f"/en/villages/{CODE}/").status_code == 404
    assert "Djembe drum" not in client.get("/en/villages/").text


def test_a_deleted_product_disappears_from_the_next_request(client, product):
    client.get("/en/")

    product.photos.all().delete()
    product.delete()

    assert "Djembe drum" not in client.get("/en/").text


def exhibition() -> Exhibition:
    return Exhibition.objects.create(
        name_id="G20",
        name_en="G20",
        slug="g20",
        starts_on=datetime.date(2022, 3, 1),
        ends_on=datetime.date(2022, 12, 31),
    )


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda product: ProductPhotoFactory(product=product), id="product photo"),
        pytest.param(
            lambda product: VillageProfilePhotoFactory(profile=product.village.profile),
            id="village photo",
        ),
        pytest.param(
            lambda product: OrganisationFactory(village=product.village), id="organisation"
        ),
        pytest.param(
            lambda product: DesignationFactory(nomination__flagship_product=product),
            id="designation",
        ),
        pytest.param(lambda product: exhibition(), id="exhibition"),
        pytest.param(
            lambda product: ExhibitionVenue.objects.create(
                exhibition=exhibition(), name="Nusa Dua", city="Bali"
            ),
            id="exhibition venue",
        ),
        pytest.param(
            lambda product: DisplayItem.objects.create(exhibition=exhibition(), product=product),
            id="display item",
        ),
    ],
)
def test_a_change_to_a_record_the_showcase_shows_makes_cached_pages_stale(client, product, change):
    before = caching.showcase_generation()

    change(product)

    assert caching.showcase_generation() != before
