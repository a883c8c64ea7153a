import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from desadevisa.core.models import DataOrigin
from desadevisa.regions.models import District, Province, Regency, Village
from desadevisa.registry.models import VillageProfile

pytestmark = pytest.mark.browser


@pytest.fixture
def minggirsari() -> VillageProfile:
    """The public demonstration profile of Minggirsari, Kanigoro, Blitar, East Java."""
    province = Province.objects.create(code="35", name="Jawa Timur")
    regency = Regency.objects.create(code="35.05", name="Kabupaten Blitar", province=province)
    district = District.objects.create(code="35.05.10", name="Kanigoro", regency=regency)
    village = Village.objects.create(
        code="35.05.10.2001", name="Minggirsari", district=district, province=province
    )
    return VillageProfile.objects.create(
        village=village,
        story_id="Banyak keluarga di Minggirsari membuat kendang djimbe untuk pasar ekspor.",
        story_en="Many households in Minggirsari make djembe drums for export markets.",
        flagship_commodity="Kendang djimbe",
        is_public=True,
        origin=DataOrigin.DEMO,
    )


@pytest.fixture
def indonesian_page(browser: Browser, transactional_db) -> Iterator[Page]:
    """A page in a browser that asks for Indonesian first, as most visitors' browsers do."""
    context = browser.new_context(locale="id-ID")
    try:
        yield context.new_page()
    finally:
        context.close()


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
