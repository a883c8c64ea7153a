"""A programme cycle's dates, enforced: nominations are submitted, and decisions taken, between
its opening and closing days (``ProgrammeCycle``), unless a programme officer's override of the
dates is in effect. An override is recorded with who gave it, when and why, and audited."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from desadevisa.audit.services import audited_create
from desadevisa.nominations.models import CycleDateOverride, ProgrammeCycle
from desadevisa.nominations.permissions import programme_may_change
from desadevisa.nominations.workflow import TransitionRefused, WorkflowError

# What a dated step does in the cycle: submit a nomination, or decide on one.
NOMINATING, DECIDING = "nominating", "deciding"


class CycleClosed(WorkflowError):
    """Today lies outside the cycle's dates and no override is in effect."""


def _day(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


def cycle_override_in_effect(
    *, cycle: ProgrammeCycle, on: datetime.date | None = None
) -> CycleDateOverride | None:
    """The latest override of ``cycle``'s dates in effect on ``on`` (today), if any."""
    day = on or timezone.localdate()
    for override in cycle.date_overrides.order_by("-created_at", "-pk"):
        if override.is_in_effect(day):
            return override
    return None


def cycle_is_open(*, cycle: ProgrammeCycle, on: datetime.date | None = None) -> bool:
    """Whether ``on`` (today) lies between the cycle's opening and closing days."""
    day = on or timezone.localdate()
    return cycle.opens_on <= day <= cycle.closes_on


def cycle_dates_check(
    *, cycle: ProgrammeCycle, doing: str, on: datetime.date | None = None
) -> None:
    """Raise CycleClosed (409) when ``doing`` (NOMINATING or DECIDING) is not allowed in
    ``cycle`` on ``on`` (today): outside its dates, without an override in effect."""
    day = on or timezone.localdate()
    if cycle_is_open(cycle=cycle, on=day) or cycle_override_in_effect(cycle=cycle, on=day):
        return
    figures = {"cycle": cycle.name, "opens": _day(cycle.opens_on), "closes": _day(cycle.closes_on)}
    if doing == NOMINATING and day < cycle.opens_on:
        message = gettext("The programme cycle %(cycle)s opens for nominations on %(opens)s.")
    elif doing == NOMINATING:
        message = gettext("The programme cycle %(cycle)s closed for nominations on %(closes)s.")
    else:
        message = gettext(
            "Decisions in the programme cycle %(cycle)s are taken between %(opens)s and %(closes)s."
        )
    override = gettext("A programme officer may override the cycle's dates, giving the reason.")
    raise CycleClosed(f"{message % figures} {override}")


@transaction.atomic
def programme_cycle_override(
    *, cycle: ProgrammeCycle, reason: str, until: datetime.date | None, actor
) -> CycleDateOverride:
    """Let ``cycle``'s nominations and decisions be taken outside its dates, until ``until``
    (included; None: without an end), for ``reason``.

    TransitionRefused (403) for anyone but the national roles; ValidationError on ``reason``
    when it is blank and on ``until`` when it is in the past. Recorded in the audit trail.
    """
    if not programme_may_change(user=actor):
        raise TransitionRefused(gettext("Only the programme's officers override a cycle's dates."))
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = [gettext("Give the reason for the override: it is required.")]
    if until is not None and until < timezone.localdate():
        errors["until"] = [gettext("An override cannot end in the past.")]
    if errors:
        raise ValidationError(errors)
    override = CycleDateOverride(
        cycle=cycle,
        reason=reason,
        until=until,
        granted_by=actor,
        granted_by_label=actor.get_full_name() or actor.get_username(),
        origin=cycle.origin,
    )
    return audited_create(override, actor=actor)
