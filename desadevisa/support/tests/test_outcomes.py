"""Outcomes derived from the registry around each village's support start, many villages at
once, on both databases."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from desadevisa.catalog.tests.factories import ProductFactory
from desadevisa.exports.tests.factories import ExportShipmentFactory
from desadevisa.inquiries.models import Inquiry, InquiryStatus
from desadevisa.inquiries.tests.factories import InquiryFactory
from desadevisa.nominations.tests.factories import DesignationFactory
from desadevisa.regions.tests.factories import CountryFactory
from desadevisa.registry.tests.factories import CraftUnitFactory
from desadevisa.support.models import SupportStatus
from desadevisa.support.outcomes import (
    BuyerFigures,
    ExportFigures,
    months_add,
    support_start_dates,
    village_outcomes,
)
from desadevisa.support.tests.factories import (
    DesignItemFactory,
    SupportItemFactory,
    TrainingItemFactory,
)

START = datetime.date(2022, 1, 10)
RATE = Decimal("15000")


def ship(product, country, day, usd):
    return ExportShipmentFactory(
        product=product,
        destination=CountryFactory(code=country),
        shipped_on=day,
        value=Decimal(usd),
        value_usd=Decimal(usd),
        value_idr=Decimal(usd) * RATE,
    )


def figures(usd, shipments):
    return ExportFigures(value_usd=Decimal(usd), value_idr=Decimal(usd) * RATE, shipments=shipments)


@pytest.fixture
def supported(db):
    """A designated village whose support started on START (its financing), with an earlier
    item that was cancelled, and shipments on both sides of START."""
    designation = DesignationFactory()
    village = designation.nomination.village
    product = designation.nomination.flagship_product
    SupportItemFactory(designation=designation, starts_on=START, approved_on=START)
    DesignItemFactory(
        designation=designation,
        starts_on=datetime.date(2021, 12, 1),
        status=SupportStatus.CANCELLED,
    )
    TrainingItemFactory(designation=designation, starts_on=datetime.date(2022, 3, 1))
    second_product = ProductFactory(village=village)
    ship(product, "US", datetime.date(2020, 6, 1), 1000)  # earlier than the 12 months
    ship(product, "NL", datetime.date(2021, 1, 9), 500)  # the day before the 12 months
    ship(product, "US", datetime.date(2021, 1, 10), 2000)  # first day of the 12 months before
    ship(second_product, "DE", datetime.date(2022, 1, 9), 3000)  # the day before START
    ship(product, "JP", START, 4000)  # START itself: after, and a new destination
    ship(product, "DE", datetime.date(2022, 6, 1), 700)  # after, an old destination
    ship(second_product, "US", datetime.date(2023, 1, 9), 5000)  # last day of the 12 months
    ship(product, "KR", datetime.date(2023, 1, 10), 6000)  # later, a new destination
    CraftUnitFactory(village=village, workers_women=7, workers_men=3)
    CraftUnitFactory(village=village, workers_women=5, workers_men=0)
    CraftUnitFactory(village=village, workers_women=9, workers_men=9, is_active=False)
    return village


@pytest.fixture
def unsupported(db):
    """A village with shipments and workers but no support plan."""
    product = ProductFactory()
    ship(product, "SG", datetime.date(2022, 5, 1), 800)
    CraftUnitFactory(village=product.village, workers_women=2, workers_men=2)
    return product.village


def test_the_support_start_is_the_earliest_item_that_is_not_cancelled(supported, unsupported):
    assert support_start_dates([supported.code, unsupported.code]) == {supported.code: START}


def test_exports_are_split_at_the_support_start(supported):
    exports = village_outcomes([supported.code])[supported.code].exports

    assert exports.started_on == START
    assert exports.before_12_months == figures(5000, 2)
    assert exports.after_12_months == figures(9700, 3)
    assert exports.before_total == figures(6500, 4)
    assert exports.after_total == figures(15700, 4)
    assert exports.all_time == figures(22200, 8)


def test_new_destinations_are_those_first_reached_from_the_support_start(supported):
    outcome = village_outcomes([supported.code])[supported.code]

    assert [(d.code, d.first_shipped_on) for d in outcome.new_destinations] == [
        ("JP", START),
        ("KR", datetime.date(2023, 1, 10)),
    ]
    assert outcome.new_destinations[0].name_en == "Japan"


def test_workers_are_counted_in_the_active_craft_units(supported):
    workforce = village_outcomes([supported.code])[supported.code].workforce

    assert (workforce.active_units, workforce.workers_women, workforce.workers_men) == (2, 12, 3)
    assert workforce.workers == 15


def test_a_village_without_support_has_its_exports_unsplit(unsupported):
    outcome = village_outcomes([unsupported.code])[unsupported.code]

    assert outcome.started_on is None
    assert outcome.exports.all_time == figures(800, 1)
    assert outcome.exports.before_total == outcome.exports.after_total == ExportFigures()
    assert outcome.new_destinations == []
    assert outcome.workforce.workers == 4


def test_a_village_with_nothing_recorded_has_zeros(db):
    village = DesignationFactory().nomination.village

    outcome = village_outcomes([village.code])[village.code]

    assert outcome.exports.all_time == ExportFigures()
    assert outcome.workforce.active_units == 0


def inquire(product, email, moment, status=InquiryStatus.NEW):
    shipment = ship(product, "AU", moment.date(), 10) if status == InquiryStatus.SHIPPED else None
    return InquiryFactory(
        product=product,
        email=email,
        created_at=moment,
        status=status,
        shipment=shipment,
        country=shipment.destination if shipment else CountryFactory(code="AU"),
    )


def local(day, hour=0, minute=0):
    return datetime.datetime(
        day.year, day.month, day.day, hour, minute, tzinfo=timezone.get_default_timezone()
    )


def test_new_buyers_first_asked_from_the_support_start_and_ordered(supported):
    product = supported.products.first()
    before = START - datetime.timedelta(days=30)
    inquire(product, "old@example.com", local(before))  # an earlier buyer...
    inquire(product, "old@example.com", local(START, 9), InquiryStatus.ORDER)  # ...orders later
    inquire(product, "new@example.com", local(START), InquiryStatus.SHIPPED)  # new, first moment
    inquire(product, "new@example.com", local(START, 10))  # the same buyer again
    inquire(product, "looking@example.com", local(START, 11), InquiryStatus.CONTACTED)
    inquire(product, "lost@example.com", local(START, 12), InquiryStatus.LOST)
    inquire(product, "late@example.com", local(START - datetime.timedelta(days=1), 23, 59))

    buyers = village_outcomes([supported.code])[supported.code].buyers

    assert buyers == BuyerFigures(inquiries_after=5, new_buyers=1)


def test_an_anonymised_inquiry_still_counts_its_buyer(supported):
    product = supported.products.first()
    inquiry = inquire(product, "anon@example.com", local(START, 8), InquiryStatus.ORDER)
    Inquiry.objects.filter(pk=inquiry.pk).update(name="—", email="", phone="", message="")

    buyers = village_outcomes([supported.code])[supported.code].buyers

    assert buyers == BuyerFigures(inquiries_after=1, new_buyers=1)


def test_a_village_without_support_has_no_buyer_figures(unsupported):
    inquire(unsupported.products.first(), "b@example.com", local(START), InquiryStatus.ORDER)

    assert village_outcomes([unsupported.code])[unsupported.code].buyers == BuyerFigures()


def test_many_villages_are_answered_together_in_six_queries(
    supported, unsupported, django_assert_num_queries
):
    inquire(supported.products.first(), "b@example.com", local(START), InquiryStatus.ORDER)
    with django_assert_num_queries(6):
        one = village_outcomes([supported.code])
    others = []
    for day in (datetime.date(2021, 5, 1), datetime.date(2023, 2, 1)):
        item = SupportItemFactory(starts_on=day, approved_on=day)
        ship(item.designation.nomination.flagship_product, "US", datetime.date(2022, 6, 1), 100)
        others.append(item.designation.nomination.village)

    with django_assert_num_queries(6):
        many = village_outcomes([supported.code, unsupported.code, *(v.code for v in others)])

    assert many[supported.code] == one[supported.code]
    assert many[others[0].code].exports.after_12_months == figures(0, 0)
    assert many[others[0].code].exports.after_total == figures(100, 1)
    assert many[others[1].code].exports.before_12_months == figures(100, 1)
    assert [d.code for d in many[others[0].code].new_destinations] == ["US"]
    assert many[others[1].code].new_destinations == []


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2022, 1, 10), -12, datetime.date(2021, 1, 10)),
        (datetime.date(2022, 1, 10), 12, datetime.date(2023, 1, 10)),
        (datetime.date(2024, 2, 29), -12, datetime.date(2023, 2, 28)),
        (datetime.date(2022, 3, 31), -1, datetime.date(2022, 2, 28)),
        (datetime.date(2022, 12, 15), 1, datetime.date(2023, 1, 15)),
    ],
)
def test_months_are_calendar_months(day, months, expected):
    assert months_add(day, months) == expected
