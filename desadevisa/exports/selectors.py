"""Reads for export shipments: the shipments a person may see.

A shipment is read by whoever reads its product (``catalog.selectors.product_visibility``):
national roles and verifiers everywhere, provincial officers in their provinces, organisation
managers for their units' products. The public never sees shipments.

The exchange-rate table is read by every signed-in staff member. A rate of a currency applies
from its ``valid_from`` day until the day before the next rate of that currency.
``exchange_rate_table()`` reads the whole table in one query, so that an import of many rows
converts each one (``services.shipment_values_convert``) without another query.
"""

from __future__ import annotations

import datetime
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.shortcuts import get_object_or_404

from desadevisa.accounts.scopes import UserScope, user_scope
from desadevisa.catalog.models import Product
from desadevisa.catalog.selectors import product_visibility
from desadevisa.core.scoping import via
from desadevisa.exports.models import ExchangeRate, ExportShipment
from desadevisa.regions.models import Province

RUPIAH = "IDR"


def export_shipment_visibility(scope: UserScope) -> Q:
    """The shipments ``scope`` reads, as a condition on ExportShipment: those of its products."""
    return via("product", Product, product_visibility(scope))


def export_shipment_scope(*, user) -> QuerySet[ExportShipment]:
    """The shipments ``user`` may read, with the product and destination selected.

    Empty for the anonymous, deactivated accounts and users without a role.
    """
    return ExportShipment.objects.filter(
        export_shipment_visibility(user_scope(user))
    ).select_related("product", "destination")


def export_shipment_get(*, user, pk: int) -> ExportShipment:
    """The shipment ``pk`` if ``user`` may read it; Http404 otherwise."""
    return get_object_or_404(export_shipment_scope(user=user), pk=pk)


def export_shipment_list(*, user) -> QuerySet[ExportShipment]:
    """The shipments ``user`` may read, with what the list page and its export show selected:
    product, its village and province, and the destination."""
    return export_shipment_scope(user=user).select_related(
        "product__village__province", "destination"
    )


def export_shipment_detail(*, user, pk: int) -> ExportShipment:
    """The shipment ``pk`` with its product's village and province, if ``user`` may read it;
    Http404 otherwise."""
    return get_object_or_404(export_shipment_list(user=user), pk=pk)


def export_shipment_sums(shipments: QuerySet[ExportShipment]) -> dict[str, object]:
    """The number of ``shipments`` and their values in USD and IDR, in one query; zero values
    when there are none."""
    sums = shipments.order_by().aggregate(
        count=Count("pk"), value_usd=Sum("value_usd"), value_idr=Sum("value_idr")
    )
    return {
        "count": sums["count"],
        "value_usd": sums["value_usd"] or Decimal("0.00"),
        "value_idr": sums["value_idr"] or Decimal("0.00"),
    }


# The groups shipment totals are derived by: the fields that name a group, in order.
TOTAL_GROUPS: dict[str, tuple[str, ...]] = {
    "village": (
        "product__village_id",
        "product__village__name",
        "product__village__province__name",
    ),
    "product": ("product_id", "product__name_id", "product__village_id", "product__village__name"),
    "country": ("destination_id", "destination__name_en", "destination__name_id"),
    "year": ("year",),
}


def export_shipment_totals(
    *, user, group: str, year: int | None = None
) -> QuerySet[ExportShipment]:
    """The shipments ``user`` reads, totalled per ``group`` (a key of TOTAL_GROUPS), largest
    value in USD first, in one query: each row holds the group's fields, ``count``,
    ``value_usd`` and ``value_idr``. ``year`` keeps the shipments of that year only.
    KeyError for an unknown group.
    """
    fields = TOTAL_GROUPS[group]
    shipments = export_shipment_scope(user=user).select_related(None)
    if year is not None:
        shipments = shipments.filter(shipped_on__year=year)
    if group == "year":
        shipments = shipments.annotate(year=ExtractYear("shipped_on"))
    order = ("-year",) if group == "year" else ("-value_usd", fields[0])
    return (
        shipments.order_by()
        .values(*fields)
        .annotate(count=Count("pk"), value_usd=Sum("value_usd"), value_idr=Sum("value_idr"))
        .order_by(*order)
    )


