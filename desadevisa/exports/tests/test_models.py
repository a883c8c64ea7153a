from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from desadevisa.exports.tests.factories import ExportShipmentFactory

pytestmark = pytest.mark.django_db


def test_quantity_must_be_more_than_zero():
    with transaction.atomic(), pytest.raises(IntegrityError, match="quantity_positive"):
        ExportShipmentFactory(quantity=Decimal("0"))


def test_value_must_be_more_than_zero():
    with transaction.atomic(), pytest.raises(IntegrityError, match="value_positive"):
        ExportShipmentFactory(value=Decimal("0.00"))


def test_converted_values_must_be_more_than_zero():
    with transaction.atomic(), pytest.raises(IntegrityError, match="converted_values_positive"):
        ExportShipmentFactory(value_usd=Decimal("-5.00"))


def test_shipment_keeps_its_value_in_its_own_currency_and_as_converted():
    shipment = ExportShipmentFactory(
        value=Decimal("480000"),
        currency="JPY",
        value_usd=Decimal("4512.00"),
        value_idr=Decimal("66777600.00"),
    )

    shipment.refresh_from_db()
    assert (shipment.value, shipment.currency, shipment.value_usd, shipment.value_idr) == (
        Decimal("480000.00"),
        "JPY",
        Decimal("4512.00"),
        Decimal("66777600.00"),
    )
