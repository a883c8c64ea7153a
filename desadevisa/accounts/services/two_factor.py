"""Two-factor sign-in with an authenticator app (TOTP, through django-otp)."""

import math

import django_otp
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from desadevisa.accounts.exceptions import TwoFactorCodeWrong, TwoFactorThrottled
from desadevisa.accounts.models import User
from desadevisa.audit.services import audit_record


def otp_device_prepare(*, user: User) -> TOTPDevice:
    """The authenticator-app device ``user`` is setting up: unconfirmed, with a random key.

    Created the first time and found again afterwards, so the QR code stays the same while the
    person fetches their phone.
    """
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=gettext("Authenticator app"), confirmed=False
        )
    return device


def otp_device_confirm(*, device: TOTPDevice, code: str) -> TOTPDevice:
    """Confirm a device being set up with a code it shows; from then on every sign-in of its
    owner asks for a code.

    Raises TwoFactorCodeWrong (the failure counts towards django-otp's back-off) and
    TwoFactorThrottled.
    """
    verified = _code_check(device=device, code=code)
    with transaction.atomic():
        verified.confirmed = True
        verified.save(update_fields=["confirmed"])
        # A person keeps one device: drafts from abandoned set-ups go.
        TOTPDevice.objects.devices_for_user(device.user, confirmed=False).delete()
        audit_record(
            actor=device.user,
            action="created",
            obj=verified,
            summary="Two-factor device confirmed",
        )
    return verified


def otp_device_verify(*, device: TOTPDevice, code: str) -> TOTPDevice:
    """Check a sign-in code against ``device``; a code is accepted once.

    Raises TwoFactorCodeWrong (the failure counts towards django-otp's back-off) and
    TwoFactorThrottled while the back-off lasts.
    """
    return _code_check(device=device, code=code)


def _code_check(*, device: TOTPDevice, code: str) -> TOTPDevice:
    allowed, details = device.verify_is_allowed()
    if not allowed:
        wait = (details["locked_until"] - timezone.now()).total_seconds()
        raise TwoFactorThrottled(seconds=max(1, math.ceil(wait)))
    # django_otp.verify_token locks the device row, so a code cannot be used twice by racing
    # requests, and it records the failure that lengthens the back-off.
    verified = django_otp.verify_token(device.user, device.persistent_id, code)
    if verified is None:
        raise TwoFactorCodeWrong
    return verified
