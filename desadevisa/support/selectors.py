"""Reads for support: the support items a person may see, ready for the village page and the
list across villages.

| role | support items |
|---|---|
| programme officer, administrator | all |
| provincial officer | villages in their provinces |
| organisation manager | villages their organisations are in (read only) |
| verifier | none |
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from desadevisa.accounts.scopes import UserScope, user_scope
from desadevisa.core.scoping import EVERYTHING, any_of
from desadevisa.regions.models import Village
from desadevisa.registry.models import Organisation
from desadevisa.support.models import DesignDeliverable, Disbursement, SupportItem

VILLAGE = "designation__nomination__village"
SUPPORT_ITEM_RELATED = (
    "designation__nomination__cycle",
    "designation__nomination__village__district__regency",
    "designation__nomination__village__province",
    "exhibition",
)


def support_item_visibility(scope: UserScope) -> Q:
    """The support items ``scope`` reads, as a condition on SupportItem.

    National roles: all. Provincial officers: those of villages in their provinces.
    Organisation managers: those of the villages their organisations are in (as the registry
    shows them those villages). Verifiers and anyone else: none.
    """
    if scope.is_national:
        return EVERYTHING
    conditions = []
    if scope.province_codes:
        conditions.append(Q(**{f"{VILLAGE}__province_id__in": sorted(scope.province_codes)}))
    if scope.organisation_ids:
        villages = Organisation.objects.filter(pk__in=sorted(scope.organisation_ids))
        conditions.append(Q(**{f"{VILLAGE}_id__in": villages.values("village_id")}))
    return any_of(*conditions)


def support_village_visibility(scope: UserScope) -> Q:
    """The villages whose support plan ``scope`` reads, as a condition on Village: the same
    rule as ``support_item_visibility``, for a village that may have no item yet."""
    if scope.is_national:
        return EVERYTHING
    conditions = []
    if scope.province_codes:
        conditions.append(Q(province_id__in=sorted(scope.province_codes)))
    if scope.organisation_ids:
        villages = Organisation.objects.filter(pk__in=sorted(scope.organisation_ids))
        conditions.append(Q(code__in=villages.values("village_id")))
    return any_of(*conditions)


def support_village_get(*, user, code: str) -> Village:
    """The village ``code`` if ``user`` reads its support plan; Http404 otherwise."""
    villages = Village.objects.filter(support_village_visibility(user_scope(user)))
    return get_object_or_404(villages.select_related("province"), code=code)


def disbursed_total() -> Coalesce:
    """The sum of an item's disbursements, as an annotation (zero without any)."""
    total = (
        Disbursement.objects.filter(item=OuterRef("pk"))
        .order_by()
        .values("item")
        .annotate(total=Sum("amount_idr"))
        .values("total")
    )
    money = DecimalField(max_digits=18, decimal_places=2)
    return Coalesce(Subquery(total, output_field=money), Value(Decimal(0)), output_field=money)


def support_item_scope(*, user) -> QuerySet[SupportItem]:
    """The support items ``user`` may read, with the designation's village, province and cycle
    and the exhibition selected. The only way a page, endpoint or export reaches them."""
    return SupportItem.objects.filter(support_item_visibility(user_scope(user))).select_related(
        *SUPPORT_ITEM_RELATED
    )


def support_item_get(*, user, pk: int) -> SupportItem:
    """The support item ``pk`` if ``user`` may read it; Http404 otherwise."""
    return get_object_or_404(support_item_scope(user=user), pk=pk)


def support_item_detail(*, user, pk: int) -> SupportItem:
    """The support item ``pk`` with its disbursements and deliverables in order and its total
    disbursed (``disbursed_idr``) if ``user`` may read it; Http404 otherwise. Three queries."""
    rows = (
        support_item_scope(user=user)
        .annotate(disbursed_total_idr=disbursed_total())
        .prefetch_related(
            Prefetch("disbursements", queryset=Disbursement.objects.order_by("disbursed_on", "pk")),
            Prefetch(
                "deliverables", queryset=DesignDeliverable.objects.order_by("delivered_on", "pk")
            ),
        )
    )
    return get_object_or_404(rows, pk=pk)


def support_item_list(
    *,
    user,
    kind: str | None = None,
    status: str | None = None,
    province_code: str | None = None,
    cycle_id: int | None = None,
) -> QuerySet[SupportItem]:
    """The support items ``user`` may read across villages, by province, village and start
    date, each with its total disbursed: one query, whatever the number of rows. The filters
    given narrow it (an empty value does not filter)."""
    rows = support_item_scope(user=user).annotate(disbursed_total_idr=disbursed_total())
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    if province_code:
        rows = rows.filter(**{f"{VILLAGE}__province_id": province_code})
    if cycle_id:
        rows = rows.filter(designation__nomination__cycle_id=cycle_id)
    return rows.order_by(f"{VILLAGE}__province__name", f"{VILLAGE}__name", "starts_on", "pk")


def village_support_plan(*, user, village_code: str) -> list[SupportItem]:
    """The support plan of the village ``village_code`` as ``user`` may read it: its items by
    start date, each with its total disbursed, its disbursements and its deliverables. Three
    queries, whatever the number of items."""
    rows = (
        support_item_scope(user=user)
        .filter(**{f"{VILLAGE}_id": village_code})
        .annotate(disbursed_total_idr=disbursed_total())
        .prefetch_related(
            Prefetch("disbursements", queryset=Disbursement.objects.order_by("disbursed_on", "pk")),
            Prefetch(
                "deliverables", queryset=DesignDeliverable.objects.order_by("delivered_on", "pk")
            ),
        )
        .order_by("starts_on", "pk")
    )
    return list(rows)


def disbursement_get(*, user, item_pk: int, pk: int) -> Disbursement:
    """The disbursement ``pk`` of the support item ``item_pk``, with its item, if ``user`` may
    read the item; Http404 otherwise. One query."""
    rows = Disbursement.objects.filter(
        item__in=support_item_scope(user=user).filter(pk=item_pk)
    ).select_related("item", *(f"item__{name}" for name in SUPPORT_ITEM_RELATED))
    return get_object_or_404(rows, pk=pk)


def design_deliverable_get(*, user, item_pk: int, pk: int) -> DesignDeliverable:
    """The deliverable ``pk`` of the support item ``item_pk``, with its item, if ``user`` may
    read the item; Http404 otherwise. One query."""
    rows = DesignDeliverable.objects.filter(
        item__in=support_item_scope(user=user).filter(pk=item_pk)
    ).select_related("item", *(f"item__{name}" for name in SUPPORT_ITEM_RELATED))
    return get_object_or_404(rows, pk=pk)
