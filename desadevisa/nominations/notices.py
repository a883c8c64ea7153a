"""Who hears about a nomination's workflow step, and what they are told.

| step (event) | notification | to |
|---|---|---|
| to submitted (from draft, returned or waiting) | nomination_submitted | programme officers |
| waiting → submitted (moved up into a free place) | nomination_moved_up | the province's officers |
| to waiting (quota used up) | nomination_waiting | the province's officers |
| to screened | nomination_screened | the province's officers |
| to returned, designated, rejected | nomination_<state> | the province's officers, submitter |
| to visit_scheduled | visit_assigned; visit_scheduled | the verifiers; the province's officers |

The person who took the step is not told about it. Moving up from the waiting list is not
anyone's own act (a place became free), so everyone concerned is told, whoever freed it.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from desadevisa.nominations.models import (
    Nomination,
    NominationEvent,
    NominationState,
    QuotaRaiseRequest,
    QuotaRequestState,
)
from desadevisa.notifications.models import Notification, NotificationKind
from desadevisa.notifications.selectors import (
    recipients_programme_officers,
    recipients_provincial_officers,
)
from desadevisa.notifications.services import notification_send

S = NominationState
K = NotificationKind
# The decisions told to the province and to the officer who submitted the nomination.
DECISIONS = {
    S.RETURNED: K.NOMINATION_RETURNED,
    S.DESIGNATED: K.NOMINATION_DESIGNATED,
    S.REJECTED: K.NOMINATION_REJECTED,
}


def _path(name: str, **kwargs: object) -> str:
    # Stored in the site's language; each reader is sent to the page in their own.
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(name, kwargs=kwargs)


def nomination_link(nomination: Nomination) -> str:
    return _path("nominations:nomination-detail", pk=nomination.pk)


def nomination_params(nomination: Nomination, *, comment: str = "") -> dict[str, object]:
    """What every message about ``nomination`` says: village, province, cycle, comment."""
    params: dict[str, object] = {
        "village": nomination.village.name,
        "province": nomination.village.province.name,
        "cycle": nomination.cycle.name,
    }
    if comment:
        params["comment"] = comment
    return params


def nomination_event_notify(*, event: NominationEvent) -> list[Notification]:
    """Notify the people concerned by the workflow step ``event`` (just written), inside the
    caller's transaction; returns the notifications written (none for other steps)."""
    nomination = (
        Nomination.objects.select_related("village__province", "cycle", "submitted_by")
        .filter(pk=event.nomination_id)
        .get()
    )
    params = nomination_params(nomination, comment=event.comment)
    link = nomination_link(nomination)
    province_officers = recipients_provincial_officers(nomination.village.province_id)
    moved_up = event.from_state == S.WAITING and event.to_state == S.SUBMITTED
    # Moving up is automatic: whoever freed the place did not submit this nomination.
    actor = None if moved_up else event.actor
    sent: list[Notification] = []
    if event.to_state == S.SUBMITTED:
        sent += notification_send(
            recipients=recipients_programme_officers(),
            kind=K.NOMINATION_SUBMITTED,
            params=params,
            link=link,
            actor=actor,
        )
        if moved_up:
            sent += notification_send(
                recipients=province_officers,
                kind=K.NOMINATION_MOVED_UP,
                params=params,
                link=link,
                actor=actor,
            )
    elif event.to_state == S.WAITING:
        waiting = {**params, "waiting_rank": nomination.waiting_rank}
        sent += notification_send(
            recipients=province_officers,
            kind=K.NOMINATION_WAITING,
            params=waiting,
            link=link,
            actor=actor,
        )
    elif event.to_state == S.SCREENED:
        sent += notification_send(
            recipients=province_officers,
            kind=K.NOMINATION_SCREENED,
            params=params,
            link=link,
            actor=actor,
        )
    elif event.to_state in DECISIONS:
        submitter = [nomination.submitted_by] if nomination.submitted_by else []
        sent += notification_send(
            recipients=[*province_officers, *submitter],
            kind=DECISIONS[event.to_state],
            params=params,
            link=link,
            actor=actor,
        )
    elif event.to_state == S.VISIT_SCHEDULED:
        # The step may be taken before the visit and its team are written; then the visit's
        # service calls visit_assigned_notify once they are.
        visit = nomination.visits.filter(state="planned").order_by("-pk").first()
        if visit is not None:
            sent += visit_assigned_notify(visit=visit, actor=actor)
            sent += visit_scheduled_notify(visit=visit, actor=actor)
    return sent


def _visit_params(nomination: Nomination, visit) -> dict[str, object]:
    return {
        **nomination_params(nomination),
        "visit": visit.pk,
        "visit_on": visit.planned_on.isoformat(),
    }


def visit_assigned_notify(*, visit, actor, verifiers=None) -> list[Notification]:
    """Tell ``verifiers`` (default: the visit's whole team) that they are assigned to ``visit``.

    A verifier already told about this visit is not told again, so calling it after the team
    changes tells only the newcomers.
    """
    nomination = (
        Nomination.objects.select_related("village__province", "cycle")
        .filter(pk=visit.nomination_id)
        .get()
    )
    team = list(visit.verifiers.all() if verifiers is None else verifiers)
    told = set(
        Notification.objects.filter(
            kind=K.VISIT_ASSIGNED,
            params__visit=visit.pk,
            recipient_id__in=[person.pk for person in team],
        ).values_list("recipient_id", flat=True)
    )
    return notification_send(
        recipients=[person for person in team if person.pk not in told],
        kind=K.VISIT_ASSIGNED,
        params=_visit_params(nomination, visit),
        link=nomination_link(nomination),
        actor=actor,
    )


def visit_scheduled_notify(*, visit, actor) -> list[Notification]:
    """Tell the officers of the visited village's province when the visit is planned."""
    nomination = (
        Nomination.objects.select_related("village__province", "cycle")
        .filter(pk=visit.nomination_id)
        .get()
    )
    return notification_send(
        recipients=recipients_provincial_officers(nomination.village.province_id),
        kind=K.VISIT_SCHEDULED,
        params=_visit_params(nomination, visit),
        link=nomination_link(nomination),
        actor=actor,
    )


def quota_request_sent_notify(
    *, quota_request: QuotaRaiseRequest, actor, link: str | None = None
) -> list[Notification]:
    """Tell the programme officers that a province asks for more places; ``link`` defaults
    to the page where they answer."""
    return notification_send(
        recipients=recipients_programme_officers(),
        kind=K.QUOTA_REQUEST_SENT,
        params={
            "province": quota_request.province.name,
            "cycle": quota_request.cycle.name,
            "places": quota_request.places,
            "reason": quota_request.reason,
        },
        link=link or _path("nominations:quota-request-answer", pk=quota_request.pk),
        actor=actor,
    )


def quota_request_answered_notify(
    *, quota_request: QuotaRaiseRequest, actor, link: str | None = None
) -> list[Notification]:
    """Tell the province's officers and the requester how the programme answered; ``link``
    defaults to the list of programme cycles."""
    requester = [quota_request.requested_by] if quota_request.requested_by else []
    params: dict[str, object] = {
        "province": quota_request.province.name,
        "cycle": quota_request.cycle.name,
        "places": quota_request.places,
        "granted": quota_request.state == QuotaRequestState.GRANTED,
    }
    if quota_request.answer:
        params["answer"] = quota_request.answer
    return notification_send(
        recipients=[*recipients_provincial_officers(quota_request.province_id), *requester],
        kind=K.QUOTA_REQUEST_ANSWERED,
        params=params,
        link=link or _path("nominations:cycle-list"),
        actor=actor,
    )
