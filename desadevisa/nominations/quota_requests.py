"""A province's requests to raise its quota in a cycle, and the programme's answers.

A provincial officer asks for more places with a reason; the province has at most one request
waiting for an answer per cycle (a partial unique constraint, so two officers asking at the same
moment get one request and one clear message). A national role grants it (the quota grows by the
places asked, and the first nominations of the province's waiting list move up into them) or
declines it with an answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext

from desadevisa.accounts.models import Role
from desadevisa.accounts.scopes import user_scope
from desadevisa.audit.models import AuditAction
from desadevisa.audit.services import audit_changes, audit_record, audit_snapshot
from desadevisa.core.scoping import EVERYTHING, NOTHING
from desadevisa.nominations.models import (
    Nomination,
    NominationState,
    ProgrammeCycle,
    ProvinceQuota,
    QuotaRaiseRequest,
    QuotaRequestState,
)
from desadevisa.nominations.notices import (
    quota_request_answered_notify,
    quota_request_sent_notify,
)
from desadevisa.nominations.permissions import programme_may_change
from desadevisa.nominations.selectors import nomination_scope, province_quota_scope
from desadevisa.nominations.services import (
    province_quota_lock,
    province_quota_usage,
    waiting_list_settle,
)
from desadevisa.nominations.workflow import TransitionOutOfOrder, TransitionRefused
from desadevisa.regions.models import Province


def quota_request_visibility(scope) -> Q:
    """The requests ``scope`` reads: all for national roles, their provinces' for provincial
    officers, none for anyone else."""
    if scope.is_national:
        return EVERYTHING
    if scope.has_role(Role.PROVINCIAL_OFFICER) and scope.province_codes:
        return Q(province_id__in=sorted(scope.province_codes))
    return NOTHING


def quota_request_scope(*, user) -> QuerySet[QuotaRaiseRequest]:
    """The quota raise requests ``user`` may read, newest first."""
    return QuotaRaiseRequest.objects.filter(
        quota_request_visibility(user_scope(user))
    ).select_related("cycle", "province", "requested_by", "answered_by")


def quota_request_get(*, user, pk: int) -> QuotaRaiseRequest:
    """The request ``pk`` if ``user`` may read it; Http404 otherwise."""
    return get_object_or_404(quota_request_scope(user=user), pk=pk)


def quota_request_provinces(*, user) -> QuerySet[Province]:
    """The provinces for which ``user`` may ask more places: a provincial officer's."""
    scope = user_scope(user)
    if not scope.has_role(Role.PROVINCIAL_OFFICER):
        return Province.objects.none()
    return Province.objects.filter(pk__in=sorted(scope.province_codes)).order_by("name")


@transaction.atomic
def quota_request_create(
    *, cycle: ProgrammeCycle, province: Province, places: int, reason: str, actor
) -> QuotaRaiseRequest:
    """Ask for ``places`` more places in ``province``'s quota of ``cycle``, with a reason.

    TransitionRefused for anyone but the province's officers; ValidationError for no places,
    no reason, or while another request of the province waits for its answer.
    """
    if not quota_request_provinces(user=actor).filter(pk=province.pk).exists():
        raise TransitionRefused(gettext("Only the province's officers ask to raise its quota."))
    request = QuotaRaiseRequest(
        cycle=cycle,
        province=province,
        places=places,
        reason=reason.strip(),
        requested_by=actor,
    )
    request.full_clean()
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError as error:
        # Another officer's request for the province was saved since full_clean looked.
        raise ValidationError(
            gettext("This province already has a request waiting for an answer in this cycle.")
        ) from error
    audit_record(
        actor=actor,
        action=AuditAction.CREATED,
        obj=request,
        changes=audit_changes({}, audit_snapshot(request)),
    )
    quota_request_sent_notify(quota_request=request, actor=actor)
    return request


