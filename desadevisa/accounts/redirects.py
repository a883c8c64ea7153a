"""Where sign-in steps send people next: only ever to a page of this site."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import user_has_device

from desadevisa.accounts.models import User


def safe_next_url(request: HttpRequest) -> str:
    """The ``next`` page of the request when it is on this site, else the profile page.

    An address on another host (``https://evil.example``, ``//evil.example``) is ignored: a
    sign-in link must not become a way to send people elsewhere.
    """
    candidate = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def two_factor_step_url(user: User, next_url: str) -> str:
    """The page where ``user`` confirms their one-time code, or first sets up a device."""
    step = "accounts:otp-verify" if user_has_device(user, confirmed=True) else "accounts:otp-setup"
    return f"{reverse(step)}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"
