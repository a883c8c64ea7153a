"""The database itself refuses support rows that break the rules, whatever writes them."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from desadevisa.support.models import MarketChannel, SupportKind
from desadevisa.support.tests.factories import (
    DesignItemFactory,
    DisbursementFactory,
    MarketAccessItemFactory,
    SupportItemFactory,
    TrainingItemFactory,
)

pytestmark = pytest.mark.django_db


def refused_by_database(factory, **values) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**values)


@pytest.mark.parametrize(
    ("factory", "values"),
    [
        (SupportItemFactory, {"approved_amount_idr": None}),
        (SupportItemFactory, {"approved_amount_idr": Decimal("0")}),
        (SupportItemFactory, {"approved_amount_idr": Decimal("-1")}),
        (SupportItemFactory, {"approved_on": None}),
        (SupportItemFactory, {"scheme": ""}),
        (SupportItemFactory, {"ends_on": datetime.date(2022, 1, 9)}),
        (DesignItemFactory, {"designer": ""}),
        (DesignItemFactory, {"scheme": "KUR"}),
        (MarketAccessItemFactory, {"channel": ""}),
        (TrainingItemFactory, {"channel": MarketChannel.TRADE_FAIR}),
        (TrainingItemFactory, {"buyers_or_events": "Pembeli"}),
        (TrainingItemFactory, {"participants_men": None}),
        (TrainingItemFactory, {"topic": ""}),
        (SupportItemFactory, {"participants_women": 3}),
        (DisbursementFactory, {"amount_idr": Decimal("0")}),
        (DisbursementFactory, {"amount_idr": Decimal("-100")}),
    ],
)
def test_the_database_refuses_a_row_breaking_a_rule(factory, values):
    refused_by_database(factory, **values)


def test_each_kind_with_its_own_fields_is_accepted():
    rows = [
        SupportItemFactory(),
        DesignItemFactory(),
        MarketAccessItemFactory(),
        TrainingItemFactory(participants_women=0, participants_men=0),
    ]

    assert [row.kind for row in rows] == list(SupportKind.values)


def test_a_broken_rule_reads_as_its_message_in_validation():
    item = SupportItemFactory.build(
        designation=DesignItemFactory().designation, ends_on=datetime.date(2021, 1, 1)
    )

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        item.full_clean()

    assert "The end date cannot be before the start date." in caught.value.messages


def test_the_outstanding_balance_is_derived_from_the_disbursements():
    item = SupportItemFactory(approved_amount_idr=Decimal("300000000"))
    DisbursementFactory(item=item, amount_idr=Decimal("100000000"))
    DisbursementFactory(item=item, amount_idr=Decimal("50000000"))

    assert item.disbursed_idr == Decimal("150000000")
    assert item.outstanding_idr == Decimal("150000000")
    assert TrainingItemFactory().outstanding_idr is None
