"""Reads for the showcase.

Public reads (``*_public_*``) return only what may be shown to anyone. Staff reads follow
``registry.selectors``: exhibitions are events every role may read; a display item is read by
national roles, and by anyone else who reads its product, so a provincial officer sees where
their province's products are shown and a manager where theirs are.
"""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from desadevisa.accounts.scopes import UserScope, user_scope
from desadevisa.catalog.models import Product
from desadevisa.catalog.selectors import product_visibility
from desadevisa.core.scoping import EVERYTHING, NOTHING, via
from desadevisa.registry.models import VillageProfile
from desadevisa.showcase.models import DisplayItem, Exhibition


def village_profile_public_list() -> QuerySet[VillageProfile]:
    """Public village profiles by village name, with the whole region path joined in."""
    return (
        VillageProfile.objects.filter(is_public=True)
        .select_related("village__district__regency__province")
        .order_by("village__name", "pk")
    )


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
