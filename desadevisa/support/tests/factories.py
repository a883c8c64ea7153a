import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from desadevisa.nominations.tests.factories import DesignationFactory
from desadevisa.support.models import (
    DesignDeliverable,
    Disbursement,
    MarketChannel,
    SupportItem,
    SupportKind,
    SupportStatus,
)


class SupportItemFactory(DjangoModelFactory):
    """A financing item by default; the other factories give the other kinds."""

    class Meta:
        model = SupportItem

    designation = factory.SubFactory(DesignationFactory)
    kind = SupportKind.FINANCING
    title = "Kredit modal kerja ekspor"
    partner = "LPEI"
    status = SupportStatus.IN_PROGRESS
    starts_on = datetime.date(2022, 1, 10)
    scheme = "Kredit Usaha Desa Devisa"
    approved_amount_idr = Decimal("500000000")
    approved_on = datetime.date(2022, 1, 10)


class DesignItemFactory(SupportItemFactory):
    kind = SupportKind.PRODUCT_DESIGN
    title = "Desain ulang kursi untuk pasar Eropa"
    partner = "Dekranasda"
    scheme = ""
    approved_amount_idr = None
    approved_on = None
    designer = "Institut Seni Indonesia Surakarta"


class MarketAccessItemFactory(SupportItemFactory):
    kind = SupportKind.MARKET_ACCESS
    title = "Pameran G20 2022"
    scheme = ""
    approved_amount_idr = None
    approved_on = None
    channel = MarketChannel.TRADE_FAIR
    buyers_or_events = "Delegasi G20"


class TrainingItemFactory(SupportItemFactory):
    kind = SupportKind.TRAINING
    title = "Pelatihan ekspor"
    partner = "Disperindag"
    scheme = ""
    approved_amount_idr = None
    approved_on = None
    topic = "Dokumen ekspor"
    participants_women = 12
    participants_men = 8


class DisbursementFactory(DjangoModelFactory):
    class Meta:
        model = Disbursement

    item = factory.SubFactory(SupportItemFactory)
    disbursed_on = datetime.date(2022, 2, 1)
    amount_idr = Decimal("100000000")


class DesignDeliverableFactory(DjangoModelFactory):
    class Meta:
        model = DesignDeliverable

    item = factory.SubFactory(DesignItemFactory)
    title = "Gambar kerja kursi"
    delivered_on = datetime.date(2022, 3, 1)
