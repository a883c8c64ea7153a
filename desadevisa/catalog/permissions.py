"""Who may act on products and their photos (SECURITY §2.1).

Reading is the scope of ``catalog.selectors``. Changing a product (its photos included) is for
national roles and for the managers of an organisation one of whose units, members today,
makes it. Verifiers and provincial officers read products but do not change them.
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Q

from desadevisa.accounts.scopes import Rule, UserScope, allowed_by
from desadevisa.catalog.models import Product, ProductPhoto
from desadevisa.catalog.selectors import (
    made_by_organisations,
    product_photo_visibility,
    product_visibility,
)
from desadevisa.core.scoping import EVERYTHING, NOTHING, via


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
