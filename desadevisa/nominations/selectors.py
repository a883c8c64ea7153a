"""Reads for the programme: cycles, quotas, nominations and designations a person may see.

| model | national roles | verifier | provincial officer | organisation manager |
|---|---|---|---|---|
| programme cycle | all | all | all | all |
| province quota | all | none | their provinces | none |
| nomination | all | assigned visits | their provinces | flagship product theirs |
| designation | as its nomination | as its nomination | as its nomination | as its nomination |

Verification visits do not exist yet, so a verifier reaches no nomination for now; the visit
assignment will widen ``nomination_visibility`` when it does.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from desadevisa.accounts.scopes import UserScope, user_scope
from desadevisa.catalog.models import Product
from desadevisa.catalog.selectors import made_by_organisations
from desadevisa.core.scoping import EVERYTHING, NOTHING, any_of, via
from desadevisa.nominations.models import Designation, Nomination, ProgrammeCycle, ProvinceQuota


def programme_cycle_visibility(scope: UserScope) -> Q:
    """The cycles ``scope`` reads: all of them for anyone holding a role, none otherwise."""
    return EVERYTHING if scope.is_staff_member else NOTHING


def province_quota_visibility(scope: UserScope) -> Q:
    """The quotas ``scope`` reads: all for national roles, their provinces' for provincial
    officers, none for anyone else."""
    if scope.is_national:
        return EVERYTHING
    if scope.province_codes:
        return Q(province_id__in=sorted(scope.province_codes))
    return NOTHING


def nomination_visibility(scope: UserScope) -> Q:
    """The nominations ``scope`` reads, as a condition on Nomination.

    National roles: all. Provincial officers: villages in their provinces. Organisation
    managers: nominations whose flagship product is made by a unit that is or was a member of
    their organisations. Verifiers: none until visits are assigned to them.
    """
    if scope.is_national:
        return EVERYTHING
    conditions = []
    if scope.province_codes:
        conditions.append(Q(village__province_id__in=sorted(scope.province_codes)))
    if scope.organisation_ids:
        theirs = made_by_organisations(organisation_ids=scope.organisation_ids)
        conditions.append(via("flagship_product", Product, theirs))
    return any_of(*conditions)


def designation_visibility(scope: UserScope) -> Q:
    """The designations ``scope`` reads: those of the nominations it reads."""
    return via("nomination", Nomination, nomination_visibility(scope))


def programme_cycle_scope(*, user) -> QuerySet[ProgrammeCycle]:
    """The programme cycles ``user`` may read, newest first."""
    return ProgrammeCycle.objects.filter(programme_cycle_visibility(user_scope(user)))


def programme_cycle_get(*, user, pk: int) -> ProgrammeCycle:
    """The programme cycle ``pk`` if ``user`` may read it; Http404 otherwise."""
    return get_object_or_404(programme_cycle_scope(user=user), pk=pk)


def province_quota_scope(*, user) -> QuerySet[ProvinceQuota]:
    """The province quotas ``user`` may read, with the cycle and province selected."""
    return ProvinceQuota.objects.filter(province_quota_visibility(user_scope(user))).select_related(
        "cycle", "province"
    )


def province_quota_get(*, user, pk: int) -> ProvinceQuota:
    """The province quota ``pk`` if ``user`` may read it; Http404 otherwise."""
    return get_object_or_404(province_quota_scope(user=user), pk=pk)


def nomination_scope(*, user) -> QuerySet[Nomination]:
    """The nominations ``user`` may read, with the cycle, village, province and flagship product
    selected. The only way a page, endpoint or export reaches nominations."""
    return Nomination.objects.filter(nomination_visibility(user_scope(user))).select_related(
        "cycle", "village__province", "flagship_product"
    )


def nomination_get(*, user, pk: int) -> Nomination:
    """The nomination ``pk`` if ``user`` may read it; Http404 otherwise."""
    return get_object_or_404(nomination_scope(user=user), pk=pk)


def designation_scope(*, user) -> QuerySet[Designation]:
    """The designations ``user`` may read, with the nomination's village and cycle selected."""
    return Designation.objects.filter(designation_visibility(user_scope(user))).select_related(
        "nomination__village", "nomination__cycle"
    )


def designation_get(*, user, pk: int) -> Designation:
    """The designation ``pk`` if ``user`` may read it; Http404 otherwise."""
    return get_object_or_404(designation_scope(user=user), pk=pk)
