"""Who may act on export shipments (SECURITY §2.1).

Reading is the scope of ``exports.selectors``. Recording, changing and deleting a shipment is
for national roles and for the managers who may change its product (made by a unit that is a
member of their organisation today). Verifiers and provincial officers only read.
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Q

from desadevisa.accounts.scopes import Rule, UserScope, allowed_by
from desadevisa.catalog.models import Product
from desadevisa.catalog.permissions import PRODUCT_RULES, CatalogAction
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
