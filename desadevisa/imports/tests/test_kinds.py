"""Memberships, products and export shipments; every kind's round trip (export, then import:
nothing changes)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.catalog.models import Product
from desadevisa.catalog.spreadsheets import PRODUCT_COLUMNS
from desadevisa.catalog.tests.factories import HSCodeFactory
from desadevisa.core.lists import csv_lines, xlsx_file
from desadevisa.exports.models import ExportShipment
from desadevisa.exports.spreadsheets import EXPORT_SHIPMENT_COLUMNS
from desadevisa.exports.tests.factories import ExchangeRateFactory
from desadevisa.imports.models import ImportJob, ImportKind, ImportStatus
from desadevisa.imports.tests.helpers import (
    checksums,
    csv_bytes,
    headers,
    post_file,
    row_counts,
)
from desadevisa.registry.models import CraftUnit, Membership
from desadevisa.registry.spreadsheets import CRAFT_UNIT_COLUMNS, MEMBERSHIP_COLUMNS

pytestmark = pytest.mark.django_db


def latest_job() -> ImportJob:
    return ImportJob.objects.latest("created_at")


def apply(client, job: ImportJob):
    return client.post(reverse("imports:job-apply", kwargs={"pk": job.pk}))


def exported(columns, rows, file_format: str, language: str) -> bytes:
    with translation.override(language):
        if file_format == "csv":
            return "".join(csv_lines(columns, rows)).encode()
        return xlsx_file(columns, rows).read()


# Round trip -----------------------------------------------------------------------------------

EXPORTS = {
    ImportKind.CRAFT_UNITS: (CRAFT_UNIT_COLUMNS, lambda: CraftUnit.objects.all()),
    ImportKind.MEMBERSHIPS: (
        MEMBERSHIP_COLUMNS,
        lambda: Membership.objects.select_related("craft_unit", "organisation"),
    ),
    ImportKind.PRODUCTS: (PRODUCT_COLUMNS, lambda: Product.objects.prefetch_related("craft_units")),
    ImportKind.EXPORT_SHIPMENTS: (
        EXPORT_SHIPMENT_COLUMNS,
        lambda: ExportShipment.objects.select_related("product"),
    ),
}


@pytest.mark.parametrize("kind", list(EXPORTS))
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["en", "id"])
def test_an_exported_file_imports_without_changing_anything(
    client, administrator, two_provinces, kind, file_format, language
):
    columns, rows = EXPORTS[kind]
    Product.objects.filter(pk=two_provinces.jawa_timur.product.pk).update(
        name_id='=HYPERLINK("x")', description_en='Line one\nline two, "quoted"', is_public=True
    )
    content = exported(columns, rows(), file_format, language)
    sign_in_verified(client, administrator)
    before = checksums()

    post_file(client, kind, content, f"export.{file_format}")

    job = latest_job()
    assert job.status == ImportStatus.READY, job.errors or job.message
    assert (job.to_create, job.to_update, job.unchanged) == (0, 0, rows().count())
    apply(client, job)
    assert checksums() == before


# Memberships ----------------------------------------------------------------------------------


def membership_row(unit, organisation, started_on="2024-01-01", ended_on=""):
    return [
        unit.village_id,
        unit.name,
        organisation.kind,
        organisation.registration_number,
        started_on,
        ended_on,
    ]


def test_a_membership_is_created_and_later_ended(client, administrator, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, administrator)
    header = headers(MEMBERSHIP_COLUMNS)
    unit, organisation = records.neighbour_unit, records.organisation

    post_file(
        client, ImportKind.MEMBERSHIPS, csv_bytes(header, [membership_row(unit, organisation)])
    )
    apply(client, latest_job())
    post_file(
        client,
        ImportKind.MEMBERSHIPS,
        csv_bytes(header, [membership_row(unit, organisation, ended_on="2024-12-31")]),
    )
    job = latest_job()
    apply(client, job)

    assert (job.to_create, job.to_update) == (0, 1)
    membership = Membership.objects.get(craft_unit=unit, organisation=organisation)
    assert membership.ended_on == datetime.date(2024, 12, 31)


def test_membership_rows_with_bad_references_or_dates_are_reported(
    client, administrator, two_provinces
):
    records = two_provinces.jawa_timur
    sign_in_verified(client, administrator)
    unit, organisation = records.neighbour_unit, records.organisation
    ghost = [unit.village_id, "Bengkel Hantu", "cooperative", "AHU-0", "2024-01-01", ""]
    content = csv_bytes(
        headers(MEMBERSHIP_COLUMNS),
        [
            membership_row(unit, organisation, "2024-05-01", "2024-04-30"),
            ghost,
            membership_row(unit, organisation, "2024-02-30"),
            # The neighbour unit is a running member of the neighbour organisation already.
            membership_row(unit, records.neighbour_organisation, "2025-01-01"),
        ],
    )
    before = row_counts()

    post_file(client, ImportKind.MEMBERSHIPS, content)

    village = unit.village_id
    assert latest_job().errors == [
        {"row": 2, "column": "Ended on", "message": "A membership cannot end before it starts."},
        {
            "row": 3,
            "column": "Craft unit",
            "message": f"No craft unit of that name that you may see is in village {village}.",
        },
        {
            "row": 3,
            "column": "Organisation registration number",
            "message": "No organisation of that kind and registration number that you may see.",
        },
        {"row": 4, "column": "Started on", "message": "This date does not exist."},
        {
            "row": 5,
            "column": "Ended on",
            "message": "This craft unit already has a running membership of this organisation "
            f"(since {records.neighbour_membership.started_on.isoformat()}); end that one first.",
        },
    ]
    assert row_counts() == before


def test_a_provincial_officer_cannot_import_memberships_of_another_province(
    client, provincial_officer, two_provinces
):
    central = two_provinces.jawa_tengah
    sign_in_verified(client, provincial_officer)
    content = csv_bytes(
        headers(MEMBERSHIP_COLUMNS),
        [membership_row(central.neighbour_unit, central.organisation)],
    )

    post_file(client, ImportKind.MEMBERSHIPS, content)

    # Units of another province are not even visible: the answer does not say they exist.
    assert [error["column"] for error in latest_job().errors] == [
        "Craft unit",
        "Organisation registration number",
    ]


# Products -------------------------------------------------------------------------------------


def product_row(village_code, name_id, **values):
    row = {
        "name_en": "Djembe drum",
        "description_id": "",
        "description_en": "",
        "hs_code": "9206",
        "materials": "Mahogany",
        "uniqueness_statement": "",
        "origin_statement": "",
        "craft_units": "",
        "price_min": "12.00",
        "price_max": "95.00",
        "currency": "USD",
        "minimum_order": "50",
        "order_unit": "piece",
        "lead_time_days": "45",
        "monthly_capacity": "1000",
        "is_public": "no",
        **values,
    }
    return [village_code, name_id, *row.values()]


def test_a_product_is_created_with_its_makers_and_a_unique_slug(
    client, administrator, two_provinces
):
    records = two_provinces.jawa_timur
    HSCodeFactory(code="920600")
    sign_in_verified(client, administrator)
    village = records.member_unit.village_id
    makers = f"{records.member_unit.name}; {records.neighbour_unit.name}"
    content = csv_bytes(
        headers(PRODUCT_COLUMNS),
        [
            product_row(village, "Kendang Baru", craft_units=makers, hs_code="9206.00"),
            product_row(village, "Kendang Kecil"),
        ],
    )

    post_file(client, ImportKind.PRODUCTS, content)
    apply(client, latest_job())

    product = Product.objects.get(name_id="Kendang Baru")
    assert product.hs_code_id == "920600"
    assert set(product.craft_units.all()) == {records.member_unit, records.neighbour_unit}
    assert product.slug == "djembe-drum"
    assert Product.objects.get(name_id="Kendang Kecil").slug == "djembe-drum-2"


def test_product_rows_with_unknown_hs_codes_makers_or_prices_are_reported(
    client, administrator, two_provinces
):
    village = two_provinces.jawa_timur.member_unit.village_id
    HSCodeFactory(code="92")
    sign_in_verified(client, administrator)
    content = csv_bytes(
        headers(PRODUCT_COLUMNS),
        [
            product_row(village, "A", hs_code="1234"),
            product_row(village, "B", hs_code="92"),
            product_row(village, "C", craft_units="Bengkel Hantu"),
            product_row(village, "D", price_min="100", price_max="10"),
            product_row(village, "E", price_min="-1"),
            product_row(village, "F", currency="XYZ"),
            product_row(village, "G", minimum_order="0"),
        ],
    )
    before = row_counts()

    post_file(client, ImportKind.PRODUCTS, content)

    assert [(e["row"], e["column"], e["message"]) for e in latest_job().errors] == [
        (2, "HS code", "HS code 1234 is not a heading or subheading of HS 2022."),
        (3, "HS code", "An HS code is a heading (4 digits) or a subheading (6 digits)."),
        (
            4,
            "Craft units",
            f"No craft unit named “Bengkel Hantu” in village {village} that you may name as "
            "a maker.",
        ),
        (5, "Lowest FOB price", "The lowest price cannot be above the highest price."),
        (6, "Lowest FOB price", "Cannot be negative."),
        (7, "Currency", "Give an ISO 4217 currency code, such as USD or IDR."),
        (8, "Minimum order", "Must be at least 1."),
    ]
    assert row_counts() == before


def test_a_script_in_a_description_is_stored_as_text_and_shown_escaped(
    client, administrator, two_provinces
):
    product = two_provinces.jawa_timur.product
    script = "<script>alert('x')</script>"
    sign_in_verified(client, administrator)
    row = product_row(
        product.village_id,
        product.name_id,
        name_en=product.name_en,
        description_en=script,
        craft_units=two_provinces.jawa_timur.member_unit.name,
        materials=product.materials,
        uniqueness_statement=product.uniqueness_statement,
        origin_statement=product.origin_statement,
    )

    response = post_file(client, ImportKind.PRODUCTS, csv_bytes(headers(PRODUCT_COLUMNS), [row]))
    page = client.get(response["Location"]).content.decode()
    apply(client, latest_job())

    assert script not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    product.refresh_from_db()
    assert product.description_en == script


def test_a_manager_imports_products_made_by_their_running_member_units_only(
    client, organisation_manager, two_provinces
):
    records = two_provinces.jawa_timur
    village = records.member_unit.village_id
    sign_in_verified(client, organisation_manager)
    content = csv_bytes(
        headers(PRODUCT_COLUMNS),
        [
            product_row(village, "Milik Anggota", craft_units=records.member_unit.name),
            product_row(village, "Milik Tetangga", craft_units=records.neighbour_unit.name),
            product_row(village, "Tanpa Pembuat"),
            product_row(
                village,
                records.neighbour_product.name_id,
                craft_units=records.member_unit.name,
            ),
        ],
    )

    post_file(client, ImportKind.PRODUCTS, content)

    out_of_scope = (
        "You may not import this row: it is outside the records you may create or change."
    )
    assert [(e["row"], e["message"]) for e in latest_job().errors] == [
        (
            3,
            f"No craft unit named “{records.neighbour_unit.name}” in village {village} that "
            "you may name as a maker.",
        ),
        (4, "Name at least one craft unit of your organisation that makes it."),
        (5, out_of_scope),
    ]


def test_a_provincial_officer_is_not_offered_products_or_shipments(
    client, provincial_officer, two_provinces
):
    sign_in_verified(client, provincial_officer)

    response = post_file(client, ImportKind.PRODUCTS, csv_bytes(headers(PRODUCT_COLUMNS), []))

    assert response.status_code == 400
    assert ImportJob.objects.count() == 0
    page = client.get(reverse("imports:import-start")).content.decode()
    assert 'value="craft-units"' in page
    assert 'value="products"' not in page


# Export shipments -----------------------------------------------------------------------------


def shipment_row(product, **values):
    row = {
        "destination": "DE",
        "shipped_on": "2022-03-15",
        "quantity": "10",
        "unit": "piece",
        "value": "1000",
        "currency": "USD",
        "value_idr": "",
        "value_usd": "",
        "peb_number": "PEB-1",
        **values,
    }
    return [product.village_id, product.name_id, *row.values()]


def test_shipment_values_left_empty_are_converted_at_the_rate_of_the_day(
    client, administrator, two_provinces
):
    from desadevisa.regions.tests.factories import CountryFactory

    CountryFactory(code="DE")
    ExchangeRateFactory(currency="USD", valid_from=datetime.date(2022, 1, 1), idr_per_unit=14350)
    ExchangeRateFactory(currency="EUR", valid_from=datetime.date(2022, 1, 1), idr_per_unit=16000)
    product = two_provinces.jawa_timur.product
    sign_in_verified(client, administrator)
    content = csv_bytes(
        headers(EXPORT_SHIPMENT_COLUMNS), [shipment_row(product, currency="EUR", value="1435")]
    )

    post_file(client, ImportKind.EXPORT_SHIPMENTS, content)
    apply(client, latest_job())

    shipment = ExportShipment.objects.get(peb_number="PEB-1")
    assert (shipment.value_idr, shipment.value_usd) == (Decimal("22960000.00"), Decimal("1600.00"))


def test_shipment_rows_in_the_future_or_with_bad_values_are_reported(
    client, administrator, two_provinces
):
    from desadevisa.regions.tests.factories import CountryFactory

    CountryFactory(code="DE")
    product = two_provinces.jawa_timur.product
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    sign_in_verified(client, administrator)
    content = csv_bytes(
        headers(EXPORT_SHIPMENT_COLUMNS),
        [
            shipment_row(product, shipped_on=tomorrow, value_idr="1", value_usd="1"),
            shipment_row(product, destination="XX", value_idr="1", value_usd="1"),
            shipment_row(product, quantity="-3", value_idr="1", value_usd="1"),
            shipment_row(product, value="0", value_idr="1", value_usd="1"),
            shipment_row(product, shipped_on="2022-03-16"),
        ],
    )
    before = row_counts()

    post_file(client, ImportKind.EXPORT_SHIPMENTS, content)

    assert [(e["row"], e["column"], e["message"]) for e in latest_job().errors] == [
        (2, "Shipped on", "The date is in the future."),
        (3, "Destination country (ISO code)", "No country has the ISO code XX."),
        (4, "Quantity", "Must be more than 0."),
        (5, "Value", "Must be more than 0."),
        (
            6,
            "Value",
            "No exchange rate of USD applies on 2022-03-16. Enter the values in IDR and USD, "
            "or add the rate to the exchange-rate table.",
        ),
    ]
    assert row_counts() == before


def test_a_manager_cannot_import_shipments_of_another_organisations_product(
    client, organisation_manager, two_provinces
):
    from desadevisa.regions.tests.factories import CountryFactory

    CountryFactory(code="DE")
    records = two_provinces.jawa_timur
    sign_in_verified(client, organisation_manager)
    content = csv_bytes(
        headers(EXPORT_SHIPMENT_COLUMNS),
        [
            shipment_row(records.product, value_idr="14350000", value_usd="1000"),
            shipment_row(records.neighbour_product, value_idr="14350000", value_usd="1000"),
        ],
    )

    post_file(client, ImportKind.EXPORT_SHIPMENTS, content)

    # The neighbour's product is not readable by this manager: it is "not found".
    village = records.product.village_id
    assert latest_job().errors == [
        {
            "row": 3,
            "column": "Product (Indonesian name)",
            "message": "No product of that Indonesian name that you may see is in village "
            f"{village}.",
        }
    ]
