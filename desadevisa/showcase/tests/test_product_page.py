"""The public product page: what a buyer reads, and nothing else."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from desadevisa.catalog.models import Product
from desadevisa.catalog.tests.factories import HSCodeFactory, ProductPhotoFactory
from desadevisa.core.models import DataOrigin
from desadevisa.exports.tests.factories import ExportShipmentFactory
from desadevisa.registry.tests.factories import CraftUnitFactory, VillageProfileFactory
from desadevisa.showcase.tests.factories import DisplayItemFactory, ExhibitionFactory
from desadevisa.showcase.tests.test_catalog_search import public_product, village_create

pytestmark = pytest.mark.django_db


def product_url(slug: str, lang: str = "en") -> str:
    with translation.override(lang):
        return reverse("showcase:product", kwargs={"slug": slug})


@pytest.fixture
def djembe():
    heading = HSCodeFactory(code="9206", description="Percussion musical instruments")
    HSCodeFactory(code="920600", parent=heading, description="Drums, xylophones and the like")
    return public_product(
        village=village_create(),
        name_id="Kendang djimbe",
        name_en="Djembe drum",
        slug="djembe-drum",
        description_id="Kendang dipahat dari satu batang kayu mahoni.",
        description_en="A drum carved from one piece of mahogany.",
        materials="mahogany wood, goat skin",
        hs_code_id="920600",
        price_min=Decimal("25.00"),
        price_max=Decimal("180.00"),
        currency="USD",
        minimum_order=50,
        order_unit="piece",
        lead_time_days=45,
        monthly_capacity=1200,
        uniqueness_statement="REVIEWER-ONLY uniqueness",
        origin_statement="REVIEWER-ONLY origin",
    )


def test_product_page_shows_what_a_buyer_needs(client, djembe):
    response = client.get(product_url("djembe-drum"))

    assert response.status_code == 200
    text = response.text
    assert "<h1" in text
    assert "Djembe drum</h1>" in text
    assert "A drum carved from one piece of mahogany." in text
    assert "mahogany wood, goat skin" in text
    assert "9206.00" in text
    assert "Percussion musical instruments: Drums, xylophones and the like" in text
    assert "USD 25.00–180.00" in text
    assert "45 days" in text
    assert "1200 pieces" in text or "1,200 pieces" in text
    assert "50 pieces" in text
    assert "Made in Minggirsari, Jawa Timur" in text
    assert "Kanigoro, Kabupaten Blitar, Jawa Timur" in text


def test_product_page_is_in_indonesian_under_id(client, djembe):
    response = client.get(product_url("djembe-drum", "id"))

    assert "Kendang djimbe</h1>" in response.text
    assert "Kendang dipahat dari satu batang kayu mahoni." in response.text


def test_product_page_falls_back_to_the_other_language_and_says_so(client, djembe):
    Product.objects.filter(pk=djembe.pk).update(description_en="")

    response = client.get(product_url("djembe-drum", "en"))

    assert '<div lang="id"><p>Kendang dipahat' in response.text


def test_product_page_offers_an_inquiry(client, djembe):
    response = client.get(product_url("djembe-drum"))

    assert 'href="/en/products/djembe-drum/inquiry/">Send an inquiry</a>' in response.text


def test_product_page_links_the_village_when_its_profile_is_public(client, djembe):
    profile = VillageProfileFactory(village=djembe.village, is_public=True)

    response = client.get(product_url("djembe-drum"))

    assert f'href="/en/villages/{profile.village_id}/">Minggirsari</a>' in response.text


def test_product_page_does_not_link_a_village_without_a_public_profile(client, djembe):
    VillageProfileFactory(village=djembe.village, is_public=False)

    response = client.get(product_url("djembe-drum"))

    assert f"/en/villages/{djembe.village_id}/" not in response.text


def test_product_page_shows_the_photos_in_order_with_their_sizes(
    client, djembe, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    second = ProductPhotoFactory(product=djembe, position=2, caption="Side view")
    first = ProductPhotoFactory(product=djembe, position=1, is_cover=True, caption="Front")

    response = client.get(product_url("djembe-drum"))

    text = response.text
    assert text.index(f"/product/{first.pk}/card.jpg") < text.index(
        f"/product/{second.pk}/card.jpg"
    )
    width, height = first.rendition_size("card")
    assert f'width="{width}" height="{height}"' in text


def test_product_page_has_opengraph_tags_with_the_cover_photo(client, djembe, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ProductPhotoFactory(product=djembe, position=0)
    cover = ProductPhotoFactory(product=djembe, position=1, is_cover=True)

    response = client.get(product_url("djembe-drum"))

    assert '<meta property="og:type" content="product">' in response.text
    assert '<meta property="og:title" content="Djembe drum · Minggirsari">' in response.text
    assert (
        f'<meta property="og:image" content="https://desadevisa.example.go.id/showcase/photos/product/'
        f'{cover.pk}/card.jpg">'
    ) in response.text


def test_product_page_without_photos_has_no_opengraph_image(client, djembe):
    response = client.get(product_url("djembe-drum"))

    assert response.status_code == 200
    assert "og:image" not in response.text


def test_product_page_never_shows_internal_fields(client, djembe):
    unit = CraftUnitFactory(
        village=djembe.village, name="CANARY-UNIT", owner_name="CANARY-OWNER", business_id="1234"
    )
    djembe.craft_units.add(unit)
    ExportShipmentFactory(product=djembe, peb_number="CANARY-PEB")

    response = client.get(product_url("djembe-drum"))

    for canary in ("CANARY-UNIT", "CANARY-OWNER", "CANARY-PEB", "REVIEWER-ONLY"):
        assert canary not in response.text


def test_product_page_escapes_product_text(client, djembe):
    Product.objects.filter(pk=djembe.pk).update(
        name_en="<img src=x onerror=alert(1)>",
        description_en="<script>alert(2)</script>",
        materials="<b>wood</b>",
    )

    response = client.get(product_url("djembe-drum"))

    for payload in ("<img src=x onerror=alert(1)>", "<script>alert(2)</script>", "<b>wood</b>"):
        assert payload not in response.text
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in response.text


def test_product_page_labels_demonstration_data(client, djembe):
    Product.objects.filter(pk=djembe.pk).update(origin=DataOrigin.DEMO)

    response = client.get(product_url("djembe-drum"))

    assert '<span class="badge badge--demo">' in response.text
    assert 'class="demo-banner"' in response.text


def test_product_page_shows_generated_products_when_public(client, djembe):
    Product.objects.filter(pk=djembe.pk).update(origin=DataOrigin.GENERATED)

    response = client.get(product_url("djembe-drum"))

    assert response.status_code == 200


# Not found ------------------------------------------------------------------------------------


def test_an_unknown_product_is_not_found(client, djembe):
    response = client.get(product_url("no-such-product"))

    assert response.status_code == 404


@pytest.mark.parametrize("origin", [DataOrigin.REAL, DataOrigin.DEMO, DataOrigin.GENERATED])
def test_a_product_that_is_not_public_is_not_found(client, djembe, origin):
    Product.objects.filter(pk=djembe.pk).update(is_public=False, origin=origin)

    response = client.get(product_url("djembe-drum"))

    assert response.status_code == 404
    assert "Djembe drum" not in response.text


def test_an_unknown_language_is_not_found(client, djembe):
    response = client.get("/fr/products/djembe-drum/")

    assert response.status_code == 404


# Exhibitions ----------------------------------------------------------------------------------


def test_product_seen_at_an_exhibition_says_so_and_passes_it_to_the_inquiry(client, djembe):
    exhibition = ExhibitionFactory(slug="g20-2022", name_en="G20 Indonesia 2022")
    DisplayItemFactory(exhibition=exhibition, product=djembe)

    response = client.get(product_url("djembe-drum"), {"exhibition": "g20-2022"})

    assert "Seen at G20 Indonesia 2022" in response.text
    assert 'href="/en/products/djembe-drum/inquiry/?exhibition=g20-2022"' in response.text


@pytest.mark.parametrize(
    "slug", ["no-such-fair", "other-fair", "", "<script>", "' OR 1=1 --", "a" * 400, "g20 2022"]
)
def test_an_unknown_or_unrelated_exhibition_is_ignored(client, djembe, slug):
    ExhibitionFactory(slug="other-fair", name_en="Other fair")
    DisplayItemFactory(exhibition=ExhibitionFactory(slug="g20-2022"))

    response = client.get(product_url("djembe-drum"), {"exhibition": slug})

    assert response.status_code == 200
    assert "Seen at" not in response.text
    assert 'href="/en/products/djembe-drum/inquiry/">' in response.text


# Queries, caching, methods ------------------------------------------------------------------


def test_product_page_takes_the_same_queries_with_one_photo_as_with_many(
    client, djembe, settings, tmp_path, django_assert_num_queries
):
    settings.MEDIA_ROOT = tmp_path
    settings.SHOWCASE_CACHE_SECONDS = 0
    ProductPhotoFactory(product=djembe, is_cover=True)
    # The product with its village, regions, profile and HS codes; its photos.
    with django_assert_num_queries(2):
        client.get(product_url("djembe-drum"))
    ProductPhotoFactory.create_batch(5, product=djembe)

    with django_assert_num_queries(2):
        response = client.get(product_url("djembe-drum"))

    assert len(response.context["photos"]) == 6


def test_product_page_reads_the_exhibition_in_one_more_query(
    client, djembe, settings, django_assert_num_queries
):
    settings.SHOWCASE_CACHE_SECONDS = 0
    DisplayItemFactory(exhibition=ExhibitionFactory(slug="g20-2022"), product=djembe)

    with django_assert_num_queries(3):
        response = client.get(product_url("djembe-drum"), {"exhibition": "g20-2022"})

    assert response.context["exhibition"].slug == "g20-2022"


def test_product_page_sets_no_cookie_and_may_be_cached_publicly(client, djembe):
    response = client.get(product_url("djembe-drum"))

    assert not response.cookies
    assert "public" in response["Cache-Control"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_product_page_answers_only_reads(client, djembe, method):
    response = getattr(client, method)(product_url("djembe-drum"))

    assert response.status_code == 405
