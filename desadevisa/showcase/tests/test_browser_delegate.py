"""A G20 delegate finds a product at the exhibition and asks for it; the cooperative answers.

On the demonstration data, in browsers of their own: a delegate whose browser asks for
Indonesian opens the G20 exhibition's page, scans a display item's QR code, lands on the
product's page with the exhibition noted, switches to English, sends an inquiry and gets the
confirmation by e-mail; the scan is counted. The manager of the Minggirsari cooperative signs in
with password and one-time code, finds the inquiry (and the exhibition that brought it) in the
pipeline and moves it on to "samples sent". The programme officer downloads the exhibition's
display cards, which render to a picture that is not blank.
"""

import importlib
import io
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from django.apps import apps
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import ImageStat
from playwright.sync_api import Browser, BrowserContext, Page, expect

from desadevisa.catalog.tests.factories import HSCodeFactory
from desadevisa.inquiries.models import Inquiry, InquiryStatus
from desadevisa.notifications.models import Notification
from desadevisa.operations.demo import (
    DEMO_PASSWORD,
    REQUIRED_COUNTRIES,
    REQUIRED_HS_CODES,
    REQUIRED_PROVINCES,
    REQUIRED_VILLAGES,
    demo_load,
)
from desadevisa.operations.tests.reference import REGION_NAMES as DEMO_REGION_NAMES
from desadevisa.regions.models import Village
from desadevisa.regions.tests.factories import CountryFactory, ProvinceFactory
from desadevisa.registry.tests.factories import village_with_parents
from desadevisa.showcase.models import DisplayItem, Exhibition

pytestmark = pytest.mark.browser

MINGGIRSARI = "35.05.10.2001"
TRANGSAN = "33.11.11.2013"
DJEMBE = "kendang-djimbe-minggirsari"
G20 = "g20-indonesia-2022"
# The demo's regions, and Bali, which it names as a province without villages.
REGION_NAMES = {**DEMO_REGION_NAMES, "51": "Bali"}
# Where the villages lie, so that the home page's map has somewhere to put them.
VILLAGE_CENTRES = {
    MINGGIRSARI: (Decimal("-8.1170"), Decimal("112.2130")),
    TRANGSAN: (Decimal("-7.5580"), Decimal("110.7280")),
    "52.01.02.2006": (Decimal("-8.6290"), Decimal("116.1230")),
}


def privacy_notice_publish() -> None:
    """The privacy notice the migrations publish: a transactional test starts from an empty
    database, without the rows the data migrations wrote."""
    migration = importlib.import_module(
        "desadevisa.inquiries.migrations.0002_privacy_notice_first_version"
    )
    migration.notice_create(apps, None)


def showcase_demo_load(settings, media_root: Path) -> None:
    """The demo loaded over the reference rows it stands on, its photos under ``media_root``,
    with the privacy notice that the inquiry form needs."""
    settings.MEDIA_ROOT = media_root / "media"
    privacy_notice_publish()
    for code in REQUIRED_VILLAGES:
        village_with_parents(code, names=REGION_NAMES)
    for code in REQUIRED_PROVINCES:
        ProvinceFactory(code=code, name=REGION_NAMES[code])
    for code, (latitude, longitude) in VILLAGE_CENTRES.items():
        Village.objects.filter(code=code).update(latitude=latitude, longitude=longitude)
    for code in REQUIRED_COUNTRIES:
        CountryFactory(code=code)
    for code in REQUIRED_HS_CODES:
        HSCodeFactory(code=code)
    demo_load()


@pytest.fixture
def demo(transactional_db, settings, tmp_path) -> None:
    showcase_demo_load(settings, tmp_path)


def url(language: str, name: str, **kwargs) -> str:
    """The path of a named URL in ``language``, such as ``/en/inquiries/3/``."""
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


class Desk:
    """A demo account's browser, signed in through the sign-in and one-time code pages."""

    def __init__(self, browser: Browser, base: str, username: str) -> None:
        self.context: BrowserContext = browser.new_context(locale="en-GB", base_url=base)
        self.page: Page = self.context.new_page()
        self.page.goto("/en/accounts/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", DEMO_PASSWORD)
        self.page.locator("main form:has(input[name=password]) button[type=submit]").click()
        expect(self.page).to_have_url(re.compile(r"/en/accounts/two-factor/"))
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.page.fill("input[name=code]", f"{totp.token():0{device.digits}d}")
        self.page.locator("main form:has(input[name=code]) button[type=submit]").click()
        expect(self.page).not_to_have_url(re.compile(r"/accounts/(login|two-factor)/"))


@pytest.fixture
def desks(browser: Browser, live_server, demo) -> Iterator:
    opened: list[Desk] = []

    def desk(username: str) -> Desk:
        opened.append(Desk(browser, live_server.url, username))
        return opened[-1]

    yield desk
    for each in opened:
        each.context.close()


@pytest.fixture
def delegate(browser: Browser, live_server, demo) -> Iterator[Page]:
    """An anonymous visitor whose browser asks for Indonesian first."""
    context = browser.new_context(
        locale="id-ID",
        base_url=live_server.url,
        extra_http_headers={"Accept-Language": "id-ID,id;q=0.9,en;q=0.5"},
    )
    try:
        yield context.new_page()
    finally:
        context.close()


def scans_of(item: DisplayItem) -> int:
    return sum(item.scan_tallies.values_list("count", flat=True))


