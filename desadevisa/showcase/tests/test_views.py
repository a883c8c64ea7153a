"""The home page: the map of export villages, the figures and the featured products."""

import datetime
import json
import re

import pytest
from django.conf import settings

from desadevisa.catalog.tests.factories import ProductFactory, ProductPhotoFactory
from desadevisa.core.models import DataOrigin
from desadevisa.exports.tests.factories import ExportShipmentFactory
from desadevisa.nominations.models import DesignationStatus
from desadevisa.nominations.tests.factories import DesignationFactory
from desadevisa.regions.tests.factories import CountryFactory
from desadevisa.registry.tests.factories import VillageProfileFactory, village_with_parents
from desadevisa.showcase.models import DisplayItem, Exhibition

NAMES = {
    "35": "Jawa Timur",
    "35.05": "Kabupaten Blitar",
    "35.05.10": "Kanigoro",
    "35.05.10.2001": "Minggirsari",
}


def public_village(code: str = "35.05.10.2001", name: str = "Minggirsari", **fields):
    village = village_with_parents(code, names={**NAMES, code: name})
    return VillageProfileFactory(village=village, **{"is_public": True, **fields})


def product_with_cover(village, **fields):
    product = ProductFactory(village=village, **{"is_public": True, **fields})
    ProductPhotoFactory(product=product, is_cover=True, caption="")
    return product


def exhibition_create(slug: str, starts_on: datetime.date) -> Exhibition:
    return Exhibition.objects.create(
        name_id=slug,
        name_en=slug,
        slug=slug,
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=30),
    )


def map_points(response) -> list[dict]:
    found = re.search(
        r'<script id="village-map-points" type="application/json">(.*?)</script>', response.text
    )
    return json.loads(found.group(1))


