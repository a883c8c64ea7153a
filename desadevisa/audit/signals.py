"""Sign-in events, recorded from the authentication signals of Django and django-axes, and
list downloads, from the staff pages' ``core.pages.list_exported``.

Authentication happens inside Django and django-axes, not in a service of ours, and the shared
list pages of ``core`` know nothing of the audit trail, so their signals are where these events
are caught. Domain services call ``audit_record`` themselves.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest

from desadevisa.audit.middleware import client_address_bound
from desadevisa.audit.models import AuditAction
from desadevisa.audit.services import audit_record


def record_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """A user signed in: the event's object is their account."""
    with client_address_bound(request):
        audit_record(actor=user, action=AuditAction.SIGNED_IN, obj=user)


def record_sign_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """A signed-in user signed out; signing out without being signed in records nothing."""
    if user is None:
        return
    with client_address_bound(request):
        audit_record(actor=user, action=AuditAction.SIGNED_OUT, obj=user)


def record_sign_in_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """A sign-in failed: the attempted username goes in the summary, never the password.

    The event's object is the account of that username when there is one.
    """
    username = _attempted_username(credentials.get(get_user_model().USERNAME_FIELD))
    with client_address_bound(request):
        audit_record(
            actor=None,
            action=AuditAction.SIGN_IN_FAILED,
            obj=_account(username),
            summary=f"Attempted username: {username}",
        )


def record_lockout(
    sender: Any, request: HttpRequest | None, username: str | None, **kwargs: Any
) -> None:
    """django-axes refused a sign-in because of repeated failures."""
    username = _attempted_username(username)
    with client_address_bound(request):
        audit_record(
            actor=None,
            action=AuditAction.LOCKED_OUT,
            obj=_account(username),
            summary=f"Attempted username: {username}",
        )


def _attempted_username(value: object) -> str:
    # Cut to the longest username there can be: the summary must not grow with what a client
    # sends.
    user_model = get_user_model()
    limit = user_model._meta.get_field(user_model.USERNAME_FIELD).max_length
    return str(value or "")[:limit]


def _account(username: str):
    if not username:
        return None
    user_model = get_user_model()
    return user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()


def record_list_export(sender: Any, user: Any, rows: int, **kwargs: Any) -> None:
    """A person downloaded a staff list (``sender`` is its definition) of ``rows`` rows."""
    audit_record(
        actor=user, action=AuditAction.EXPORTED, summary=f"{sender.export_name}: {rows} rows"
    )
