"""The public catalog page: search box, filters, messages for bad values, pagination."""

from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from desadevisa.catalog.models import Product
from desadevisa.catalog.tests.factories import (
    HSCodeFactory,
    ProductFactory,
    ProductPhotoFactory,
)
from desadevisa.core.models import DataOrigin
from desadevisa.showcase import catalog_views
from desadevisa.showcase.tests.test_catalog_search import (
    SPECIAL_QUERIES,
    public_product,
    village_create,
)

pytestmark = pytest.mark.django_db


def catalog_url(lang: str = "en") -> str:
    with translation.override(lang):
        return reverse("showcase:product-list")


@pytest.fixture
def catalog():
    minggirsari = village_create()
    trangsan = village_create(
        code="33.11.04.2005", name="Trangsan", district="Gatak", province="Jawa Tengah"
    )
    djembe = public_product(
        village=minggirsari,
        name_id="Kendang djimbe",
        name_en="Djembe drum",
        slug="djembe-drum",
        materials="mahogany wood, goat skin",
        price_min=Decimal("25.00"),
        price_max=Decimal("180.00"),
        minimum_order=50,
    )
    chair = public_product(
        village=trangsan,
        name_id="Kursi rotan",
        name_en="Rattan chair",
        slug="rattan-chair",
        materials="rattan",
        hs_code=HSCodeFactory(code="9401"),
        price_min=Decimal("120.00"),
        price_max=Decimal("120.00"),
        minimum_order=10,
    )
    return djembe, chair


def test_catalog_lists_public_products_with_village_price_and_minimum_order(client, catalog):
    response = client.get(catalog_url())

    assert response.status_code == 200
    assert "2 products" in response.text
    assert 'href="/en/products/djembe-drum/"' in response.text
    assert "Minggirsari, Jawa Timur" in response.text
    assert "USD 25.00–180.00" in response.text
    assert "USD 120.00" in response.text
    assert "50 pieces" in response.text or "50 piece" in response.text
    assert 'href="/static/showcase/css/catalog.css"' in response.text


def test_catalog_shows_names_in_the_active_language(client, catalog):
    english = client.get(catalog_url("en"))
    indonesian = client.get(catalog_url("id"))

    assert "Rattan chair" in english.text
    assert "Kursi rotan" in indonesian.text
    assert "Kursi rotan" not in english.text


def test_catalog_search_finds_by_village_in_the_page(client, catalog):
    response = client.get(catalog_url(), {"q": "Trangsan"})

    assert "1 product" in response.text
    assert "Rattan chair" in response.text
    assert "Djembe drum" not in response.text
    assert 'value="Trangsan"' in response.text


def test_catalog_says_when_nothing_matches(client, catalog):
    response = client.get(catalog_url(), {"q": "saxophone"})

    assert response.status_code == 200
    assert "No product matches this search." in response.text


@pytest.mark.parametrize("query", SPECIAL_QUERIES)
def test_catalog_answers_search_syntax_characters(client, catalog, query):
    response = client.get(catalog_url(), {"q": query})

    assert response.status_code == 200


def test_catalog_escapes_the_query_it_shows(client, catalog):
    response = client.get(catalog_url(), {"q": "<script>alert(1)</script>"})

    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_catalog_escapes_product_text(client, catalog):
    public_product(
        village=catalog[0].village,
        name_en="<img src=x onerror=alert(1)>",
        slug="xss",
    )

    response = client.get(catalog_url())

    assert "<img src=x onerror=alert(1)>" not in response.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in response.text


def test_catalog_never_lists_products_that_are_not_public(client, catalog):
    ProductFactory(
        village=catalog[0].village,
        name_en="Hidden drum CANARYX",
        description_en="CANARYX",
        slug="canaryx",
        is_public=False,
    )

    for params in ({}, {"q": "hidden"}, {"q": "drum"}, {"moq_max": "1000"}):
        response = client.get(catalog_url(), params)

        assert "CANARYX" not in response.text
        assert "canaryx" not in response.text


