"""Session limits: signed out after SESSION_IDLE_TIMEOUT idle seconds, and SESSION_COOKIE_AGE
seconds after signing in whatever the activity (ASVS 3.3.2: 30 minutes idle, 12 hours); and
no caching of the pages that show personal data."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext

SIGNED_IN_AT = "accounts_signed_in_at"
LAST_SEEN_AT = "accounts_last_seen_at"


def session_start(request: HttpRequest) -> None:
    """Start the clocks of a freshly signed-in session."""
    now = timezone.now().timestamp()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


class SessionLimitsMiddleware:
    """Sign out a session past its idle or absolute limit, then send the person to the same
    address again, now signed out, with a message saying why.

    Placed after MessageMiddleware (itself after OTPMiddleware) so that the message can be
    stored; the fresh request then passes every middleware as an anonymous one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Without a session cookie nobody is signed in: the session is left unread, so public
        # pages do not vary by cookie.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            expired = self._expiry_message(request)
            if expired:
                logout(request)
                messages.info(request, expired)
                return redirect(request.get_full_path())
            request.session[LAST_SEEN_AT] = timezone.now().timestamp()
        return self.get_response(request)

    @staticmethod
    def _expiry_message(request: HttpRequest) -> str:
        now = timezone.now().timestamp()
        signed_in_at = request.session.get(SIGNED_IN_AT)
        if signed_in_at is None:
            # Signed in before the limits were kept: the clocks start now.
            session_start(request)
            return ""
        if now - signed_in_at > settings.SESSION_COOKIE_AGE:
            return gettext(
                "You were signed out because your session reached its time limit. Sign in again."
            )
        if now - request.session.get(LAST_SEEN_AT, signed_in_at) > settings.SESSION_IDLE_TIMEOUT:
            return gettext(
                "You were signed out after %(minutes)d minutes without activity. Sign in again."
            ) % {"minutes": settings.SESSION_IDLE_TIMEOUT // 60}
        return ""


# Namespaces whose every page shows personal data or secrets (profile, tokens, codes, links
# sent by e-mail), to the signed-in and to holders of a link alike.
PRIVATE_NAMESPACES = frozenset({"accounts", "admin"})


class PrivatePagesMiddleware:
    """Send every page of a signed-in person, and every account page, with
    ``Cache-Control: no-store``, so no browser or proxy keeps personal data or secrets.

    A response that says how it may be cached keeps its own header (public showcase pages,
    photos, which revalidate); nothing else needs to remember a decorator.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        private_page = match is not None and bool(PRIVATE_NAMESPACES & set(match.namespaces))
        unsaid = not response.has_header("Cache-Control")
        if private_page or (unsaid and self._signed_in(request)):
            add_never_cache_headers(response)
        return response

    @staticmethod
    def _signed_in(request: HttpRequest) -> bool:
        # As in SessionLimitsMiddleware: without a session cookie the session stays unread.
        return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated
