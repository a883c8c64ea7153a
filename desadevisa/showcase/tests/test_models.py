import datetime

import pytest
from django.db import IntegrityError, transaction

from desadevisa.catalog.tests.factories import ProductFactory
from desadevisa.showcase.models import (
    DISPLAY_CODE_ALPHABET,
    DISPLAY_CODE_LENGTH,
    DisplayItem,
    Exhibition,
    ExhibitionVenue,
    ScanTally,
)

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


def test_a_display_item_gets_a_code_of_eight_unambiguous_letters(g20):
    item = DisplayItem.objects.create(exhibition=g20, product=ProductFactory())

    assert len(item.code) == DISPLAY_CODE_LENGTH
    assert set(item.code) <= set(DISPLAY_CODE_ALPHABET)
    assert not set(item.code) & set("01OIL")


def test_display_items_get_codes_of_their_own(g20):
    items = [
        DisplayItem.objects.create(exhibition=g20, product=ProductFactory()) for _ in range(20)
    ]

    assert len({item.code for item in items}) == 20


def test_two_display_items_cannot_share_a_code(g20):
    first = DisplayItem.objects.create(exhibition=g20, product=ProductFactory())

    with transaction.atomic(), pytest.raises(IntegrityError):
        DisplayItem.objects.create(exhibition=g20, product=ProductFactory(), code=first.code)


def test_a_display_item_has_one_scan_tally_a_day(g20):
    item = DisplayItem.objects.create(exhibition=g20, product=ProductFactory())
    ScanTally.objects.create(display_item=item, day=datetime.date(2022, 11, 15), count=1)

    with transaction.atomic(), pytest.raises(IntegrityError):
        ScanTally.objects.create(display_item=item, day=datetime.date(2022, 11, 15), count=1)
