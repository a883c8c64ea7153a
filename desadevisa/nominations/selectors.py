"""Reads for the programme: cycles, quotas, nominations and designations a person may see.

| model | national roles | verifier | provincial officer | organisation manager |
|---|---|---|---|---|
| programme cycle | all | all | all | all |
| province quota | all | none | their provinces | none |
| nomination | all | assigned visits | their provinces | flagship product theirs |
| designation | as its nomination | as its nomination | as its nomination | as its nomination |

A verifier reaches the nominations of the verification visits assigned to them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from desadevisa.accounts.models import Role
from desadevisa.accounts.scopes import UserScope, user_scope
from desadevisa.catalog.models import Product
from desadevisa.catalog.selectors import made_by_organisations
from desadevisa.core.scoping import EVERYTHING, NOTHING, any_of, via
from desadevisa.nominations.models import (
    NOMINATION_QUOTA_STATES,
    CycleDateOverride,
    Designation,
    Nomination,
    NominationEvent,
    ProgrammeCycle,
    ProvinceQuota,
)
from desadevisa.regions.models import Province


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
    their organisations. Verifiers: the nominations of the visits assigned to them.
    """
    if scope.is_national:
        return EVERYTHING
    conditions = []
    if scope.has_role(Role.VERIFIER) and scope.user_id is not None:
        # Through the visits' reverse relation, so nominations imports nothing of verification
        # (which builds on it); a subquery, so a nomination with several visits is one row.
        assigned = Nomination.objects.filter(visits__verifiers=scope.user_id).values("pk")
        conditions.append(Q(pk__in=assigned))
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


def nomination_search(rows: QuerySet[Nomination], query: str) -> QuerySet[Nomination]:
    """Nominations whose village name or code, or flagship product, contains ``query``."""
    return rows.filter(
        Q(village__name__icontains=query)
        | Q(village__code__startswith=query)
        | Q(flagship_product__name_en__icontains=query)
        | Q(flagship_product__name_id__icontains=query)
    )


def nomination_list(*, user) -> QuerySet[Nomination]:
    """The nominations ``user`` may read, for the list page and its export."""
    return nomination_scope(user=user).select_related("submitted_by")


def nomination_detail(*, user, pk: int) -> Nomination:
    """The nomination ``pk`` with its events (oldest first, actors selected) if ``user`` may
    read it; Http404 otherwise."""
    events = NominationEvent.objects.select_related("actor").order_by("at", "pk")
    return get_object_or_404(
        nomination_scope(user=user).prefetch_related(Prefetch("events", queryset=events)),
        pk=pk,
    )


@dataclass(frozen=True)
class QuotaUse:
    """A province's quota in a cycle and the nominations holding a slot of it."""

    quota: ProvinceQuota
    used: int

    @property
    def remaining(self) -> int:
        return max(self.quota.allowed - self.used, 0)


def programme_cycle_overview(*, user) -> list[ProgrammeCycle]:
    """The cycles ``user`` reads, newest first, each with ``quota_uses``: the quotas ``user``
    reads, by province name, with their use; and the overrides of its dates, newest first.
    Four queries, whatever the number of rows."""
    overrides = CycleDateOverride.objects.order_by("-created_at", "-pk")
    cycles = list(
        programme_cycle_scope(user=user)
        .prefetch_related(Prefetch("date_overrides", queryset=overrides))
        .order_by("-year")
    )
    quotas = province_quota_scope(user=user).filter(cycle__in=cycles).order_by("province__name")
    used = {
        (row["cycle_id"], row["village__province_id"]): row["used"]
        for row in Nomination.objects.filter(cycle__in=cycles, state__in=NOMINATION_QUOTA_STATES)
        .values("cycle_id", "village__province_id")
        .annotate(used=Count("pk"))
    }
    by_cycle: dict[int, list[QuotaUse]] = {cycle.pk: [] for cycle in cycles}
    for quota in quotas:
        by_cycle[quota.cycle_id].append(
            QuotaUse(quota=quota, used=used.get((quota.cycle_id, quota.province_id), 0))
        )
    today = timezone.localdate()
    for cycle in cycles:
        cycle.quota_uses = by_cycle[cycle.pk]
        cycle.is_open_today = cycle.opens_on <= today <= cycle.closes_on
        cycle.override_in_effect = next(
            (row for row in cycle.date_overrides.all() if row.is_in_effect(today)), None
        )
    return cycles


def province_quota_uses(*, cycle: ProgrammeCycle) -> dict[str, QuotaUse | None]:
    """Every province by name, with its quota and use in ``cycle`` (None without a quota), for
    the national quota page. Three queries."""
    quotas = {q.province_id: q for q in ProvinceQuota.objects.filter(cycle=cycle)}
    used = dict(
        Nomination.objects.filter(cycle=cycle, state__in=NOMINATION_QUOTA_STATES)
        .values("village__province_id")
        .annotate(used=Count("pk"))
        .values_list("village__province_id", "used")
    )
    return {
        province: (
            QuotaUse(quota=quotas[province.code], used=used.get(province.code, 0))
            if province.code in quotas
            else None
        )
        for province in Province.objects.order_by("name", "code")
    }
