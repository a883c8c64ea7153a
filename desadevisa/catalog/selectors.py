"""Reads for the catalog: the products and photos a person may see on staff pages.

Scoping follows ``registry.selectors``: ``<entity>_visibility(scope)`` is the rule,
``<entity>_scope(*, user)`` the only way in, ``<entity>_get(*, user, pk)`` 404 outside it. The
public showcase reads published products through its own selectors, not these.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from desadevisa.accounts.models import Role
from desadevisa.accounts.scopes import UserScope, user_scope
from desadevisa.catalog.models import HSCode, HSLevel, Product, ProductPhoto
from desadevisa.core.scoping import EVERYTHING, any_of, via
from desadevisa.registry.models import CraftUnit
from desadevisa.registry.selectors import organisation_memberships


def made_by_organisations(*, organisation_ids: frozenset[int], running_only: bool = False) -> Q:
    """Condition on Product: made by a craft unit that is, or was, a member of one of the
    organisations; with ``running_only``, only by units that are members today."""
    memberships = organisation_memberships(organisation_ids=organisation_ids)
    if running_only:
        memberships = memberships.current()
    return Q(Exists(memberships.filter(craft_unit__products=OuterRef("pk"))))


def product_visibility(scope: UserScope) -> Q:
    """The products ``scope`` reads, as a condition on Product.

    National roles and verifiers: all. Provincial officers: products of villages in their
    provinces. Organisation managers: products made by units that are or were members of
    their organisations.
    """
    if scope.is_national or scope.has_role(Role.VERIFIER):
        return EVERYTHING
    conditions = []
    if scope.province_codes:
        conditions.append(Q(village__province_id__in=sorted(scope.province_codes)))
    if scope.organisation_ids:
        conditions.append(made_by_organisations(organisation_ids=scope.organisation_ids))
    return any_of(*conditions)


def product_photo_visibility(scope: UserScope) -> Q:
    """The product photos ``scope`` reads: those of the products it reads."""
    return via("product", Product, product_visibility(scope))


def product_scope(*, user) -> QuerySet[Product]:
    """The products ``user`` may read, with the village and HS code selected.

    Empty for the anonymous, deactivated accounts and users without a role.
    """
    return Product.objects.filter(product_visibility(user_scope(user))).select_related(
        "village", "hs_code"
    )


def product_get(*, user, pk: int) -> Product:
    """The product ``pk`` if ``user`` may read it; Http404 otherwise."""
    return get_object_or_404(product_scope(user=user), pk=pk)


def product_photo_scope(*, user) -> QuerySet[ProductPhoto]:
    """The product photos ``user`` may read, with their product selected."""
    return ProductPhoto.objects.filter(product_photo_visibility(user_scope(user))).select_related(
        "product"
    )


def product_photo_get(*, user, pk: int) -> ProductPhoto:
    """The product photo ``pk`` if ``user`` may read it; Http404 otherwise."""
    return get_object_or_404(product_photo_scope(user=user), pk=pk)


def village_product_list(*, user, village_code: str) -> QuerySet[Product]:
    """The products of one village that ``user`` may read, by name. One query."""
    return product_scope(user=user).filter(village_id=village_code).order_by("name_en", "pk")


# Staff pages ---------------------------------------------------------------------------------

# The HS code search answers at most this many entries.
HS_CODE_SEARCH_LIMIT = 20
HS_CODE_SEARCH_MAX_LENGTH = 100
PRODUCT_LEVELS = (HSLevel.HEADING, HSLevel.SUBHEADING)


def product_list(*, user) -> QuerySet[Product]:
    """The products ``user`` may read, with what the list page and its export show: the village
    and HS code selected, the craft units prefetched by name."""
    return product_scope(user=user).prefetch_related(
        Prefetch("craft_units", queryset=CraftUnit.objects.order_by("name", "pk"))
    )


def product_detail(*, user, pk: int) -> Product:
    """The product ``pk`` with its photos in order, its craft units by name and its village's
    region path; Http404 outside the scope of ``user``."""
    products = (
        product_scope(user=user)
        .select_related("village__district__regency", "village__province", "hs_code__parent")
        .prefetch_related(
            Prefetch("photos", queryset=ProductPhoto.objects.order_by("position", "pk")),
            Prefetch("craft_units", queryset=CraftUnit.objects.order_by("name", "pk")),
        )
    )
    return get_object_or_404(products, pk=pk)


def product_photo_list(*, product: Product) -> list[ProductPhoto]:
    """The photos of a product already read through its scope, in order."""
    return list(ProductPhoto.objects.filter(product=product).order_by("position", "pk"))


def hs_code_search(*, query: str) -> list[HSCode]:
    """The headings and subheadings (the levels a product is classified at) matching ``query``,
    by code; at most 20, in one query.

    Digits, with or without dots or spaces (``9206``, ``92.06``), match codes starting with
    them; other words must all appear in the description. An empty query finds nothing.
    """
    words = query.strip()[:HS_CODE_SEARCH_MAX_LENGTH].split()
    if not words:
        return []
    codes = HSCode.objects.filter(level__in=PRODUCT_LEVELS)
    for word in words:
        digits = word.replace(".", "")
        if digits.isdigit() and digits.isascii():
            codes = codes.filter(code__startswith=digits)
        else:
            codes = codes.filter(description__icontains=word)
    return list(codes.order_by("code")[:HS_CODE_SEARCH_LIMIT])


def hs_code_for_product(code: str) -> HSCode | None:
    """The heading or subheading with ``code`` (dots and spaces ignored), or None."""
    digits = "".join(code.split()).replace(".", "")
    if not digits.isdigit() or not digits.isascii():
        return None
    return HSCode.objects.filter(code=digits, level__in=PRODUCT_LEVELS).first()
