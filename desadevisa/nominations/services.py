"""Changes to the programme: cycles, their quotas, nominations and the workflow's steps.

Each service owns its transaction and records its audit event. Every workflow step locks the
nomination, checks the step against the workflow table (``nominations.workflow``), moves the
state, appends a ``NominationEvent`` with the screening as it stands, and records a
``TRANSITIONED`` audit event: a refused step writes nothing.

Quota slots: a submission locks its province's quota row in the cycle and counts the
nominations holding a slot inside that lock, so two submissions racing for the last slot are
serialised and exactly one wins (PostgreSQL row lock; SQLite's IMMEDIATE transactions hold the
database's write lock).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Max
from django.utils.translation import gettext

from desadevisa.audit.models import AuditAction
from desadevisa.audit.services import (
    audit_record,
    audited_create,
    audited_update,
)
from desadevisa.catalog.models import Product
from desadevisa.nominations.cycle_dates import cycle_dates_check
from desadevisa.nominations.models import (
    NOMINATION_QUOTA_STATES,
    Nomination,
    NominationEvent,
    NominationState,
    ProgrammeCycle,
    ProvinceQuota,
)
from desadevisa.nominations.notices import nomination_event_notify
from desadevisa.nominations.permissions import (
    NominationAction,
    nomination_can,
    nomination_may_create,
)
from desadevisa.nominations.screening import nomination_screen
from desadevisa.nominations.workflow import (
    TRANSITIONS,
    NominationNotEditable,
    QuotaExhausted,
    Transition,
    TransitionOutOfOrder,
    TransitionRefused,
    transition_check,
)
from desadevisa.regions.models import Province, Village

PROGRAMME_CYCLE_FIELDS = (
    "year",
    "name",
    "opens_on",
    "closes_on",
    "min_craft_units",
    "min_membership_share",
)
NOMINATION_FIELDS = ("village", "flagship_product", "statement")


# Cycles and quotas ---------------------------------------------------------------------------


@transaction.atomic
def programme_cycle_create(*, data: Mapping[str, Any], actor) -> ProgrammeCycle:
    """Open a new programme cycle with its dates and eligibility thresholds."""
    cycle = ProgrammeCycle(**{name: data[name] for name in PROGRAMME_CYCLE_FIELDS if name in data})
    return audited_create(cycle, actor=actor)


@transaction.atomic
def programme_cycle_update(
    *, cycle: ProgrammeCycle, data: Mapping[str, Any], seen_version: str, actor
) -> ProgrammeCycle:
    """Change a cycle's dates or thresholds; EditConflict when saved since ``seen_version``."""
    return audited_update(
        ProgrammeCycle,
        cycle,
        data=data,
        fields=PROGRAMME_CYCLE_FIELDS,
        seen_version=seen_version,
        actor=actor,
    )


def province_quota_usage(*, cycle: ProgrammeCycle, province_codes=None) -> dict[str, int]:
    """How many nominations hold a slot in ``cycle``, per province code (one query)."""
    rows = Nomination.objects.filter(cycle=cycle, state__in=NOMINATION_QUOTA_STATES)
    if province_codes is not None:
        rows = rows.filter(village__province_id__in=sorted(province_codes))
    counts = rows.values("village__province_id").annotate(used=Count("pk"))
    return {row["village__province_id"]: row["used"] for row in counts}


