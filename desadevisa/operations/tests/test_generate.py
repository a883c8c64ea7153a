import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import translation

from desadevisa.catalog.models import Product
from desadevisa.catalog.tests.factories import HSCodeFactory, ProductFactory
from desadevisa.core.models import DataOrigin
from desadevisa.exports.models import ExportShipment
from desadevisa.nominations.models import (
    NOMINATION_QUOTA_STATES,
    Nomination,
    NominationState,
    ProgrammeCycle,
    ProvinceQuota,
)
from desadevisa.operations.generator import SCALES, generate
from desadevisa.operations.generator.words import COMMODITIES
from desadevisa.regions.tests.factories import (
    CountryFactory,
    DistrictFactory,
    ProvinceFactory,
    RegencyFactory,
    VillageFactory,
)
from desadevisa.registry.models import CraftUnit, Membership, Organisation, VillageProfile

pytestmark = pytest.mark.django_db

SMALL = SCALES["small"]
COUNTRIES = ("US", "JP", "NL", "DE", "AU", "SG", "MY", "CN", "KR", "GB", "FR", "AE")
VILLAGES = 40
GENERATED = DataOrigin.GENERATED


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English, the language of the source strings."""
    with translation.override("en"):
        yield


@pytest.fixture
def reference():
    """Two provinces, villages in the first, countries and the HS codes of the vocabulary."""
    district = DistrictFactory(
        code="35.05.10", regency=RegencyFactory(code="35.05", province=ProvinceFactory(code="35"))
    )
    villages = [
        VillageFactory(district=district, code=f"35.05.10.{2001 + index}")
        for index in range(VILLAGES)
    ]
    ProvinceFactory(code="36")
    for code in COUNTRIES:
        CountryFactory(code=code)
    for commodity in COMMODITIES:
        HSCodeFactory(code=commodity.hs_code)
    return villages


def rows_digest() -> str:
    """A digest of a few columns of every generated table, independent of ids and row order."""
    tables = [
        VillageProfile.objects.values_list("village", "story_en", "is_public"),
        CraftUnit.objects.values_list("village", "name", "owner_name", "monthly_capacity"),
        Organisation.objects.values_list("registration_number", "legal_name", "village"),
        Membership.objects.values_list(
            "craft_unit__name", "organisation__registration_number", "started_on", "ended_on"
        ),
        Product.objects.values_list("slug", "name_id", "village", "price_min", "hs_code"),
        Product.craft_units.through.objects.values_list("product__slug", "craftunit__name"),
        ExportShipment.objects.values_list(
            "product__slug", "destination", "shipped_on", "quantity", "value", "value_usd"
        ),
        Nomination.objects.values_list("cycle__year", "village", "flagship_product__slug", "state"),
    ]
    digest = hashlib.sha256()
    for rows in tables:
        for row in sorted(map(repr, rows)):
            digest.update(row.encode())
    return digest.hexdigest()


def test_generate_writes_the_small_scale_figures_labelled_as_generated(reference):
    summary = generate(scale=SMALL, seed=1)

    assert dict(summary.tables) == {
        "village profiles": VILLAGES,
        "craft units": SMALL.craft_units,
        "organisations": SMALL.organisations,
        "memberships": Membership.objects.count(),
        "products": SMALL.products,
        "product craft units": Product.craft_units.through.objects.count(),
        "export shipments": SMALL.export_shipments,
        "programme cycles": 1,
        "province quotas": 2,
        "nominations": SMALL.nominations,
    }
    assert Membership.objects.count() > SMALL.craft_units // 2
    for model in (
        VillageProfile,
        CraftUnit,
        Organisation,
        Membership,
        Product,
        ExportShipment,
        ProgrammeCycle,
        ProvinceQuota,
        Nomination,
    ):
        assert not model.objects.exclude(origin=GENERATED).exists(), model


def test_every_village_of_the_scale_has_a_craft_unit(reference):
    generate(scale=SMALL, seed=1)

    villages = set(CraftUnit.objects.values_list("village", flat=True))
    assert villages == {village.code for village in reference}


def test_generated_rows_pass_the_models_validation(reference):
    generate(scale=SMALL, seed=1)

    for model in (
        VillageProfile,
        CraftUnit,
        Organisation,
        Membership,
        Product,
        ExportShipment,
        ProgrammeCycle,
        ProvinceQuota,
        Nomination,
    ):
        for record in model.objects.order_by("pk")[:25]:
            record.full_clean()


def test_product_craft_units_are_made_in_the_products_village(reference):
    generate(scale=SMALL, seed=1)

    links = Product.craft_units.through.objects.values_list(
        "product__village", "craftunit__village"
    )
    assert links
    assert all(product_village == unit_village for product_village, unit_village in links)
    assert not Product.objects.filter(craft_units=None).exists()


def test_nominations_cover_every_state_with_distinct_villages_and_their_own_products(reference):
    generate(scale=SMALL, seed=1)

    nominations = Nomination.objects.select_related("flagship_product")
    assert {nomination.state for nomination in nominations} == set(NominationState.values)
    assert len({nomination.village_id for nomination in nominations}) == SMALL.nominations
    assert all(
        nomination.flagship_product.village_id == nomination.village_id
        for nomination in nominations
    )


def test_every_province_s_quota_covers_the_slots_held_and_its_waiting_list_waits(reference):
    generate(scale=SMALL, seed=1)

    cycle = ProgrammeCycle.objects.get()
    holding = dict(
        cycle.nominations.filter(state__in=NOMINATION_QUOTA_STATES)
        .values("village__province")
        .annotate(count=Count("pk"))
        .values_list("village__province", "count")
    )
    waiting = cycle.nominations.filter(state=NominationState.WAITING)
    quotas = dict(cycle.quotas.values_list("province", "allowed"))
    assert cycle.year == 2025
    assert cycle.name == "Desa Devisa 2025 (generated)"
    assert set(quotas) == {"35", "36"}
    assert all(quotas[code] >= count for code, count in holding.items())
    for code in {row.village.province_id for row in waiting}:
        ranks = sorted(
            waiting.filter(village__province=code).values_list("waiting_rank", flat=True)
        )
        assert ranks == list(range(1, len(ranks) + 1))
        assert quotas[code] == holding.get(code, 0)


def test_same_seed_gives_the_same_rows_when_run_again(reference):
    generate(scale=SMALL, seed=7)
    first = rows_digest()

    generate(scale=SMALL, seed=7)

    assert rows_digest() == first
    assert CraftUnit.objects.count() == SMALL.craft_units
    assert ExportShipment.objects.count() == SMALL.export_shipments


def test_another_seed_gives_other_rows(reference):
    generate(scale=SMALL, seed=1)
    first = rows_digest()

    generate(scale=SMALL, seed=2)

    assert rows_digest() != first
    assert Product.objects.count() == SMALL.products


def test_rows_that_are_not_generated_are_left_untouched(reference):
    demo_product = ProductFactory(
        village=reference[0],
        origin=DataOrigin.DEMO,
        price_min=10,
        price_max=20,
        minimum_order=1,
        lead_time_days=14,
        monthly_capacity=100,
    )
    real_cycle = ProgrammeCycle.objects.create(
        year=2025, name="Desa Devisa 2025", opens_on="2025-02-01", closes_on="2025-05-31"
    )
    generate(scale=SMALL, seed=1)

    generate(scale=SMALL, seed=2)

    assert Product.objects.exclude(origin=GENERATED).get() == demo_product
    assert ProgrammeCycle.objects.exclude(origin=GENERATED).get() == real_cycle
    assert ProgrammeCycle.objects.get(origin=GENERATED).year == 2026
    assert Product.objects.filter(origin=GENERATED).count() == SMALL.products


def test_command_reports_the_rows_per_table(reference):
    out = StringIO()

    call_command("generate", scale="small", seed=3, stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Generated the small scale with seed 3 in ")
    assert "  craft units: 2,000" in lines
    assert "  export shipments: 3,000" in lines
    assert "  nominations: 18" in lines


def test_command_without_reference_data_fails_and_names_the_command_to_run():
    with pytest.raises(CommandError) as error:
        call_command("generate", scale="small", stdout=StringIO())

    assert str(error.value) == (
        "Reference data is missing: run `desadevisa load-reference` first "
        "(not found: villages, countries, HS codes)."
    )
    assert not CraftUnit.objects.exists()


def test_generated_products_carry_their_search_documents(reference):
    generate(scale=SMALL)

    for product in Product.objects.select_related("village")[:20]:
        assert product.search_document == product.search_document_build()
        assert product.village.name.lower() in product.search_document


def test_a_share_of_generated_products_is_public_and_found_by_the_catalog(reference):
    from desadevisa.showcase.public import catalog_search

    generate(scale=SMALL)

    public = Product.objects.filter(is_public=True, origin=GENERATED).count()
    assert SMALL.products * 0.4 < public < SMALL.products * 0.8
    product = Product.objects.filter(is_public=True).order_by("pk").first()
    assert product in catalog_search(query=product.name_en)
    assert product in catalog_search(query=product.village.name)
