"""From an invitation e-mail to the first staff page, in an Indonesian browser."""

import re
from base64 import b32decode
from collections.abc import Iterator

import pytest
from django.core import mail
from django.utils import translation
from django_otp.oath import TOTP
from playwright.sync_api import Browser, Page, expect

from desadevisa.accounts.models import Role
from desadevisa.accounts.services import invitation_create
from desadevisa.accounts.tests.factories import user_with_role
from desadevisa.accounts.tests.helpers import mailed_link_token
from desadevisa.registry.tests.factories import VillageProfileFactory, village_with_parents

pytestmark = pytest.mark.browser

PASSWORD = "kendang djimbe dari Minggirsari"
REGION_NAMES = {
    "35": "Jawa Timur",
    "35.05": "Kabupaten Blitar",
    "35.05.10": "Kanigoro",
    "35.05.10.2001": "Minggirsari",
    "33": "Jawa Tengah",
    "33.11": "Kabupaten Sukoharjo",
    "33.11.11": "Gatak",
    "33.11.11.2013": "Trangsan",
}


@pytest.fixture
def indonesian_page(browser: Browser, transactional_db) -> Iterator[Page]:
    context = browser.new_context(locale="id-ID")
    try:
        yield context.new_page()
    finally:
        context.close()


def submit(page: Page) -> None:
    page.locator("form.form button[type=submit]").click()


def test_an_invited_provincial_officer_signs_up_and_sees_only_their_province(
    live_server, indonesian_page: Page, settings
):
    settings.SITE_URL = live_server.url
    page = indonesian_page
    minggirsari = village_with_parents("35.05.10.2001", names=REGION_NAMES)
    trangsan = village_with_parents("33.11.11.2013", names=REGION_NAMES)
    VillageProfileFactory(village=minggirsari, flagship_commodity="Kendang djimbe")
    VillageProfileFactory(village=trangsan, flagship_commodity="Mebel rotan")
    programme_officer = user_with_role(Role.PROGRAMME_OFFICER, username="lpei-officer")
    with translation.override("id"):
        invitation_create(
            invited_by=programme_officer,
            email="siti@disperindag.jatimprov.example",
            role=Role.PROVINCIAL_OFFICER,
            province=minggirsari.district.regency.province,
        )
    token = mailed_link_token(mail.outbox[0])

    page.goto(f"{live_server.url}/id/accounts/invitation/{token}/")
    expect(page.locator("dl.facts")).to_contain_text("Jawa Timur")
    page.fill("input[name=username]", "siti-jatim")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    submit(page)

    expect(page).to_have_url(f"{live_server.url}/id/accounts/login/")
    page.fill("input[name=username]", "siti-jatim")
    page.fill("input[name=password]", PASSWORD)
    submit(page)

    expect(page).to_have_url(
        re.compile(re.escape(f"{live_server.url}/id/accounts/two-factor/setup/"))
    )
    secret = page.locator("#otp-secret").inner_text().replace(" ", "")
    code = TOTP(b32decode(secret), step=30, t0=0, digits=6).token()
    page.fill("input[name=code]", f"{code:06d}")
    submit(page)

    expect(page).to_have_url(f"{live_server.url}/id/accounts/profile/")
    expect(page.locator("main")).to_contain_text("Jawa Timur")

    page.goto(f"{live_server.url}/id/registry/villages/")
    expect(page).to_have_url(f"{live_server.url}/id/registry/villages/")
    expect(page.locator("main")).to_contain_text("Minggirsari")
    expect(page.locator("main")).not_to_contain_text("Trangsan")