@transaction.atomic
def province_quotas_set(
    *, cycle: ProgrammeCycle, allowed: Mapping[str, int | None], actor
) -> ProgrammeCycle:
    """Set the cycle's quota of each province in ``allowed`` (code: places, None for no quota).

    A quota cannot go below the nominations already holding a slot, nor be removed while any
    do: ValidationError naming the provinces, and nothing is written.
    """
    cycle = ProgrammeCycle.objects.select_for_update().get(pk=cycle.pk)
    current = {
        quota.province_id: quota
        for quota in ProvinceQuota.objects.select_for_update()
        .filter(cycle=cycle)
        .order_by("province_id")
    }
    used = province_quota_usage(cycle=cycle)
    provinces = Province.objects.in_bulk(list(allowed))
    errors = []
    for code, places in sorted(allowed.items()):
        if places is not None and places < 1:
            errors.append(
                gettext("%(province)s: a quota is a positive number of villages.")
                % {"province": provinces[code].name}
            )
        elif used.get(code, 0) > (places or 0):
            errors.append(
                gettext(
                    "%(province)s: %(used)d nominations already hold a slot, so the quota "
                    "cannot be less."
                )
                % {"province": provinces[code].name, "used": used[code]}
            )
    if errors:
        raise ValidationError(errors)
    changes = {}
    for code, places in sorted(allowed.items()):
        quota = current.get(code)
        old = quota.allowed if quota else None
        if old == places:
            continue
        if places is None:
            quota.delete()
        elif quota is None:
            ProvinceQuota.objects.create(cycle=cycle, province=provinces[code], allowed=places)
        else:
            quota.allowed = places
            quota.save(update_fields=["allowed", "updated_at"])
        changes[f"quota:{code}"] = [old, places]
    if changes:
        cycle.save(update_fields=["updated_at"])
        audit_record(actor=actor, action=AuditAction.CHANGED, obj=cycle, changes=changes)
    for code in sorted(code for code, (old, new) in _raised(changes).items() if new > old):
        waiting_list_settle(quota=province_quota_lock(cycle_id=cycle.pk, province_code=code))
    return cycle


def _raised(changes: Mapping[str, list]) -> dict[str, tuple[int, int]]:
    """The quota changes of ``province_quotas_set``'s audit record, as code: (old, new)."""
    return {key.removeprefix("quota:"): (old or 0, new or 0) for key, (old, new) in changes.items()}


def province_quota_lock(
    *, cycle_id: int, province_code: str, required: bool = True
) -> ProvinceQuota | None:
    """Lock the quota row of ``province_code`` in the cycle for the rest of the transaction.

    Without a quota in the cycle: QuotaExhausted when ``required``, None otherwise.
    """
    quota = (
        ProvinceQuota.objects.select_for_update(of=("self",))
        .filter(cycle_id=cycle_id, province_id=province_code)
        .select_related("province")
        .first()
    )
    if quota is None and required:
        province = Province.objects.get(pk=province_code)
        raise QuotaExhausted(
            gettext("%(province)s has no quota in this programme cycle.")
            % {"province": province.name}
        )
    return quota


def province_quota_used(*, quota: ProvinceQuota) -> int:
    """The nominations holding a slot of ``quota``: count inside the quota's lock."""
    return Nomination.objects.filter(
        cycle_id=quota.cycle_id,
        village__province_id=quota.province_id,
        state__in=NOMINATION_QUOTA_STATES,
    ).count()


def _waiting(quota: ProvinceQuota) -> models.QuerySet[Nomination]:
    return Nomination.objects.filter(
        cycle_id=quota.cycle_id,
        village__province_id=quota.province_id,
        state=NominationState.WAITING,
    ).order_by("waiting_rank", "pk")


def waiting_list_settle(*, quota: ProvinceQuota) -> list[Nomination]:
    """Move the first waiting nominations of ``quota``'s province into the places that are free,
    then number the rest 1, 2, 3... again. Call it inside the quota's lock; returns the
    nominations that moved up."""
    free = quota.allowed - province_quota_used(quota=quota)
    waiting = list(_waiting(quota).select_for_update(of=("self",)))
    moved = waiting[: max(free, 0)]
    for nomination in moved:
        _step_record(
            nomination=nomination,
            target=NominationState.SUBMITTED,
            actor=None,
            comment=gettext("Moved up from the waiting list: a place in the quota became free."),
            summary="move_up",
        )
    for rank, nomination in enumerate(waiting[len(moved) :], start=1):
        if nomination.waiting_rank != rank:
            nomination.waiting_rank = rank
            nomination.save(update_fields=["waiting_rank", "updated_at"])
    return moved


