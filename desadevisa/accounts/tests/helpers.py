"""Signing in from tests: with the one-time code step done, as a real staff session is.

Staff pages answer a session that has not confirmed its code with a redirect, and
``user_scope`` gives it no scope; tests of those pages sign in with ``sign_in_verified``.
"""

import re
import time

from django.core import mail
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from desadevisa.accounts.models import User
from desadevisa.accounts.reauthentication import password_confirmed


def confirmed_device(user: User) -> TOTPDevice:
    """The confirmed authenticator device of ``user``, created when they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test phone", confirmed=True)


def totp_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the device's authenticator app shows now, or ``steps_ahead`` periods later.

    A code is accepted once; a second sign-in in the same test uses the next period's code,
    which the device's tolerance of one step also accepts.
    """
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def sign_in_verified(client: Client, user: User) -> TOTPDevice:
    """Sign ``user`` in on ``client`` with the one-time code step already done.

    As after the sign-in form, the password counts as just typed.
    """
    device = confirmed_device(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    password_confirmed(session)
    session.save()
    return device


def mailed_link_token(message: mail.EmailMessage) -> str:
    """The token of the invitation link in an e-mail."""
    return re.search(r"/accounts/invitation/([^/\s]+)/", message.body).group(1)
