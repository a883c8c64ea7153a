"""Nothing private on the public site (SECURITY AC-8), and every stored text escaped (IN-3)."""

from decimal import Decimal

import pytest
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from desadevisa.catalog.models import Product
from desadevisa.catalog.tests.factories import ProductPhotoFactory
from desadevisa.exports.models import ExportShipment
from desadevisa.nominations.models import Nomination
from desadevisa.regions.models import Country
from desadevisa.registry.models import CraftUnit, Organisation, VillageProfile
from desadevisa.registry.tests.factories import VillageProfilePhotoFactory
from desadevisa.showcase.caching import showcase_changed
from desadevisa.support.tests.factories import DisbursementFactory, SupportItemFactory
from desadevisa.verification.tests.factories import VisitPhotoFactory

# Restricted values, each written so that no public figure can produce it by chance.
CANARIES = {
    "shipment value in USD": ("987654.31", "987654", "987,654", "987.654"),
    "shipment value": ("876543.21", "876543", "876,543", "876.543"),
    "shipment value in IDR": ("14172839506", "14,172,839", "14.172.839"),
    "export declaration": ("PEB-CANARY-0417",),
    "verification photo GPS": ("-7.771234", "7.771234", "111.998765"),
    "financing amount": ("246813579", "246,813,579", "246.813.579"),
    "disbursement": ("135792468", "135,792,468", "135.792.468"),
    "craft unit owner": ("Basuki Canaryowner",),
    "craft unit name": ("Bengkel Canaryunit",),
    "business ID": ("9876501234567",),
    "organisation registration": ("AHU-CANARY-REG",),
    "organisation address": ("Jl. Canary Rahasia",),
    "nomination statement": ("Canary nomination statement",),
    "designation decree": ("KEP-CANARY/DD",),
    "designation reason": ("Canary status reason",),
}
PAYLOAD = "<img src=x onerror=alert(1)>"
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"


@pytest.fixture
def public_world(two_provinces):
    """``two_provinces`` with both profiles and the member products public, and a canary in
    every restricted field the showcase's records lead to."""
    VillageProfile.objects.update(is_public=True)
    records = [two_provinces.jawa_timur, two_provinces.jawa_tengah]
    Product.objects.filter(pk__in=[r.product.pk for r in records]).update(is_public=True)
    ExportShipment.objects.update(
        value_usd=Decimal("987654.31"),
        value=Decimal("876543.21"),
        value_idr=Decimal("14172839506.00"),
        peb_number="PEB-CANARY-0417",
    )
    CraftUnit.objects.update(
        owner_name="Basuki Canaryowner",
        name=Concat(Value("Bengkel Canaryunit "), Cast("pk", CharField())),
        business_id="9876501234567",
    )
    for number, organisation in enumerate(Organisation.objects.all()):
        organisation.registration_number = f"AHU-CANARY-REG-{number}"
        organisation.address = "Jl. Canary Rahasia"
        organisation.save()
    Nomination.objects.update(statement="Canary nomination statement")
    for record in records:
        designation = record.designation
        designation.decree_number = f"KEP-CANARY/DD/{record.province.code}"
        designation.status_reason = "Canary status reason"
        designation.save()
        VisitPhotoFactory(
            visit=record.visit, latitude=Decimal("-7.771234"), longitude=Decimal("111.998765")
        )
        item = SupportItemFactory(designation=designation, approved_amount_idr=Decimal(246813579))
        DisbursementFactory(item=item, amount_idr=Decimal(135792468))
    return two_provinces


def public_pages(world) -> list[str]:
    pages = ["/sitemap.xml", "/robots.txt"]
    for language in ("id", "en"):
        pages += [f"/{language}/", f"/{language}/villages/"]
        for record in (world.jawa_timur, world.jawa_tengah):
            pages.append(f"/{language}/villages/{record.profile.village_id}/")
    for section in ("pages", "villages", "products", "exhibitions"):
        pages.append(f"/sitemap-{section}.xml")
    return pages


def test_no_restricted_value_appears_on_any_public_page(client, public_world):
    for path in public_pages(public_world):
        response = client.get(path)
        assert response.status_code == 200, path

        for field, values in CANARIES.items():
            for value in values:
                assert value not in response.text, f"{field} ({value}) on {path}"


def test_public_pages_show_the_public_side_of_the_same_records(client, public_world):
    record = public_world.jawa_timur

    response = client.get(f"/en/villages/{record.profile.village_id}/")

    assert record.organisation.legal_name in response.text
    assert '<span class="share-chart__value">100%</span>' in response.text
    assert f"/en/verify/{record.designation.verification_code}/" in response.text
    assert "<dt>Craft units</dt>\n              <dd>3</dd>" in response.text


def test_a_stored_script_in_every_shown_text_is_escaped(client, public_world):
    record = public_world.jawa_timur
    VillageProfile.objects.update(story_id=PAYLOAD, story_en=PAYLOAD, flagship_commodity=PAYLOAD)
    numbered = Concat(Value(PAYLOAD), Cast("pk", CharField()))
    Product.objects.update(name_id=numbered, name_en=numbered)
    Organisation.objects.update(legal_name=PAYLOAD)
    Country.objects.update(name_en=PAYLOAD, name_id=PAYLOAD)
    ProductPhotoFactory(product=record.product, is_cover=True, caption=PAYLOAD)
    VillageProfilePhotoFactory(profile=record.profile, caption=PAYLOAD)
    village = record.profile.village
    village.name = PAYLOAD
    village.save()
    # The bulk updates above send no signal that would drop cached pages.
    showcase_changed()

    for path in public_pages(public_world):
        response = client.get(path)

        assert PAYLOAD not in response.text, path
    village_page = client.get(f"/en/villages/{village.code}/")
    assert ESCAPED in village_page.text
    assert f'<h1 id="village-heading">{ESCAPED}</h1>' in village_page.text