@transaction.atomic
def waiting_list_move(*, nomination: Nomination, places: int, actor) -> Nomination:
    """Move a waiting nomination ``places`` up (negative) or down (positive) its province's
    waiting list; the nominations it passes shift by one. Provincial officers of the province.
    """
    quota = province_quota_lock(
        cycle_id=nomination.cycle_id, province_code=nomination.village.province_id
    )
    current = Nomination.objects.select_for_update(of=("self",)).get(pk=nomination.pk)
    if not nomination_can(user=actor, nomination=current, action=NominationAction.SUBMIT):
        raise TransitionRefused(gettext("Only the province's officers rank its waiting list."))
    if current.state != NominationState.WAITING:
        raise TransitionOutOfOrder(
            gettext("This nomination is no longer on the waiting list. Reload the page.")
        )
    waiting = [row for row in _waiting(quota).select_for_update(of=("self",)) if row != current]
    position = min(max(current.waiting_rank - 1 + places, 0), len(waiting))
    waiting.insert(position, current)
    for rank, row in enumerate(waiting, start=1):
        if row.waiting_rank != rank:
            before = row.waiting_rank
            row.waiting_rank = rank
            row.save(update_fields=["waiting_rank", "updated_at"])
            if row.pk == current.pk:
                audit_record(
                    actor=actor,
                    action=AuditAction.CHANGED,
                    obj=row,
                    changes={"waiting_rank": [before, rank]},
                )
    return next(row for row in waiting if row.pk == current.pk)


# Nominations ---------------------------------------------------------------------------------


@transaction.atomic
def nomination_create(
    *,
    cycle: ProgrammeCycle,
    village: Village,
    flagship_product: Product,
    statement: str,
    actor,
) -> Nomination:
    """Start a draft nomination of ``village``, which must lie in one of the actor's provinces
    as a provincial officer (TransitionRefused otherwise)."""
    if not nomination_may_create(user=actor, village=village):
        raise TransitionRefused(gettext("You may nominate only villages of your own provinces."))
    nomination = Nomination(
        cycle=cycle,
        village=village,
        flagship_product=flagship_product,
        statement=statement,
        state=NominationState.DRAFT,
    )
    return audited_create(nomination, actor=actor)


@transaction.atomic
def nomination_update(
    *, nomination: Nomination, data: Mapping[str, Any], seen_version: str, actor
) -> Nomination:
    """Change a draft or returned nomination's village, flagship product or statement.

    NominationNotEditable once it has moved on (submitted, designated...); EditConflict when
    saved since ``seen_version``; TransitionRefused for a village outside the actor's provinces.
    """
    current = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if not current.is_editable:
        raise NominationNotEditable(
            gettext("A nomination that is “%(state)s” can no longer be changed.")
            % {"state": current.get_state_display()}
        )
    village = data.get("village")
    if village is not None and not nomination_may_create(user=actor, village=village):
        raise TransitionRefused(gettext("You may nominate only villages of your own provinces."))
    if (
        village is not None
        and village.pk != current.village_id
        and current.state != NominationState.DRAFT
    ):
        # A returned nomination holds a slot of its village's province.
        raise NominationNotEditable(
            gettext("The village of a submitted nomination cannot change: withdraw it instead.")
        )
    return audited_update(
        Nomination,
        current,
        data=data,
        fields=NOMINATION_FIELDS,
        seen_version=seen_version,
        actor=actor,
    )


def nomination_screening_snapshot(nomination: Nomination) -> dict:
    """The screening of ``nomination`` as JSON, to store with a workflow step."""
    return nomination_screen(nomination=nomination).as_json()


def _step_record(
    *, nomination: Nomination, target: str, actor, comment: str, summary: str
) -> NominationEvent:
    """Move the locked ``nomination`` to ``target``, write the step's event (with the
    screening as it stands) and audit record, and notify the people concerned."""
    from_state = nomination.state
    nomination.state = target
    fields = ["state", "updated_at"]
    if target == NominationState.WAITING:
        nomination.waiting_rank = (
            Nomination.objects.filter(
                cycle_id=nomination.cycle_id,
                village__province_id=nomination.village.province_id,
                state=NominationState.WAITING,
            ).aggregate(last=Max("waiting_rank"))["last"]
            or 0
        ) + 1
    else:
        nomination.waiting_rank = None
    fields.append("waiting_rank")
    if target in (NominationState.SUBMITTED, NominationState.WAITING) and actor is not None:
        nomination.submitted_by = actor
        fields.append("submitted_by")
    nomination.save(update_fields=fields)
    event = NominationEvent.objects.create(
        nomination=nomination,
        from_state=from_state,
        to_state=target,
        actor=actor,
        actor_label=actor.get_username() if actor is not None else "",
        comment=comment.strip(),
        screening=nomination_screening_snapshot(nomination),
    )
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITIONED,
        obj=nomination,
        changes={"state": [from_state, target]},
        summary=summary,
    )
    nomination_event_notify(event=event)
    return event


