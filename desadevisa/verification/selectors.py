"""Reads for verification visits: which visits a person reaches, and the visit pages' data.

| who | visits |
|---|---|
| national roles | all |
| verifier | the visits assigned to them |
| provincial officer | their provinces' (read only) |
| anyone else | none |
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from desadevisa.accounts.models import Role
from desadevisa.accounts.scopes import UserScope, user_scope
from desadevisa.core.scoping import EVERYTHING, any_of
from desadevisa.verification.models import (
    CRITERIA,
    Aspect,
    AspectScore,
    CriterionFinding,
    Visit,
    VisitPhoto,
)


def assigned_visit_ids(user_id: int | None) -> QuerySet:
    """The ids of the visits assigned to the user ``user_id``, as a subquery."""
    return Visit.verifiers.through.objects.filter(user_id=user_id).values("visit_id")


def visit_visibility(scope: UserScope) -> Q:
    """The visits ``scope`` reads, as a condition on Visit."""
    if scope.is_national:
        return EVERYTHING
    conditions = []
    if scope.has_role(Role.VERIFIER) and scope.user_id is not None:
        conditions.append(Q(pk__in=assigned_visit_ids(scope.user_id)))
    if scope.has_role(Role.PROVINCIAL_OFFICER) and scope.province_codes:
        conditions.append(Q(nomination__village__province_id__in=sorted(scope.province_codes)))
    return any_of(*conditions)


def visit_scope(*, user) -> QuerySet[Visit]:
    """The visits ``user`` may read, with the nomination's village, province and cycle
    selected. The only way a page, export or report reaches visits."""
    return Visit.objects.filter(visit_visibility(user_scope(user))).select_related(
        "nomination__village__province",
        "nomination__cycle",
        "nomination__flagship_product",
        "submitted_by",
    )


def visit_get(*, user, pk: int) -> Visit:
    """The visit ``pk`` if ``user`` may read it; Http404 otherwise."""
    return get_object_or_404(visit_scope(user=user), pk=pk)


def visit_list(*, user) -> QuerySet[Visit]:
    """The visits ``user`` reads, for the list page and its export: verifiers prefetched."""
    return visit_scope(user=user).prefetch_related("verifiers")


def visit_search(rows: QuerySet[Visit], query: str) -> QuerySet[Visit]:
    """Visits whose village name or code, or flagship product, contains ``query``."""
    return rows.filter(
        Q(nomination__village__name__icontains=query)
        | Q(nomination__village__code__startswith=query)
        | Q(nomination__flagship_product__name_en__icontains=query)
        | Q(nomination__flagship_product__name_id__icontains=query)
    )


def visit_photo_get(*, user, visit_pk: int, pk: int) -> VisitPhoto:
    """The photo ``pk`` of the visit ``visit_pk`` if ``user`` reads the visit; Http404
    otherwise."""
    return get_object_or_404(
        VisitPhoto.objects.filter(visit__in=visit_scope(user=user).values("pk")).select_related(
            "visit__nomination__village"
        ),
        visit_id=visit_pk,
        pk=pk,
    )


def nomination_visits(*, user, nomination) -> list[Visit]:
    """The visits of ``nomination`` that ``user`` reads, newest first, with their verifiers:
    two queries."""
    return list(
        Visit.objects.filter(visit_visibility(user_scope(user)), nomination=nomination)
        .prefetch_related("verifiers")
        .order_by("-planned_on", "-pk")
    )


@dataclass(frozen=True)
class ScoreLine:
    aspect: str
    label: str
    score: AspectScore | None


@dataclass
class VisitRecord:
    """Everything recorded on a visit, in the form's order, for its pages and its report."""

    visit: Visit
    findings: dict[int, CriterionFinding]
    scores: list[ScoreLine]
    reviews: list
    photos: list[VisitPhoto]
    verifiers: list

    @property
    def total(self) -> int:
        """The sum of the aspect scores given so far (never stored)."""
        return sum(line.score.score for line in self.scores if line.score is not None)

    @property
    def maximum(self) -> int:
        return 5 * len(self.scores)

    @property
    def finding_rows(self) -> list[tuple[int, CriterionFinding | None]]:
        return [(code, self.findings.get(code)) for code in CRITERIA]


def visit_record(*, visit: Visit) -> VisitRecord:
    """What ``visit`` holds (already read through ``visit_get``): five queries."""
    photos = VisitPhoto.objects.filter(visit=visit).select_related("criterion_finding")
    scores = {score.aspect: score for score in visit.aspect_scores.all()}
    return VisitRecord(
        visit=visit,
        findings={row.criterion: row for row in visit.criterion_findings.all()},
        scores=[ScoreLine(a.value, str(a.label), scores.get(a.value)) for a in Aspect],
        reviews=list(visit.product_reviews.all()),
        photos=list(photos),
        verifiers=list(visit.verifiers.order_by("username")),
    )
