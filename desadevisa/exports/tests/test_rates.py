"""Converting shipment values to rupiah and US dollars at the exchange-rate table."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import translation

from desadevisa.exports.models import ExchangeRate
from desadevisa.exports.services import (
    ExchangeRateMissing,
    ExchangeRateTable,
    exchange_rate_table,
    shipment_values_convert,
)
from desadevisa.exports.tests.factories import ExchangeRateFactory

JAN_1 = datetime.date(2022, 1, 1)
MAR_1 = datetime.date(2022, 3, 1)
FEB_28 = datetime.date(2022, 2, 28)

TABLE = ExchangeRateTable.of(
    [
        ("USD", MAR_1, Decimal("14400")),
        ("USD", JAN_1, Decimal("14300")),
        ("EUR", JAN_1, Decimal("16200")),
        ("JPY", JAN_1, Decimal("124.5")),
    ]
)


def convert(value: str, currency: str, day: datetime.date, rates=TABLE):
    return shipment_values_convert(
        value=Decimal(value), currency=currency, shipped_on=day, rates=rates
    )


def test_rupiah_need_no_rate_and_convert_to_dollars_at_that_days_rate():
    assert convert("1430000", "IDR", FEB_28) == (Decimal("1430000.00"), Decimal("100.00"))


def test_dollars_stay_as_they_are_and_convert_to_rupiah_at_that_days_rate():
    assert convert("100", "USD", FEB_28) == (Decimal("1430000.00"), Decimal("100.00"))


def test_another_currency_converts_to_rupiah_then_to_dollars():
    assert convert("100", "EUR", MAR_1) == (Decimal("1620000.00"), Decimal("112.50"))


def test_values_are_rounded_to_the_cent_half_up():
    assert convert("1", "JPY", MAR_1) == (Decimal("124.50"), Decimal("0.01"))
    assert convert("0.005", "USD", MAR_1) == (Decimal("72.00"), Decimal("0.01"))


def test_a_rate_applies_from_its_first_day():
    assert convert("1", "USD", MAR_1)[0] == Decimal("14400.00")


def test_a_rate_applies_until_the_day_before_the_next_rate():
    assert convert("1", "USD", FEB_28)[0] == Decimal("14300.00")


def test_the_latest_rate_applies_after_its_first_day_without_end():
    assert convert("1", "USD", datetime.date(2030, 1, 1))[0] == Decimal("14400.00")


def test_no_rate_applies_before_the_first_rate_of_the_currency():
    with translation.override("en"), pytest.raises(ExchangeRateMissing) as error:
        convert("100", "EUR", datetime.date(2021, 12, 31))

    assert error.value.message == (
        "No exchange rate of EUR applies on 2021-12-31. Enter the values in IDR and USD, or add "
        "the rate to the exchange-rate table."
    )


def test_a_currency_without_rates_is_missing():
    with pytest.raises(ExchangeRateMissing) as error:
        convert("100", "GBP", MAR_1)

    assert error.value.currency == "GBP"
    assert error.value.day == MAR_1


def test_a_missing_dollar_rate_is_named_when_the_currency_has_one():
    rates = ExchangeRateTable.of([("EUR", JAN_1, Decimal("16200"))])

    with pytest.raises(ExchangeRateMissing) as error:
        convert("100", "EUR", MAR_1, rates)

    assert error.value.currency == "USD"


def test_rupiah_without_a_dollar_rate_are_missing_the_dollar_rate():
    with pytest.raises(ExchangeRateMissing) as error:
        convert("100", "IDR", MAR_1, ExchangeRateTable())

    assert error.value.currency == "USD"


@pytest.mark.django_db
def test_without_a_table_the_rates_of_that_day_are_read_in_one_query(
    django_assert_num_queries,
):
    ExchangeRateFactory(currency="USD", valid_from=JAN_1, idr_per_unit=Decimal("14300"))
    ExchangeRateFactory(currency="USD", valid_from=MAR_1, idr_per_unit=Decimal("14400"))
    ExchangeRateFactory(currency="EUR", valid_from=JAN_1, idr_per_unit=Decimal("16200"))

    with django_assert_num_queries(1):
        values = shipment_values_convert(value=Decimal("100"), currency="EUR", shipped_on=FEB_28)

    assert values == (Decimal("1620000.00"), Decimal("113.29"))


@pytest.mark.django_db
def test_without_a_table_a_missing_rate_is_reported():
    ExchangeRateFactory(currency="USD", valid_from=MAR_1)

    with pytest.raises(ExchangeRateMissing):
        shipment_values_convert(value=Decimal("100"), currency="USD", shipped_on=FEB_28)


@pytest.mark.django_db
def test_the_whole_table_is_read_once_and_converts_many_rows_without_queries(
    django_assert_num_queries,
):
    for month in range(1, 13):
        ExchangeRateFactory(
            currency="USD",
            valid_from=datetime.date(2022, month, 1),
            idr_per_unit=Decimal(14000 + month * 10),
        )

    with django_assert_num_queries(1):
        rates = exchange_rate_table()
        values = [
            convert("10", "USD", datetime.date(2022, month, 15), rates) for month in range(1, 13)
        ]

    assert len(rates) == 12
    assert values[0][0] == Decimal("140100.00")
    assert values[11][0] == Decimal("141200.00")


@pytest.mark.django_db
def test_a_currency_has_one_rate_a_day():
    ExchangeRateFactory(currency="USD", valid_from=JAN_1)

    with pytest.raises(IntegrityError):
        ExchangeRate.objects.create(currency="USD", valid_from=JAN_1, idr_per_unit=Decimal("1"))


@pytest.mark.django_db
def test_a_rate_is_more_than_zero():
    with pytest.raises(IntegrityError):
        ExchangeRate.objects.create(currency="USD", valid_from=JAN_1, idr_per_unit=Decimal("0"))


def test_a_rate_of_an_unknown_currency_is_refused():
    rate = ExchangeRate(currency="XYZ", valid_from=JAN_1, idr_per_unit=Decimal("1"))

    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            rate.full_clean(validate_constraints=False)

        assert error.value.message_dict["currency"] == ["XYZ is not an ISO 4217 currency code."]
