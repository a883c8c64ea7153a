"""Reads for the showcase.

Public reads (``*_public_*``) return only what may be shown to anyone. Staff reads follow
``registry.selectors``: exhibitions are events every role may read; a display item is read by
national roles, and by anyone else who reads its product, so a provincial officer sees where
their province's products are shown and a manager where theirs are.
"""

from django.db.models import F, Func, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from desadevisa.accounts.scopes import UserScope, user_scope
from desadevisa.catalog.models import Product, ProductPhoto
from desadevisa.catalog.selectors import product_visibility
from desadevisa.core.scoping import EVERYTHING, NOTHING, via
from desadevisa.showcase.models import DisplayItem, Exhibition, ExhibitionVenue, ScanTally

# Staff reads ---------------------------------------------------------------------------------


def exhibition_visibility(scope: UserScope) -> Q:
    """The exhibitions ``scope`` reads on staff pages: all for anyone holding a role."""
    return EVERYTHING if scope.is_staff_member else NOTHING


def display_item_visibility(scope: UserScope) -> Q:
    """The display items ``scope`` reads on staff pages: all for national roles, else those
    of the products it reads."""
    if scope.is_national:
        return EVERYTHING
    return via("product", Product, product_visibility(scope))


def exhibition_scope(*, user) -> QuerySet[Exhibition]:
    """The exhibitions ``user`` may read on staff pages, latest first."""
    return Exhibition.objects.filter(exhibition_visibility(user_scope(user)))


def exhibition_get(*, user, pk: int) -> Exhibition:
    """The exhibition ``pk`` if ``user`` may read it on staff pages; Http404 otherwise."""
    return get_object_or_404(exhibition_scope(user=user), pk=pk)


def display_item_scope(*, user) -> QuerySet[DisplayItem]:
    """The display items ``user`` may read on staff pages, with exhibition and product
    selected."""
    return DisplayItem.objects.filter(display_item_visibility(user_scope(user))).select_related(
        "exhibition", "product"
    )


def display_item_get(*, user, pk: int) -> DisplayItem:
    """The display item ``pk`` if ``user`` may read it on staff pages; Http404 otherwise."""
    return get_object_or_404(display_item_scope(user=user), pk=pk)


# Staff reads of exhibitions --------------------------------------------------------------------


def _sum(queryset: QuerySet, field: str) -> Coalesce:
    """The sum of ``field`` over ``queryset`` (correlated with OuterRef), 0 when empty."""
    total = queryset.order_by().annotate(total=Func(F(field), function="SUM")).values("total")
    return Coalesce(Subquery(total[:1], output_field=IntegerField()), 0)


def _count(queryset: QuerySet) -> Coalesce:
    """The number of rows of ``queryset`` (correlated with OuterRef)."""
    count = queryset.order_by().annotate(count=Func(F("pk"), function="COUNT")).values("count")
    return Coalesce(Subquery(count[:1], output_field=IntegerField()), 0)


def exhibition_list_rows(*, user) -> QuerySet[Exhibition]:
    """The exhibitions ``user`` reads, each with ``item_count`` and ``scan_total`` over the
    display items ``user`` reads: one query for any number of rows."""
    items = DisplayItem.objects.filter(
        display_item_visibility(user_scope(user)), exhibition=OuterRef("pk")
    )
    tallies = ScanTally.objects.filter(
        display_item__in=DisplayItem.objects.filter(display_item_visibility(user_scope(user))),
        display_item__exhibition=OuterRef("pk"),
    )
    return exhibition_scope(user=user).annotate(
        item_count=_count(items), scan_total=_sum(tallies, "count")
    )


def exhibition_items(*, user, exhibition: Exhibition) -> QuerySet[DisplayItem]:
    """The display items of ``exhibition`` that ``user`` reads, in order, each with
    ``scan_total``, its product's village and province selected."""
    return (
        display_item_scope(user=user)
        .filter(exhibition=exhibition)
        .select_related("product__village__province")
        .annotate(scan_total=_sum(ScanTally.objects.filter(display_item=OuterRef("pk")), "count"))
        .order_by("position", "pk")
    )


def exhibition_venue_get(*, user, pk: int) -> ExhibitionVenue:
    """The venue ``pk`` of an exhibition ``user`` reads; Http404 otherwise."""
    return get_object_or_404(
        ExhibitionVenue.objects.select_related("exhibition").filter(
            exhibition__in=exhibition_scope(user=user).values("pk")
        ),
        pk=pk,
    )


def display_candidates(*, exhibition: Exhibition, query: str, limit: int = 20) -> list[Product]:
    """Up to ``limit`` public products matching ``query`` (names, slug or village) that
    ``exhibition`` does not display yet, by English name."""
    query = query.strip()
    if not query:
        return []
    return list(
        Product.objects.filter(is_public=True)
        .exclude(display_items__exhibition=exhibition)
        .filter(
            Q(name_id__icontains=query)
            | Q(name_en__icontains=query)
            | Q(slug__icontains=query)
            | Q(village__name__icontains=query)
        )
        .select_related("village__province")
        .order_by("name_en", "pk")[:limit]
    )


# Public reads of exhibitions -------------------------------------------------------------------


def _cover_photos() -> Prefetch:
    """The product's photos, cover first, as ``product.showcase_photos``."""
    return Prefetch(
        "product__photos",
        queryset=ProductPhoto.objects.order_by("-is_cover", "position", "pk"),
        to_attr="showcase_photos",
    )


def exhibition_public_get(*, slug: str) -> Exhibition:
    """The exhibition ``slug`` for the public pages, with its venues; Http404 otherwise."""
    return get_object_or_404(Exhibition.objects.prefetch_related("venues"), slug=slug)


def display_item_public_list(*, exhibition: Exhibition) -> QuerySet[DisplayItem]:
    """The display items of ``exhibition`` whose product is public, in order, with the
    product's village, province and photos (cover first) read in the same two queries."""
    return (
        DisplayItem.objects.filter(exhibition=exhibition, product__is_public=True)
        .select_related("exhibition", "product__village__province")
        .prefetch_related(_cover_photos())
        .order_by("position", "pk")
    )


def display_item_public_by_code(*, code: str) -> DisplayItem | None:
    """The display item of QR ``code`` when its product is public, else None."""
    return (
        DisplayItem.objects.filter(code=code, product__is_public=True)
        .select_related("exhibition", "product")
        .first()
    )


def display_item_cover(item: DisplayItem) -> ProductPhoto | None:
    """The cover photo (else the first photo) of ``item``'s product, as prefetched by
    ``display_item_public_list`` or ``display_item_card_list``."""
    photos = getattr(item.product, "showcase_photos", None)
    if photos is None:
        photos = list(item.product.photos.order_by("-is_cover", "position", "pk")[:1])
    return photos[0] if photos else None


def display_item_card_list(*, user, exhibition: Exhibition) -> QuerySet[DisplayItem]:
    """The display items of ``exhibition`` that ``user`` reads and whose product is public
    (only those have a page a QR code can open), in order, for the display cards."""
    return (
        display_item_scope(user=user)
        .filter(exhibition=exhibition, product__is_public=True)
        .select_related("product__village__province")
        .prefetch_related(_cover_photos())
        .order_by("position", "pk")
    )
