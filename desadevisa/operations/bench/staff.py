"""A staff page under load needs a signed-in, two-factor confirmed session: the benchmark's own
provincial officer, and a session holding what signing in and confirming the code would leave.

The account is generated: its name says so, it has no usable password (nobody signs in with
it), and it is kept from run to run with exactly one role, provincial officer of the province
the benchmark measures. The session is made on the server, recorded in the audit log like a
sign-in, and deleted (signed out) when the block ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from desadevisa.accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from desadevisa.accounts.models import Role, RoleAssignment, User
from desadevisa.accounts.reauthentication import password_confirmed
from desadevisa.audit.models import AuditAction
from desadevisa.audit.services import audit_record
from desadevisa.nominations.models import Nomination, ProgrammeCycle

OFFICER_USERNAME = "bench-provincial-officer"
DEVICE_NAME = "Benchmark authenticator (generated)"
# The backend a password sign-in ends with (django-axes' backend only guards the attempt).
SIGN_IN_BACKEND = "django.contrib.auth.backends.ModelBackend"


def busiest_province(*, cycle: ProgrammeCycle) -> str | None:
    """The code of the province with the most nominations in ``cycle`` (the lowest code on a
    tie), or None when the cycle has none."""
    row = (
        Nomination.objects.filter(cycle=cycle)
        .values("village__province_id")
        .annotate(nominations=Count("pk"))
        .order_by("-nominations", "village__province_id")
        .first()
    )
    return row["village__province_id"] if row else None


@transaction.atomic
def provincial_officer_ensure(*, province_code: str) -> User:
    """The benchmark's provincial officer of ``province_code`` with a confirmed authenticator,
    created or brought back to exactly that role."""
    user, created = User.objects.get_or_create(
        username=OFFICER_USERNAME,
        defaults={
            "email": f"{OFFICER_USERNAME}@generated.invalid",
            "first_name": "Benchmark",
            "last_name": "(generated)",
        },
    )
    if created or user.has_usable_password() or not user.is_active:
        user.set_unusable_password()
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
    wanted = {"role": Role.PROVINCIAL_OFFICER, "province_id": province_code}
    RoleAssignment.objects.filter(user=user).exclude(**wanted).delete()
    RoleAssignment.objects.get_or_create(user=user, **wanted)
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, name=DEVICE_NAME, defaults={"confirmed": True}
    )
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return user


@contextmanager
def verified_session(user: User) -> Iterator[dict[str, str]]:
    """A session of ``user`` as after the sign-in form and the one-time code step; yields the
    request headers that carry it. The session is deleted when the block ends.

    It holds what ``django.contrib.auth.login`` stores (user, backend, password hash), the
    device django-otp confirmed, the clocks of the session limits and the moment the password
    was typed. Each request then moves the idle clock on, so a load keeps it fresh.
    """
    device = TOTPDevice.objects.get(user=user, name=DEVICE_NAME)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = SIGN_IN_BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    now = timezone.now().timestamp()
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN_AT] = now
    password_confirmed(session)
    session.create()
    audit_record(
        actor=user,
        action=AuditAction.SIGNED_IN,
        obj=user,
        summary="Session made by desadevisa bench",
    )
    try:
        yield {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}"}
    finally:
        session.delete()
        audit_record(
            actor=user,
            action=AuditAction.SIGNED_OUT,
            obj=user,
            summary="Session made by desadevisa bench",
        )
