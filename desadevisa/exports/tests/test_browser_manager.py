"""A cooperative manager, on the Indonesian pages, adds a product with a photo and records its
first export shipment, whose values in rupiah and dollars come from the rate table."""

import datetime
import re
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from desadevisa.accounts.models import Role
from desadevisa.accounts.tests.factories import user_with_role
from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.catalog.models import Product
from desadevisa.catalog.tests.factories import HSCodeFactory
from desadevisa.core.tests.files import MINIMAL_PDF, picture_bytes
from desadevisa.exports.models import ExportShipment
from desadevisa.exports.tests.factories import ExchangeRateFactory
from desadevisa.regions.tests.factories import CountryFactory
from desadevisa.registry.tests.factories import (
    CraftUnitFactory,
    MembershipFactory,
    OrganisationFactory,
    village_with_parents,
)

pytestmark = pytest.mark.browser

SHIPPED_ON = datetime.date(2024, 5, 20)
REGION_NAMES = {
    "35": "Jawa Timur",
    "35.05": "Kabupaten Blitar",
    "35.05.10": "Kanigoro",
    "35.05.10.2001": "Minggirsari",
}


@pytest.fixture
def manager_page(browser: Browser, live_server, transactional_db, settings, tmp_path) -> Iterator:
    """An Indonesian browser signed in as the manager of Koperasi Kendang Minggirsari, whose
    unit Sanggar Basuki is a member."""
    settings.MEDIA_ROOT = tmp_path
    village = village_with_parents("35.05.10.2001", names=REGION_NAMES)
    organisation = OrganisationFactory(village=village, legal_name="Koperasi Kendang Minggirsari")
    unit = CraftUnitFactory(village=village, name="Sanggar Basuki")
    MembershipFactory(craft_unit=unit, organisation=organisation)
    manager = user_with_role(
        Role.ORGANISATION_MANAGER, organisation=organisation, username="koperasi"
    )
    HSCodeFactory(code="9206", description="Percussion musical instruments")
    CountryFactory(code="JP")
    ExchangeRateFactory(currency="USD", valid_from=datetime.date(2024, 1, 1), idr_per_unit=16000)
    client = Client()
    sign_in_verified(client, manager)
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


def test_a_manager_adds_a_product_with_a_photo_and_an_export_shipment(manager_page, tmp_path):
    page, base = manager_page
    page: Page

    page.goto(f"{base}/id/catalog/products/new/")
    form = page.locator("form:has(input[name=name_id])")
    form.locator("input[name=name_id]").fill("Kendang Djimbe Ukir")
    form.locator("input[name=name_en]").fill("Carved djembe drum")
    form.locator("input[name=hs_code]").fill("9206")
    form.locator("input[name=craft_units]").first.check()
    form.locator("input[name=price_min]").fill("35")
    form.locator("input[name=price_max]").fill("60")
    form.locator("input[name=minimum_order]").fill("20")
    form.locator("input[name=lead_time_days]").fill("30")
    form.locator("input[name=monthly_capacity]").fill("400")
    form.locator("button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/id/catalog/products/\d+/$"))
    product = Product.objects.get(name_id="Kendang Djimbe Ukir")
    assert [unit.name for unit in product.craft_units.all()] == ["Sanggar Basuki"]

    page.goto(f"{base}/id/catalog/products/{product.pk}/photos/")
    photo = tmp_path / "kendang.jpg"
    photo.write_bytes(picture_bytes(width=1200, height=900))
    upload = page.locator("form:has(input[name=photos])")
    upload.locator("input[name=photos]").set_input_files(str(photo))
    upload.locator("button[type=submit]").click()

    thumbnail = page.locator("img[src*='/photos/']").first
    expect(thumbnail).to_be_visible()
    assert thumbnail.evaluate("image => image.complete && image.naturalWidth") > 0
    assert product.photos.get().is_cover

    page.goto(f"{base}/id/exports/shipments/new/")
    form = page.locator("form:has(input[name=destination])")
    form.locator("select[name=product]").select_option(str(product.pk))
    form.locator("input[name=destination]").fill("JP")
    form.locator("input[name=shipped_on]").fill(SHIPPED_ON.isoformat())
    form.locator("input[name=quantity]").fill("120")
    form.locator("input[name=value]").fill("5400")
    form.locator("input[name=currency]").fill("USD")
    form.locator("input[name=peb_number]").fill("051234")
    evidence = tmp_path / "peb.pdf"
    evidence.write_bytes(MINIMAL_PDF)
    form.locator("input[name=evidence_file]").set_input_files(str(evidence))
    form.locator("button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/id/exports/shipments/\d+/$"))
    shipment = ExportShipment.objects.get()
    assert (shipment.product, shipment.destination_id, shipment.shipped_on) == (
        product,
        "JP",
        SHIPPED_ON,
    )
    assert (shipment.value_usd, shipment.value_idr) == (Decimal("5400.00"), Decimal("86400000.00"))
    assert shipment.evidence.name.startswith("exports/evidence/")
    expect(page.locator("main")).to_contain_text("051234")
