"""Changes to export shipments and to the exchange-rate table; each records an audit event.

Shipment values are converted to rupiah and US dollars with ``shipment_values_convert``: an
import passes the table it read once (``selectors.exchange_rate_table()``); a form leaves it
out and the two rates it needs are read.

Evidence documents are stored under a random name (``core.uploads.stored_name``); a replaced
or deleted document's file is removed once the change commits, and a new file is removed
again when the change does not commit.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from desadevisa.audit.models import AuditAction
from desadevisa.audit.services import audit_changes, audit_record, audit_snapshot
from desadevisa.core.editing import record_lock_for_edit
from desadevisa.core.uploads import CheckedDocument, stored_name
from desadevisa.exports.models import ExchangeRate, ExportShipment
from desadevisa.exports.permissions import export_shipment_products
from desadevisa.exports.selectors import (
    RUPIAH,
    ExchangeRateTable,
    exchange_rate_table,
    exchange_rate_table_on,
)

__all__ = [
    "ExchangeRateMissing",
    "ExchangeRateTable",
    "exchange_rate_table",
    "shipment_values_convert",
]

DOLLAR = "USD"
CENT = Decimal("0.01")
EVIDENCE_FOLDER = "exports/evidence"
# Sane upper bounds of a village product's shipment; larger numbers are typing mistakes.
QUANTITY_MAX = Decimal("100000000")
VALUE_MAX = Decimal("1000000000000")
VALUE_IDR_MAX = Decimal("10000000000000000")
VALUE_USD_MAX = Decimal("1000000000000")
# The fields of a shipment its forms and imports set, besides the evidence document.
SHIPMENT_FIELDS = (
    "product",
    "destination",
    "shipped_on",
    "quantity",
    "unit",
    "value",
    "currency",
    "value_idr",
    "value_usd",
    "peb_number",
)
EXCHANGE_RATE_FIELDS = ("currency", "valid_from", "idr_per_unit")


class ExportError(Exception):
    """A refused change; ``message`` is translated in the language active when raised."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class ShipmentValuesInvalid(ExportError):
    """The converted values of a shipment are out of bounds."""


class DuplicateRecord(ExportError):
    """Another request recorded the same natural key first."""

    def __init__(self, message: str) -> None:
        super().__init__(str(message))


def _shipment_duplicate() -> DuplicateRecord:
    constraint = next(
        c
        for c in ExportShipment._meta.constraints
        if c.name == "export_shipment_unique_declaration"
    )
    return DuplicateRecord(constraint.violation_error_message)


def _rate_duplicate() -> DuplicateRecord:
    constraint = next(
        c for c in ExchangeRate._meta.constraints if c.name == "exchange_rate_unique_currency_day"
    )
    return DuplicateRecord(constraint.violation_error_message)


class ExchangeRateMissing(ExportError):
    """No rate of ``currency`` applies on ``day``; ``message`` is translated."""

    def __init__(self, currency: str, day: datetime.date) -> None:
        self.currency = currency
        self.day = day
        super().__init__(
            gettext(
                "No exchange rate of %(currency)s applies on %(date)s. Enter the values in IDR "
                "and USD, or add the rate to the exchange-rate table."
            )
            % {"currency": currency, "date": day.isoformat()}
        )