@transaction.atomic
def quota_request_answer(
    *, request: QuotaRaiseRequest, grant: bool, answer: str, actor
) -> QuotaRaiseRequest:
    """Grant (the quota grows and the waiting list moves up) or decline (an answer is required)
    a pending request. National roles only; TransitionOutOfOrder once it has been answered."""
    if not programme_may_change(user=actor):
        raise TransitionRefused(gettext("Only the programme's officers answer quota requests."))
    answer = answer.strip()
    if not grant and not answer:
        raise ValidationError(gettext("Say why the request is declined: the province reads it."))
    quota = province_quota_lock(
        cycle_id=request.cycle_id, province_code=request.province_id, required=False
    )
    current = QuotaRaiseRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
    if current.state != QuotaRequestState.PENDING:
        raise TransitionOutOfOrder(
            gettext("This request has already been answered: it is “%(state)s”.")
            % {"state": current.get_state_display()}
        )
    current.state = QuotaRequestState.GRANTED if grant else QuotaRequestState.DECLINED
    current.answer = answer
    current.answered_by = actor
    current.answered_at = timezone.now()
    current.save(update_fields=["state", "answer", "answered_by", "answered_at", "updated_at"])
    changes = {"state": [QuotaRequestState.PENDING.value, current.state]}
    if grant:
        if quota is None:
            quota = ProvinceQuota.objects.create(
                cycle_id=current.cycle_id, province_id=current.province_id, allowed=current.places
            )
            changes["allowed"] = [None, quota.allowed]
        else:
            changes["allowed"] = [quota.allowed, quota.allowed + current.places]
            quota.allowed += current.places
            quota.save(update_fields=["allowed", "updated_at"])
        waiting_list_settle(quota=quota)
    audit_record(actor=actor, action=AuditAction.TRANSITIONED, obj=current, changes=changes)
    with translation.override(settings.LANGUAGE_CODE):
        link = reverse("nominations:waiting-list") + "?" + urlencode({"cycle": current.cycle_id})
    quota_request_answered_notify(quota_request=current, actor=actor, link=link)
    return current


@dataclass
class ProvinceWaitingList:
    """A province's quota in a cycle with its waiting list and its requests for more places."""

    province: Province
    quota: ProvinceQuota | None
    used: int
    waiting: list[Nomination] = field(default_factory=list)
    requests: list[QuotaRaiseRequest] = field(default_factory=list)

    @property
    def has_pending_request(self) -> bool:
        return any(request.state == QuotaRequestState.PENDING for request in self.requests)


def waiting_list_overview(*, user, cycle: ProgrammeCycle) -> list[ProvinceWaitingList]:
    """The provinces of ``cycle`` whose quota ``user`` reads, by name, with their waiting
    nominations in rank order and their quota requests, newest first. National roles see the
    provinces with a waiting list or a request; provincial officers their provinces. Four
    queries, whatever the number of rows."""
    scope = user_scope(user)
    quotas = {
        quota.province_id: quota for quota in province_quota_scope(user=user).filter(cycle=cycle)
    }
    used = province_quota_usage(cycle=cycle, province_codes=None if scope.is_national else quotas)
    waiting = (
        nomination_scope(user=user)
        .filter(cycle=cycle, state=NominationState.WAITING)
        .select_related("submitted_by")
        .order_by("village__province__name", "waiting_rank", "pk")
    )
    requests = quota_request_scope(user=user).filter(cycle=cycle)
    provinces: dict[str, ProvinceWaitingList] = {}

    def entry(province: Province) -> ProvinceWaitingList:
        if province.code not in provinces:
            provinces[province.code] = ProvinceWaitingList(
                province=province,
                quota=quotas.get(province.code),
                used=used.get(province.code, 0),
            )
        return provinces[province.code]

    if not scope.is_national:
        for province in quota_request_provinces(user=user):
            entry(province)
    for nomination in waiting:
        entry(nomination.village.province).waiting.append(nomination)
    for request in requests:
        entry(request.province).requests.append(request)
    return sorted(provinces.values(), key=lambda row: (row.province.name, row.province.code))
