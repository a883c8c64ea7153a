"""Reads for the catalog: the products and photos a person may see on staff pages.

Scoping follows ``registry.selectors``: ``<entity>_visibility(scope)`` is the rule,
``<entity>_scope(*, user)`` the only way in, ``<entity>_get(*, user, pk)`` 404 outside it. The
public showcase reads published products through its own selectors, not these.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from desadevisa.accounts.models import Role
from desadevisa.accounts.scopes import UserScope, user_scope
from desadevisa.catalog.models import Product, ProductPhoto
from desadevisa.core.scoping import EVERYTHING, any_of, via
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