def shipment_values_convert(
    *,
    value: Decimal,
    currency: str,
    shipped_on: datetime.date,
    rates: ExchangeRateTable | None = None,
) -> tuple[Decimal, Decimal]:
    """``(value_idr, value_usd)`` of ``value`` in ``currency`` on ``shipped_on``, to the cent.

    Rupiah need no rate; US dollars are the rupiah amount at the dollar's rate of that day.
    Without ``rates``, reads the two rates it needs (one query). Raises ExchangeRateMissing
    when no rate of the currency (or of the dollar) applies on that day.
    """
    if rates is None:
        needed = {currency, DOLLAR} - {RUPIAH}
        rates = exchange_rate_table_on(currencies=needed, day=shipped_on)
    per_unit = rates.rate(currency, shipped_on)
    if per_unit is None:
        raise ExchangeRateMissing(currency, shipped_on)
    value_idr = value * per_unit
    if currency == DOLLAR:
        value_usd = value
    else:
        per_dollar = rates.rate(DOLLAR, shipped_on)
        if per_dollar is None:
            raise ExchangeRateMissing(DOLLAR, shipped_on)
        value_usd = value_idr / per_dollar
    return (
        value_idr.quantize(CENT, rounding=ROUND_HALF_UP),
        value_usd.quantize(CENT, rounding=ROUND_HALF_UP),
    )


# Shipments ----------------------------------------------------------------------------------


