"""Reads for the registry: the village profiles, organisations, craft units and memberships a
person may see, ready to render.

Scope lives here once (SECURITY §2.1). Each ``<entity>_visibility(scope)`` states as a
condition which rows a scope reaches; ``<entity>_scope(*, user)`` applies it and is the only
way a page, endpoint or export reaches those rows; ``<entity>_get(*, user, pk)`` answers 404
for any row outside it, so a detail page can never show more than its list.

The conditions are built from ``user_scope(user)`` on every call: a role or province change
applies on the next request.
"""

from __future__ import annotations

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from desadevisa.accounts.models import Role
from desadevisa.accounts.scopes import UserScope, user_scope
from desadevisa.core.scoping import EVERYTHING, any_of
from desadevisa.regions.lookups import KeyContains
from desadevisa.regions.models import search_key
from desadevisa.registry.models import CraftUnit, Membership, Organisation, VillageProfile

# Who reads what ------------------------------------------------------------------------------


def _reads_registry_nationally(scope: UserScope) -> bool:
    # Verifiers prepare visits anywhere in the country, so they read the whole registry.
    return scope.is_national or scope.has_role(Role.VERIFIER)


def organisation_memberships(*, organisation_ids: frozenset[int]) -> QuerySet[Membership]:
    """Every membership of the organisations, ended, running or starting later."""
    return Membership.objects.filter(organisation_id__in=sorted(organisation_ids))


def village_profile_visibility(scope: UserScope) -> Q:
    """The village profiles ``scope`` reads, as a condition on VillageProfile.

    National roles and verifiers: all. Provincial officers: villages in their provinces.
    Organisation managers: the villages their organisations are in.
    """
    if _reads_registry_nationally(scope):
        return EVERYTHING
    conditions = []
    if scope.province_codes:
        conditions.append(Q(village__province_id__in=sorted(scope.province_codes)))
    if scope.organisation_ids:
        villages = Organisation.objects.filter(pk__in=sorted(scope.organisation_ids))
        conditions.append(Q(village_id__in=villages.values("village_id")))
    return any_of(*conditions)


def organisation_visibility(scope: UserScope) -> Q:
    """The organisations ``scope`` reads, as a condition on Organisation.

    National roles and verifiers: all. Provincial officers: those based in their provinces.
    Organisation managers: their own.
    """
    if _reads_registry_nationally(scope):
        return EVERYTHING
    conditions = []
    if scope.province_codes:
        conditions.append(Q(village__province_id__in=sorted(scope.province_codes)))
    if scope.organisation_ids:
        conditions.append(Q(pk__in=sorted(scope.organisation_ids)))
    return any_of(*conditions)


def craft_unit_visibility(scope: UserScope) -> Q:
    """The craft units ``scope`` reads, as a condition on CraftUnit.

    National roles and verifiers: all. Provincial officers: units in their provinces.
    Organisation managers: units that have any membership of their organisations, past,
    running or starting later.
    """
    if _reads_registry_nationally(scope):
        return EVERYTHING
    conditions = []
    if scope.province_codes:
        conditions.append(Q(village__province_id__in=sorted(scope.province_codes)))
    if scope.organisation_ids:
        memberships = organisation_memberships(organisation_ids=scope.organisation_ids)
        conditions.append(Q(pk__in=memberships.values("craft_unit_id")))
    return any_of(*conditions)


def membership_visibility(scope: UserScope) -> Q:
    """The memberships ``scope`` reads, as a condition on Membership.

    National roles and verifiers: all. Provincial officers: memberships of units in their
    provinces. Organisation managers: the memberships of their organisations.
    """
    if _reads_registry_nationally(scope):
        return EVERYTHING
    conditions = []
    if scope.province_codes:
        conditions.append(Q(craft_unit__village__province_id__in=sorted(scope.province_codes)))
    if scope.organisation_ids:
        conditions.append(Q(organisation_id__in=sorted(scope.organisation_ids)))
    return any_of(*conditions)


# Scopes and lookups --------------------------------------------------------------------------


