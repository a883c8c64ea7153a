"""Services of export shipments: what forms cannot check alone."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from desadevisa.exports.models import ExportShipment
from desadevisa.exports.services import (
    DuplicateRecord,
    ShipmentValuesInvalid,
    export_shipment_create,
    shipment_values_complete,
)
from desadevisa.exports.tests.factories import ExchangeRateFactory, ExportShipmentFactory


def values_of(shipment, **changes) -> dict:
    values = {
        "product": shipment.product,
        "destination": shipment.destination,
        "shipped_on": shipment.shipped_on,
        "quantity": shipment.quantity,
        "unit": shipment.unit,
        "value": shipment.value,
        "currency": shipment.currency,
        "value_idr": shipment.value_idr,
        "value_usd": shipment.value_usd,
        "peb_number": shipment.peb_number,
    }
    values.update(changes)
    return values


def test_a_shipment_recorded_twice_at_once_is_refused_with_the_constraints_message(
    two_provinces, administrator
):
    shipment = two_provinces.jawa_timur.shipment

    with translation.override("en"), pytest.raises(DuplicateRecord) as error:
        export_shipment_create(actor=administrator, values=values_of(shipment))

    assert error.value.message == (
        "This shipment (product, destination, date and PEB number) is already recorded."
    )


def test_a_person_who_may_not_change_the_product_records_no_shipment(two_provinces, verifier):
    shipment = two_provinces.jawa_timur.shipment

    with pytest.raises(PermissionDenied):
        export_shipment_create(actor=verifier, values=values_of(shipment, peb_number="9"))

    assert not ExportShipment.objects.filter(peb_number="9").exists()


def test_a_value_that_converts_to_less_than_a_cent_is_refused(db):
    ExchangeRateFactory(currency="USD", valid_from=datetime.date(2022, 1, 1))
    shipment = ExportShipmentFactory.build(currency="IDR", value=Decimal("1.00"))

    with translation.override("en"), pytest.raises(ShipmentValuesInvalid) as error:
        shipment_values_complete(values_of(shipment, value_idr=None, value_usd=None))

    assert error.value.message == (
        "The value converts to less than one cent. Check the value and currency, or enter the "
        "values in IDR and USD."
    )


def test_only_the_value_left_empty_is_converted(db):
    ExchangeRateFactory(currency="USD", valid_from=datetime.date(2022, 1, 1))
    shipment = ExportShipmentFactory.build(value=Decimal("100"))

    values = shipment_values_complete(
        values_of(shipment, value_idr=Decimal("1500000"), value_usd=None)
    )

    assert (values["value_idr"], values["value_usd"]) == (Decimal("1500000"), Decimal("100.00"))