def shipment_values_complete(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with the values in IDR and USD that were left empty converted at the rate
    table; ExchangeRateMissing or ShipmentValuesInvalid when that cannot be done."""
    values = dict(values)
    if values.get("value_idr") is None or values.get("value_usd") is None:
        value_idr, value_usd = shipment_values_convert(
            value=values["value"], currency=values["currency"], shipped_on=values["shipped_on"]
        )
        if values.get("value_idr") is None:
            values["value_idr"] = value_idr
        if values.get("value_usd") is None:
            values["value_usd"] = value_usd
    for name, ceiling in (("value_idr", VALUE_IDR_MAX), ("value_usd", VALUE_USD_MAX)):
        if values[name] <= 0:
            raise ShipmentValuesInvalid(
                gettext(
                    "The value converts to less than one cent. Check the value and currency, or "
                    "enter the values in IDR and USD."
                )
            )
        if values[name] > ceiling:
            raise ShipmentValuesInvalid(
                gettext(
                    "The converted value is larger than any village shipment. Check the value "
                    "and currency."
                )
            )
    return values


def _product_check(*, actor, product) -> None:
    if not export_shipment_products(user=actor).filter(pk=product.pk).exists():
        raise PermissionDenied


def _evidence_store(evidence: CheckedDocument) -> str:
    """Store an accepted evidence document under a random name and return it. Callers discard
    it when their change fails."""
    storage = ExportShipment._meta.get_field("evidence").storage
    return storage.save(stored_name(EVIDENCE_FOLDER, evidence.suffix), evidence.as_file())


def _evidence_delete_on_commit(name: str) -> None:
    if name:
        storage = ExportShipment._meta.get_field("evidence").storage
        transaction.on_commit(partial(storage.delete, name))


def _shipment_scope(shipment: ExportShipment) -> str:
    return shipment.product.village.province_id


def export_shipment_create(
    *, actor, values: dict[str, Any], evidence: CheckedDocument | None = None
) -> ExportShipment:
    """Record a shipment of ``values`` (SHIPMENT_FIELDS; the values in IDR and USD may be None
    to convert them) with an optional evidence document, as ``core.uploads.document_process``
    accepted it.

    PermissionDenied when ``actor`` may not change the product; ExchangeRateMissing or
    ShipmentValuesInvalid when the values cannot be converted.
    """
    _product_check(actor=actor, product=values["product"])
    values = shipment_values_complete(values)
    stored = _evidence_store(evidence) if evidence is not None else ""
    try:
        with transaction.atomic():
            shipment = ExportShipment(**{name: values[name] for name in SHIPMENT_FIELDS})
            shipment.evidence.name = stored
            shipment.save()
            audit_record(
                actor=actor,
                action=AuditAction.CREATED,
                obj=shipment,
                changes=audit_changes({}, audit_snapshot(shipment)),
                province_code=_shipment_scope(shipment),
            )
    except IntegrityError:
        _evidence_discard(stored)
        # The form checked the natural key; another request recorded it in the meantime.
        raise _shipment_duplicate() from None
    except BaseException:
        _evidence_discard(stored)
        raise
    return shipment


def export_shipment_update(
    *,
    shipment: ExportShipment,
    actor,
    seen_version: str,
    values: dict[str, Any],
    evidence: CheckedDocument | None = None,
    remove_evidence: bool = False,
) -> ExportShipment:
    """Change ``shipment`` to ``values``, replace its evidence with ``evidence`` or remove it
    (``remove_evidence``); the old document's file is deleted once the change commits.

    EditConflict when the shipment changed since ``seen_version``; otherwise as
    ``export_shipment_create``.
    """
    _product_check(actor=actor, product=values["product"])
    values = shipment_values_complete(values)
    stored = _evidence_store(evidence) if evidence is not None else ""
    try:
        with transaction.atomic():
            current = record_lock_for_edit(
                ExportShipment, pk=shipment.pk, seen_version=seen_version
            )
            before = audit_snapshot(current)
            for name in SHIPMENT_FIELDS:
                setattr(current, name, values[name])
            old_evidence = current.evidence.name
            if stored or remove_evidence:
                current.evidence.name = stored
                _evidence_delete_on_commit(old_evidence)
            current.save()
            audit_record(
                actor=actor,
                action=AuditAction.CHANGED,
                obj=current,
                changes=audit_changes(before, audit_snapshot(current)),
                province_code=_shipment_scope(current),
            )
    except IntegrityError:
        _evidence_discard(stored)
        raise _shipment_duplicate() from None
    except BaseException:
        _evidence_discard(stored)
        raise
    return current


def export_shipment_delete(*, shipment: ExportShipment, actor) -> None:
    """Delete ``shipment``; its evidence document's file is deleted once the change commits."""
    with transaction.atomic():
        current = ExportShipment.objects.select_for_update().get(pk=shipment.pk)
        audit_record(
            actor=actor,
            action=AuditAction.DELETED,
            obj=current,
            changes=audit_changes(audit_snapshot(current), {}),
            province_code=_shipment_scope(shipment),
        )
        _evidence_delete_on_commit(current.evidence.name)
        current.delete()


def _evidence_discard(name: str) -> None:
    if name:
        ExportShipment._meta.get_field("evidence").storage.delete(name)


# Exchange rates -----------------------------------------------------------------------------


def exchange_rate_create(*, actor, values: dict[str, Any]) -> ExchangeRate:
    """Add a rate of ``values`` (EXCHANGE_RATE_FIELDS) to the table; DuplicateRecord when the
    currency has a rate from that day already."""
    try:
        with transaction.atomic():
            rate = ExchangeRate.objects.create(
                **{name: values[name] for name in EXCHANGE_RATE_FIELDS}
            )
            audit_record(
                actor=actor,
                action=AuditAction.CREATED,
                obj=rate,
                changes=audit_changes({}, audit_snapshot(rate)),
            )
    except IntegrityError:
        raise _rate_duplicate() from None
    return rate


def exchange_rate_update(
    *, rate: ExchangeRate, actor, seen_version: str, values: dict[str, Any]
) -> ExchangeRate:
    """Change ``rate`` to ``values``; EditConflict when it changed since ``seen_version``.
    Shipments already recorded keep the values they were converted to."""
    try:
        with transaction.atomic():
            current = record_lock_for_edit(ExchangeRate, pk=rate.pk, seen_version=seen_version)
            before = audit_snapshot(current)
            for name in EXCHANGE_RATE_FIELDS:
                setattr(current, name, values[name])
            current.save()
            audit_record(
                actor=actor,
                action=AuditAction.CHANGED,
                obj=current,
                changes=audit_changes(before, audit_snapshot(current)),
            )
    except IntegrityError:
        raise _rate_duplicate() from None
    return current


def exchange_rate_delete(*, rate: ExchangeRate, actor) -> None:
    """Delete ``rate`` from the table; recorded shipments keep their values."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.DELETED,
            obj=rate,
            changes=audit_changes(audit_snapshot(rate), {}),
        )
        rate.delete()