def test_catalog_filters_by_province_hs_heading_price_and_minimum_order(client, catalog):
    by_province = client.get(catalog_url(), {"province": "33"})
    by_heading = client.get(catalog_url(), {"hs": "92.06"})
    by_price = client.get(catalog_url(), {"price_max": "100"})
    by_order = client.get(catalog_url(), {"moq_max": "10"})

    assert "Rattan chair" in by_province.text
    assert "Djembe drum" not in by_province.text
    assert "Djembe drum" in by_heading.text
    assert "Rattan chair" not in by_heading.text
    assert "Djembe drum" in by_price.text
    assert "Rattan chair" not in by_price.text
    assert "Rattan chair" in by_order.text
    assert "Djembe drum" not in by_order.text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"province": "99"}, "That province is not known: products of every province are shown."),
        ({"hs": "92"}, "An HS heading is 4 digits, such as 9206: the heading filter is ignored."),
        (
            {"hs": "'; --"},
            "An HS heading is 4 digits, such as 9206: the heading filter is ignored.",
        ),
        (
            {"price_max": "cheap"},
            "The price is a number of US dollars, such as 50: the price filter is ignored.",
        ),
        ({"price_max": "-1"}, "The price cannot be negative: the price filter is ignored."),
        ({"price_max": "1e400"}, "The price is too high: the price filter is ignored."),
        (
            {"price_max": "NaN"},
            "The price is a number of US dollars, such as 50: the price filter is ignored.",
        ),
        (
            {"moq_max": "ten"},
            "The minimum order is a whole number, such as 100: that filter is ignored.",
        ),
        ({"moq_max": "0"}, "The minimum order is at least 1: that filter is ignored."),
        (
            {"moq_max": "99999999999999999999"},
            "The minimum order is too high: that filter is ignored.",
        ),
    ],
)
def test_an_invalid_filter_is_reported_and_ignored(client, catalog, params, message):
    response = client.get(catalog_url(), params)

    assert response.status_code == 200
    assert message in response.text
    assert "2 products" in response.text


def test_a_long_search_is_cut_and_still_answered(client, catalog):
    response = client.get(catalog_url(), {"q": "rattan " * 40})

    assert response.status_code == 200
    assert "The search is long: only its first 100 characters are used." in response.text
    assert "1 product" in response.text
    assert "Rattan chair" in response.text


def test_an_invalid_filter_leaves_the_valid_ones_applied(client, catalog):
    response = client.get(catalog_url(), {"province": "33", "moq_max": "ten"})

    assert "1 product" in response.text
    assert "Rattan chair" in response.text


@pytest.mark.parametrize("page", ["2", "999", "abc", "-1", "0", "1e9"])
def test_any_page_number_answers_a_page(client, catalog, page):
    response = client.get(catalog_url(), {"page": page})

    assert response.status_code == 200
    assert "Rattan chair" in response.text


def test_catalog_pages_keep_the_search_and_filters(client, catalog, monkeypatch):
    monkeypatch.setattr(catalog_views, "PRODUCTS_PER_PAGE", 1)

    first = client.get(catalog_url(), {"moq_max": "100", "price_max": "500"})
    second = client.get(catalog_url(), {"moq_max": "100", "price_max": "500", "page": "2"})

    assert 'href="?price_max=500&amp;moq_max=100&amp;page=2"' in first.text
    assert "Page 1 of 2" in first.text
    assert "Rattan chair" in first.text
    assert "Djembe drum" not in first.text
    assert "Djembe drum" in second.text
    assert "Rattan chair" not in second.text


@pytest.mark.parametrize(("page", "shown"), [("2", "Page 2 of 2"), ("3", "Page 2 of 2")])
def test_a_search_past_its_last_page_shows_the_last_page(client, catalog, monkeypatch, page, shown):
    monkeypatch.setattr(catalog_views, "PRODUCTS_PER_PAGE", 1)
    public_product(village=catalog[0].village, name_en="Rattan basket", materials="rattan")

    response = client.get(catalog_url(), {"q": "rattan", "page": page})

    assert shown in response.text
    assert "2 products" in response.text


def test_a_search_finding_nothing_says_so(client, catalog):
    response = client.get(catalog_url(), {"q": "bamboo"})

    assert "0 products" in response.text
    assert "No product matches this search." in response.text


