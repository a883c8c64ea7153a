"""Public reads of products: what the catalog and the product page show to anyone.

A product is public when its own ``is_public`` says so, whatever its village profile's flag.
Only the fields a buyer may see are read into the pages (``PUBLIC_PRODUCT_FIELDS``): never
the craft units, statements meant for reviewers, or figures of shipments.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from desadevisa.catalog.models import Product, ProductPhoto
from desadevisa.catalog.search import product_search
from desadevisa.regions.models import Village
from desadevisa.showcase.models import Exhibition

PUBLIC_PRODUCT_FIELDS = (
    "pk",
    "origin",
    "name_id",
    "name_en",
    "slug",
    "description_id",
    "description_en",
    "materials",
    "hs_code",
    "village",
    "price_min",
    "price_max",
    "currency",
    "minimum_order",
    "order_unit",
    "lead_time_days",
    "monthly_capacity",
    "is_public",
)
# The currency the catalog's price filter is expressed in.
PRICE_FILTER_CURRENCY = "USD"
# A search ranks at most this many of its matches, and one more to tell that there are more:
# ranking reads every match it ranks. Fifty pages of results.
SEARCH_RANKED = 1_200


def product_public_list() -> QuerySet[Product]:
    """Public products, newest first, with village, region path and HS code selected."""
    return (
        Product.objects.filter(is_public=True)
        .select_related("village__district__regency", "village__province", "hs_code")
        .only(
            *PUBLIC_PRODUCT_FIELDS,
            "village__name",
            "village__district__name",
            "village__district__regency__name",
            "village__province__name",
            "hs_code__description",
        )
        .order_by("-pk")
    )


def product_public_get(*, slug: str) -> Product:
    """The public product ``slug`` with its photos in order, its village's region path and
    profile, and its HS code with the heading above it; Http404 otherwise."""
    products = (
        product_public_list()
        .select_related("village__profile", "hs_code__parent")
        .only(
            *PUBLIC_PRODUCT_FIELDS,
            "village__name",
            "village__district__name",
            "village__district__regency__name",
            "village__province__name",
            "village__profile__is_public",
            "hs_code__description",
            "hs_code__parent__description",
        )
        .prefetch_related(
            Prefetch("photos", queryset=ProductPhoto.objects.order_by("position", "pk"))
        )
    )
    return get_object_or_404(products, slug=slug)


def catalog_search(
    *,
    query: str = "",
    province: str | None = None,
    hs: str | None = None,
    price_max: Decimal | None = None,
    moq_max: int | None = None,
) -> QuerySet[Product]:
    """Public products matching ``query`` (every word, in names, descriptions, materials and
    region names, either language) and the filters, best match first (newest first without
    a query), with their villages' region path and the cover photo of each in ``covers`` (a
    list of none or one) prefetched.

    A broad search on PostgreSQL keeps only the first SEARCH_RANKED + 1 matches the index
    finds, ranked: enough for the pages the catalog shows, and to tell that there are more.

    ``province`` is a province code, ``hs`` a 4-digit HS heading, ``price_max`` a highest
    lowest-price in US dollars (products priced in other currencies are left out when it is
    set), ``moq_max`` a highest minimum order. Values are expected already validated.
    """
    # The page of results is ranked and cut on the product table alone; the villages and
    # photos of its rows are read afterwards, a query each, instead of joining the regions to
    # every match before the cut.
    products = product_search(
        _catalog_filtered(province=province, hs=hs, price_max=price_max, moq_max=moq_max),
        query=query,
        ranked_at_most=SEARCH_RANKED + 1,
    )
    return products.prefetch_related(
        Prefetch(
            "village",
            queryset=Village.objects.select_related("district__regency", "province"),
        ),
        Prefetch(
            "photos",
            queryset=ProductPhoto.objects.filter(is_cover=True),
            to_attr="covers",
        ),
    )


def catalog_matches(
    *,
    query: str = "",
    province: str | None = None,
    hs: str | None = None,
    price_max: Decimal | None = None,
    moq_max: int | None = None,
) -> QuerySet[Product]:
    """The products ``catalog_search`` finds with the same arguments, unranked and unordered:
    what its results are counted on. Counting at most SEARCH_RANKED + 1 of them gives the
    count of the ranked results, without reading the matches twice as ranking them does."""
    products = _catalog_filtered(province=province, hs=hs, price_max=price_max, moq_max=moq_max)
    return product_search(products, query=query).order_by()


def _catalog_filtered(
    *,
    province: str | None,
    hs: str | None,
    price_max: Decimal | None,
    moq_max: int | None,
) -> QuerySet[Product]:
    products = Product.objects.filter(is_public=True).only(*PUBLIC_PRODUCT_FIELDS).order_by("-pk")
    if province:
        # A village's code starts with its province's ("35.05.10.2001" is in 35): the
        # product's own column answers, from its pattern index on PostgreSQL, without a join.
        products = products.filter(village__code__startswith=f"{province}.")
    if hs:
        products = products.filter(hs_code__code__startswith=hs)
    if price_max is not None:
        products = products.filter(currency=PRICE_FILTER_CURRENCY, price_min__lte=price_max)
    if moq_max is not None:
        products = products.filter(minimum_order__lte=moq_max)
    return products


def exhibition_showing(*, slug: str, product: Product) -> Exhibition | None:
    """The exhibition ``slug`` if it displays ``product``; None otherwise (one query)."""
    return (
        Exhibition.objects.filter(slug=slug, display_items__product=product)
        .only("pk", "slug", "name_id", "name_en", "origin")
        .first()
    )
