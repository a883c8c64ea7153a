import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from desadevisa.catalog.tests.factories import ProductFactory
from desadevisa.exports.models import ExchangeRate, ExportShipment
from desadevisa.regions.tests.factories import CountryFactory


class ExportShipmentFactory(DjangoModelFactory):
    class Meta:
        model = ExportShipment

    product = factory.SubFactory(ProductFactory)
    destination = factory.SubFactory(CountryFactory)
    shipped_on = datetime.date(2022, 3, 15)
    quantity = Decimal("200")
    value = Decimal("6000.00")
    currency = "USD"
    value_usd = Decimal("6000.00")
    value_idr = Decimal("86100000.00")
    peb_number = factory.Sequence(lambda n: f"{n:06d}")


class ExchangeRateFactory(DjangoModelFactory):
    class Meta:
        model = ExchangeRate
        django_get_or_create = ["currency", "valid_from"]

    currency = "USD"
    valid_from = datetime.date(2022, 1, 1)
    idr_per_unit = Decimal("14350")