def export_shipment_years(*, user) -> list[int]:
    """The years in which shipments ``user`` reads were made, latest first, in one query."""
    return [
        day.year
        for day in export_shipment_scope(user=user)
        .select_related(None)
        .dates("shipped_on", "year", order="DESC")
    ]


def export_shipment_provinces(*, user) -> QuerySet[Province]:
    """The provinces of the shipments ``user`` reads, by name: the province filter's choices."""
    shipments = export_shipment_scope(user=user).select_related(None)
    return Province.objects.filter(
        code__in=shipments.values("product__village__province_id")
    ).order_by("name")


def exchange_rate_scope(*, user) -> QuerySet[ExchangeRate]:
    """The exchange-rate table for ``user``: every rate for staff members, by currency and
    latest first; empty for the anonymous and users without a role."""
    if not user_scope(user).is_staff_member:
        return ExchangeRate.objects.none()
    return ExchangeRate.objects.order_by("currency", "-valid_from", "pk")


def exchange_rate_get(*, user, pk: int) -> ExchangeRate:
    """The rate ``pk`` if ``user`` reads the table; Http404 otherwise."""
    return get_object_or_404(exchange_rate_scope(user=user), pk=pk)


def exchange_rate_currencies() -> list[str]:
    """The currencies the table has rates of, alphabetically, in one query."""
    return list(
        ExchangeRate.objects.order_by("currency").values_list("currency", flat=True).distinct()
    )


@dataclass
class ExchangeRateTable:
    """Rates in memory: for each currency, its days (ascending) and rupiah per unit."""

    _days: dict[str, list[datetime.date]] = field(default_factory=dict)
    _rates: dict[str, list[Decimal]] = field(default_factory=dict)

    @classmethod
    def of(cls, rates: Iterable[tuple[str, datetime.date, Decimal]]) -> ExchangeRateTable:
        """A table of ``(currency, valid_from, idr_per_unit)`` rows, in any order."""
        grouped: dict[str, list[tuple[datetime.date, Decimal]]] = defaultdict(list)
        for currency, valid_from, idr_per_unit in rates:
            grouped[currency].append((valid_from, idr_per_unit))
        table = cls()
        for currency, entries in grouped.items():
            entries.sort()
            table._days[currency] = [day for day, _rate in entries]
            table._rates[currency] = [rate for _day, rate in entries]
        return table

    def rate(self, currency: str, day: datetime.date) -> Decimal | None:
        """Rupiah per unit of ``currency`` on ``day``: 1 for IDR; None when no rate applies."""
        if currency == RUPIAH:
            return Decimal(1)
        days = self._days.get(currency)
        if not days:
            return None
        index = bisect_right(days, day) - 1
        return self._rates[currency][index] if index >= 0 else None

    def __len__(self) -> int:
        return sum(len(days) for days in self._days.values())


def exchange_rate_table(
    *, currencies: Iterable[str] | None = None, until: datetime.date | None = None
) -> ExchangeRateTable:
    """The exchange-rate table, in one query: every rate, or those of ``currencies`` valid
    from ``until`` at the latest."""
    rows = ExchangeRate.objects.all()
    if currencies is not None:
        rows = rows.filter(currency__in=list(currencies))
    if until is not None:
        rows = rows.filter(valid_from__lte=until)
    return ExchangeRateTable.of(rows.values_list("currency", "valid_from", "idr_per_unit"))


def exchange_rate_table_on(*, currencies: Iterable[str], day: datetime.date) -> ExchangeRateTable:
    """The rates of ``currencies`` that apply on ``day`` (the latest of each), in one query."""
    condition = Q(pk__in=[])
    for currency in currencies:
        latest = (
            ExchangeRate.objects.filter(currency=currency, valid_from__lte=day)
            .order_by("-valid_from")
            .values("pk")[:1]
        )
        condition |= Q(pk__in=latest)
    return ExchangeRateTable.of(
        ExchangeRate.objects.filter(condition).values_list("currency", "valid_from", "idr_per_unit")
    )