def village_profile_scope(*, user) -> QuerySet[VillageProfile]:
    """The village profiles ``user`` may read, with the village's region path selected.

    Empty for the anonymous, deactivated accounts and users without a role.
    """
    return VillageProfile.objects.filter(
        village_profile_visibility(user_scope(user))
    ).select_related("village__district__regency", "village__province")


def village_profile_get(*, user, pk: int) -> VillageProfile:
    """The village profile ``pk`` if ``user`` may read it; Http404 otherwise."""
    return get_object_or_404(village_profile_scope(user=user), pk=pk)


def village_profile_get_by_village(*, user, code: str) -> VillageProfile:
    """The profile of the village with official ``code`` if ``user`` may read it; Http404
    otherwise."""
    return get_object_or_404(village_profile_scope(user=user), village_id=code)


def organisation_scope(*, user) -> QuerySet[Organisation]:
    """The organisations ``user`` may read, with their village selected."""
    return Organisation.objects.filter(organisation_visibility(user_scope(user))).select_related(
        "village"
    )


def organisation_get(*, user, pk: int) -> Organisation:
    """The organisation ``pk`` if ``user`` may read it; Http404 otherwise."""
    return get_object_or_404(organisation_scope(user=user), pk=pk)


def craft_unit_scope(*, user) -> QuerySet[CraftUnit]:
    """The craft units ``user`` may read, with their village selected."""
    return CraftUnit.objects.filter(craft_unit_visibility(user_scope(user))).select_related(
        "village"
    )


def craft_unit_get(*, user, pk: int) -> CraftUnit:
    """The craft unit ``pk`` if ``user`` may read it; Http404 otherwise."""
    return get_object_or_404(craft_unit_scope(user=user), pk=pk)


def membership_scope(*, user) -> QuerySet[Membership]:
    """The memberships ``user`` may read, with the unit and the organisation selected."""
    return Membership.objects.filter(membership_visibility(user_scope(user))).select_related(
        "craft_unit", "organisation"
    )


def membership_get(*, user, pk: int) -> Membership:
    """The membership ``pk`` if ``user`` may read it; Http404 otherwise."""
    return get_object_or_404(membership_scope(user=user), pk=pk)


# Pages ---------------------------------------------------------------------------------------


def village_profile_list(*, user, query: str = "") -> QuerySet[VillageProfile]:
    """The profiles ``user`` may read by village name, each with ``active_craft_unit_count``.

    ``query`` keeps the villages whose name contains it, whatever its case, accents, spaces
    and punctuation. The count covers only the active units the user may read, so it never
    reveals units outside the scope. One query.
    """
    scope = user_scope(user)
    profiles = village_profile_scope(user=user)
    key = search_key(query)
    if key:
        profiles = profiles.filter(KeyContains(F("village__search_name"), key))
    active_units = CraftUnit.objects.filter(craft_unit_visibility(scope), is_active=True)
    return profiles.annotate(active_craft_unit_count=_count_per_village(active_units)).order_by(
        "village__name", "pk"
    )


def village_profile_detail(*, user, code: str) -> VillageProfile:
    """The profile of village ``code`` with what ``user`` may read of its registry.

    Attaches ``organisation_list``, ``active_craft_unit_list`` (each unit with
    ``running_membership_list``, organisation selected) and nothing else; products come from
    the catalog. Http404 outside the scope. Four queries after the scope's own.
    """
    profile = village_profile_get_by_village(user=user, code=code)
    profile.organisation_list = list(
        organisation_scope(user=user).filter(village_id=code).order_by("legal_name", "pk")
    )
    running = membership_scope(user=user).current().order_by("organisation__legal_name", "pk")
    profile.active_craft_unit_list = list(
        craft_unit_scope(user=user)
        .filter(village_id=code, is_active=True)
        .order_by("name", "pk")
        .prefetch_related(
            Prefetch("memberships", queryset=running, to_attr="running_membership_list")
        )
    )
    return profile


def _count_per_village(units: QuerySet[CraftUnit]) -> Coalesce:
    # A correlated count rather than a join and GROUP BY: the page's rows stay one per profile
    # whatever the number of units, and only the rows of the page are counted.
    per_village = (
        units.filter(village_id=OuterRef("village_id"))
        .order_by()
        .values("village_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(per_village, output_field=IntegerField()), Value(0))
