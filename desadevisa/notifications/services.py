"""Writing notifications and marking them read.

A notification is written inside the caller's transaction, so it exists exactly when the
change it reports does; its e-mail is queued only once that transaction commits. Opening one's
own inbox is not a change to the programme's records: reads are not in the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from desadevisa.accounts.models import User
from desadevisa.notifications.models import Notification, NotificationKind
from desadevisa.notifications.tasks import notification_email_send

# Plain values only: the message templates format them, and they are shown to the recipient.
PARAM_TYPES = (str, int, bool, type(None))


def _check(*, kind: str, params: Mapping[str, Any], link: str) -> None:
    if kind not in NotificationKind.values:
        raise ValueError(f"Unknown notification kind: {kind!r}")
    if not all(isinstance(key, str) for key in params) or not all(
        isinstance(value, PARAM_TYPES) for value in params.values()
    ):
        raise ValueError("Notification params are plain values (text, numbers, true/false).")
    # A path of this site: never a full address that could send the reader elsewhere.
    if not link.startswith("/") or not url_has_allowed_host_and_scheme(link, allowed_hosts=None):
        raise ValueError(f"A notification links to a path of this site, not {link!r}.")


@transaction.atomic
def notification_send(
    *,
    recipients: Iterable[User],
    kind: str,
    params: Mapping[str, Any],
    link: str,
    actor: User | None = None,
) -> list[Notification]:
    """Put a notification in the inbox of each recipient and e-mail it after the commit.

    Deactivated accounts and ``actor`` (who knows what they just did) are left out, and
    each person gets one notification however often they are listed. Runs inside the
    caller's transaction: if it rolls back, no notification exists and no e-mail leaves.
    One background task per notification sends its e-mail.
    """
    _check(kind=kind, params=params, link=link)
    people: dict[int, User] = {}
    for person in recipients:
        if person.is_active and (actor is None or person.pk != actor.pk):
            people.setdefault(person.pk, person)
    now = timezone.now()
    notifications = Notification.objects.bulk_create(
        Notification(recipient=person, kind=kind, params=dict(params), link=link, created_at=now)
        for person in people.values()
    )
    for notification in notifications:
        transaction.on_commit(
            partial(notification_email_send.enqueue, notification_id=notification.pk),
            robust=True,
        )
    return notifications


def notification_read(*, notification: Notification, actor: User) -> Notification:
    """Mark ``notification`` (``actor``'s own) as read; reading it again changes nothing."""
    if notification.recipient_id != actor.pk:
        raise ValueError("Only the recipient reads a notification.")
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def notification_read_all(*, actor: User) -> int:
    """Mark every unread notification of ``actor`` as read; returns how many were unread."""
    return Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
