"""Recent re-authentication ("sudo mode"): sensitive account actions need the password typed
within the last REAUTHENTICATION_MINUTES, at sign-in or on the confirm page (ASVS 5.0 7.5.1).

A session left open on a shared computer, or taken over, then cannot invite people, hand out
roles or create access tokens without the password.
"""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect

REAUTHENTICATED_AT = "accounts_reauthenticated_at"


def password_confirmed(session: SessionBase) -> None:
    """Record in ``session`` that its person typed the right password just now."""
    session[REAUTHENTICATED_AT] = timezone.now().timestamp()


def password_recently_confirmed(session: SessionBase) -> bool:
    """Whether the password was typed in ``session`` within REAUTHENTICATION_MINUTES."""
    confirmed_at = session.get(REAUTHENTICATED_AT)
    if confirmed_at is None:
        return False
    age = timezone.now().timestamp() - confirmed_at
    return age <= settings.REAUTHENTICATION_MINUTES * 60


def reauthentication_url(next_url: str) -> str:
    """The confirm page, sending the person on to ``next_url`` once the password is right."""
    return f"{reverse('accounts:reauthenticate')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"


def recent_password_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Decorate a view below ``staff_required``: it runs only within REAUTHENTICATION_MINUTES
    of typing the password, else the person confirms it first and comes back."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if password_recently_confirmed(request.session):
            return view(request, *args, **kwargs)
        url = reauthentication_url(_return_url(request))
        # htmx would follow a redirect inside the fragment it is swapping; ask for a full page.
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        return redirect(url)

    return wrapper


def _return_url(request: HttpRequest) -> str:
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    # A redirect cannot replay a submitted form: back to the page that holds it, to submit again.
    referer = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return urlunsplit(("", "", parts.path, parts.query, ""))
    return resolve_url(settings.LOGIN_REDIRECT_URL)
