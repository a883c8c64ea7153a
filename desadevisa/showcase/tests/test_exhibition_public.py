"""The public exhibition page: dates, venues, description and the public products displayed,
each linking to its page with the exhibition named; cached, GET only, 404 when unknown."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from desadevisa.catalog.tests.factories import ProductPhotoFactory
from desadevisa.showcase.tests.factories import (
    DisplayItemFactory,
    ExhibitionFactory,
    ExhibitionVenueFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def g20():
    exhibition = ExhibitionFactory(
        slug="g20-indonesia-2022",
        name_id="Desa Devisa di G20 Indonesia 2022",
        name_en="Desa Devisa at G20 Indonesia 2022",
        description_en="Products shown to delegates.",
    )
    ExhibitionVenueFactory(
        exhibition=exhibition,
        name="Bali Nusa Dua Convention Center",
        city="Nusa Dua, Bali",
        held_on=datetime.date(2022, 11, 15),
    )
    djembe = DisplayItemFactory(
        exhibition=exhibition,
        product__slug="kendang-djimbe",
        product__name_en="Djembe drum",
        product__village__name="Minggirsari",
        note_en="Carved from one piece of mahogany.",
        position=1,
    )
    ProductPhotoFactory(product=djembe.product, is_cover=True, caption="Djembe drums")
    DisplayItemFactory(
        exhibition=exhibition,
        product__name_en="Secret prototype",
        product__is_public=False,
        position=2,
    )
    return exhibition


def test_the_page_shows_the_exhibition_and_its_public_products(client, g20):
    response = client.get("/en/exhibitions/g20-indonesia-2022/")

    html = response.content.decode()
    assert response.status_code == 200
    for expected in (
        "Desa Devisa at G20 Indonesia 2022",
        "Bali Nusa Dua Convention Center, Nusa Dua, Bali",
        "Products shown to delegates.",
        "Djembe drum",
        "Minggirsari",
        "Carved from one piece of mahogany.",
        'alt="Djembe drums"',
        'href="/en/products/kendang-djimbe/?exhibition=g20-indonesia-2022"',
    ):
        assert expected in html
    assert "Secret prototype" not in html


def test_the_indonesian_page_shows_the_indonesian_name(client, g20):
    response = client.get("/id/exhibitions/g20-indonesia-2022/")

    assert "Desa Devisa di G20 Indonesia 2022" in response.content.decode()


def test_an_unknown_exhibition_answers_404(client, g20):
    assert client.get("/en/exhibitions/no-such-fair/").status_code == 404


def test_the_page_takes_get_only(client, g20):
    assert client.post("/en/exhibitions/g20-indonesia-2022/").status_code == 405


def test_the_page_sets_no_cookie_and_may_be_cached_publicly(client, g20):
    response = client.get("/en/exhibitions/g20-indonesia-2022/")

    assert response.cookies == {}
    assert "public" in response["Cache-Control"]


def test_the_page_takes_the_same_queries_for_one_item_and_many(client, settings, g20):
    settings.SHOWCASE_CACHE_SECONDS = 0

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/en/exhibitions/g20-indonesia-2022/").status_code == 200
        return len(captured)

    one = count()
    for _ in range(8):
        item = DisplayItemFactory(exhibition=g20)
        ProductPhotoFactory(product=item.product, is_cover=True)

    assert count() == one
    assert one <= 4
