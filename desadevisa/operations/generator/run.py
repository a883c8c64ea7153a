"""Generate a deterministic synthetic programme on the real region codes, labelled as generated.

Every table draws from its own random stream seeded with the seed and the table's name, so the
same seed and scale give the same rows whatever else changes. Regions, countries and HS codes
are read in code order, sorted here rather than by the database, whose collation may differ.
Dates and timestamps count from fixed days, never from the clock.
"""

import random
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Count
from django.utils.text import slugify

from desadevisa.catalog.models import HSCode, Product, search_document_text
from desadevisa.core.models import DataOrigin
from desadevisa.exports.models import ExportShipment
from desadevisa.nominations.models import (
    NOMINATION_QUOTA_STATES,
    Nomination,
    NominationState,
    ProgrammeCycle,
    ProvinceQuota,
)
from desadevisa.operations.demo import ReferenceDataMissing
from desadevisa.operations.generator import words
from desadevisa.operations.generator.scales import Scale, VillageChoice
from desadevisa.operations.generator.writer import Progress, ids_reserved, rows_write
from desadevisa.regions.models import Country, Province, Village
from desadevisa.registry.models import (
    CraftUnit,
    Membership,
    Organisation,
    OrganisationKind,
    VillageProfile,
)

GENERATED = DataOrigin.GENERATED.value
# Generated rows all carry this creation time, so that they do not depend on the day of the run.
STAMP = datetime(2025, 1, 1, tzinfo=UTC)
FIRST_SHIPMENT_DAY = date(2021, 1, 1)
SHIPMENT_DAYS = 5 * 365
FIRST_MEMBERSHIP_DAY = date(2015, 1, 1)
CYCLE_YEAR = 2025
DESTINATIONS = 150
# The share of generated products shown on the public showcase.
PUBLIC_PRODUCT_SHARE = 0.6
# Rupiah per US dollar by year and units of other currencies per US dollar: round figures,
# close enough for figures that only have to look plausible.
IDR_PER_USD = {2021: 14_300, 2022: 14_850, 2023: 15_250, 2024: 15_850, 2025: 16_400}
CURRENCIES = (("USD", 1.0), ("EUR", 0.92), ("JPY", 145.0), ("AUD", 1.5), ("SGD", 1.34))
CURRENCY_WEIGHTS = (80, 8, 6, 3, 3)
ORGANISATION_KINDS = tuple(OrganisationKind.values)
NOMINATION_STATES = tuple(NominationState.values)
QUOTA_STATES = {state.value for state in NOMINATION_QUOTA_STATES}

# Deletion order: every table before the tables it refers to.
GENERATED_MODELS = (
    ExportShipment,
    Nomination,
    ProvinceQuota,
    ProgrammeCycle,
    Product,
    Membership,
    CraftUnit,
    Organisation,
    VillageProfile,
)
COMMON_FIELDS = ("origin", "created_at", "updated_at")
# Code, name, latitude, longitude, province code, then the names of the district, regency and
# province, which go into the products' search documents.
VillageRow = tuple[str, str, Any, Any, str, str, str, str]


@dataclass
class GenerationSummary:
    """The rows written per table, in the order written."""

    scale: str
    seed: int
    tables: list[tuple[str, int]] = field(default_factory=list)


@dataclass(frozen=True)
class Villages:
    """The villages generated data stands on, in code order, with their craft units.

    Craft units are numbered village by village: the units of village ``v`` are those from
    ``unit_starts[v]`` up to ``unit_starts[v + 1]``, which needs no per-unit lookup table.
    """

    codes: list[str]
    names: list[str]
    locations: list[tuple[Any, Any]]
    provinces: list[str]
    # The region names of each village in its products' search documents.
    places: list[tuple[str, ...]]
    commodities: list[int]
    unit_starts: list[int]

    def of_unit(self, unit: int) -> int:
        return bisect_right(self.unit_starts, unit) - 1

    def units(self, village: int) -> range:
        return range(self.unit_starts[village], self.unit_starts[village + 1])


