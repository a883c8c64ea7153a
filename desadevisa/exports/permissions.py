"""Who may act on export shipments and the exchange-rate table (SECURITY §2.1).

Reading is the scope of ``exports.selectors``. Recording, changing and deleting a shipment is
for national roles and for the managers who may change its product (made by a unit that is a
member of their organisation today). Verifiers and provincial officers only read.

Every staff member reads the exchange-rate table; national roles (administrators and
programme officers) add, change and delete rates.
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Q, QuerySet

from desadevisa.accounts.scopes import Rule, UserScope, allowed_by, user_scope
from desadevisa.catalog.models import Product
from desadevisa.catalog.permissions import PRODUCT_RULES, CatalogAction
from desadevisa.catalog.selectors import product_scope
from desadevisa.core.scoping import via
from desadevisa.exports.models import ExportShipment
from desadevisa.exports.selectors import export_shipment_visibility


class ExportAction(StrEnum):
    VIEW = "view"
    CHANGE = "change"
    DELETE = "delete"


def _shipment_writers(scope: UserScope) -> Q:
    return via("product", Product, PRODUCT_RULES[CatalogAction.CHANGE](scope))


EXPORT_SHIPMENT_RULES: dict[str, Rule] = {
    ExportAction.VIEW: export_shipment_visibility,
    ExportAction.CHANGE: _shipment_writers,
    ExportAction.DELETE: _shipment_writers,
}


def export_shipment_can(*, user, shipment: ExportShipment, action: str) -> bool:
    """Whether ``user`` may ``action`` (an ExportAction) ``shipment``; ValueError for an unknown
    action."""
    return allowed_by(EXPORT_SHIPMENT_RULES, shipment, user=user, action=action)


def export_shipment_products(*, user) -> QuerySet[Product]:
    """The products ``user`` may record shipments of: those they read and may change."""
    return product_scope(user=user).filter(PRODUCT_RULES[CatalogAction.CHANGE](user_scope(user)))


def export_shipment_can_create(*, user) -> bool:
    """Whether ``user`` may record a shipment of at least one product (one query at most)."""
    return export_shipment_products(user=user).exists()


class ExchangeRateAction(StrEnum):
    VIEW = "view"
    CREATE = "create"
    CHANGE = "change"
    DELETE = "delete"


def exchange_rate_can(*, user, action: str) -> bool:
    """Whether ``user`` may ``action`` (an ExchangeRateAction) the exchange-rate table: staff
    members read it, national roles keep it. ValueError for an unknown action."""
    if action not in ExchangeRateAction.__members__.values():
        raise ValueError(f"Unknown action {action!r}.")
    scope = user_scope(user)
    if action == ExchangeRateAction.VIEW:
        return scope.is_staff_member
    return scope.is_national
