"""Reads for the public site's own pages: the home page, the villages and their public photos.

Everything here is public by construction: rows are reached only through their ``is_public``
flag (a village profile's or a product's), and only the fields a page may show leave these
functions. Private values (shipment values, personal names and contacts, GPS of evidence,
financing) are never selected for a page: the destinations of a village's exports leave as
shares of the whole, not as amounts.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from desadevisa.catalog.models import Product, ProductPhoto
from desadevisa.core.models import PHOTO_RENDITIONS, Photo
from desadevisa.exports.models import ExportShipment
from desadevisa.nominations.models import Designation, DesignationStatus
from desadevisa.regions.models import Province
from desadevisa.registry.models import (
    CraftUnit,
    Membership,
    Organisation,
    VillageProfile,
    VillageProfilePhoto,
)
from desadevisa.showcase.models import DisplayItem, Exhibition

FEATURED_PRODUCTS = 8
# A village page shows this many of its products and links to the catalog for the rest.
VILLAGE_PAGE_PRODUCTS = 12
# The export chart names this many countries, the largest; the rest share one row.
VILLAGE_PAGE_DESTINATIONS = 10
# The map carries at most this many villages; the village list pages through all of them.
MAP_VILLAGES_MAX = 2000
REGION_PATH = "village__district__regency__province"
PHOTO_KINDS: dict[str, type[Photo]] = {"product": ProductPhoto, "village": VillageProfilePhoto}


# Villages ------------------------------------------------------------------------------------


def village_public_scope() -> QuerySet[VillageProfile]:
    """The village profiles anyone may see: those marked public."""
    return VillageProfile.objects.filter(is_public=True)


def village_public_list(*, province: Province | None = None) -> QuerySet[VillageProfile]:
    """Public village profiles by village name, with the region path selected; only those of
    ``province`` when given."""
    profiles = village_public_scope().select_related(REGION_PATH).order_by("village__name", "pk")
    if province is not None:
        profiles = profiles.filter(village__province=province)
    return profiles


def village_public_provinces() -> QuerySet[Province]:
    """The provinces with at least one public village profile, by name: the list's filter."""
    public_here = village_public_scope().filter(village__province=OuterRef("pk"))
    return Province.objects.filter(Exists(public_here)).order_by("name")


@dataclass(frozen=True)
class ExportDestination:
    """A country a village's products were shipped to, and its share of their value."""

    code: str
    name_en: str
    name_id: str
    share: int


@dataclass(frozen=True)
class OtherDestinations:
    """The countries a village's chart does not name: how many, and their share together."""

    countries: int
    share: int


@dataclass(frozen=True)
class ExportDestinations:
    """The largest destinations of a village's exports, and the rest together."""

    largest: list[ExportDestination]
    others: OtherDestinations | None

    def __bool__(self) -> bool:
        return bool(self.largest)


@dataclass(frozen=True)
class VillagePage:
    """What a village's public page shows: counts, never the people behind them."""

    profile: VillageProfile
    photos: list[VillageProfilePhoto]
    craft_unit_count: int
    worker_count: int
    organisations: list[Organisation]
    products: list[Product]
    has_more_products: bool
    destinations: ExportDestinations
    designation: Designation | None

    @property
    def cover(self) -> VillageProfilePhoto | None:
        return self.photos[0] if self.photos else None

    @property
    def share_photo(self) -> Photo | None:
        """The picture of a shared link: the village's cover, else a product's."""
        if self.cover:
            return self.cover
        return next((p.cover_photos[0] for p in self.products if p.cover_photos), None)


def village_public_get(*, code: str) -> VillageProfile:
    """The public profile of village ``code`` with its region path; Http404 otherwise."""
    return get_object_or_404(village_public_list(), village_id=code)


def village_public_page(*, code: str) -> VillagePage:
    """Everything the public page of village ``code`` shows; Http404 unless its profile is
    public. At most eight queries, whatever the size of the village."""
    profile = village_public_get(code=code)
    village = profile.village
    units = CraftUnit.objects.active().filter(village=village)
    # One more than shown, to know whether the page links to the rest in the catalog.
    products = list(
        product_public_cards()
        .filter(village=village)
        .order_by("name_en", "pk")[: VILLAGE_PAGE_PRODUCTS + 1]
    )
    totals = units.aggregate(
        units=Count("pk"),
        women=Coalesce(Sum("workers_women"), 0),
        men=Coalesce(Sum("workers_men"), 0),
    )
    return VillagePage(
        profile=profile,
        photos=list(profile.photos.order_by("position", "pk")),
        craft_unit_count=totals["units"],
        worker_count=totals["women"] + totals["men"],
        organisations=village_organisations(village_code=village.pk),
        products=products[:VILLAGE_PAGE_PRODUCTS],
        has_more_products=len(products) > VILLAGE_PAGE_PRODUCTS,
        destinations=village_export_destinations(village_code=village.pk),
        designation=village_designation(village_code=village.pk),
    )