def generated_delete() -> dict[str, int]:
    """Delete every generated row, tables referring to others first; other rows stay."""
    deleted = {}
    with transaction.atomic(), connection.cursor() as cursor:
        links = Product.craft_units.through
        quote = connection.ops.quote_name
        cursor.execute(
            f"DELETE FROM {quote(links._meta.db_table)} WHERE "  # noqa: S608
            f"{quote(links._meta.get_field('product').column)} IN "
            f"(SELECT id FROM {quote(Product._meta.db_table)} WHERE origin = %s)",
            [GENERATED],
        )
        for model in GENERATED_MODELS:
            cursor.execute(
                f"DELETE FROM {quote(model._meta.db_table)} WHERE origin = %s",  # noqa: S608
                [GENERATED],
            )
            deleted[model._meta.label] = cursor.rowcount
    return deleted


def generate(*, scale: Scale, seed: int = 1, progress: Progress | None = None) -> GenerationSummary:
    """Replace the generated data by the scale's rows for the seed.

    Needs the reference data; raises ReferenceDataMissing, before deleting anything, when
    regions, countries or the HS codes of the vocabulary are not in the database.
    """
    village_rows = _villages_select(scale)
    countries = sorted(Country.objects.values_list("code", flat=True))
    known_codes = set(
        HSCode.objects.filter(code__in={c.hs_code for c in words.COMMODITIES}).values_list(
            "code", flat=True
        )
    )
    commodities = [c for c in words.COMMODITIES if c.hs_code in known_codes]
    missing = [
        name
        for name, found in (
            ("villages", village_rows),
            ("countries", countries),
            ("HS codes", commodities),
        )
        if not found
    ]
    if missing:
        raise ReferenceDataMissing(missing)

    generated_delete()
    summary = GenerationSummary(scale=scale.name, seed=seed)
    generator = _Generator(scale, seed, commodities, countries, village_rows, progress)
    summary.tables = generator.run()
    return summary


def _villages_select(scale: Scale) -> list[VillageRow]:
    villages = Village.objects.all()
    if scale.villages != VillageChoice.ALL:
        counts = sorted(
            (row["province"], row["villages"])
            for row in Village.objects.values("province").annotate(villages=Count("code"))
        )
        if not counts:
            return []
        if scale.villages == VillageChoice.FIRST_PROVINCE:
            province = counts[0][0]
        else:
            province = min(counts, key=lambda row: (-row[1], row[0]))[0]
        villages = villages.filter(province=province)
    rows = sorted(
        villages.values_list(
            "code",
            "name",
            "latitude",
            "longitude",
            "province",
            "district__name",
            "district__regency__name",
            "province__name",
        ).iterator(chunk_size=10_000)
    )
    return rows[: scale.village_limit] if scale.village_limit else rows


