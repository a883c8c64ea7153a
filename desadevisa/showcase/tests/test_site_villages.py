from decimal import Decimal

import pytest

from desadevisa.catalog.tests.factories import ProductFactory, ProductPhotoFactory
from desadevisa.core.models import DataOrigin
from desadevisa.exports.tests.factories import ExportShipmentFactory
from desadevisa.nominations.models import DesignationStatus
from desadevisa.nominations.tests.factories import DesignationFactory
from desadevisa.regions.tests.factories import CountryFactory
from desadevisa.registry.tests.factories import (
    CraftUnitFactory,
    MembershipFactory,
    OrganisationFactory,
    VillageProfileFactory,
    VillageProfilePhotoFactory,
    village_with_parents,
)
from desadevisa.showcase.site import VILLAGE_PAGE_DESTINATIONS, VILLAGE_PAGE_PRODUCTS

NAMES = {
    "35": "Jawa Timur",
    "35.05": "Kabupaten Blitar",
    "35.05.10": "Kanigoro",
    "35.05.10.2001": "Minggirsari",
    "33": "Jawa Tengah",
    "33.11": "Kabupaten Sukoharjo",
    "33.11.05": "Kartasura",
    "33.11.05.2005": "Trangsan",
}
STORY_ID = "Banyak keluarga di Minggirsari membuat kendang djimbe untuk pasar ekspor."
STORY_EN = "Many households in Minggirsari make djembe drums for export markets."
CODE = "35.05.10.2001"
URL = f"/en/villages/{CODE}/"


def public_village(code: str = CODE, **fields):
    village = village_with_parents(code, names=NAMES)
    defaults = {
        "is_public": True,
        "story_id": STORY_ID,
        "story_en": STORY_EN,
        "flagship_commodity": "Kendang djimbe",
    }
    return VillageProfileFactory(village=village, **{**defaults, **fields})


def named_village(code: str, name: str):
    village = village_with_parents(code, names={**NAMES, code: name})
    return VillageProfileFactory(village=village, is_public=True)


@pytest.fixture
def minggirsari(db, settings, tmp_path):
    """Minggirsari's public profile with two active craft units (10 workers each) and an
    inactive one, a cooperative, a public and a hidden product, shipments to two countries."""
    settings.MEDIA_ROOT = tmp_path
    profile = public_village()
    village = profile.village
    first, second = CraftUnitFactory.create_batch(2, village=village)
    CraftUnitFactory(village=village, is_active=False, workers_women=50)
    cooperative = OrganisationFactory(legal_name="Koperasi Kendang Minggirsari", village=village)
    MembershipFactory(craft_unit=first, organisation=cooperative)
    product = ProductFactory(
        village=village,
        is_public=True,
        name_en="Djembe drum",
        name_id="Kendang djimbe",
        slug="kendang-djimbe",
        craft_units=[first, second],
    )
    ProductPhotoFactory(product=product, is_cover=True, caption="Carved djembe")
    hidden = ProductFactory(village=village, is_public=False, name_en="Prototype stool")
    japan = CountryFactory(code="JP", name_en="Japan", name_id="Jepang")
    united_states = CountryFactory(code="US", name_en="United States", name_id="Amerika Serikat")
    ExportShipmentFactory(product=product, destination=united_states, value_usd=Decimal(7500))
    ExportShipmentFactory(product=hidden, destination=japan, value_usd=Decimal(2500))
    return profile


# Village page ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "story"), [("id", STORY_ID), ("en", STORY_EN)])
def test_village_page_tells_the_story_in_the_active_language(client, minggirsari, language, story):
    response = client.get(f"/{language}/villages/{CODE}/")

    assert response.status_code == 200
    assert '<h1 id="village-heading">Minggirsari</h1>' in response.text
    assert "Kanigoro, Kabupaten Blitar, Jawa Timur" in response.text
    assert f"<p>{story}</p>" in response.text


