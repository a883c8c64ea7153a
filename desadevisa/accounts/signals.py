"""Receivers for Django's sign-in signal, whichever view or test signs the person in."""

from functools import partial

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django_otp.middleware import is_verified

from desadevisa.accounts.middleware import session_start


@receiver(user_logged_in, dispatch_uid="accounts_session_start")
def session_clocks_start(sender, request, user, **kwargs) -> None:
    # Signing in again in the same session (the session key is cycled, its data kept) must
    # restart the absolute limit as well.
    if request is not None and hasattr(request, "session"):
        session_start(request)


@receiver(user_logged_in, dispatch_uid="accounts_two_factor_unconfirmed")
def two_factor_unconfirmed(sender, request, user, **kwargs) -> None:
    # login() puts this object in request.user, where OTPMiddleware's marks are missing; without
    # them user_scope would take it for a user outside any session. Until the next request it
    # counts as confirmed only if an OTP-aware form attached the device it checked.
    if not hasattr(user, "is_verified"):
        if not hasattr(user, "otp_device"):
            user.otp_device = None
        user.is_verified = partial(is_verified, user)
