"""The importer of export shipments."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from desadevisa.catalog.models import Product
from desadevisa.catalog.permissions import PRODUCT_RULES, CatalogAction
from desadevisa.catalog.selectors import product_visibility
from desadevisa.core.scoping import EVERYTHING, NOTHING
from desadevisa.exports.models import ExportShipment
from desadevisa.exports.permissions import EXPORT_SHIPMENT_RULES, ExportAction
from desadevisa.exports.spreadsheets import EXPORT_SHIPMENT_COLUMNS
from desadevisa.imports import fields
from desadevisa.imports.fields import CellError
from desadevisa.imports.importers.base import (
    CREATE,
    MAX_QUANTITY,
    MAX_VALUE,
    MAX_VALUE_IDR,
    OUT_OF_SCOPE,
    Importer,
    Row,
    pairs_filter,
    unknown_village,
    village_code_parser,
    villages_known,
)
from desadevisa.imports.models import ImportKind
from desadevisa.regions.models import Country
from desadevisa.registry.models import (
    QuantityUnit,
)

# Export shipments -----------------------------------------------------------------------------


def country_parser() -> fields.Parser:
    def parse(raw: Any) -> str:
        value = fields.as_text(raw).upper()
        if not value:
            raise CellError(_("This column must not be empty."))
        if len(value) != 2 or not value.isalpha():
            raise CellError(_("Give the country's two-letter ISO code, such as JP or DE."))
        return value

    return fields.described(
        parse, lambda: gettext("The country's two-letter ISO 3166 code, such as JP or DE.")
    )


class ExportShipmentImporter(Importer):
    kind = ImportKind.EXPORT_SHIPMENTS
    model = ExportShipment
    columns = EXPORT_SHIPMENT_COLUMNS
    key = ("village_code", "product", "destination", "shipped_on", "peb_number")
    required = frozenset(
        {"village_code", "product", "destination", "shipped_on", "quantity", "value"}
    )
    compared = {
        "quantity": "quantity",
        "unit": "unit",
        "value": "value",
        "currency": "currency",
        "value_idr": "value_idr",
        "value_usd": "value_usd",
    }

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._rates = None

    def build_parsers(self):
        return {
            "village_code": village_code_parser(),
            "product": fields.text(max_length=200, required=True),
            "destination": country_parser(),
            "shipped_on": fields.date(not_after_today=self.today),
            "quantity": fields.decimal_number(
                places=3, maximum=MAX_QUANTITY, more_than_minimum=True, numbers=self.numbers
            ),
            "unit": fields.choice(QuantityUnit.choices, default=QuantityUnit.PIECE),
            "value": fields.decimal_number(
                places=2, maximum=MAX_VALUE, more_than_minimum=True, numbers=self.numbers
            ),
            "currency": fields.currency(),
            "value_idr": fields.decimal_number(
                places=2,
                maximum=MAX_VALUE_IDR,
                more_than_minimum=True,
                required=False,
                numbers=self.numbers,
            ),
            "value_usd": fields.decimal_number(
                places=2,
                maximum=MAX_VALUE,
                more_than_minimum=True,
                required=False,
                numbers=self.numbers,
            ),
            "peb_number": fields.text(max_length=30),
        }

    def check(self, row):
        values = row.values
        if values["value_idr"] is not None and values["value_usd"] is not None:
            return
        from desadevisa.exports.services import ExchangeRateMissing, shipment_values_convert

        if self._rates is None:
            from desadevisa.exports.services import exchange_rate_table

            self._rates = exchange_rate_table()
        try:
            value_idr, value_usd = shipment_values_convert(
                value=values["value"],
                currency=values["currency"],
                shipped_on=values["shipped_on"],
                rates=self._rates,
            )
        except ExchangeRateMissing as error:
            row.fail("value", error.message)
            return
        for name, converted, maximum, code in (
            ("value_idr", value_idr, MAX_VALUE_IDR, "IDR"),
            ("value_usd", value_usd, MAX_VALUE, "USD"),
        ):
            if values[name] is not None:
                continue
            if converted > maximum:
                row.fail(
                    "value",
                    _("At that day's rate this comes to more than %(maximum)s %(currency)s.")
                    % {"maximum": f"{maximum:,}", "currency": code},
                )
            values[name] = converted
        row.present = row.present | {"value_idr", "value_usd"}

    def check_references(self, rows):
        super().check_references(rows)
        self._check_countries([row for row in rows if "destination" in row.values])

    def _check_countries(self, rows: list[Row]) -> None:
        countries = set(
            Country.objects.filter(
                code__in=sorted({row.values["destination"] for row in rows})
            ).values_list("code", flat=True)
        )
        for row in rows:
            if row.values["destination"] not in countries:
                row.fail(
                    "destination",
                    _("No country has the ISO code %(code)s.")
                    % {"code": row.values["destination"]},
                )

    def resolve(self, rows):
        codes = sorted({row.values["village_code"] for row in rows})
        known = villages_known(codes)
        products = {
            (product.village_id, product.name_id): product
            for product in pairs_filter(
                Product.objects.filter(product_visibility(self.scope)),
                "village_id",
                "name_id",
                ((row.values["village_code"], row.values["product"]) for row in rows),
            )
        }
        for row in rows:
            if row.values["village_code"] not in known:
                unknown_village(row)
            product = products.get((row.values["village_code"], row.values["product"]))
            if product is None and not row.errors:
                row.fail(
                    "product",
                    _("No product of that Indonesian name that you may see is in village %(code)s.")
                    % {"code": row.values["village_code"]},
                )
            row.extra["product"] = product
        self._check_countries(rows)
        rows = [row for row in rows if not row.errors]
        product_ids = sorted({row.extra["product"].pk for row in rows})
        existing = {
            self._stored_key(shipment): shipment
            for shipment in pairs_filter(
                ExportShipment.objects.all(),
                "product_id",
                "shipped_on",
                ((row.extra["product"].pk, row.values["shipped_on"]) for row in rows),
            )
        }
        found = [existing[key] for row in rows if (key := self._row_key(row)) in existing]
        changeable = self.changeable(EXPORT_SHIPMENT_RULES, ExportAction.CHANGE, found)
        readable = self.readable(EXPORT_SHIPMENT_RULES, found)
        writable_products = self._writable_products(product_ids)
        for row in rows:
            shipment = existing.get(self._row_key(row))
            if shipment is not None and shipment.pk in changeable:
                self.compare(row, shipment)
            elif shipment is not None and shipment.pk in readable:
                self.compare_read_only(row, shipment)
            elif shipment is None and row.extra["product"].pk in writable_products:
                row.action = CREATE
            else:
                row.fail("village_code", OUT_OF_SCOPE)

    def _writable_products(self, pks: list[int]) -> set[int]:
        condition = PRODUCT_RULES[CatalogAction.VIEW](self.scope) & PRODUCT_RULES[
            CatalogAction.CHANGE
        ](self.scope)
        if not pks or condition == NOTHING:
            return set()
        if condition == EVERYTHING:
            return set(pks)
        return set(Product.objects.filter(condition, pk__in=pks).values_list("pk", flat=True))

    @staticmethod
    def _stored_key(shipment: ExportShipment) -> tuple:
        return (
            shipment.product_id,
            shipment.destination_id,
            shipment.shipped_on,
            shipment.peb_number,
        )

    @staticmethod
    def _row_key(row: Row) -> tuple:
        values = row.values
        return (
            row.extra["product"].pk,
            values["destination"],
            values["shipped_on"],
            values["peb_number"],
        )

    def build(self, row):
        values = row.values
        return ExportShipment(
            product=row.extra["product"],
            destination_id=values["destination"],
            shipped_on=values["shipped_on"],
            peb_number=values["peb_number"],
            **{attribute: values[name] for name, attribute in self.compared.items()},
        )