def test_village_page_marks_an_indonesian_only_story_as_indonesian(client, db):
    public_village(story_en="")

    response = client.get(URL)

    assert f'<div class="prose" lang="id"><p>{STORY_ID}</p></div>' in response.text


def test_village_page_counts_active_craft_units_and_their_workers(client, minggirsari):
    response = client.get(URL)

    assert "<dt>Craft units</dt>\n              <dd>2</dd>" in response.text
    assert "<dt>Workers</dt>\n              <dd>20</dd>" in response.text


def test_village_page_names_its_cooperative_and_its_kind(client, minggirsari):
    response = client.get(URL)

    assert "<li>Koperasi Kendang Minggirsari <span" in response.text
    assert "(Cooperative)" in response.text


def test_village_page_names_an_organisation_elsewhere_its_units_are_members_of(client, minggirsari):
    association = OrganisationFactory(legal_name="Asosiasi Perajin Blitar")
    unit = minggirsari.village.craft_units.filter(is_active=True).first()
    MembershipFactory(craft_unit=unit, organisation=association)

    response = client.get(URL)

    assert "Asosiasi Perajin Blitar" in response.text


def test_village_page_links_its_public_products_and_leaves_out_the_others(client, minggirsari):
    response = client.get(URL)

    assert '<a href="/en/products/kendang-djimbe/">Djembe drum</a>' in response.text
    assert "Prototype stool" not in response.text


def test_a_village_with_many_products_shows_the_first_and_links_to_the_rest(client, minggirsari):
    for number in range(VILLAGE_PAGE_PRODUCTS):
        ProductFactory(village=minggirsari.village, is_public=True, name_en=f"Zither {number:02}")

    response = client.get(URL)

    assert response.text.count('<article class="product-card">') == VILLAGE_PAGE_PRODUCTS
    assert "Zither 11" not in response.text
    assert f'href="/en/products/?q={minggirsari.village.name}"' in response.text


def test_a_village_with_few_products_shows_them_all_without_a_catalog_link(client, minggirsari):
    response = client.get(URL)

    assert "in the catalog" not in response.text


def test_village_page_shows_the_product_cover_photo_with_its_size_and_caption(client, minggirsari):
    photo = minggirsari.village.products.get(slug="kendang-djimbe").photos.get()
    width, height = photo.rendition_size("card")

    response = client.get(URL)

    assert (
        f'<img src="/showcase/photos/product/{photo.pk}/card.jpg" width="{width}" '
        f'height="{height}" alt="Carved djembe" class="product-card__photo" loading="lazy" '
        'decoding="async">'
    ) in response.text


def test_village_page_shows_the_share_of_each_export_destination_without_amounts(
    client, minggirsari
):
    response = client.get(URL)

    assert '<th scope="row">United States</th>' in response.text
    assert '<span class="share-chart__value">75%</span>' in response.text
    assert '<th scope="row">Japan</th>' in response.text
    assert '<span class="share-chart__value">25%</span>' in response.text
    assert "7500" not in response.text
    assert "7,500" not in response.text


def test_village_page_names_the_largest_destinations_and_groups_the_others(client, minggirsari):
    product = minggirsari.village.products.get(slug="kendang-djimbe")
    # Ten more countries, each smaller than the two of the fixture: 1,000 USD each, so the
    # whole is 20,000 USD and the last two together are 2,000 USD, 10 %.
    codes = ["AU", "CA", "DE", "FR", "GB", "IT", "KR", "MY", "NL", "SG"]
    assert len(codes) == VILLAGE_PAGE_DESTINATIONS
    for number, code in enumerate(codes):
        country = CountryFactory(code=code, name_en=f"Country {number}")
        ExportShipmentFactory(product=product, destination=country, value_usd=Decimal(1000))

    response = client.get(URL)

    assert response.text.count('<th scope="row">') == VILLAGE_PAGE_DESTINATIONS + 1
    assert '<th scope="row">United States</th>' in response.text
    assert '<th scope="row">Country 7</th>' in response.text
    assert "Country 8" not in response.text
    assert "Country 9" not in response.text
    assert '<th scope="row">2 other countries</th>' in response.text
    assert '<span class="share-chart__value">10%</span>' in response.text


