"""What support achieved, village by village: derived from the registry, never typed in.

For each village the **support start** D is the earliest start date of its support items that
are not cancelled (whatever the designation they belong to); a village without such an item
has no start, and its figures are not split.

- **Exports** (``export_outcomes``): the value in USD and IDR (as recorded with each shipment,
  at the rate of its day) and the number of the village's export shipments (of products made
  in the village) in the 12 months before D (D minus 12 months up to the day before D), in the
  12 months from D (D up to the day before D plus 12 months), and in all time before D and
  from D on.
- **New destinations** (``new_destinations``): the countries the village first shipped to on
  or after D.
- **Buyers** (``buyer_outcomes``): from the buyer inquiries about the village's products, the
  inquiries received from D on, and the **new buyers**: buyers whose first inquiry to the
  village came on or after D and who placed an order (an inquiry of theirs about the village
  stands at "order" or "shipped"). A buyer is one e-mail address, kept as the inquiry's
  ``buyer_key`` even after its personal data is anonymised, so the figure survives retention.
  Days are taken in the site's time zone.
- **Workforce** (``workforce``): the workers employed now, women and men, in the village's
  active craft units, and the number of those units.

Each function takes many villages at once and answers in one or two aggregate queries,
whatever their number; ``village_outcomes`` gathers them all in six.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, CharField, Count, Min, Q, Sum, Value, When
from django.utils import timezone

from desadevisa.exports.models import ExportShipment
from desadevisa.inquiries.models import Inquiry, InquiryStatus
from desadevisa.registry.models import CraftUnit
from desadevisa.support.models import SupportItem, SupportStatus

WINDOW_MONTHS = 12
# The period of a shipment relative to its village's support start.
EARLIER = "earlier"  # more than 12 months before D
BEFORE = "before"  # the 12 months before D
AFTER = "after"  # the 12 months from D
LATER = "later"  # 12 months or more after D
UNSPLIT = "unsplit"  # the village has no support start


def months_add(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by ``months`` calendar months; the 29th to 31st fall back to the last day
    of a shorter month (2024-02-29 minus 12 months is 2023-02-28). A result beyond the
    calendar (before year 1 or after 9999) stops at its first or last day, so a window around
    an implausible date still has bounds."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if year < datetime.MINYEAR:
        return datetime.date.min
    if year > datetime.MAXYEAR:
        return datetime.date.max
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class ExportFigures:
    """Exports of a period: value in USD and IDR, and the number of shipments."""

    value_usd: Decimal = Decimal(0)
    value_idr: Decimal = Decimal(0)
    shipments: int = 0

    def __add__(self, other: ExportFigures) -> ExportFigures:
        return ExportFigures(
            value_usd=self.value_usd + other.value_usd,
            value_idr=self.value_idr + other.value_idr,
            shipments=self.shipments + other.shipments,
        )


@dataclass(frozen=True)
class ExportOutcome:
    """A village's exports around its support start ``started_on`` (None: no start, and only
    ``all_time`` is filled)."""

    started_on: datetime.date | None
    before_12_months: ExportFigures = field(default_factory=ExportFigures)
    after_12_months: ExportFigures = field(default_factory=ExportFigures)
    before_total: ExportFigures = field(default_factory=ExportFigures)
    after_total: ExportFigures = field(default_factory=ExportFigures)
    all_time: ExportFigures = field(default_factory=ExportFigures)


@dataclass(frozen=True)
class Destination:
    """A country a village exports to, and the day of its first shipment there."""

    code: str
    name_en: str
    name_id: str
    first_shipped_on: datetime.date


@dataclass(frozen=True)
class Workforce:
    """The workers of a village's active craft units today, and the number of those units."""

    active_units: int = 0
    workers_women: int = 0
    workers_men: int = 0

    @property
    def workers(self) -> int:
        return self.workers_women + self.workers_men


@dataclass(frozen=True)
class BuyerFigures:
    """Buyer inquiries about a village's products from its support start on, and the new
    buyers among them who ordered (zeros for a village without a start)."""

    inquiries_after: int = 0
    new_buyers: int = 0