@pytest.fixture
def photos(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# Languages and frame --------------------------------------------------------------------------


def test_root_redirects_to_the_indonesian_home_page(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/id/"


def test_root_redirects_english_speaking_browsers_to_the_english_home_page(client):
    response = client.get("/", headers={"accept-language": "en-US,en;q=0.9"})

    assert response.status_code == 302
    assert response["Location"] == "/en/"


@pytest.mark.django_db
def test_home_page_is_in_indonesian_under_id(client):
    response = client.get("/id/")

    assert response.status_code == 200
    assert '<html lang="id"' in response.text
    assert "Desa ekspor Indonesia" in response.text


@pytest.mark.django_db
def test_home_page_is_in_english_under_en(client):
    response = client.get("/en/")

    assert response.status_code == 200
    assert '<html lang="en"' in response.text
    assert "Indonesia's export villages" in response.text


@pytest.mark.django_db
def test_home_page_links_to_the_same_page_in_the_other_language(client):
    response = client.get("/id/")

    assert '<a href="/en/" hreflang="en" lang="en">English</a>' in response.text
    assert f'<link rel="alternate" hreflang="en" href="{settings.SITE_URL}/en/">' in response.text
    assert f'<link rel="alternate" hreflang="id" href="{settings.SITE_URL}/id/">' in response.text


@pytest.mark.django_db
def test_home_page_frame_links_the_sections_the_privacy_notice_and_staff_sign_in(client):
    response = client.get("/en/")

    assert '<a href="/en/villages/">Villages</a>' in response.text
    assert '<a href="/en/products/">Products</a>' in response.text
    assert '<a href="/en/privacy/">Privacy notice</a>' in response.text
    assert '<a href="/en/accounts/login/">Staff sign-in</a>' in response.text


@pytest.mark.django_db
def test_home_page_carries_opengraph_tags(client):
    response = client.get("/en/")

    assert f'<meta property="og:url" content="{settings.SITE_URL}/en/">' in response.text
    assert '<meta property="og:type" content="website">' in response.text
    assert '<meta property="og:locale" content="en_GB">' in response.text


@pytest.mark.django_db
def test_home_page_carries_the_content_security_policy(client):
    response = client.get("/en/")

    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "<script>" not in response.text


@pytest.mark.django_db
def test_home_page_sets_no_cookie_and_may_be_cached_publicly(client):
    response = client.get("/en/")

    assert not response.cookies
    assert "public" in response["Cache-Control"]


@pytest.mark.django_db
def test_home_page_answers_404_under_an_unknown_language_prefix(client):
    response = client.get("/xx/")

    assert response.status_code == 404


# Map ------------------------------------------------------------------------------------------


def test_home_page_puts_each_public_village_with_a_location_on_the_map(client, db):
    public_village(latitude="-8.138720", longitude="112.218060")

    response = client.get("/en/")

    assert map_points(response) == [
        {
            "name": "Minggirsari",
            "lat": -8.13872,
            "lon": 112.21806,
            "commodity": "Kendang djimbe",
            "url": "/en/villages/35.05.10.2001/",
        }
    ]
    assert 'data-outlines="/static/showcase/data/provinces.json"' in response.text
    assert '<script src="/static/vendor/leaflet/leaflet.js" defer></script>' in response.text
    assert '<script src="/static/showcase/js/map.js" defer></script>' in response.text


def test_home_page_leaves_villages_that_are_not_public_off_the_map_and_the_list(client, db):
    public_village(is_public=False)

    response = client.get("/id/")

    assert map_points(response) == []
    assert "Minggirsari" not in response.text
    assert "Belum ada profil desa yang dipublikasikan." in response.text


def test_home_page_lists_the_villages_for_visitors_without_javascript(client, db):
    public_village()

    response = client.get("/en/")

    assert '<a href="/en/villages/35.05.10.2001/">Minggirsari</a>' in response.text
    assert "Jawa Timur · Kendang djimbe" in response.text


def test_home_page_links_all_villages_when_it_lists_only_some(client, db):
    for number in range(14):
        public_village(f"35.05.10.{2001 + number}", f"Desa {number:02d}")

    response = client.get("/en/")

    assert response.text.count('<a href="/en/villages/35.05.10.') == 12
    assert '<a href="/en/villages/">See all 14 villages</a>' in response.text
    assert len(map_points(response)) == 14


@pytest.mark.django_db
def test_home_page_has_no_tile_layer_unless_a_tile_server_is_configured(client):
    response = client.get("/en/")

    assert "data-tile-url" not in response.text


@pytest.mark.django_db
def test_home_page_hands_the_configured_tile_server_to_the_map(client, settings):
    settings.SHOWCASE_MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.SHOWCASE_MAP_TILE_ATTRIBUTION = "© Example contributors"

    response = client.get("/en/")

    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in response.text
    assert 'data-tile-attribution="© Example contributors"' in response.text


def test_home_page_escapes_village_names_in_the_map_data(client, db):
    public_village(name="</script><script>alert(1)</script>")

    response = client.get("/en/")

    assert "<script>alert(1)</script>" not in response.text
    assert map_points(response)[0]["name"] == "</script><script>alert(1)</script>"


# Figures --------------------------------------------------------------------------------------


def test_home_page_counts_public_villages_designations_countries_and_products(client, photos):
    profile = public_village()
    public_village("35.05.10.2002", "Hidden", is_public=False)
    product = product_with_cover(profile.village)
    ProductFactory(village=profile.village, is_public=False)
    DesignationFactory(nomination__flagship_product=product)
    for code in ("US", "JP"):
        ExportShipmentFactory(product=product, destination=CountryFactory(code=code))

    response = client.get("/en/")

    assert (
        '<span class="figure__value">1</span>\n        '
        '<span class="figure__label">village on the showcase</span>'
    ) in response.text
    assert (
        '<span class="figure__value">1</span>\n        '
        '<span class="figure__label">designated export village</span>'
    ) in response.text
    assert (
        '<span class="figure__value">2</span>\n        '
        '<span class="figure__label">countries reached by their products</span>'
    ) in response.text
    assert (
        '<span class="figure__value">1</span>\n        '
        '<span class="figure__label">product in the catalog</span>'
    ) in response.text


def test_home_page_counts_only_designations_in_force(client, photos):
    profile = public_village()
    product = product_with_cover(profile.village)
    DesignationFactory(nomination__flagship_product=product, status=DesignationStatus.LAPSED)

    response = client.get("/en/")

    assert (
        '<span class="figure__value">0</span>\n        '
        '<span class="figure__label">designated export villages</span>'
    ) in response.text


def test_home_page_does_not_count_countries_reached_only_by_villages_not_public(client, photos):
    hidden = public_village(is_public=False)
    ExportShipmentFactory(product=ProductFactory(village=hidden.village, is_public=True))

    response = client.get("/en/")

    assert (
        '<span class="figure__value">0</span>\n        '
        '<span class="figure__label">countries reached by their products</span>'
    ) in response.text


# Featured products ----------------------------------------------------------------------------


def test_home_page_features_public_products_with_a_cover_photo(client, photos):
    profile = public_village()
    featured = product_with_cover(profile.village, name_en="Djembe drum", slug="djembe")
    ProductFactory(village=profile.village, is_public=True, name_en="Drum without photo")
    hidden = ProductFactory(village=profile.village, is_public=False, name_en="Hidden drum")
    ProductPhotoFactory(product=hidden, is_cover=True)

    response = client.get("/en/")

    cover = featured.photos.get()
    assert '<a href="/en/products/djembe/">Djembe drum</a>' in response.text
    assert f'src="/showcase/photos/product/{cover.pk}/card.jpg"' in response.text
    assert 'alt="Djembe drum"' in response.text
    assert "Drum without photo" not in response.text
    assert "Hidden drum" not in response.text


def test_home_page_features_the_products_of_the_latest_exhibition_first(client, photos):
    profile = public_village()
    older = product_with_cover(profile.village, name_en="Rattan chair")
    shown = product_with_cover(profile.village, name_en="Djembe drum")
    newest = product_with_cover(profile.village, name_en="Batik cloth")
    earlier = exhibition_create("expo-2021", datetime.date(2021, 5, 1))
    latest = exhibition_create("g20-2022", datetime.date(2022, 3, 1))
    DisplayItem.objects.create(exhibition=earlier, product=older)
    DisplayItem.objects.create(exhibition=latest, product=shown)

    response = client.get("/en/")

    assert "Djembe drum" in response.text
    assert "Rattan chair" not in response.text
    assert newest.name_en not in response.text


def test_home_page_features_the_most_recent_products_without_an_exhibition(client, photos):
    profile = public_village()
    for number in range(9):
        product_with_cover(profile.village, name_en=f"Product {number}")

    response = client.get("/en/")

    assert response.text.count('class="product-card"') == 8
    assert "Product 8" in response.text
    assert "Product 0<" not in response.text


def test_home_page_names_a_product_in_indonesian_when_it_has_no_english_name(client, photos):
    profile = public_village()
    product_with_cover(profile.village, name_en="", name_id="Kendang djimbe", slug="kendang")

    response = client.get("/en/")

    assert '<a href="/en/products/kendang/" lang="id">Kendang djimbe</a>' in response.text


# Demo data ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "label"), [("id", "Data contoh"), ("en", "Demonstration data")]
)
def test_home_page_labels_demo_villages_with_a_badge_and_a_banner(client, db, language, label):
    public_village(origin=DataOrigin.DEMO)

    response = client.get(f"/{language}/")

    assert f'<span class="badge badge--demo">{label}</span>' in response.text
    assert '<div class="demo-banner">' in response.text


def test_home_page_shows_no_demo_label_for_real_villages(client, db):
    public_village(origin=DataOrigin.REAL)

    response = client.get("/en/")

    assert "Minggirsari" in response.text
    assert "demo-banner" not in response.text


# Queries --------------------------------------------------------------------------------------


def test_home_page_runs_the_same_queries_for_one_and_for_many_records(
    client, photos, django_assert_num_queries
):
    profile = public_village()
    product = product_with_cover(profile.village)
    ExportShipmentFactory(product=product)
    exhibition = exhibition_create("g20-2022", datetime.date(2022, 3, 1))
    DisplayItem.objects.create(exhibition=exhibition, product=product)
    # Four figures, the map's villages, the listed villages, the exhibition's products and
    # their photos.
    with django_assert_num_queries(8):
        client.get("/en/")

    for number in range(2002, 2022):
        other = public_village(f"35.05.10.{number}", f"Desa {number}")
        product = product_with_cover(other.village)
        ExportShipmentFactory(product=product, destination=CountryFactory(code="JP"))
        DisplayItem.objects.create(exhibition=exhibition, product=product)

    with django_assert_num_queries(8):
        response = client.get("/en/")
    assert response.text.count('class="product-card"') == 8