def test_village_page_names_every_destination_when_there_are_few(client, minggirsari):
    response = client.get(URL)

    assert response.text.count('<th scope="row">') == 2
    assert "other countr" not in response.text


def test_village_page_names_destination_countries_in_indonesian_under_id(client, minggirsari):
    response = client.get(f"/id/villages/{CODE}/")

    assert '<th scope="row">Amerika Serikat</th>' in response.text
    assert '<th scope="row">Jepang</th>' in response.text


def test_village_page_says_when_no_shipment_is_recorded(client, db):
    public_village()

    response = client.get(URL)

    assert "No export shipments have been recorded yet." in response.text


def test_village_page_links_the_designation_to_its_public_certificate(client, minggirsari):
    product = minggirsari.village.products.get(slug="kendang-djimbe")
    designation = DesignationFactory(nomination__flagship_product=product)

    response = client.get(URL)

    assert (
        f'<a class="badge badge--designated" href="/en/verify/{designation.verification_code}/">'
        "Designated export village since 22 November 2021: check the certificate</a>"
    ) in response.text


@pytest.mark.parametrize(
    "status", [DesignationStatus.CANDIDATE, DesignationStatus.LAPSED, DesignationStatus.REVOKED]
)
def test_village_page_shows_no_badge_for_a_designation_not_in_force(client, minggirsari, status):
    product = minggirsari.village.products.get(slug="kendang-djimbe")
    DesignationFactory(nomination__flagship_product=product, status=status)

    response = client.get(URL)

    assert "badge--designated" not in response.text


def test_village_page_shows_the_village_photos(client, minggirsari):
    cover = VillageProfilePhotoFactory(profile=minggirsari, caption="Workshops by the road")
    second = VillageProfilePhotoFactory(profile=minggirsari, caption="", position=5)

    response = client.get(URL)

    assert f'src="/showcase/photos/village/{cover.pk}/full.jpg"' in response.text
    assert "<figcaption>Workshops by the road</figcaption>" in response.text
    # A photo without caption is described by the village's name.
    assert f'src="/showcase/photos/village/{second.pk}/card.jpg"' in response.text
    assert 'alt="Minggirsari"' in response.text


def test_village_page_answers_404_for_an_unknown_code(client, db):
    response = client.get("/en/villages/99.99.99.9999/")

    assert response.status_code == 404


def test_village_page_answers_404_for_a_village_whose_profile_is_not_public(client, db):
    public_village(is_public=False)

    response = client.get(URL)

    assert response.status_code == 404
    assert "Minggirsari" not in response.text


def test_village_page_answers_404_for_a_village_without_a_profile(client, db):
    village_with_parents(CODE, names=NAMES)

    response = client.get(URL)

    assert response.status_code == 404


def test_village_page_answers_404_under_an_unknown_language_prefix(client, minggirsari):
    response = client.get(f"/xx/villages/{CODE}/")

    assert response.status_code == 404


def test_village_page_refuses_to_be_posted_to(client, minggirsari):
    response = client.post(URL)

    assert response.status_code == 405


def test_village_page_labels_demo_data(client, db):
    public_village(origin=DataOrigin.DEMO)

    response = client.get(URL)

    assert '<span class="badge badge--demo">Demonstration data</span>' in response.text
    assert '<div class="demo-banner">' in response.text


