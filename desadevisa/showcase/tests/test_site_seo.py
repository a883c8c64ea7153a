"""What search engines and link previews read: sitemap, robots.txt, hreflang and OpenGraph."""

import datetime
import re

import pytest

from desadevisa.catalog.tests.factories import ProductFactory, ProductPhotoFactory
from desadevisa.registry.tests.factories import VillageProfileFactory, VillageProfilePhotoFactory
from desadevisa.showcase.models import Exhibition


@pytest.fixture
def records(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    village = VillageProfileFactory(is_public=True, village__code="35.05.10.2001").village
    hidden_village = VillageProfileFactory(is_public=False, village__code="35.05.10.2002").village
    ProductFactory(is_public=True, slug="kendang-djimbe", village=village)
    ProductFactory(is_public=False, slug="hidden-drum", village=village)
    Exhibition.objects.create(
        name_id="G20",
        name_en="G20",
        slug="g20-indonesia-2022",
        starts_on=datetime.date(2022, 3, 1),
        ends_on=datetime.date(2022, 12, 31),
    )
    return village, hidden_village


def locations(response) -> list[str]:
    return re.findall(r"<loc>(.*?)</loc>", response.text)


def sitemap_section(client, section: str):
    response = client.get(f"/sitemap-{section}.xml")
    assert response.status_code == 200
    return response


# Sitemap --------------------------------------------------------------------------------------


def test_sitemap_is_an_index_of_the_showcase_sections(client, records):
    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert locations(response) == [
        "https://desadevisa.example.go.id/sitemap-pages.xml",
        "https://desadevisa.example.go.id/sitemap-villages.xml",
        "https://desadevisa.example.go.id/sitemap-products.xml",
        "https://desadevisa.example.go.id/sitemap-exhibitions.xml",
    ]


def test_sitemap_lists_the_main_pages_in_both_languages(client, records):
    response = sitemap_section(client, "pages")

    assert locations(response) == [
        "https://desadevisa.example.go.id/id/",
        "https://desadevisa.example.go.id/en/",
        "https://desadevisa.example.go.id/id/villages/",
        "https://desadevisa.example.go.id/en/villages/",
        "https://desadevisa.example.go.id/id/products/",
        "https://desadevisa.example.go.id/en/products/",
    ]


def test_sitemap_lists_public_villages_with_their_translations(client, records):
    response = sitemap_section(client, "villages")

    assert locations(response) == [
        "https://desadevisa.example.go.id/id/villages/35.05.10.2001/",
        "https://desadevisa.example.go.id/en/villages/35.05.10.2001/",
    ]
    assert (
        '<xhtml:link rel="alternate" hreflang="en" '
        'href="https://desadevisa.example.go.id/en/villages/35.05.10.2001/"/>'
    ) in response.text
    assert "35.05.10.2002" not in response.text


def test_sitemap_x_default_is_the_address_that_picks_the_visitors_language(client, records):
    response = sitemap_section(client, "villages")
    redirect = client.get("/villages/35.05.10.2001/", headers={"accept-language": "en"})

    assert (
        '<xhtml:link rel="alternate" hreflang="x-default" '
        'href="https://desadevisa.example.go.id/villages/35.05.10.2001/"/>'
    ) in response.text
    assert redirect.status_code == 302
    assert redirect["Location"] == "/en/villages/35.05.10.2001/"


def test_sitemap_lists_public_products_only(client, records):
    response = sitemap_section(client, "products")

    assert locations(response) == [
        "https://desadevisa.example.go.id/id/products/kendang-djimbe/",
        "https://desadevisa.example.go.id/en/products/kendang-djimbe/",
    ]


def test_sitemap_lists_the_exhibitions(client, records):
    response = sitemap_section(client, "exhibitions")

    assert locations(response) == [
        "https://desadevisa.example.go.id/id/exhibitions/g20-indonesia-2022/",
        "https://desadevisa.example.go.id/en/exhibitions/g20-indonesia-2022/",
    ]


@pytest.mark.parametrize(
    "path", ["/sitemap-staff.xml", "/sitemap-villages.xml?p=9", "/sitemap-villages.xml?p=x"]
)
def test_sitemap_answers_404_for_an_unknown_section_or_page(client, records, path):
    response = client.get(path)

    assert response.status_code == 404


def test_sitemap_names_the_public_address_whatever_host_it_was_asked_from(
    client, records, settings
):
    settings.ALLOWED_HOSTS = ["10.0.0.7"]
    settings.SITE_URL = "https://desadevisa.example.id"

    index = client.get("/sitemap.xml", HTTP_HOST="10.0.0.7")
    pages = client.get("/sitemap-pages.xml", HTTP_HOST="10.0.0.7")

    assert locations(index)[0] == "https://desadevisa.example.id/sitemap-pages.xml"
    assert locations(pages)[0] == "https://desadevisa.example.id/id/"


def test_sitemap_is_kept_out_of_search_results_also_when_served_from_the_cache(client, records):
    first = client.get("/sitemap-pages.xml")
    second = client.get("/sitemap-pages.xml")

    assert first["X-Robots-Tag"] == "noindex, noodp, noarchive"
    assert second["X-Robots-Tag"] == "noindex, noodp, noarchive"


# robots.txt -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_robots_txt_allows_the_showcase_and_names_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"
    lines = response.text.splitlines()
    assert lines[:2] == ["User-agent: *", "Allow: /"]
    assert lines[-1] == "Sitemap: https://desadevisa.example.go.id/sitemap.xml"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "prefix",
    [
        "/admin/",
        "/s/",
        "/id/accounts/",
        "/en/registry/",
        "/id/programme/",
        "/en/showcase/exhibitions/",
        "/id/inquiries/",
        "/en/support/",
    ],
)
def test_robots_txt_keeps_search_engines_out_of_the_staff_workspace(client, prefix):
    response = client.get("/robots.txt")

    assert f"Disallow: {prefix}" in response.text.splitlines()


