"""The nomination workflow as data: which step moves a nomination from which states to which,
and which permission (and so which role) it needs.

| step | from | to | who (permission) |
|---|---|---|---|
| submit | draft | submitted, or waiting if the quota is full | provincial officer (submit) |
| (move up) | waiting | submitted | automatic, when a slot of the province's quota frees |
| screen | submitted | screened | programme officer (screen) |
| return | submitted, screened | returned | programme officer (screen), with a comment |
| resubmit | returned | submitted | provincial officer (submit) |
| withdraw | draft, waiting, submitted, returned | withdrawn | provincial officer (withdraw) |
| schedule_visit | screened | visit_scheduled | programme officer (screen) |
| record_visit | visit_scheduled | visited | verifier of the visit (verify) |
| designate | visited | designated | programme officer (decide) |
| reject | screened, visited | rejected | programme officer (decide) |

Submit and resubmit are taken only within the cycle's dates, designate and reject too, unless a
programme officer's override of the dates is in effect (``nominations.cycle_dates``).

``transition_check`` is the one place the table is read; the services in
``nominations.services`` are the only callers that move a nomination.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from desadevisa.nominations.models import Nomination, NominationState
from desadevisa.nominations.permissions import NominationAction, nomination_can


@dataclass(frozen=True)
class Transition:
    """One step of the workflow."""

    name: str
    label: str | Promise
    sources: frozenset[str]
    target: str
    action: str
    needs_comment: bool = False
    # Whether the step takes a quota slot (a nomination entering the quota states); a step that
    # takes one puts the nomination on the waiting list instead when the quota is used up.
    takes_slot: bool = False
    # Whether the step frees the slot the nomination held (the first waiting one moves up).
    frees_slot: bool = False
    # Steps taken on their own pages (the visit) are not offered as buttons.
    has_button: bool = True
    # What the step does in the cycle, if it may be done only within the cycle's dates
    # (``nominations.cycle_dates``): "nominating" or "deciding".
    dated: str = ""


S = NominationState
TRANSITIONS: dict[str, Transition] = {
    step.name: step
    for step in (
        Transition(
            "submit",
            _("Submit"),
            frozenset({S.DRAFT}),
            S.SUBMITTED,
            NominationAction.SUBMIT,
            takes_slot=True,
            dated="nominating",
        ),
        Transition(
            "screen",
            _("Mark as screened"),
            frozenset({S.SUBMITTED}),
            S.SCREENED,
            NominationAction.SCREEN,
        ),
        Transition(
            "return",
            _("Return to the province"),
            frozenset({S.SUBMITTED, S.SCREENED}),
            S.RETURNED,
            NominationAction.SCREEN,
            needs_comment=True,
        ),
        Transition(
            "resubmit",
            _("Submit again"),
            frozenset({S.RETURNED}),
            S.SUBMITTED,
            NominationAction.SUBMIT,
            dated="nominating",
        ),
        Transition(
            "withdraw",
            _("Withdraw"),
            frozenset({S.DRAFT, S.WAITING, S.SUBMITTED, S.RETURNED}),
            S.WITHDRAWN,
            NominationAction.WITHDRAW,
            frees_slot=True,
        ),
        Transition(
            "schedule_visit",
            _("Schedule the visit"),
            frozenset({S.SCREENED}),
            S.VISIT_SCHEDULED,
            NominationAction.SCREEN,
            has_button=False,
        ),
        Transition(
            "record_visit",
            _("Record the visit"),
            frozenset({S.VISIT_SCHEDULED}),
            S.VISITED,
            NominationAction.VERIFY,
            has_button=False,
        ),
        Transition(
            "designate",
            _("Designate"),
            frozenset({S.VISITED}),
            S.DESIGNATED,
            NominationAction.DECIDE,
            has_button=False,
            dated="deciding",
        ),
        Transition(
            "reject",
            _("Reject"),
            frozenset({S.SCREENED, S.VISITED}),
            S.REJECTED,
            NominationAction.DECIDE,
            needs_comment=True,
            frees_slot=True,
            dated="deciding",
        ),
    )
}


class WorkflowError(Exception):
    """A step that may not be taken; nothing was written. ``status`` is the HTTP answer."""

    status = 409

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.message)


class TransitionRefused(WorkflowError):
    """The person's role does not allow the step on this nomination."""

    status = 403


class TransitionOutOfOrder(WorkflowError):
    """The nomination is not in a state the step starts from (or someone moved it first)."""


class CommentRequired(WorkflowError):
    """The step needs a comment and none was given."""

    status = 400


class QuotaExhausted(WorkflowError):
    """The province's quota in the cycle is used up."""


class NominationNotEditable(WorkflowError):
    """The nomination has left the draft and returned states."""


def transition_get(name: str) -> Transition | None:
    return TRANSITIONS.get(name)


def transitions_from(state: str) -> list[Transition]:
    """The steps that start from ``state``, in the table's order."""
    return [step for step in TRANSITIONS.values() if state in step.sources]


def transition_check(*, nomination: Nomination, step: Transition, user, comment: str = "") -> None:
    """Raise the WorkflowError that forbids ``user`` taking ``step`` on ``nomination`` now, if
    any: the role first (403), then the order (409), then the comment (400)."""
    if not nomination_can(user=user, nomination=nomination, action=step.action):
        raise TransitionRefused(
            gettext("You may not take the step “%(step)s” on this nomination.")
            % {"step": step.label}
        )
    if nomination.state not in step.sources:
        raise TransitionOutOfOrder(
            gettext(
                "The step “%(step)s” cannot be taken: the nomination is now “%(state)s”. "
                "Reload the page to see its current state."
            )
            % {"step": step.label, "state": NominationState(nomination.state).label}
        )
    if step.needs_comment and not comment.strip():
        raise CommentRequired(gettext("Write a comment saying why: it is required for this step."))


def transitions_available(*, nomination: Nomination, user) -> list[Transition]:
    """The steps with a button that ``user`` may take on ``nomination`` now."""
    return [
        step
        for step in transitions_from(nomination.state)
        if step.has_button and nomination_can(user=user, nomination=nomination, action=step.action)
    ]
