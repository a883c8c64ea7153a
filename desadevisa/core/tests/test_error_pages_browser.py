"""In a real browser: a form too large to send answers the page that says so, and Back finds
the form as it was typed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, expect

from desadevisa.accounts.tests.helpers import sign_in_verified

pytestmark = pytest.mark.browser


@pytest.fixture
def manager_page(browser: Browser, live_server, two_provinces) -> Iterator:
    client = Client()
    sign_in_verified(client, two_provinces.jawa_timur.manager)
    context = browser.new_context(locale="id-ID")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    try:
        yield context.new_page(), live_server.url
    finally:
        context.close()


def test_a_description_too_large_to_send_is_explained_and_back_keeps_the_typed_form(
    manager_page,
):
    page, base = manager_page
    page.goto(f"{base}/id/catalog/products/new/")
    page.locator("input[name=name_id]").fill("Kendang Djimbe Ukir")
    page.locator("textarea[name=description_id]").evaluate(
        "(area, size) => { area.value = 'x'.repeat(size); }",
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1,
    )

    with page.expect_navigation():
        page.locator("form:has(input[name=name_id]) [type=submit]").first.click()

    expect(page.get_by_role("heading", name="Kiriman terlalu besar")).to_be_visible()
    expect(page.get_by_text("Kiriman Anda terlalu besar")).to_be_visible()
    page.go_back()
    expect(page.locator("input[name=name_id]")).to_have_value("Kendang Djimbe Ukir")