@pytest.mark.django_db
def test_robots_txt_does_not_disallow_the_public_pages(client):
    response = client.get("/robots.txt")

    disallowed = [line for line in response.text.splitlines() if line.startswith("Disallow:")]
    for path in ("/id/", "/en/villages/", "/en/products/", "/showcase/photos/", "/en/verify/"):
        assert not any(path.startswith(line.split(": ")[1]) for line in disallowed), path


# hreflang and OpenGraph -----------------------------------------------------------------------


def test_village_page_names_its_translation_and_its_photo_for_link_previews(client, records):
    village, _hidden = records
    photo = VillageProfilePhotoFactory(profile=village.profile, caption="Workshops")
    width, height = photo.rendition_size("full")

    response = client.get("/id/villages/35.05.10.2001/")

    assert (
        '<link rel="alternate" hreflang="en" href="https://desadevisa.example.go.id/en/villages/35.05.10.2001/">'
    ) in response.text
    assert '<meta property="og:type" content="article">' in response.text
    assert f'<meta property="og:title" content="{village.name} · Desa Devisa">' in response.text
    assert (
        '<meta property="og:description" '
        'content="Banyak rumah tangga di desa ini membuat kendang djimbe.">'
    ) in response.text
    assert (
        f'<meta property="og:image" content="https://desadevisa.example.go.id/showcase/photos/village/{photo.pk}/full.jpg">'
    ) in response.text
    assert f'<meta property="og:image:width" content="{width}">' in response.text
    assert f'<meta property="og:image:height" content="{height}">' in response.text
    assert '<meta property="og:locale" content="id_ID">' in response.text


def test_village_page_without_photos_shows_a_product_cover_in_link_previews(client, records):
    village, _hidden = records
    product = village.products.get(slug="kendang-djimbe")
    cover = ProductPhotoFactory(product=product, is_cover=True)

    response = client.get("/en/villages/35.05.10.2001/")

    assert (
        f'<meta property="og:image" content="https://desadevisa.example.go.id/showcase/photos/product/{cover.pk}/full.jpg">'
    ) in response.text


def test_village_page_without_any_photo_has_no_og_image(client, records):
    response = client.get("/en/villages/35.05.10.2001/")

    assert "og:image" not in response.text


# One public address ---------------------------------------------------------------------------


def test_canonical_alternate_and_robots_links_name_the_public_address_not_the_host_asked(
    client, records, settings
):
    settings.ALLOWED_HOSTS = ["10.0.0.7"]
    settings.SITE_URL = "https://desadevisa.example.id"

    page = client.get("/en/villages/35.05.10.2001/", HTTP_HOST="10.0.0.7").text
    robots = client.get("/robots.txt", HTTP_HOST="10.0.0.7").text

    assert (
        '<meta property="og:url" content="https://desadevisa.example.id/en/villages/35.05.10.2001/">'
        in page
    )
    assert (
        '<link rel="alternate" hreflang="id" href="https://desadevisa.example.id/id/villages/35.05.10.2001/">'
        in page
    )
    assert "10.0.0.7" not in page
    assert "Sitemap: https://desadevisa.example.id/sitemap.xml" in robots
