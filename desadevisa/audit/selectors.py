"""Reading the audit trail: the only way pages and exports reach audit events."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from desadevisa.accounts.scopes import user_scope
from desadevisa.audit.models import AuditEvent


def audit_event_scope(*, user) -> QuerySet[AuditEvent]:
    """The events ``user`` may read, newest first, with actor and object type selected along.

    Administrators and programme officers read every event. A provincial officer reads the
    events recorded for the provinces of their scope, an organisation manager those recorded
    for their organisations. Verifiers read none yet (the events of their visits will be added
    with the visits); anyone else reads none.
    """
    scope = user_scope(user)
    events = AuditEvent.objects.select_related("actor", "content_type").order_by(
        "-occurred_at", "-pk"
    )
    if scope.is_national:
        return events
    # Only provincial officers hold provinces and only organisation managers organisations.
    if not scope.province_codes and not scope.organisation_ids:
        return events.none()
    return events.filter(
        Q(province_code__in=scope.province_codes) | Q(organisation_id__in=scope.organisation_ids)
    )


def audit_event_list(
    *,
    user,
    actor_username: str = "",
    action: str = "",
    content_type: ContentType | None = None,
    province_code: str = "",
    occurred_from: datetime.date | None = None,
    occurred_to: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """The events ``user`` may read, narrowed by the filters given, newest first.

    ``actor_username`` matches the username recorded with the event exactly. The days
    ``occurred_from`` and ``occurred_to`` are both included and read in the current time zone.
    """
    events = audit_event_scope(user=user)
    if actor_username:
        events = events.filter(actor_label=actor_username)
    if action:
        events = events.filter(action=action)
    if content_type is not None:
        events = events.filter(content_type=content_type)
    if province_code:
        events = events.filter(province_code=province_code)
    if occurred_from is not None:
        events = events.filter(occurred_at__gte=_start_of_day(occurred_from))
    if occurred_to is not None:
        events = events.filter(occurred_at__lt=_start_of_day(occurred_to + datetime.timedelta(1)))
    return events


def audit_history(*, obj: Model) -> QuerySet[AuditEvent]:
    """Every event of one object, newest first, with actor and object type selected along, in
    one query: the History of the object's page, the same events the audit trail holds.

    ``obj`` must have been read through its own scoped selector: whoever reads an object reads
    its whole history. The events' province and organisation, which decide who reads them in
    the trail, say nothing about the object's readers (a shipment's event names no
    organisation, yet the makers' managers read the shipment).
    """
    return (
        AuditEvent.objects.select_related("actor", "content_type")
        .filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
        .order_by("-occurred_at", "-pk")
    )


def _start_of_day(day: datetime.date) -> datetime.datetime:
    # A range on the column itself, unlike a __date lookup, lets the index answer it.
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
