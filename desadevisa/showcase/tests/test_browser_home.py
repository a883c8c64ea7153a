import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from desadevisa.core.models import DataOrigin
from desadevisa.registry.models import VillageProfile
from desadevisa.registry.tests.factories import VillageProfileFactory, village_with_parents

pytestmark = pytest.mark.browser

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


@pytest.fixture
def minggirsari(transactional_db) -> VillageProfile:
    """The public demonstration profile of Minggirsari, Kanigoro, Blitar, East Java."""
    return VillageProfileFactory(
        village=village_with_parents("35.05.10.2001", names=NAMES),
        latitude="-8.138720",
        longitude="112.218060",
        story_id="Banyak keluarga di Minggirsari membuat kendang djimbe untuk pasar ekspor.",
        story_en="Many households in Minggirsari make djembe drums for export markets.",
        flagship_commodity="Kendang djimbe",
        is_public=True,
        origin=DataOrigin.DEMO,
    )


@pytest.fixture
def trangsan(transactional_db) -> VillageProfile:
    return VillageProfileFactory(
        village=village_with_parents("33.11.05.2005", names=NAMES),
        latitude="-7.553000",
        longitude="110.741000",
        flagship_commodity="Rattan furniture",
        is_public=True,
    )


@pytest.fixture
def indonesian_page(browser: Browser, transactional_db) -> Iterator[Page]:
    """A page in a browser that asks for Indonesian first, as most visitors' browsers do."""
    context = browser.new_context(locale="id-ID")
    try:
        yield context.new_page()
    finally:
        context.close()


def console_errors(page: Page) -> list[str]:
    """Errors the page logs from now on, Content Security Policy violations included."""
    errors: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", keep)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_home_opens_in_indonesian_and_switches_to_english(
    live_server, indonesian_page: Page, minggirsari
):
    page = indonesian_page

    page.goto(live_server.url + "/")

    expect(page).to_have_url(re.compile(re.escape(f"{live_server.url}/id/")))
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_text("Minggirsari").first).to_be_visible()

    page.locator('a[hreflang="en"]').first.click()

    expect(page).to_have_url(re.compile(re.escape(f"{live_server.url}/en/")))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("Minggirsari").first).to_be_visible()


def test_a_visitor_whose_browser_asks_for_english_lands_in_english(
    live_server, page: Page, minggirsari
):
    page.set_extra_http_headers({"Accept-Language": "en-GB,en;q=0.9"})

    page.goto(live_server.url + "/")

    expect(page).to_have_url(re.compile(re.escape(f"{live_server.url}/en/")))
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_the_map_draws_province_outlines_and_village_markers_without_tiles(
    live_server, page: Page, minggirsari, trangsan, settings
):
    settings.SHOWCASE_MAP_TILE_URL = ""
    errors = console_errors(page)

    page.goto(live_server.url + "/en/")

    village_map = page.locator("#village-map")
    expect(village_map).to_have_class(re.compile("leaflet-container"))
    # One filled outline per province, drawn as SVG paths under the markers.
    expect(village_map.locator("path.leaflet-interactive, svg path")).to_have_count(38)
    markers = village_map.locator(".village-map__marker")
    expect(markers).to_have_count(2)
    expect(village_map.locator(".leaflet-tile")).to_have_count(0)
    expect(village_map.locator('[title="Minggirsari"]')).to_have_attribute("role", "button")
    assert errors == []


def test_a_marker_opens_a_popup_that_leads_to_the_village_page(
    live_server, page: Page, minggirsari
):
    page.goto(live_server.url + "/en/")

    marker = page.locator('#village-map [title="Minggirsari"]')
    marker.focus()
    page.keyboard.press("Enter")
    link = page.locator(".leaflet-popup a", has_text="Minggirsari")
    expect(link).to_be_visible()
    expect(page.locator(".leaflet-popup")).to_contain_text("Kendang djimbe")
    link.click()

    expect(page).to_have_url(re.compile(re.escape("/en/villages/35.05.10.2001/")))
    expect(page.locator("h1")).to_have_text("Minggirsari")


def test_without_javascript_the_home_page_still_lists_the_villages(
    browser: Browser, live_server, minggirsari
):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/en/")

        expect(page.locator(".village-map__fallback")).to_be_visible()
        page.locator(".village-links a", has_text="Minggirsari").click()
        expect(page.locator("h1")).to_have_text("Minggirsari")
    finally:
        context.close()