class _Generator:
    def __init__(
        self,
        scale: Scale,
        seed: int,
        commodities: list[words.Commodity],
        countries: list[str],
        village_rows: list[VillageRow],
        progress: Progress | None,
    ) -> None:
        self.scale = scale
        self.seed = seed
        self.commodities = commodities
        self.countries = countries
        self.progress = progress
        self.stamp = connection.ops.adapt_datetimefield_value(STAMP)
        self.common = (GENERATED, self.stamp, self.stamp)
        self.villages = self._villages_plan(village_rows)
        # Filled as products are written: what shipments and nominations refer to.
        self.product_ids: list[int] = []
        self.product_units: list[str] = []
        self.product_prices: list[float] = []
        self.product_villages: list[int] = []
        self.village_products: dict[int, int] = {}

    def rng(self, table: str) -> random.Random:
        # Not for security: reproducible synthetic data is the point.
        return random.Random(f"{self.seed}:{table}")  # noqa: S311

    def run(self) -> list[tuple[str, int]]:
        return [
            ("village profiles", self.village_profiles()),
            ("craft units", self.craft_units()),
            ("organisations", self.organisations_and_memberships()),
            ("memberships", self.membership_count),
            ("products", self.products()),
            ("product craft units", self.product_links()),
            ("export shipments", self.export_shipments()),
            *self.programme_cycle(),
        ]

    def _villages_plan(self, rows: list[VillageRow]) -> Villages:
        rng = self.rng("villages")
        count = len(rows)
        # Every village has a craft unit; the rest go to villages with uneven weights, as
        # craft centres cluster.
        units_per_village = [1] * count
        weights = [rng.paretovariate(1.5) for _village in range(count)]
        cumulative = []
        total = 0.0
        for weight in weights:
            total += weight
            cumulative.append(total)
        remaining = max(self.scale.craft_units - count, 0)
        while remaining:
            batch = min(remaining, 100_000)
            for village in rng.choices(range(count), cum_weights=cumulative, k=batch):
                units_per_village[village] += 1
            remaining -= batch
        starts = [0]
        for units in units_per_village:
            starts.append(starts[-1] + units)
        return Villages(
            codes=[row[0] for row in rows],
            names=[row[1] for row in rows],
            locations=[
                (row[2], row[3]) if row[2] is not None and row[3] is not None else (None, None)
                for row in rows
            ],
            provinces=[row[4] for row in rows],
            places=[(row[1], *row[5:]) for row in rows],
            commodities=[rng.randrange(len(self.commodities)) for _village in range(count)],
            unit_starts=starts,
        )

    def _write(
        self, model: Any, fields: Sequence[str], rows: Iterator[Sequence[Any]], total: int | None
    ) -> int:
        return rows_write(
            model=model,
            fields=[*fields, *COMMON_FIELDS],
            rows=rows,
            label=str(model._meta.verbose_name_plural),
            total=total,
            progress=self.progress,
        )

    def village_profiles(self) -> int:
        rng = self.rng("village profiles")
        taken = set(VillageProfile.objects.values_list("village_id", flat=True))
        villages = self.villages

        def rows() -> Iterator[tuple[Any, ...]]:
            for index, code in enumerate(villages.codes):
                commodity = self.commodities[villages.commodities[index]]
                technique_id, technique_en = rng.choice(words.TECHNIQUES)
                if code in taken:
                    continue
                name = villages.names[index]
                yield (
                    code,
                    *villages.locations[index],
                    f"Desa {name} dikenal dengan {commodity.name_id.lower()} yang {technique_id}.",
                    f"{name} is known for its {commodity.name_en}, {technique_en}.",
                    commodity.name_id,
                    rng.random() < 0.5,
                    *self.common,
                )

        fields = (
            "village",
            "latitude",
            "longitude",
            "story_id",
            "story_en",
            "flagship_commodity",
            "is_public",
        )
        return self._write(VillageProfile, fields, rows(), len(villages.codes) - len(taken))

    def craft_units(self) -> int:
        rng = self.rng("craft units")
        villages = self.villages
        fields = (
            "id",
            "name",
            "owner_name",
            "village",
            "workers_women",
            "workers_men",
            "monthly_capacity",
            "capacity_unit",
            "business_id",
            "is_active",
        )
        with ids_reserved(CraftUnit) as first_id:
            self.first_unit_id = first_id

            def rows() -> Iterator[tuple[Any, ...]]:
                for village, code in enumerate(villages.codes):
                    commodity = self.commodities[villages.commodities[village]]
                    names: set[str] = set()
                    for unit in villages.units(village):
                        business_id = f"{rng.randrange(10**13):013d}" if rng.random() < 0.6 else ""
                        name = unique_name(
                            f"{rng.choice(words.UNIT_WORDS)} {rng.choice(words.UNIT_NAMES)} "
                            f"{villages.names[village]}",
                            names,
                        )
                        yield (
                            first_id + unit,
                            name,
                            f"{rng.choice(words.GIVEN_NAMES)} {rng.choice(words.FAMILY_NAMES)}",
                            code,
                            rng.randrange(0, 25),
                            rng.randrange(0, 15),
                            rng.randrange(20, 2_000),
                            commodity.unit,
                            business_id,
                            rng.random() < 0.92,
                            *self.common,
                        )

            return self._write(CraftUnit, fields, rows(), villages.unit_starts[-1])

    def organisations_and_memberships(self) -> int:
        rng = self.rng("organisations")
        villages = self.villages
        units = villages.unit_starts[-1]
        # An organisation stands in the village of a unit drawn at random: where units are.
        organisation_villages = [
            villages.of_unit(rng.randrange(units))
            for _organisation in range(self.scale.organisations)
        ]
        fields = ("id", "kind", "legal_name", "registration_number", "address", "village")
        with ids_reserved(Organisation) as first_id:

            def rows() -> Iterator[tuple[Any, ...]]:
                for index, village in enumerate(organisation_villages):
                    kind = rng.choice(ORGANISATION_KINDS)
                    name = villages.names[village]
                    yield (
                        first_id + index,
                        kind,
                        f"{words.ORGANISATION_PREFIXES[kind]} {rng.choice(words.UNIT_NAMES)} "
                        f"{name}",
                        f"GEN-{index + 1:07d}",
                        f"Desa {name}",
                        villages.codes[village],
                        *self.common,
                    )

            written = self._write(Organisation, fields, rows(), len(organisation_villages))
        self.membership_count = self._memberships(first_id, organisation_villages)
        return written

    def _memberships(self, first_organisation_id: int, organisation_villages: list[int]) -> int:
        rng = self.rng("memberships")
        villages = self.villages
        by_village: dict[int, list[int]] = {}
        for index, village in enumerate(organisation_villages):
            by_village.setdefault(village, []).append(first_organisation_id + index)
        organisations = len(organisation_villages)

        def rows() -> Iterator[tuple[Any, ...]]:
            for village in range(len(villages.codes)):
                local = by_village.get(village)
                for unit in villages.units(village):
                    unit_id = self.first_unit_id + unit
                    # Most units belong to an organisation of their village; some to one
                    # elsewhere, and some belonged to another before.
                    if local and rng.random() < 0.9:
                        current = rng.choice(local)
                    elif rng.random() < 0.3:
                        current = first_organisation_id + rng.randrange(organisations)
                    else:
                        continue
                    started = FIRST_MEMBERSHIP_DAY + timedelta(days=rng.randrange(3_650))
                    if rng.random() < 0.1:
                        earlier = first_organisation_id + rng.randrange(organisations)
                        first_day = started - timedelta(days=rng.randrange(200, 1_500))
                        ended = started - timedelta(days=1)
                        yield (unit_id, earlier, first_day, ended, *self.common)
                    yield (unit_id, current, started, None, *self.common)

        fields = ("craft_unit", "organisation", "started_on", "ended_on")
        return self._write(Membership, fields, rows(), None)

    def products(self) -> int:
        rng = self.rng("products")
        villages = self.villages
        units = villages.unit_starts[-1]
        fields = (
            "id",
            "name_id",
            "name_en",
            "slug",
            "description_id",
            "description_en",
            "hs_code",
            "materials",
            "uniqueness_statement",
            "origin_statement",
            "village",
            "price_min",
            "price_max",
            "currency",
            "minimum_order",
            "order_unit",
            "lead_time_days",
            "monthly_capacity",
            "is_public",
            "search_document",
        )
        # Names taken in each village: a product's name is unique within its village.
        product_names: dict[int, set[str]] = {}
        with ids_reserved(Product) as first_id:

            def rows() -> Iterator[tuple[Any, ...]]:
                for index in range(self.scale.products):
                    product_id = first_id + index
                    village = villages.of_unit(rng.randrange(units))
                    if rng.random() < 0.7:
                        commodity = self.commodities[villages.commodities[village]]
                    else:
                        commodity = rng.choice(self.commodities)
                    adjective_id, adjective_en = rng.choice(words.ADJECTIVES)
                    technique_id, technique_en = rng.choice(words.TECHNIQUES)
                    base_id = f"{commodity.name_id} {adjective_id}"
                    name_id = unique_name(base_id, product_names.setdefault(village, set()))
                    # A second "Kendang ukir" of a village is "Kendang ukir 2" in both languages.
                    name_en = f"{adjective_en} {commodity.name_en}".capitalize()
                    name_en += name_id.removeprefix(base_id)
                    village_name = villages.names[village]
                    low = rng.uniform(commodity.price_low, commodity.price_high * 0.7)
                    high = low * rng.uniform(1.0, 1.6)
                    price_min, price_max = f"{low:.2f}", f"{high:.2f}"
                    self.product_ids.append(product_id)
                    self.product_units.append(commodity.unit)
                    self.product_prices.append(float(price_min))
                    self.product_villages.append(village)
                    self.village_products.setdefault(village, product_id)
                    description_id = f"{name_id} dari Desa {village_name}, {technique_id}."
                    description_en = f"{name_en} from {village_name}, {technique_en}."
                    materials = ", ".join(commodity.materials)
                    yield (
                        product_id,
                        name_id,
                        name_en,
                        f"{slugify(name_en)}-gen-{index + 1}",
                        description_id,
                        description_en,
                        commodity.hs_code,
                        materials,
                        f"{commodity.name_en.capitalize()} {technique_en}.",
                        f"Made in the workshops of {village_name}.",
                        villages.codes[village],
                        price_min,
                        price_max,
                        "USD",
                        rng.choice((1, 5, 10, 20, 50, 100)),
                        commodity.unit,
                        rng.randrange(7, 90),
                        rng.randrange(50, 5_000),
                        rng.random() < PUBLIC_PRODUCT_SHARE,
                        # Written here, as COPY bypasses Product.save(); on PostgreSQL the
                        # trigger of catalog's migration 0003 derives the search vector.
                        search_document_text(
                            texts=(name_id, name_en, description_id, description_en, materials),
                            places=villages.places[village],
                        ),
                        *self.common,
                    )

            return self._write(Product, fields, rows(), self.scale.products)

    def product_links(self) -> int:
        """Link each product to one to three craft units of its village."""
        rng = self.rng("product craft units")
        links = Product.craft_units.through

        def rows() -> Iterator[tuple[int, int]]:
            for product_id, village in zip(self.product_ids, self.product_villages, strict=True):
                units = self.villages.units(village)
                for unit in sorted(rng.sample(units, min(len(units), rng.randint(1, 3)))):
                    yield (product_id, self.first_unit_id + unit)

        return rows_write(
            model=links,
            fields=("product", "craftunit"),
            rows=rows(),
            label="product craft units",
            progress=self.progress,
        )

    def export_shipments(self) -> int:
        rng = self.rng("export shipments")
        destinations = sorted(rng.sample(self.countries, min(DESTINATIONS, len(self.countries))))
        # A few markets take most shipments, as in the real trade figures.
        destination_weights = [1 / (rank + 1) for rank in range(len(destinations))]
        rng.shuffle(destination_weights)
        cumulative = []
        total = 0.0
        for weight in destination_weights:
            total += weight
            cumulative.append(total)
        products = len(self.product_ids)

        def rows() -> Iterator[tuple[Any, ...]]:
            for shipment in range(self.scale.export_shipments):
                product = rng.randrange(products)
                unit = self.product_units[product]
                if unit == words.KILOGRAM or unit == words.LITRE:
                    quantity = rng.randrange(50, 5_000)
                else:
                    quantity = rng.randrange(10, 2_000)
                value_usd = quantity * self.product_prices[product] * rng.uniform(1.0, 1.3)
                currency, rate = rng.choices(CURRENCIES, weights=CURRENCY_WEIGHTS)[0]
                shipped_on = FIRST_SHIPMENT_DAY + timedelta(days=rng.randrange(SHIPMENT_DAYS))
                value_idr = value_usd * IDR_PER_USD[shipped_on.year]
                yield (
                    self.product_ids[product],
                    rng.choices(destinations, cum_weights=cumulative)[0],
                    shipped_on,
                    f"{quantity}.000",
                    unit,
                    f"{value_usd * rate:.2f}",
                    currency,
                    f"{value_idr:.2f}",
                    f"{value_usd:.2f}",
                    # Declaration numbers are unique: the natural key never collides.
                    f"{shipment + 1:07d}",
                    "",
                    *self.common,
                )

        fields = (
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
            "evidence",
        )
        return self._write(ExportShipment, fields, rows(), self.scale.export_shipments)

    def programme_cycle(self) -> list[tuple[str, int]]:
        """A cycle in the first free year from 2025, quotas for every province, nominations."""
        rng = self.rng("nominations")
        taken_years = set(ProgrammeCycle.objects.values_list("year", flat=True))
        year = CYCLE_YEAR
        while year in taken_years:
            year += 1
        villages = self.villages
        candidates = sorted(self.village_products)
        chosen = sorted(rng.sample(candidates, min(self.scale.nominations, len(candidates))))
        states = [NOMINATION_STATES[index % len(NOMINATION_STATES)] for index in range(len(chosen))]
        rng.shuffle(states)
        provinces = sorted(Province.objects.values_list("code", flat=True))
        # Slots held per province, and each waiting nomination's place on its province's list.
        holding: dict[str, int] = dict.fromkeys(provinces, 0)
        waiting: dict[str, int] = dict.fromkeys(provinces, 0)
        ranks = []
        for village, state in zip(chosen, states, strict=True):
            province = villages.provinces[village]
            if state in QUOTA_STATES:
                holding[province] += 1
            if state == NominationState.WAITING:
                waiting[province] += 1
            ranks.append(waiting[province] if state == NominationState.WAITING else None)
        share = max(self.scale.nominations // max(len(provinces), 1), 1)

        with transaction.atomic():
            cycle = ProgrammeCycle.objects.create(
                year=year,
                name=f"Desa Devisa {year} (generated)",
                opens_on=date(year, 1, 15),
                closes_on=date(year, 6, 30),
                origin=GENERATED,
            )
            quotas = ProvinceQuota.objects.bulk_create(
                ProvinceQuota(
                    cycle=cycle,
                    province_id=province,
                    # A province with a waiting list has used its whole quota.
                    allowed=holding[province]
                    if waiting[province]
                    else max(holding[province], share, 1),
                    origin=GENERATED,
                )
                for province in provinces
            )
            for model in (ProgrammeCycle, ProvinceQuota):
                model.objects.filter(origin=GENERATED).update(created_at=STAMP, updated_at=STAMP)

        def rows() -> Iterator[tuple[Any, ...]]:
            for village, state, rank in zip(chosen, states, ranks, strict=True):
                commodity = self.commodities[villages.commodities[village]]
                yield (
                    cycle.pk,
                    villages.codes[village],
                    self.village_products[village],
                    state,
                    rank,
                    f"Desa {villages.names[village]} mengusulkan {commodity.name_id.lower()} "
                    "sebagai produk unggulan.",
                    *self.common,
                )

        fields = ("cycle", "village", "flagship_product", "state", "waiting_rank", "statement")
        nominations = self._write(Nomination, fields, rows(), len(chosen))
        return [
            ("programme cycles", 1),
            ("province quotas", len(quotas)),
            ("nominations", nominations),
        ]


def unique_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name 2``, ``name 3``... the first not in ``taken``, which it joins."""
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = f"{name} {number}"
    taken.add(candidate)
    return candidate
