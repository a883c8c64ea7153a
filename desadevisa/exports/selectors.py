"""Reads for export shipments: the shipments a person may see.

A shipment is read by whoever reads its product (``catalog.selectors.product_visibility``):
national roles and verifiers everywhere, provincial officers in their provinces, organisation
managers for their units' products. The public never sees shipments.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from desadevisa.accounts.scopes import UserScope, user_scope
from desadevisa.catalog.models import Product
from desadevisa.catalog.selectors import product_visibility
from desadevisa.core.scoping import via
from desadevisa.exports.models import ExportShipment


def export_shipment_visibility(scope: UserScope) -> Q:
    """The shipments ``scope`` reads, as a condition on ExportShipment: those of its products."""
    return via("product", Product, product_visibility(scope))


def export_shipment_scope(*, user) -> QuerySet[ExportShipment]:
    """The shipments ``user`` may read, with the product and destination selected.

    Empty for the anonymous, deactivated accounts and users without a role.
    """
    return ExportShipment.objects.filter(
        export_shipment_visibility(user_scope(user))
    ).select_related("product", "destination")


def export_shipment_get(*, user, pk: int) -> ExportShipment:
    """The shipment ``pk`` if ``user`` may read it; Http404 otherwise."""
    return get_object_or_404(export_shipment_scope(user=user), pk=pk)
