"""Reads for the inbox, and the people a notification goes to.

A person reads only their own notifications: ``notification_get`` answers 404 for anyone
else's, whatever their role.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from desadevisa.accounts.models import Role, RoleAssignment, User
from desadevisa.notifications.models import Notification


def notification_scope(*, user) -> QuerySet[Notification]:
    """The notifications of ``user`` (none for the anonymous and deactivated accounts)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk)


def notification_list(*, user) -> QuerySet[Notification]:
    """The inbox of ``user``, newest first."""
    return notification_scope(user=user).order_by("-created_at", "-pk")


def notification_get(*, user, pk: int) -> Notification:
    """The notification ``pk`` if it is ``user``'s; Http404 otherwise."""
    return get_object_or_404(notification_scope(user=user), pk=pk)


def notification_unread_count(*, user) -> int:
    """How many notifications ``user`` has not opened yet (one query)."""
    return notification_scope(user=user).filter(read_at__isnull=True).count()


def _holders(**assignment) -> QuerySet[User]:
    holders = RoleAssignment.objects.filter(**assignment).values("user_id")
    return User.objects.filter(is_active=True, pk__in=holders).order_by("pk")


def recipients_provincial_officers(province_code: str) -> QuerySet[User]:
    """The active accounts holding the provincial officer's role for ``province_code``."""
    return _holders(role=Role.PROVINCIAL_OFFICER, province_id=province_code)


def recipients_programme_officers() -> QuerySet[User]:
    """The active accounts holding the programme officer's role."""
    return _holders(role=Role.PROGRAMME_OFFICER)
