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
    Exists,
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
from desadevisa.core.scoping import EVERYTHING, any_of, via
from desadevisa.regions.lookups import KeyContains
from desadevisa.regions.models import Province, search_key
from desadevisa.registry.models import (
    CraftUnit,
    CraftUnitPhoto,
    Membership,
    Organisation,
    VillageProfile,
    VillageProfilePhoto,
)

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


def village_profile_search(profiles: QuerySet[VillageProfile], query: str):
    """The profiles whose village name contains ``query``, whatever its case, accents, spaces
    and punctuation."""
    key = search_key(query)
    if key:
        profiles = profiles.filter(KeyContains(F("village__search_name"), key))
    return profiles


def village_profile_list(*, user, query: str = "") -> QuerySet[VillageProfile]:
    """The profiles ``user`` may read by village name, each with ``active_craft_unit_count``.

    ``query`` keeps the villages whose name contains it (``village_profile_search``). The
    count covers only the active units the user may read, so it never reveals units outside
    the scope. One query.
    """
    scope = user_scope(user)
    profiles = village_profile_search(village_profile_scope(user=user), query)
    active_units = CraftUnit.objects.filter(craft_unit_visibility(scope), is_active=True)
    return profiles.annotate(active_craft_unit_count=_count_per_village(active_units)).order_by(
        "village__name", "pk"
    )


def village_profile_detail(*, user, code: str) -> VillageProfile:
    """The profile of village ``code`` with what ``user`` may read of its registry.

    Attaches ``organisation_list``, ``active_craft_unit_list`` (each unit with
    ``running_membership_list``, organisation selected) and ``photo_list``; products come from
    the catalog. Http404 outside the scope. Five queries.
    """
    profile = village_profile_get_by_village(user=user, code=code)
    profile.photo_list = list(profile.photos.order_by("position", "pk"))
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


def organisation_list(*, user) -> QuerySet[Organisation]:
    """The organisations ``user`` may read, with the village's province selected. One query."""
    return organisation_scope(user=user).select_related("village__province")


def organisation_search(organisations: QuerySet[Organisation], query: str):
    """The organisations whose legal name or registration number contains ``query``."""
    return organisations.filter(
        Q(legal_name__icontains=query) | Q(registration_number__icontains=query)
    )


def organisation_detail(*, user, pk: int) -> Organisation:
    """The organisation ``pk`` with the memberships ``user`` may read, split into
    ``running_membership_list`` (running today) and ``other_membership_list`` (ended or
    starting later), units selected. Http404 outside the scope. Two queries."""
    organisation = organisation_get(user=user, pk=pk)
    memberships = (
        membership_scope(user=user)
        .filter(organisation=organisation)
        .select_related("craft_unit__village")
        .annotate(is_running=Exists(Membership.objects.current().filter(pk=OuterRef("pk"))))
        .order_by("craft_unit__name", "-started_on", "pk")
    )
    organisation.running_membership_list = []
    organisation.other_membership_list = []
    for membership in memberships:
        if membership.is_running:
            organisation.running_membership_list.append(membership)
        else:
            organisation.other_membership_list.append(membership)
    return organisation


def craft_unit_list(*, user) -> QuerySet[CraftUnit]:
    """The craft units ``user`` may read, with the village's province selected and
    ``workers_total`` annotated. One query."""
    return (
        craft_unit_scope(user=user)
        .select_related("village__province")
        .annotate(workers_total=F("workers_women") + F("workers_men"))
    )


def craft_unit_search(units: QuerySet[CraftUnit], query: str):
    """The craft units whose name or owner's name contains ``query``."""
    return units.filter(Q(name__icontains=query) | Q(owner_name__icontains=query))


def craft_unit_detail(*, user, pk: int) -> CraftUnit:
    """The craft unit ``pk`` with ``membership_list`` (the memberships ``user`` may read,
    organisation selected, newest first; ``is_running`` set on each) and ``photo_list``.
    Http404 outside the scope. Three queries."""
    unit = craft_unit_get(user=user, pk=pk)
    running = Membership.objects.current().filter(pk=OuterRef("pk"))
    unit.membership_list = list(
        membership_scope(user=user)
        .filter(craft_unit=unit)
        .annotate(is_running=Exists(running))
        .order_by("-started_on", "pk")
    )
    unit.photo_list = list(unit.photos.order_by("position", "pk"))
    return unit


def membership_list(*, user) -> QuerySet[Membership]:
    """The memberships ``user`` may read, with the unit's village and the organisation
    selected. One query."""
    return membership_scope(user=user).select_related("craft_unit__village")


def membership_search(memberships: QuerySet[Membership], query: str):
    """The memberships whose unit or organisation has ``query`` in its name."""
    return memberships.filter(
        Q(craft_unit__name__icontains=query) | Q(organisation__legal_name__icontains=query)
    )


def registry_provinces(*, user) -> QuerySet[Province]:
    """The provinces the registry reaches for ``user``, by name, for filters: all of them for
    readers of the whole registry; the provinces of an officer and those of a manager's
    organisations. One query."""
    scope = user_scope(user)
    provinces = Province.objects.order_by("name", "code")
    if _reads_registry_nationally(scope):
        return provinces
    villages = Organisation.objects.filter(pk__in=sorted(scope.organisation_ids))
    return provinces.filter(
        Q(code__in=sorted(scope.province_codes))
        | Q(code__in=villages.values("village__province_id"))
    )


# Photos --------------------------------------------------------------------------------------


def village_profile_photo_scope(*, user) -> QuerySet[VillageProfilePhoto]:
    """The village photos ``user`` may read: those of the profiles they read."""
    visible = via("profile", VillageProfile, village_profile_visibility(user_scope(user)))
    return VillageProfilePhoto.objects.filter(visible).select_related("profile__village")


def village_profile_photo_get(*, user, code: str, pk: int) -> VillageProfilePhoto:
    """Photo ``pk`` of the profile of village ``code`` if ``user`` may read it; Http404
    otherwise."""
    return get_object_or_404(
        village_profile_photo_scope(user=user), pk=pk, profile__village_id=code
    )


def craft_unit_photo_scope(*, user) -> QuerySet[CraftUnitPhoto]:
    """The craft unit photos ``user`` may read: those of the units they read."""
    visible = via("craft_unit", CraftUnit, craft_unit_visibility(user_scope(user)))
    return CraftUnitPhoto.objects.filter(visible).select_related("craft_unit__village")


def craft_unit_photo_get(*, user, craft_unit_pk: int, pk: int) -> CraftUnitPhoto:
    """Photo ``pk`` of craft unit ``craft_unit_pk`` if ``user`` may read it; Http404 otherwise."""
    return get_object_or_404(craft_unit_photo_scope(user=user), pk=pk, craft_unit_id=craft_unit_pk)


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