def _transition(*, nomination: Nomination, step: Transition, actor, comment: str) -> Nomination:
    with transaction.atomic():
        quota = None
        if step.takes_slot or step.frees_slot:
            # Lock the quota before the nomination: every step that takes or frees a slot
            # takes the locks in the same order.
            quota = province_quota_lock(
                cycle_id=nomination.cycle_id,
                province_code=nomination.village.province_id,
                required=step.takes_slot,
            )
        current = (
            Nomination.objects.select_for_update(of=("self",))
            .select_related("cycle", "village__province", "flagship_product")
            .get(pk=nomination.pk)
        )
        transition_check(nomination=current, step=step, user=actor, comment=comment)
        if step.dated:
            cycle_dates_check(cycle=current.cycle, doing=step.dated)
        target = step.target
        if step.takes_slot and province_quota_used(quota=quota) >= quota.allowed:
            target = NominationState.WAITING
        _step_record(
            nomination=current, target=target, actor=actor, comment=comment, summary=step.name
        )
        if step.frees_slot and quota is not None:
            waiting_list_settle(quota=quota)
    return current


def nomination_transition(*, nomination: Nomination, name: str, actor, comment: str = ""):
    """Take the workflow step ``name`` (a key of ``workflow.TRANSITIONS``)."""
    return _transition(nomination=nomination, step=TRANSITIONS[name], actor=actor, comment=comment)


def nomination_submit(*, nomination: Nomination, actor, comment: str = "") -> Nomination:
    """Submit a draft: it holds one quota slot of the village's province until it ends, or
    waits last on the province's waiting list when the quota is used up."""
    return nomination_transition(nomination=nomination, name="submit", actor=actor, comment=comment)


def nomination_screen_complete(*, nomination: Nomination, actor, comment: str = "") -> Nomination:
    """Mark a submitted nomination as screened."""
    return nomination_transition(nomination=nomination, name="screen", actor=actor, comment=comment)


def nomination_return(*, nomination: Nomination, actor, comment: str = "") -> Nomination:
    """Send a nomination back to the province with a comment; it keeps its slot."""
    return nomination_transition(nomination=nomination, name="return", actor=actor, comment=comment)


def nomination_resubmit(*, nomination: Nomination, actor, comment: str = "") -> Nomination:
    """Submit a returned nomination again."""
    return nomination_transition(
        nomination=nomination, name="resubmit", actor=actor, comment=comment
    )


def nomination_withdraw(*, nomination: Nomination, actor, comment: str = "") -> Nomination:
    """Withdraw a nomination; frees its slot (or its place on the waiting list)."""
    return nomination_transition(
        nomination=nomination, name="withdraw", actor=actor, comment=comment
    )


def nomination_schedule_visit(*, nomination: Nomination, actor, comment: str = "") -> Nomination:
    return nomination_transition(
        nomination=nomination, name="schedule_visit", actor=actor, comment=comment
    )


def nomination_record_visit(*, nomination: Nomination, actor, comment: str = "") -> Nomination:
    return nomination_transition(
        nomination=nomination, name="record_visit", actor=actor, comment=comment
    )


def nomination_designate(*, nomination: Nomination, actor, comment: str = "") -> Nomination:
    """Designate a visited nomination; it keeps its slot."""
    return nomination_transition(
        nomination=nomination, name="designate", actor=actor, comment=comment
    )


def nomination_reject(*, nomination: Nomination, actor, comment: str = "") -> Nomination:
    """Reject a screened or visited nomination with reasons; frees its slot."""
    return nomination_transition(nomination=nomination, name="reject", actor=actor, comment=comment)
