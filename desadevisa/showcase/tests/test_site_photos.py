"""Public photos: renditions of public products' and villages' photos, and nothing else."""

import pytest
from django.template import Context, Template

from desadevisa.catalog.tests.factories import ProductFactory, ProductPhotoFactory
from desadevisa.registry.tests.factories import (
    CraftUnitPhotoFactory,
    VillageProfileFactory,
    VillageProfilePhotoFactory,
)
from desadevisa.verification.tests.factories import VisitPhotoFactory


@pytest.fixture
def media(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def product_photo(media):
    return ProductPhotoFactory(product=ProductFactory(is_public=True))


@pytest.fixture
def village_photo(media):
    return VillageProfilePhotoFactory(profile=VillageProfileFactory(is_public=True))


def photo_path(kind: str, pk: int, rendition: str = "card") -> str:
    return f"/showcase/photos/{kind}/{pk}/{rendition}.jpg"


@pytest.mark.parametrize("rendition", ["thumbnail", "card", "full"])
def test_a_public_product_photo_is_served_as_a_jpeg_cached_a_day(client, product_photo, rendition):
    response = client.get(photo_path("product", product_photo.pk, rendition))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "public, max-age=86400"
    assert response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xff\xd8")
    assert body == product_photo.rendition(rendition).open("rb").read()


def test_a_public_village_photo_is_served(client, village_photo):
    response = client.get(photo_path("village", village_photo.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"


def test_a_photo_of_a_product_that_is_not_public_answers_404(client, media):
    photo = ProductPhotoFactory(product=ProductFactory(is_public=False))

    response = client.get(photo_path("product", photo.pk))

    assert response.status_code == 404


def test_a_photo_of_a_village_that_is_not_public_answers_404(client, media):
    photo = VillageProfilePhotoFactory(profile=VillageProfileFactory(is_public=False))

    response = client.get(photo_path("village", photo.pk))

    assert response.status_code == 404


def test_a_product_photo_asked_for_as_a_village_photo_answers_404(client, product_photo):
    response = client.get(photo_path("village", product_photo.pk))

    assert response.status_code == 404


@pytest.mark.parametrize("kind", ["craft-unit", "visit", "evidence", "..", "PRODUCT"])
def test_other_kinds_of_photo_answer_404(client, media, kind):
    unit_photo = CraftUnitPhotoFactory()
    visit_photo = VisitPhotoFactory()

    for pk in (unit_photo.pk, visit_photo.pk):
        response = client.get(photo_path(kind, pk))

        assert response.status_code == 404


@pytest.mark.parametrize("rendition", ["original", "stored_files", "width", "FULL"])
def test_an_unknown_rendition_answers_404(client, product_photo, rendition):
    response = client.get(photo_path("product", product_photo.pk, rendition))

    assert response.status_code == 404


def test_an_unknown_photo_answers_404(client, media):
    response = client.get(photo_path("product", 987654))

    assert response.status_code == 404


def test_a_photo_refuses_to_be_posted_to(client, product_photo):
    response = client.post(photo_path("product", product_photo.pk))

    assert response.status_code == 405


# The template tag -----------------------------------------------------------------------------


def render(source: str, **context) -> str:
    return Template("{% load showcase %}" + source).render(Context(context))


def test_public_photo_tag_renders_the_rendition_with_its_size_and_caption(product_photo):
    width, height = product_photo.rendition_size("thumbnail")

    html = render('{% public_photo photo "thumbnail" %}', photo=product_photo)

    assert html == (
        f'<img src="/showcase/photos/product/{product_photo.pk}/thumbnail.jpg" width="{width}" '
        f'height="{height}" alt="Kendang djimbe" loading="lazy" decoding="async">'
    )


def test_public_photo_tag_describes_a_photo_without_caption_by_its_product(media, settings):
    settings.LANGUAGE_CODE = "en"
    product = ProductFactory(is_public=True, name_en="Djembe drum")
    ProductPhotoFactory(product=product, caption="")
    photo = product.photos.get()  # loaded through its product, which it then knows

    html = render('{% public_photo photo "card" %}', photo=photo)

    assert 'alt="Djembe drum"' in html


def test_public_photo_tag_escapes_the_caption(media):
    photo = ProductPhotoFactory(
        product=ProductFactory(is_public=True), caption='"><script>alert(1)</script>'
    )

    html = render('{% public_photo photo "card" "cover" %}', photo=photo)

    assert 'alt="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert 'class="cover"' in html
    assert "<script>" not in html


def test_public_photo_tag_serves_village_photos_from_the_village_address(village_photo):
    html = render('{% public_photo photo "full" %}', photo=village_photo)

    assert f'src="/showcase/photos/village/{village_photo.pk}/full.jpg"' in html
    assert 'alt="Workshops by the road"' in html
