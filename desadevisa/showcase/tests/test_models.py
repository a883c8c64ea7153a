import datetime

import pytest
from django.db import IntegrityError, transaction

from desadevisa.catalog.tests.factories import ProductFactory
from desadevisa.showcase.models import DisplayItem, Exhibition, ExhibitionVenue

pytestmark = pytest.mark.django_db


@pytest.fixture
def g20():
    return Exhibition.objects.create(
        name_id="Desa Devisa di G20 Indonesia 2022",
        name_en="Desa Devisa at G20 Indonesia 2022",
        slug="g20-indonesia-2022",
        starts_on=datetime.date(2022, 3, 1),
        ends_on=datetime.date(2022, 12, 31),
    )


def test_exhibition_cannot_end_before_it_starts():
    with transaction.atomic(), pytest.raises(IntegrityError, match="exhibition_ends_after_start"):
        Exhibition.objects.create(
            name_id="Pameran",
            name_en="Fair",
            slug="fair",
            starts_on=datetime.date(2022, 3, 1),
            ends_on=datetime.date(2022, 2, 28),
        )


def test_one_day_exhibition_is_accepted():
    fair = Exhibition.objects.create(
        name_id="Pameran",
        name_en="Fair",
        slug="fair",
        starts_on=datetime.date(2022, 3, 1),
        ends_on=datetime.date(2022, 3, 1),
    )

    assert fair.starts_on == fair.ends_on


def test_product_is_displayed_once_per_exhibition(g20):
    product = ProductFactory()
    DisplayItem.objects.create(exhibition=g20, product=product, position=1)

    with transaction.atomic(), pytest.raises(IntegrityError):
        DisplayItem.objects.create(exhibition=g20, product=product, position=2)


def test_display_items_are_listed_by_position(g20):
    second = DisplayItem.objects.create(exhibition=g20, product=ProductFactory(), position=2)
    first = DisplayItem.objects.create(exhibition=g20, product=ProductFactory(), position=1)

    assert list(g20.display_items.all()) == [first, second]


def test_exhibition_has_one_venue_of_each_name(g20):
    ExhibitionVenue.objects.create(exhibition=g20, name="Jakarta Convention Center", city="Jakarta")

    with transaction.atomic(), pytest.raises(IntegrityError):
        ExhibitionVenue.objects.create(
            exhibition=g20, name="Jakarta Convention Center", city="Jakarta"
        )