def test_a_search_counts_no_further_than_its_limit(client, catalog, monkeypatch):
    monkeypatch.setattr(catalog_views, "COUNT_LIMIT", 1)
    monkeypatch.setattr(catalog_views, "PRODUCTS_PER_PAGE", 1)
    public_product(village=catalog[0].village, name_en="Rattan basket", materials="rattan")

    first = client.get(catalog_url(), {"q": "rattan"})
    past = client.get(catalog_url(), {"q": "rattan", "page": "2"})

    for response in (first, past):
        assert "More than 1 product" in response.text
        assert "Page 1 of 1" not in response.text
        assert response.text.count('class="catalog-card"') == 1


def test_catalog_counts_no_further_than_its_limit(client, catalog, monkeypatch):
    monkeypatch.setattr(catalog_views, "COUNT_LIMIT", 1)
    monkeypatch.setattr(catalog_views, "PRODUCTS_PER_PAGE", 1)

    response = client.get(catalog_url(), {"page": "2"})

    assert "More than 1 product" in response.text
    assert "Only the first pages are shown" in response.text
    assert "Page 1 of 1" not in response.text
    assert "Rattan chair" in response.text


def test_catalog_labels_demonstration_products(client, catalog):
    Product.objects.filter(pk=catalog[0].pk).update(origin=DataOrigin.DEMO)

    response = client.get(catalog_url())

    assert response.text.count('<span class="badge badge--demo">') == 1
    assert 'class="demo-banner"' in response.text


def test_catalog_shows_each_cover_photo_with_its_size(client, catalog, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    photo = ProductPhotoFactory(product=catalog[0], is_cover=True, caption="Djembe")
    ProductPhotoFactory(product=catalog[0], is_cover=False, caption="Other side")

    response = client.get(catalog_url())

    width, height = photo.rendition_size("card")
    assert f'src="/showcase/photos/product/{photo.pk}/card.jpg"' in response.text
    assert f'width="{width}" height="{height}"' in response.text
    assert "Other side" not in response.text


def test_catalog_takes_the_same_queries_for_one_product_as_for_many(
    client, catalog, settings, tmp_path, django_assert_num_queries
):
    settings.MEDIA_ROOT = tmp_path
    settings.SHOWCASE_CACHE_SECONDS = 0
    ProductPhotoFactory(product=catalog[0], is_cover=True)
    # Provinces of the filter; count; page of products; their villages; their cover photos. On
    # PostgreSQL the ranked page carries its count.
    queries = 4 if connection.vendor == "postgresql" else 5
    with django_assert_num_queries(queries):
        client.get(catalog_url(), {"q": "djembe"})
    for number in range(30):
        product = public_product(village=catalog[1].village, name_en=f"Djembe {number}")
        ProductPhotoFactory(product=product, is_cover=True)

    with django_assert_num_queries(queries):
        response = client.get(catalog_url(), {"q": "djembe"})

    assert "31 products" in response.text


def test_catalog_is_served_from_the_cache_until_the_showcase_changes(
    client, catalog, settings, django_assert_num_queries
):
    settings.SHOWCASE_CACHE_SECONDS = 600
    client.get(catalog_url())

    with django_assert_num_queries(0):
        response = client.get(catalog_url())

    assert response.status_code == 200
    assert "public" in response["Cache-Control"]


def test_catalog_sets_no_cookie(client, catalog):
    response = client.get(catalog_url(), {"q": "drum"})

    assert not response.cookies


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_catalog_answers_only_reads(client, catalog, method):
    response = getattr(client, method)(catalog_url())

    assert response.status_code == 405


def test_a_search_with_more_matches_than_counted_shows_the_best_first_and_says_so(
    client, catalog, monkeypatch
):
    village = catalog[0].village
    public_product(village=village, name_en="Teak table", description_en="With rattan details.")
    public_product(village=village, name_en="Rattan basket", materials="rattan, rattan")
    monkeypatch.setattr(catalog_views, "COUNT_LIMIT", 1)

    response = client.get(catalog_url(), {"q": "rattan", "province": "35"})

    assert "More than 1 product" in response.text
    assert "Rattan basket" in response.text
    assert "Teak table" not in response.text
