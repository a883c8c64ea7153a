"""What the showcase benchmarks ask for: public products and a village of the generated data,
and catalog searches as visitors type them, from the generator's own vocabulary."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext

from desadevisa.catalog.models import Product
from desadevisa.core.models import DataOrigin
from desadevisa.exports.models import ExportShipment
from desadevisa.operations.bench.http import PageRefused
from desadevisa.operations.generator import words

# Public pages are measured in English, the language of most buyers.
LANGUAGE = "en"
# Product pages asked for in turn: enough that no single page is all the load (fewer at the
# small scale, whose runs only keep the harness working).
PRODUCT_PAGES = {"small": 10, "province": 50, "national": 50}
# A material word, as a buyer looking for a kind of goods types it.
CATALOG_HTTP_QUERY = "cotton"


def page_path(name: str, **kwargs: Any) -> str:
    """The English address of the public page ``name``; PageRefused when there is none."""
    try:
        with translation.override(LANGUAGE):
            return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        raise PageRefused(gettext("The page %(name)s does not exist.") % {"name": name}) from None


def _generated_public_products():
    return Product.objects.filter(origin=DataOrigin.GENERATED, is_public=True)


def product_paths(*, scale: str) -> list[str]:
    """The pages of the first public generated products by id, as many as ``scale`` asks."""
    products = _generated_public_products().order_by("pk")
    slugs = products.values_list("slug", flat=True)[: PRODUCT_PAGES[scale]]
    paths = [page_path("showcase:product", slug=slug) for slug in slugs]
    if not paths:
        raise PageRefused(gettext("The generated data has no public product."))
    return paths


def village_path() -> str:
    """The page of the public generated village with the most public products that have export
    shipments (the lowest code on a tie): a full page, as a flagship village's is."""
    shipped = ExportShipment.objects.filter(product=OuterRef("pk"))
    row = (
        _generated_public_products()
        .filter(village__profile__is_public=True)
        .filter(Exists(shipped))
        .values("village_id")
        .annotate(products=Count("pk"))
        .order_by("-products", "village_id")
        .first()
    )
    if row is None:
        raise PageRefused(
            gettext("The generated data has no public village with public, exported products.")
        )
    return page_path("showcase:village", code=row["village_id"])


def catalog_search_path(query: str = CATALOG_HTTP_QUERY) -> str:
    return f"{page_path('showcase:product-list')}?{urlencode({'q': query})}"


@dataclass(frozen=True)
class CatalogSearch:
    """The arguments of one call of ``catalog_search``."""

    query: str = ""
    filters: dict[str, Any] = field(default_factory=dict)


def catalog_searches(*, province: str | None) -> list[CatalogSearch]:
    """Typical searches: product and material words in English and Indonesian, some narrowed
    by province, HS heading, highest price or largest minimum order, and a browse by province."""
    commodities = words.COMMODITIES
    texts = [commodity.name_en for commodity in commodities[::3]]
    texts += [commodity.name_id for commodity in commodities[1::3]]
    texts += [commodity.materials[0] for commodity in commodities[2::6]]
    texts += [english for _indonesian, english in words.ADJECTIVES[::4]]
    texts += [indonesian for indonesian, _english in words.ADJECTIVES[2::4]]
    searches = [CatalogSearch(text) for text in texts]
    for index, commodity in enumerate(commodities[::5]):
        word = commodity.name_en.split()[-1]
        heading = commodity.hs_code[:4]
        searches.append(CatalogSearch(word, {"hs": heading}))
        if index % 2 == 0:
            searches.append(CatalogSearch(word, {"price_max": Decimal(commodity.price_high)}))
        else:
            searches.append(CatalogSearch(commodity.name_id.split()[0], {"moq_max": 20}))
    if province:
        searches.append(CatalogSearch("", {"province": province}))
        searches.append(CatalogSearch(CATALOG_HTTP_QUERY, {"province": province}))
    return searches


def busiest_product_province() -> str | None:
    """The province with the most public generated products (the lowest code on a tie)."""
    row = (
        _generated_public_products()
        .values("village__province_id")
        .annotate(products=Count("pk"))
        .order_by("-products", "village__province_id")
        .first()
    )
    return row["village__province_id"] if row else None