@dataclass(frozen=True)
class VillageOutcome:
    """Everything derived about one village's support: start, exports, destinations, workers."""

    village_code: str
    exports: ExportOutcome
    new_destinations: list[Destination]
    buyers: BuyerFigures
    workforce: Workforce

    @property
    def started_on(self) -> datetime.date | None:
        return self.exports.started_on


def support_start_dates(village_codes: Iterable[str]) -> dict[str, datetime.date]:
    """The support start of each village that has one: the earliest start date of its items
    that are not cancelled. One query."""
    codes = sorted(set(village_codes))
    rows = (
        SupportItem.objects.filter(designation__nomination__village_id__in=codes)
        .exclude(status=SupportStatus.CANCELLED)
        .order_by()
        .values("designation__nomination__village_id")
        .annotate(start=Min("starts_on"))
        .values_list("designation__nomination__village_id", "start")
    )
    return dict(rows)


def _period(starts: dict[str, datetime.date]) -> Case:
    """The period of a shipment relative to its village's start: three bounds per village."""
    whens = []
    for code, start in sorted(starts.items()):
        village = Q(product__village_id=code)
        whens += [
            When(
                village & Q(shipped_on__lt=months_add(start, -WINDOW_MONTHS)), then=Value(EARLIER)
            ),
            When(village & Q(shipped_on__lt=start), then=Value(BEFORE)),
            When(village & Q(shipped_on__lt=months_add(start, WINDOW_MONTHS)), then=Value(AFTER)),
            When(village, then=Value(LATER)),
        ]
    return Case(*whens, default=Value(UNSPLIT), output_field=CharField())


def export_outcomes(
    village_codes: Iterable[str], *, starts: dict[str, datetime.date] | None = None
) -> dict[str, ExportOutcome]:
    """The exports of each village before and after its support start, for every village
    given (none shipped: zeros). Pass ``starts`` from ``support_start_dates`` when already
    read; otherwise read here. Two queries (one with ``starts``)."""
    codes = sorted(set(village_codes))
    if starts is None:
        starts = support_start_dates(codes)
    rows = (
        ExportShipment.objects.filter(product__village_id__in=codes)
        .order_by()
        .annotate(period=_period(starts))
        .values("product__village_id", "period")
        .annotate(usd=Sum("value_usd"), idr=Sum("value_idr"), shipments=Count("pk"))
    )
    figures: dict[str, dict[str, ExportFigures]] = {code: {} for code in codes}
    for row in rows:
        figures[row["product__village_id"]][row["period"]] = ExportFigures(
            value_usd=row["usd"], value_idr=row["idr"], shipments=row["shipments"]
        )
    outcomes = {}
    for code in codes:
        periods = figures[code]
        empty = ExportFigures()
        before = periods.get(BEFORE, empty)
        after = periods.get(AFTER, empty)
        before_total = before + periods.get(EARLIER, empty)
        after_total = after + periods.get(LATER, empty)
        outcomes[code] = ExportOutcome(
            started_on=starts.get(code),
            before_12_months=before,
            after_12_months=after,
            before_total=before_total,
            after_total=after_total,
            all_time=before_total + after_total + periods.get(UNSPLIT, empty),
        )
    return outcomes


def export_destinations(village_codes: Iterable[str]) -> dict[str, list[Destination]]:
    """Every destination of each village's shipments with the day it was first reached, in
    that order. One query."""
    codes = sorted(set(village_codes))
    rows = (
        ExportShipment.objects.filter(product__village_id__in=codes)
        .order_by()
        .values(
            "product__village_id", "destination_id", "destination__name_en", "destination__name_id"
        )
        .annotate(first=Min("shipped_on"))
    )
    destinations: dict[str, list[Destination]] = {code: [] for code in codes}
    for row in rows:
        destinations[row["product__village_id"]].append(
            Destination(
                code=row["destination_id"],
                name_en=row["destination__name_en"],
                name_id=row["destination__name_id"],
                first_shipped_on=row["first"],
            )
        )
    for found in destinations.values():
        found.sort(key=lambda destination: (destination.first_shipped_on, destination.code))
    return destinations


