import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from desadevisa.catalog.tests.factories import HSCodeFactory, ProductFactory, ProductPhotoFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English, the language of the source strings."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_lowest_price_above_highest_price_is_refused():
    with transaction.atomic(), pytest.raises(IntegrityError, match="product_price_range_ordered"):
        ProductFactory(price_min=Decimal("100.00"), price_max=Decimal("20.00"))


def test_lowest_price_above_highest_price_is_explained_on_validation():
    product = ProductFactory.build(
        hs_code=HSCodeFactory(code="9206"),
        village=ProductFactory().village,
        price_min=Decimal("100.00"),
        price_max=Decimal("20.00"),
    )

    with pytest.raises(ValidationError) as error:
        product.full_clean()

    assert error.value.messages == ["The lowest price cannot be above the highest price."]


def test_negative_price_is_refused():
    with transaction.atomic(), pytest.raises(IntegrityError, match="product_price_not_negative"):
        ProductFactory(price_min=Decimal("-1.00"))


def test_one_price_for_every_order_is_a_valid_range():
    product = ProductFactory(price_min=Decimal("25.00"), price_max=Decimal("25.00"))

    assert product.price_min == product.price_max


def test_minimum_order_is_at_least_one():
    with transaction.atomic(), pytest.raises(IntegrityError, match="minimum_order_positive"):
        ProductFactory(minimum_order=0)


def test_currency_is_an_iso_4217_code():
    product = ProductFactory.build(
        hs_code=HSCodeFactory(code="9206"), village=ProductFactory().village, currency="XYZ"
    )

    with pytest.raises(ValidationError) as error:
        product.full_clean()

    assert error.value.message_dict == {"currency": ["XYZ is not an ISO 4217 currency code."]}


def test_hs_code_is_a_heading_or_a_subheading():
    chapter = HSCodeFactory(code="92")
    product = ProductFactory.build(hs_code=chapter, village=ProductFactory().village)

    with pytest.raises(ValidationError) as error:
        product.full_clean()

    assert list(error.value.message_dict) == ["hs_code"]


def test_product_accepts_a_subheading():
    product = ProductFactory.build(
        hs_code=HSCodeFactory(code="920600"), village=ProductFactory().village
    )

    product.full_clean()


def test_product_has_at_most_one_cover_photo():
    cover = ProductPhotoFactory(is_cover=True)

    with transaction.atomic(), pytest.raises(IntegrityError):
        ProductPhotoFactory(product=cover.product, is_cover=True)


def test_product_may_have_many_photos_besides_its_cover():
    cover = ProductPhotoFactory(is_cover=True)

    ProductPhotoFactory.create_batch(2, product=cover.product, is_cover=False)

    assert cover.product.photos.count() == 3


def test_photo_renditions_are_stored_with_random_names(media_root):
    photo = ProductPhotoFactory()

    names = photo.stored_files()
    assert len(names) == 3
    assert all(re.fullmatch(r"products/[0-9a-f]{32}\.jpg", name) for name in names)
    assert all((media_root / name).is_file() for name in names)
