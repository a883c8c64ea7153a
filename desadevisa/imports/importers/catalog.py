"""The importer of products."""

from __future__ import annotations

import functools
import operator
from typing import Any

from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from desadevisa.catalog.models import HSCode, HSLevel, Product
from desadevisa.catalog.permissions import PRODUCT_RULES, CatalogAction, product_maker_choices
from desadevisa.catalog.search import product_search_documents_refresh
from desadevisa.catalog.spreadsheets import PRODUCT_COLUMNS
from desadevisa.imports import fields
from desadevisa.imports.fields import CellError
from desadevisa.imports.importers.base import (
    CREATE,
    MAX_COUNT,
    MAX_LEAD_DAYS,
    MAX_PRICE,
    OUT_OF_SCOPE,
    TEXT_MAX,
    UPDATE,
    Importer,
    Row,
    pairs_filter,
    unknown_village,
    village_code_parser,
    villages_known,
)
from desadevisa.imports.models import ImportKind
from desadevisa.registry.models import (
    CraftUnit,
    QuantityUnit,
)

# Products -------------------------------------------------------------------------------------


def hs_code_parser() -> fields.Parser:
    def parse(raw: Any) -> str:
        value = fields.as_text(raw).replace(".", "").replace(" ", "")
        if not value:
            raise CellError(_("This column must not be empty."))
        if not value.isdigit() or len(value) not in (4, 6):
            raise CellError(_("An HS code is a heading (4 digits) or a subheading (6 digits)."))
        return value

    return fields.described(
        parse,
        lambda: gettext("An HS 2022 heading (4 digits) or subheading (6 digits), e.g. 9206."),
    )


def unit_names_parser() -> fields.Parser:
    def parse(raw: Any) -> tuple[str, ...]:
        value = fields.as_text(raw)
        names = sorted({name.strip() for name in value.split(";") if name.strip()})
        if any(len(name) > 200 for name in names):
            raise CellError(_("A craft unit's name has at most 200 characters."))
        return tuple(names)

    return fields.described(
        parse,
        lambda: gettext(
            "The names of the craft units of the same village that make it, separated by "
            "semicolons."
        ),
    )


