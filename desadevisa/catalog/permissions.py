"""Who may act on products and their photos (SECURITY §2.1).

Reading is the scope of ``catalog.selectors``. Changing a product (its photos included) is for
national roles and for the managers of an organisation one of whose units, members today,
makes it. Verifiers and provincial officers read products but do not change them.
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Q, QuerySet

from desadevisa.accounts.models import Role
from desadevisa.accounts.scopes import Rule, UserScope, allowed_by, user_scope
from desadevisa.catalog.models import Product, ProductPhoto
from desadevisa.catalog.selectors import (
    made_by_organisations,
    product_photo_visibility,
    product_visibility,
)
from desadevisa.core.scoping import EVERYTHING, NOTHING, via
from desadevisa.registry.models import CraftUnit, Organisation
from desadevisa.registry.selectors import organisation_memberships


class CatalogAction(StrEnum):
    VIEW = "view"
    CHANGE = "change"
    DELETE = "delete"


def _product_writers(scope: UserScope) -> Q:
    if scope.is_national:
        return EVERYTHING
    if scope.organisation_ids:
        return made_by_organisations(organisation_ids=scope.organisation_ids, running_only=True)
    return NOTHING


def _photo_writers(scope: UserScope) -> Q:
    return via("product", Product, _product_writers(scope))


PRODUCT_RULES: dict[str, Rule] = {
    CatalogAction.VIEW: product_visibility,
    CatalogAction.CHANGE: _product_writers,
    CatalogAction.DELETE: _product_writers,
}
PRODUCT_PHOTO_RULES: dict[str, Rule] = {
    CatalogAction.VIEW: product_photo_visibility,
    CatalogAction.CHANGE: _photo_writers,
    CatalogAction.DELETE: _photo_writers,
}


def product_can(*, user, product: Product, action: str) -> bool:
    """Whether ``user`` may ``action`` (a CatalogAction) ``product``; ValueError for an unknown
    action."""
    return allowed_by(PRODUCT_RULES, product, user=user, action=action)


def product_photo_can(*, user, photo: ProductPhoto, action: str) -> bool:
    """Whether ``user`` may ``action`` (a CatalogAction) ``photo``."""
    return allowed_by(PRODUCT_PHOTO_RULES, photo, user=user, action=action)


def product_maker_choices(*, user) -> QuerySet[CraftUnit]:
    """The craft units ``user`` may name as makers of a product they create or change.

    National roles: every unit. Organisation managers: the units that are running members of
    their organisations, in the villages of those organisations. Nobody else.
    """
    scope = user_scope(user)
    if scope.is_national:
        return CraftUnit.objects.all()
    if scope.organisation_ids:
        organisation_ids = sorted(scope.organisation_ids)
        running = organisation_memberships(organisation_ids=scope.organisation_ids).current()
        villages = Organisation.objects.filter(pk__in=organisation_ids).values("village_id")
        return CraftUnit.objects.filter(
            pk__in=running.values("craft_unit_id"), village_id__in=villages
        )
    return CraftUnit.objects.none()


def product_create_allowed(*, user) -> bool:
    """Whether ``user`` may create products at all: national roles, and organisation managers
    with at least one running member unit in their organisations' villages."""
    scope = user_scope(user)
    if scope.is_national:
        return True
    return scope.has_role(Role.ORGANISATION_MANAGER) and product_maker_choices(user=user).exists()


def product_makers_allowed(*, user, craft_units) -> bool:
    """Whether ``user`` may create or keep a product made by ``craft_units``: national roles
    always; organisation managers when at least one of them is their running member unit."""
    if user_scope(user).is_national:
        return True
    chosen = sorted(unit.pk for unit in craft_units)
    return bool(chosen) and product_maker_choices(user=user).filter(pk__in=chosen).exists()
