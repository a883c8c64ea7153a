"""Shipment totals per village, product, country and year: selectors and the staff page."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.audit.models import AuditAction, AuditEvent
from desadevisa.exports.selectors import export_shipment_totals
from desadevisa.exports.tests.factories import ExportShipmentFactory
from desadevisa.regions.tests.factories import CountryFactory

URL = "/en/exports/shipments/totals/"


@pytest.fixture
def shipments(two_provinces):
    """Jawa Timur's product ships twice more: to Japan in 2021 and 2022."""
    records = two_provinces.jawa_timur
    japan = CountryFactory(code="JP")
    for year, usd in ((2021, "1000.00"), (2022, "500.00")):
        ExportShipmentFactory(
            product=records.product,
            destination=japan,
            shipped_on=datetime.date(year, 6, 1),
            value_usd=Decimal(usd),
            value_idr=Decimal(usd) * 14000,
        )
    return two_provinces


def test_totals_per_village_cover_the_scope_only(shipments):
    rows = list(export_shipment_totals(user=shipments.jawa_timur.officer, group="village"))

    village = shipments.jawa_timur.product.village
    assert rows == [
        {
            "product__village_id": village.code,
            "product__village__name": village.name,
            "product__village__province__name": "Jawa Timur",
            "count": 4,
            "value_usd": Decimal("13500.00"),
            "value_idr": Decimal("193200000.00"),
        }
    ]


def test_totals_per_product_are_largest_first(shipments):
    records = shipments.jawa_timur
    rows = list(export_shipment_totals(user=records.officer, group="product"))

    assert [(row["product_id"], row["count"], row["value_usd"]) for row in rows] == [
        (records.product.pk, 3, Decimal("7500.00")),
        (records.neighbour_product.pk, 1, Decimal("6000.00")),
    ]


def test_totals_per_country(shipments):
    rows = list(export_shipment_totals(user=shipments.jawa_timur.manager, group="country"))

    assert [(row["destination_id"], row["count"]) for row in rows] == [("US", 1), ("JP", 2)]


def test_totals_per_year_latest_first(shipments):
    rows = list(export_shipment_totals(user=shipments.jawa_timur.manager, group="year"))

    assert [(row["year"], row["count"], row["value_usd"]) for row in rows] == [
        (2022, 2, Decimal("6500.00")),
        (2021, 1, Decimal("1000.00")),
    ]


def test_totals_of_one_year(shipments):
    rows = list(
        export_shipment_totals(user=shipments.jawa_timur.manager, group="country", year=2021)
    )

    assert [(row["destination_id"], row["count"]) for row in rows] == [("JP", 1)]


@pytest.mark.parametrize("group", ["village", "product", "country", "year"])
def test_each_total_is_one_query(shipments, django_assert_num_queries, group):
    officer = shipments.jawa_timur.officer
    officer.refresh_from_db()
    export_shipment_totals(user=officer, group="year").count()  # the scope is read once

    with django_assert_num_queries(1):
        list(export_shipment_totals(user=officer, group=group))


def test_an_unknown_group_is_refused(shipments):
    with pytest.raises(KeyError):
        export_shipment_totals(user=shipments.jawa_timur.officer, group="organisation")


def test_national_readers_total_every_province(shipments, verifier):
    rows = list(export_shipment_totals(user=verifier, group="village"))

    assert {row["product__village__province__name"] for row in rows} == {
        "Jawa Timur",
        "Jawa Tengah",
    }


# The page -------------------------------------------------------------------------------------


def test_the_page_shows_the_totals_of_the_group_asked_for(client, shipments):
    sign_in_verified(client, shipments.jawa_timur.officer)

    response = client.get(URL, {"group": "year"})

    assert response.status_code == 200
    assert [row["year"] for row in response.context["rows"]] == [2022, 2021]
    assert "13,500.00" not in response.text
    assert "12,500.00" in response.text


def test_the_page_falls_back_to_villages_for_an_unknown_group(client, shipments):
    sign_in_verified(client, shipments.jawa_timur.officer)

    response = client.get(URL, {"group": "<script>", "year": "1900"})

    assert response.status_code == 200
    assert response.context["group"] == "village"
    assert response.context["year"] is None
    assert "<script>" not in response.text


@pytest.mark.parametrize("count", [1, 20])
def test_the_page_runs_the_same_queries_for_one_shipment_and_many(
    client, administrator, django_assert_num_queries, count
):
    for _shipment in range(count):
        ExportShipmentFactory()
    sign_in_verified(client, administrator)

    # Session, user, two-factor device, roles; the years; whether demonstration data is in
    # scope; the totals; the session's saved activity clock (a savepoint around one update).
    with django_assert_num_queries(10):
        response = client.get(URL, {"group": "product"})

    assert len(response.context["rows"]) == count


def test_the_totals_export_as_csv_in_scope(client, shipments):
    sign_in_verified(client, shipments.jawa_timur.manager)

    response = client.get(URL, {"group": "country", "export": "csv"})

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        [
            "Destination country (ISO code)",
            "Destination country",
            "Shipments",
            "Value in USD",
            "Value in IDR",
        ],
        ["US", "United States", "1", "6000.00", "86100000.00"],
        ["JP", "Japan", "2", "1500.00", "21000000.00"],
    ]
    assert response["Content-Disposition"].startswith(
        'attachment; filename="export-shipment-totals-country-'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.latest("pk").action == AuditAction.EXPORTED


def test_the_totals_export_as_xlsx_escapes_formulas(client, administrator):
    ExportShipmentFactory(product__name_id="=1+2")
    sign_in_verified(client, administrator)

    response = client.get(URL, {"group": "product", "export": "xlsx"})

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    assert values[1][2] == "'=1+2"
    assert values[1][3] == 1