def new_destinations(
    village_codes: Iterable[str], *, starts: dict[str, datetime.date] | None = None
) -> dict[str, list[Destination]]:
    """The countries each village first shipped to on or after its support start, by the day
    first reached (none for a village without a start). Two queries (one with ``starts``)."""
    codes = sorted(set(village_codes))
    if starts is None:
        starts = support_start_dates(codes)
    return {
        code: [
            destination
            for destination in found
            if code in starts and destination.first_shipped_on >= starts[code]
        ]
        for code, found in export_destinations(codes).items()
    }


ORDERED = (InquiryStatus.ORDER, InquiryStatus.SHIPPED)


def _day_start(day: datetime.date) -> datetime.datetime:
    """The first moment of ``day`` in the site's time zone, in UTC; for the calendar's first
    day, which begins before UTC's first moment ahead of UTC, that first moment."""
    moment = datetime.datetime.combine(
        day, datetime.time.min, tzinfo=timezone.get_default_timezone()
    )
    try:
        return moment.astimezone(datetime.UTC)
    except OverflowError:
        return datetime.datetime.min.replace(tzinfo=datetime.UTC)


def buyer_outcomes(
    village_codes: Iterable[str], *, starts: dict[str, datetime.date] | None = None
) -> dict[str, BuyerFigures]:
    """Inquiries from each village's support start on, and the new buyers who ordered.
    Three queries (two with ``starts``)."""
    codes = sorted(set(village_codes))
    if starts is None:
        starts = support_start_dates(codes)
    started = {code: _day_start(day) for code, day in starts.items() if code in codes}
    figures = {code: BuyerFigures() for code in codes}
    if not started:
        return figures
    since_start = Q()
    for code, moment in sorted(started.items()):
        since_start |= Q(product__village_id=code, created_at__gte=moment)
    counts = dict(
        Inquiry.objects.filter(since_start)
        .order_by()
        .values("product__village_id")
        .annotate(inquiries=Count("pk"))
        .values_list("product__village_id", "inquiries")
    )
    buyers = (
        Inquiry.objects.filter(product__village_id__in=sorted(started))
        .order_by()
        .values("product__village_id", "buyer_key")
        .annotate(first=Min("created_at"), ordered=Count("pk", filter=Q(status__in=ORDERED)))
    )
    new_buyers = dict.fromkeys(codes, 0)
    for row in buyers:
        code = row["product__village_id"]
        if row["ordered"] and row["first"] >= started[code]:
            new_buyers[code] += 1
    return {
        code: BuyerFigures(inquiries_after=counts.get(code, 0), new_buyers=new_buyers[code])
        for code in codes
    }


def workforce(village_codes: Iterable[str]) -> dict[str, Workforce]:
    """The active craft units of each village and their workers by gender, today. One query."""
    codes = sorted(set(village_codes))
    rows = (
        CraftUnit.objects.active()
        .filter(village_id__in=codes)
        .order_by()
        .values("village_id")
        .annotate(units=Count("pk"), women=Sum("workers_women"), men=Sum("workers_men"))
    )
    found = {
        row["village_id"]: Workforce(
            active_units=row["units"], workers_women=row["women"], workers_men=row["men"]
        )
        for row in rows
    }
    return {code: found.get(code, Workforce()) for code in codes}


def village_outcomes(village_codes: Iterable[str]) -> dict[str, VillageOutcome]:
    """The outcomes of each village given: support start, exports around it, new destinations,
    buyers and workforce. Six queries, whatever the number of villages."""
    codes = sorted(set(village_codes))
    starts = support_start_dates(codes)
    exports = export_outcomes(codes, starts=starts)
    destinations = new_destinations(codes, starts=starts)
    buyers = buyer_outcomes(codes, starts=starts)
    workers = workforce(codes)
    return {
        code: VillageOutcome(
            village_code=code,
            exports=exports[code],
            new_destinations=destinations[code],
            buyers=buyers[code],
            workforce=workers[code],
        )
        for code in codes
    }
