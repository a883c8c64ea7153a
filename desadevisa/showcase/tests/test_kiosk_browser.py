"""The kiosk in a browser: it rotates the items one at a time, takes in the feed's changes,
keeps showing the last good set when the feed fails, and lists everything without
JavaScript. The content security policy is never broken."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from desadevisa.showcase import exhibition_public_views
from desadevisa.showcase.tests.factories import DisplayItemFactory, ExhibitionFactory

pytestmark = pytest.mark.browser

KIOSK = "/en/exhibitions/g20/kiosk/"


@pytest.fixture
def g20(transactional_db, monkeypatch):
    monkeypatch.setattr(exhibition_public_views, "KIOSK_ROTATE_SECONDS", 2)
    monkeypatch.setattr(exhibition_public_views, "KIOSK_REFRESH_SECONDS", 5)
    exhibition = ExhibitionFactory(slug="g20", name_en="Desa Devisa at G20")
    for position, name in enumerate(("Djembe drum", "Rattan chair"), start=1):
        DisplayItemFactory(exhibition=exhibition, product__name_en=name, position=position)
    return exhibition


@pytest.fixture
def kiosk(browser: Browser, live_server, g20) -> Iterator[tuple[Page, list[str]]]:
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    try:
        page.goto(live_server.url + KIOSK)
        yield page, problems
    finally:
        context.close()


def test_the_kiosk_shows_one_item_at_a_time_and_moves_on(kiosk):
    page, problems = kiosk
    items = page.locator(".kiosk-item")

    expect(items.nth(0)).to_be_visible()
    expect(items.nth(1)).to_be_hidden()
    expect(items.nth(1)).to_be_visible(timeout=5000)
    expect(items.nth(0)).to_be_hidden()
    assert problems == []


def test_a_visitor_pauses_the_rotation_and_resumes_it(kiosk):
    page, problems = kiosk
    items = page.locator(".kiosk-item")
    pause = page.get_by_role("button", name="Pause")

    pause.click()
    page.wait_for_timeout(4500)
    expect(items.nth(0)).to_be_visible()
    expect(page.get_by_role("button", name="Resume")).to_have_attribute("aria-pressed", "true")

    page.keyboard.press("p")
    expect(page.get_by_role("button", name="Pause")).to_have_attribute("aria-pressed", "false")
    expect(items.nth(1)).to_be_visible(timeout=5000)
    assert problems == []


def test_the_kiosk_takes_in_an_item_added_since_it_opened(kiosk, g20):
    page, problems = kiosk
    DisplayItemFactory(exhibition=g20, product__name_en="Batik scarf", position=3)

    expect(page.locator(".kiosk-item")).to_have_count(3, timeout=12000)
    expect(page.get_by_text("Batik scarf")).to_be_attached()
    assert problems == []


def test_the_kiosk_keeps_rotating_its_items_when_the_feed_fails(kiosk, g20):
    page, _problems = kiosk
    page.route("**/kiosk.json", lambda route: route.abort())
    DisplayItemFactory(exhibition=g20, product__name_en="Batik scarf", position=3)

    page.wait_for_timeout(7000)

    expect(page.locator(".kiosk-item")).to_have_count(2)
    expect(page.locator(".kiosk-item:visible")).to_have_count(1)


def test_without_javascript_the_kiosk_lists_every_item(browser: Browser, live_server, g20):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + KIOSK)

        expect(page.get_by_role("heading", level=1)).to_have_text("Desa Devisa at G20")
        expect(page.locator(".kiosk-item:visible")).to_have_count(2)
    finally:
        context.close()