def test_a_delegate_scans_a_display_item_and_asks_for_it_and_the_cooperative_follows_up(
    delegate: Page, desks, settings
):
    settings.INQUIRY_MIN_FILL_SECONDS = 1
    item = DisplayItem.objects.get(exhibition__slug=G20, product__slug=DJEMBE)
    assert scans_of(item) == 0
    page = delegate

    # The exhibition's page, in Indonesian as the delegate's browser asks.
    page.goto(f"/id/exhibitions/{G20}/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("main")).to_contain_text("Desa Devisa di G20 Indonesia 2022")
    expect(page.locator("main")).to_contain_text("Kendang Djimbe")

    # The display item's QR code opens the product's page, the exhibition noted.
    page.goto(f"/s/{item.code}/")
    expect(page).to_have_url(re.compile(rf"/id/products/{DJEMBE}/\?exhibition={G20}$"))
    expect(page.locator("main")).to_contain_text("Desa Devisa di G20 Indonesia 2022")
    assert scans_of(item) == 1

    # The delegate reads on in English.
    page.locator("nav.language-switch a[hreflang=en]").click()
    expect(page).to_have_url(re.compile(rf"/en/products/{DJEMBE}/\?exhibition={G20}$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main")).to_contain_text("Desa Devisa at G20 Indonesia 2022")

    page.get_by_role("link", name="Send an inquiry").first.click()
    expect(page).to_have_url(re.compile(rf"/en/products/{DJEMBE}/inquiry/"))
    form = page.locator("main form").filter(has=page.locator("[name=email]"))
    form.locator("[name=name]").fill("Aiko Tanaka")
    form.locator("[name=company]").fill("Kyoto Percussion Trading")
    form.locator("[name=country]").select_option("JP")
    form.locator("[name=email]").fill("aiko.tanaka@example.jp")
    form.locator("[name=phone]").fill("+81 75 123 4567")
    form.locator("[name=quantity]").fill("60")
    form.locator("[name=message]").fill(
        "We saw the carved drums at the G20 stand. Could you send two samples to Kyoto?"
    )
    form.locator("[name=consent]").check()
    page.wait_for_timeout(1200)  # a person takes longer than INQUIRY_MIN_FILL_SECONDS
    form.locator("button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"/en/products/{DJEMBE}/inquiry/sent/"))
    expect(page.locator("main")).to_contain_text("Thank you")
    inquiry = Inquiry.objects.get(email="aiko.tanaka@example.jp")
    assert (inquiry.product.slug, inquiry.exhibition.slug) == (DJEMBE, G20)
    assert (inquiry.quantity, inquiry.language, inquiry.status) == (60, "en", InquiryStatus.NEW)
    assert inquiry.country_id == "JP"
    assert scans_of(item) == 1

    # The buyer's confirmation, in English; the cooperative and the programme are told.
    (confirmation,) = [message for message in mail.outbox if message.to == [inquiry.email]]
    assert "Kendang Djimbe" in confirmation.subject + confirmation.body
    detail = url("en", "inquiries:detail", pk=inquiry.pk)
    told = Notification.objects.filter(link__endswith=detail.removeprefix("/en"))
    assert {"demo-koperasi", "demo-programme"} <= set(
        told.values_list("recipient__username", flat=True)
    )

    # The cooperative's manager finds it in the pipeline, with the exhibition that brought it.
    manager = desks("demo-koperasi")
    pipeline = manager.page
    pipeline.goto(url("en", "inquiries:list"))
    row = pipeline.locator("main tr").filter(has=pipeline.locator(f"a[href='{detail}']"))
    expect(row).to_contain_text("Desa Devisa at G20 Indonesia 2022")
    expect(row).to_contain_text("New")
    row.locator(f"a[href='{detail}']").click()
    expect(pipeline).to_have_url(re.compile(rf"{re.escape(detail)}$"))
    main = pipeline.locator("main")
    expect(main).to_contain_text("Desa Devisa at G20 Indonesia 2022")
    expect(main).to_contain_text("Aiko Tanaka")
    expect(main).to_contain_text("Kyoto Percussion Trading")

    # Through "contacted", as the pipeline requires, to "samples sent".
    for status in (InquiryStatus.CONTACTED, InquiryStatus.SAMPLES_SENT):
        move = pipeline.locator("main form:has(select[name=to_status])")
        move.locator("select[name=to_status]").select_option(status.value)
        move.locator("button[type=submit]").click()
        with translation.override("en"):
            label = str(status.label)
        expect(pipeline.locator("main .facts").first).to_contain_text(label)
        inquiry.refresh_from_db()
        assert inquiry.status == status
    expect(pipeline.locator("main .timeline")).to_contain_text("Samples sent")
    assert list(inquiry.events.values_list("to_status", flat=True)) == [
        InquiryStatus.NEW,
        InquiryStatus.CONTACTED,
        InquiryStatus.SAMPLES_SENT,
    ]


def test_the_programme_officer_downloads_the_g20_display_cards_and_they_are_not_blank(desks):
    programme = desks("demo-programme")
    exhibition = Exhibition.objects.get(slug=G20)
    items = list(exhibition.display_items.select_related("product"))

    response = programme.context.request.get(url("en", "exhibitions:cards", pk=exhibition.pk))

    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    document = pypdfium2.PdfDocument(io.BytesIO(response.body()))
    assert len(document) == len(items)
    scanned = set()
    for index, item in enumerate(items):
        card = document[index]
        picture = card.render(scale=3).to_pil()
        grey = picture.convert("L")
        low, high = grey.getextrema()
        assert high - low > 100, f"card {index + 1} is blank"
        assert ImageStat.Stat(grey).stddev[0] > 10, f"card {index + 1} is almost blank"
        text = card.get_textpage().get_text_range()
        assert item.product.name_id in text
        assert item.product.name_en in text
        scanned |= {code.text for code in zxingcpp.read_barcodes(picture)}
    assert {address.rsplit("/s/", 1)[-1] for address in scanned} == {
        f"{item.code}/" for item in items
    }
