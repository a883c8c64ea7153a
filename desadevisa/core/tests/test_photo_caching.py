"""Private photos are revalidated on every use, so a signed-out browser cannot show them from
its cache; public showcase photos stay cached for a day."""

import pytest
from django.urls import reverse
from django.utils import translation

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.catalog.tests.access import PATTERNS as CATALOG
from desadevisa.registry.tests.access import PATTERNS as REGISTRY
from desadevisa.verification.tests.access import PATTERNS as VERIFICATION

PRIVATE_PHOTOS = {
    name: patterns[name]
    for patterns, name in [
        (REGISTRY, "registry:village-profile-photo"),
        (REGISTRY, "registry:craft-unit-photo"),
        (CATALOG, "catalog:product-photo-file"),
        (VERIFICATION, "verification:visit-photo"),
    ]
}


def photo_url(name: str, two_provinces) -> str:
    kwargs = PRIVATE_PHOTOS[name].kwargs(two_provinces, two_provinces.jawa_timur)
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("name", PRIVATE_PHOTOS)
def test_a_private_photo_is_kept_by_the_browser_only_to_be_revalidated(
    client, programme_officer, two_provinces, name
):
    sign_in_verified(client, programme_officer)

    response = client.get(photo_url(name, two_provinces))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"
    assert response["ETag"].startswith('"')


@pytest.mark.parametrize("name", PRIVATE_PHOTOS)
def test_an_unchanged_private_photo_answers_304_to_its_reader(
    client, programme_officer, two_provinces, name
):
    sign_in_verified(client, programme_officer)
    path = photo_url(name, two_provinces)
    etag = client.get(path)["ETag"]

    response = client.get(path, headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response.content == b""
    assert response["Cache-Control"] == "private, no-cache"


@pytest.mark.parametrize("name", PRIVATE_PHOTOS)
def test_a_signed_out_browser_revalidating_a_private_photo_is_sent_to_sign_in(
    client, programme_officer, two_provinces, name
):
    sign_in_verified(client, programme_officer)
    path = photo_url(name, two_provinces)
    etag = client.get(path)["ETag"]
    client.post(reverse("accounts:logout"))

    response = client.get(path, headers={"If-None-Match": etag})

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_public_showcase_photo_stays_cached_for_a_day(client, two_provinces):
    photo = two_provinces.jawa_timur.photo
    photo.product.is_public = True
    photo.product.save(update_fields=["is_public"])

    response = client.get(f"/showcase/photos/product/{photo.pk}/card.jpg")

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=86400"