def village_organisations(*, village_code: str) -> list[Organisation]:
    """The organisations of a village: those based there and those its active craft units are
    running members of. Only their name and kind are shown."""
    # An uncorrelated IN (...): PostgreSQL reads the village's memberships once, through the
    # craft units' index, where a correlated EXISTS under the OR was planned as a scan of
    # every membership.
    members_here = Membership.objects.current().filter(
        craft_unit__village_id=village_code,
        craft_unit__is_active=True,
    )
    return list(
        Organisation.objects.filter(
            Q(village_id=village_code) | Q(pk__in=members_here.values("organisation_id"))
        )
        .only("pk", "kind", "legal_name", "origin")
        .order_by("legal_name", "pk")
    )


def village_export_destinations(
    *, village_code: str, named: int = VILLAGE_PAGE_DESTINATIONS
) -> ExportDestinations:
    """The countries the village's products were shipped to, by their share of the value in
    USD: the ``named`` largest, largest first, and the others together. Shares are whole
    percent; the amounts themselves stay private."""
    rows = list(
        ExportShipment.objects.filter(product__village_id=village_code)
        .values("destination_id", "destination__name_en", "destination__name_id")
        .annotate(total=Sum("value_usd"))
        .order_by("-total", "destination__name_en")
    )
    whole = sum((row["total"] for row in rows), Decimal(0))

    def share(total: Decimal) -> int:
        return round(total * 100 / whole) if whole else 0

    largest = [
        ExportDestination(
            code=row["destination_id"],
            name_en=row["destination__name_en"],
            name_id=row["destination__name_id"],
            share=share(row["total"]),
        )
        for row in rows[:named]
    ]
    rest = rows[named:]
    others = (
        OtherDestinations(countries=len(rest), share=share(sum(row["total"] for row in rest)))
        if rest
        else None
    )
    return ExportDestinations(largest=largest, others=others)


def village_designation(*, village_code: str) -> Designation | None:
    """The village's current designation as an export village, if it holds one."""
    return (
        Designation.objects.filter(
            nomination__village_id=village_code, status=DesignationStatus.DESIGNATED
        )
        .order_by("-designated_on", "-pk")
        .only("pk", "verification_code", "designated_on", "status", "origin")
        .first()
    )


# Home page ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapVillage:
    code: str
    name: str
    latitude: float
    longitude: float
    commodity: str


@dataclass(frozen=True)
class HomeFigures:
    villages: int
    designated_villages: int
    countries: int
    products: int


def village_map_points() -> list[MapVillage]:
    """The public villages with a location, for the home page's map. One query."""
    rows = (
        village_public_scope()
        .filter(latitude__isnull=False, longitude__isnull=False)
        .order_by("village__name", "pk")
        .values_list("village_id", "village__name", "latitude", "longitude", "flagship_commodity")[
            :MAP_VILLAGES_MAX
        ]
    )
    return [
        MapVillage(
            code=code,
            name=name,
            latitude=float(latitude),
            longitude=float(longitude),
            commodity=commodity,
        )
        for code, name, latitude, longitude, commodity in rows
    ]


def home_figures() -> HomeFigures:
    """The programme in four numbers, each one query: public villages, designated villages,
    countries the public villages' products reached, public products."""
    public_villages = village_public_scope().values("village_id")
    return HomeFigures(
        villages=village_public_scope().count(),
        designated_villages=Designation.objects.filter(status=DesignationStatus.DESIGNATED)
        .values("nomination__village_id")
        .distinct()
        .count(),
        countries=ExportShipment.objects.filter(product__village_id__in=Subquery(public_villages))
        .values("destination_id")
        .distinct()
        .count(),
        products=Product.objects.filter(is_public=True).count(),
    )


def product_public_cards() -> QuerySet[Product]:
    """Public products ready for a card: the village selected and ``cover_photos`` (the cover
    first, else the first photo in order) prefetched."""
    photos = ProductPhoto.objects.order_by("-is_cover", "position", "pk")
    return (
        Product.objects.filter(is_public=True)
        .select_related("village")
        .prefetch_related(Prefetch("photos", queryset=photos, to_attr="cover_photos"))
    )


def featured_products(*, limit: int = FEATURED_PRODUCTS) -> list[Product]:
    """Up to ``limit`` public products with a cover photo: those displayed at the latest
    exhibition that shows any, in the order of its display, else the most recent ones."""
    with_cover = product_public_cards().filter(
        Exists(ProductPhoto.objects.filter(product=OuterRef("pk"), is_cover=True))
    )
    shown = DisplayItem.objects.filter(
        product__is_public=True, product__photos__is_cover=True, exhibition=OuterRef("pk")
    )
    latest = Exhibition.objects.filter(Exists(shown)).order_by("-starts_on", "-pk").values("pk")
    displayed = list(
        with_cover.filter(display_items__exhibition=Subquery(latest[:1])).order_by(
            "display_items__position", "display_items__pk"
        )[:limit]
    )
    if displayed:
        return displayed
    return list(with_cover.order_by("-created_at", "-pk")[:limit])


# Photos ---------------------------------------------------------------------------------------


def public_photo_get(*, kind: str, pk: int, rendition: str) -> Photo:
    """The photo ``pk`` of a public product (``kind`` "product") or village profile
    ("village"), if ``rendition`` is one of its renditions; Http404 otherwise."""
    model = PHOTO_KINDS.get(kind)
    if model is None or rendition not in PHOTO_RENDITIONS:
        raise Http404
    owner = "product" if model is ProductPhoto else "profile"
    return get_object_or_404(
        model.objects.only("pk", rendition), pk=pk, **{f"{owner}__is_public": True}
    )
