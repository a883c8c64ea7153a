"""Export shipments of village products: the foreign exchange (devisa) the programme earns."""

from __future__ import annotations

import secrets
from decimal import Decimal
from pathlib import Path

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from desadevisa.catalog.models import validate_currency_code
from desadevisa.core.models import RecordModel
from desadevisa.registry.models import QuantityUnit


def shipment_evidence_path(instance: ExportShipment, filename: str) -> str:
    """Store evidence under a random name: declarations and invoices name people and companies."""
    suffix = Path(filename).suffix.lower()
    return f"exports/evidence/{secrets.token_hex(8)}{suffix}"


class ExportShipment(RecordModel):
    """One shipment of a product abroad, with its value as declared and as converted then."""

    product = models.ForeignKey(
        "catalog.Product",
        models.PROTECT,
        related_name="export_shipments",
        verbose_name=_("product"),
    )
    destination = models.ForeignKey(
        "regions.Country",
        models.PROTECT,
        related_name="export_shipments",
        verbose_name=_("destination country"),
    )
    shipped_on = models.DateField(_("shipped on"))
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    unit = models.CharField(
        _("unit"), max_length=10, choices=QuantityUnit.choices, default=QuantityUnit.PIECE
    )
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    currency = models.CharField(
        _("currency"), max_length=3, default="USD", validators=[validate_currency_code]
    )
    # The converted amounts are recorded with the shipment, at that day's rate, so that export
    # figures never move when exchange rates do.
    value_idr = models.DecimalField(_("value in IDR"), max_digits=20, decimal_places=2)
    value_usd = models.DecimalField(_("value in USD"), max_digits=16, decimal_places=2)
    peb_number = models.CharField(_("export declaration (PEB) number"), max_length=30, blank=True)
    evidence = models.FileField(
        _("evidence document"), upload_to=shipment_evidence_path, blank=True
    )

    class Meta:
        verbose_name = _("export shipment")
        verbose_name_plural = _("export shipments")
        constraints = [
            # The natural key of a shipment, so that importing a file twice adds nothing.
            models.UniqueConstraint(
                fields=["product", "destination", "shipped_on", "peb_number"],
                name="export_shipment_unique_declaration",
                violation_error_message=_(
                    "This shipment (product, destination, date and PEB number) is already recorded."
                ),
            ),
            models.CheckConstraint(
                name="export_shipment_quantity_positive",
                condition=Q(quantity__gt=0),
                violation_error_message=_("The quantity must be more than zero."),
            ),
            models.CheckConstraint(
                name="export_shipment_value_positive",
                condition=Q(value__gt=0),
                violation_error_message=_("The value must be more than zero."),
            ),
            models.CheckConstraint(
                name="export_shipment_converted_values_positive",
                violation_error_message=_("The values in IDR and USD must be more than zero."),
                condition=Q(value_idr__gt=0, value_usd__gt=0),
            ),
        ]
        indexes = [
            # A village's export destinations: the destination and value of its products'
            # shipments, answered from the index alone on PostgreSQL.
            models.Index(
                fields=["product"],
                include=["destination", "value_usd"],
                name="export_shipment_product_dest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} → {self.destination_id} ({self.shipped_on})"


class ExchangeRate(RecordModel):
    """How many rupiah one unit of a currency was worth from ``valid_from`` until the next rate
    of that currency: the table shipment values are converted with."""

    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency_code])
    valid_from = models.DateField(
        _("valid from"), help_text=_("The rate applies from this day until the next rate.")
    )
    idr_per_unit = models.DecimalField(
        _("rupiah per unit"),
        max_digits=18,
        decimal_places=6,
        validators=[MinValueValidator(Decimal("0.000001"))],
        help_text=_("How many Indonesian rupiah (IDR) one unit of the currency is worth."),
    )

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "valid_from"],
                name="exchange_rate_unique_currency_day",
                violation_error_message=_("A rate of this currency from this day already exists."),
            ),
            models.CheckConstraint(
                name="exchange_rate_positive",
                condition=Q(idr_per_unit__gt=0),
                violation_error_message=_("The rate must be more than zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.valid_from}: {self.idr_per_unit} IDR"