def test_village_page_runs_the_same_queries_for_few_and_for_many_records(
    client, minggirsari, django_assert_num_queries
):
    # Profile, photos, unit totals, organisations, products and their photos, destinations,
    # designation.
    with django_assert_num_queries(8):
        client.get(URL)

    village = minggirsari.village
    for number in range(5):
        unit = CraftUnitFactory(village=village)
        MembershipFactory(craft_unit=unit, organisation=OrganisationFactory(village=village))
        product = ProductFactory(village=village, is_public=True, craft_units=[unit])
        ProductPhotoFactory(product=product, is_cover=True)
        ExportShipmentFactory(
            product=product, destination=CountryFactory(code=["DE", "FR", "NL", "AU", "KR"][number])
        )
        VillageProfilePhotoFactory(profile=minggirsari)
        DesignationFactory(
            nomination__flagship_product=product, nomination__cycle__year=2015 + number
        )

    with django_assert_num_queries(8):
        response = client.get(URL)
    assert response.text.count('class="product-card"') == 6


# Village list ---------------------------------------------------------------------------------


def test_village_list_shows_public_villages_with_their_region_and_link(client, minggirsari):
    response = client.get("/en/villages/")

    assert response.status_code == 200
    assert f'<a href="/en/villages/{CODE}/">Minggirsari</a>' in response.text
    assert "Kanigoro, Kabupaten Blitar, Jawa Timur" in response.text
    assert "1 village" in response.text


def test_village_list_leaves_out_villages_that_are_not_public(client, db):
    public_village(is_public=False)

    response = client.get("/id/villages/")

    assert "Minggirsari" not in response.text
    assert "Belum ada profil desa yang dipublikasikan." in response.text


def test_village_list_filters_by_province(client, db):
    public_village()
    public_village("33.11.05.2005", story_en="Rattan chairs.", story_id="Kursi rotan.")

    response = client.get("/en/villages/", {"province": "33"})

    assert "Trangsan" in response.text
    assert "Minggirsari" not in response.text
    assert "Export villages in Jawa Tengah" in response.text
    assert '<option value="33" selected>Jawa Tengah</option>' in response.text


@pytest.mark.parametrize("value", ["99", "<script>alert(1)</script>", "35' OR 1=1 --"])
def test_village_list_ignores_an_unknown_province(client, db, value):
    public_village()

    response = client.get("/en/villages/", {"province": value})

    assert response.status_code == 200
    assert "Minggirsari" in response.text
    assert "<script>alert(1)</script>" not in response.text


def test_village_list_offers_only_provinces_with_public_villages(client, db):
    public_village()
    public_village("33.11.05.2005", is_public=False)

    response = client.get("/en/villages/")

    assert '<option value="35">Jawa Timur</option>' in response.text
    assert "Jawa Tengah" not in response.text


def test_village_list_keeps_the_province_on_the_next_page(client, db):
    for number in range(25):
        named_village(f"35.05.10.{2001 + number}", f"Desa {number:02d}")

    first = client.get("/en/villages/", {"province": "35"})
    second = client.get("/en/villages/", {"province": "35", "page": "2"})

    assert '<a href="?province=35&amp;page=2" rel="next">Next page</a>' in first.text
    assert "Desa 24" not in first.text
    assert "Desa 24" in second.text
    assert "Page 2 of 2" in second.text


def test_village_list_answers_an_unusable_page_number_with_the_first_page(client, minggirsari):
    response = client.get("/en/villages/", {"page": "many"})

    assert response.status_code == 200
    assert "Minggirsari" in response.text


def test_village_list_runs_the_same_queries_for_one_and_for_many_villages(
    client, db, django_assert_num_queries
):
    public_village()
    # Provinces for the filter, the count, one page of profiles with their regions.
    with django_assert_num_queries(3):
        client.get("/en/villages/")

    for number in range(2002, 2031):
        named_village(f"35.05.10.{number}", f"Desa {number}")

    with django_assert_num_queries(3):
        response = client.get("/en/villages/")
    assert response.text.count('<article class="card village-card"') == 24


def test_village_list_marks_its_section_as_current_in_the_navigation(client, db):
    response = client.get("/en/villages/")

    assert '<a href="/en/villages/" aria-current="page">Villages</a>' in response.text
    assert '<a href="/en/products/">Products</a>' in response.text