class ProductImporter(Importer):
    kind = ImportKind.PRODUCTS
    model = Product
    columns = PRODUCT_COLUMNS
    key = ("village_code", "name_id")
    required = frozenset(
        {
            "village_code",
            "name_id",
            "name_en",
            "hs_code",
            "price_min",
            "price_max",
            "minimum_order",
            "lead_time_days",
            "monthly_capacity",
        }
    )
    compared = {
        "name_en": "name_en",
        "description_id": "description_id",
        "description_en": "description_en",
        "hs_code": "hs_code_id",
        "materials": "materials",
        "uniqueness_statement": "uniqueness_statement",
        "origin_statement": "origin_statement",
        "craft_units": "craft_unit_names",
        "price_min": "price_min",
        "price_max": "price_max",
        "currency": "currency",
        "minimum_order": "minimum_order",
        "order_unit": "order_unit",
        "lead_time_days": "lead_time_days",
        "monthly_capacity": "monthly_capacity",
        "is_public": "is_public",
    }
    related_attributes = frozenset({"craft_unit_names"})

    def build_parsers(self):
        long_text = fields.text(max_length=TEXT_MAX)
        return {
            "village_code": village_code_parser(),
            "name_id": fields.text(max_length=200, required=True),
            "name_en": fields.text(max_length=200, required=True),
            "description_id": long_text,
            "description_en": long_text,
            "hs_code": hs_code_parser(),
            "materials": long_text,
            "uniqueness_statement": long_text,
            "origin_statement": long_text,
            "craft_units": unit_names_parser(),
            "price_min": fields.decimal_number(places=2, maximum=MAX_PRICE, numbers=self.numbers),
            "price_max": fields.decimal_number(places=2, maximum=MAX_PRICE, numbers=self.numbers),
            "currency": fields.currency(),
            "minimum_order": fields.integer(minimum=1, maximum=MAX_COUNT, numbers=self.numbers),
            "order_unit": fields.choice(QuantityUnit.choices, default=QuantityUnit.PIECE),
            "lead_time_days": fields.integer(maximum=MAX_LEAD_DAYS, numbers=self.numbers),
            "monthly_capacity": fields.integer(maximum=MAX_COUNT, numbers=self.numbers),
            "is_public": fields.boolean(default=False),
        }

    def check(self, row):
        if row.values["price_min"] > row.values["price_max"]:
            row.fail("price_min", _("The lowest price cannot be above the highest price."))

    def check_references(self, rows):
        super().check_references(rows)
        rows = [row for row in rows if "hs_code" in row.values]
        known = self._hs_codes(rows)
        for row in rows:
            if row.values["hs_code"] not in known:
                self._unknown_hs_code(row)

    @staticmethod
    def _hs_codes(rows: list[Row]) -> set[str]:
        return set(
            HSCode.objects.filter(
                code__in=sorted({row.values["hs_code"] for row in rows}),
                level__in=[HSLevel.HEADING, HSLevel.SUBHEADING],
            ).values_list("code", flat=True)
        )

    @staticmethod
    def _unknown_hs_code(row: Row) -> None:
        row.fail(
            "hs_code",
            _("HS code %(code)s is not a heading or subheading of HS 2022.")
            % {"code": row.values["hs_code"]},
        )

    def resolve(self, rows):
        codes = sorted({row.values["village_code"] for row in rows})
        known = villages_known(codes)
        hs_codes = self._hs_codes(rows)
        named = pairs_filter(
            CraftUnit.objects.all(),
            "village_id",
            "name",
            (
                (row.values["village_code"], name)
                for row in rows
                for name in row.values["craft_units"]
            ),
        )
        units = {
            (village_id, name): pk
            for pk, village_id, name in ((unit.pk, unit.village_id, unit.name) for unit in named)
        }
        makers = set(
            product_maker_choices(user=self.user)
            .filter(pk__in=sorted(units.values()))
            .values_list("pk", flat=True)
        )
        existing = {
            (product.village_id, product.name_id): product
            for product in pairs_filter(
                Product.objects.prefetch_related("craft_units"),
                "village_id",
                "name_id",
                (self.key_of(row) for row in rows),
            )
        }
        for product in existing.values():
            product.craft_unit_names = tuple(
                sorted(unit.name for unit in product.craft_units.all())
            )
        found = [existing[key] for row in rows if (key := self.key_of(row)) in existing]
        changeable = self.changeable(PRODUCT_RULES, CatalogAction.CHANGE, found)
        readable = self.readable(PRODUCT_RULES, found)
        may_create = self.scope.is_national or bool(self.scope.organisation_ids)
        for row in rows:
            code = row.values["village_code"]
            if code not in known:
                unknown_village(row)
                if row.values["hs_code"] not in hs_codes:
                    self._unknown_hs_code(row)
                continue
            product = existing.get(self.key_of(row))
            if product is not None and product.pk not in changeable and product.pk in readable:
                self.compare_read_only(row, product)
                continue
            if not (
                (product is not None and product.pk in changeable)
                or (product is None and may_create)
            ):
                row.fail("village_code", OUT_OF_SCOPE)
                continue
            if row.values["hs_code"] not in hs_codes:
                self._unknown_hs_code(row)
            unit_ids = []
            kept = set(product.craft_units.all()) if product is not None else set()
            kept_ids = {unit.pk for unit in kept}
            for name in row.values["craft_units"]:
                pk = units.get((code, name))
                if pk is not None and pk not in makers and pk not in kept_ids:
                    pk = None
                if pk is None:
                    row.fail(
                        "craft_units",
                        _(
                            "No craft unit named “%(name)s” in village %(code)s that you may "
                            "name as a maker."
                        )
                        % {"name": name, "code": code},
                    )
                unit_ids.append(pk)
            if not self.scope.is_national and not makers.intersection(unit_ids) and not row.errors:
                row.fail(
                    "craft_units",
                    _("Name at least one craft unit of your organisation that makes it."),
                )
            if row.errors:
                continue
            row.extra["unit_ids"] = unit_ids
            if product is None:
                row.action = CREATE
            else:
                self.compare(row, product)

    def build(self, row):
        values = row.values
        product = Product(
            village_id=values["village_code"],
            name_id=values["name_id"],
            **{
                attribute: values[name]
                for name, attribute in self.compared.items()
                if attribute not in self.related_attributes
            },
        )
        product.slug = row.extra["slug"]
        return product

    def write(self, rows, *, now):
        self._assign_slugs([row for row in rows if row.action == CREATE])
        super().write(rows, now=now)

    def _assign_slugs(self, rows: list[Row]) -> None:
        if not rows:
            return
        bases = {
            row.number: slugify(row.values["name_en"])[:190].strip("-") or "product" for row in rows
        }
        condition = functools.reduce(
            operator.or_, (Q(slug__startswith=base) for base in set(bases.values()))
        )
        taken = set(Product.objects.filter(condition).values_list("slug", flat=True))
        for row in rows:
            base = bases[row.number]
            slug, number = base, 1
            while slug in taken:
                number += 1
                slug = f"{base}-{number}"
            taken.add(slug)
            row.extra["slug"] = slug

    def after_write(self, rows, *, now):
        through = Product.craft_units.through
        replaced = [
            row.instance.pk for row in rows if row.action == UPDATE and "craft_units" in row.changes
        ]
        if replaced:
            through.objects.filter(product_id__in=replaced).delete()
        links = [
            through(product_id=row.instance.pk, craftunit_id=pk)
            for row in rows
            if row.action == CREATE or (row.action == UPDATE and "craft_units" in row.changes)
            for pk in row.extra["unit_ids"]
        ]
        if links:
            through.objects.bulk_create(links)
        # Bulk writes bypass Product.save(), which keeps the search document.
        written = sorted(row.instance.pk for row in rows if row.action in (CREATE, UPDATE))
        if written:
            product_search_documents_refresh(product_ids=written)
