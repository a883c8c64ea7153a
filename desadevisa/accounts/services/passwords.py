"""Changing and resetting passwords."""

from functools import partial

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.translation import get_language

from desadevisa.accounts.exceptions import PasswordResetRateLimited, PasswordResetUnavailable
from desadevisa.accounts.models import User
from desadevisa.accounts.rate_limits import RateLimitUnavailable, rate_limit_hit
from desadevisa.accounts.selectors import user_get_for_password_reset
from desadevisa.accounts.tasks import password_reset_send
from desadevisa.audit.services import audit_record

RESET_WINDOW_SECONDS = 60 * 60


@transaction.atomic
def user_password_change(*, user: User, password: str) -> User:
    """Give ``user`` a new password.

    Every session of theirs signed in with the old password ends on its next request (Django
    checks a hash of the password in each session); a view that keeps its own session calls
    update_session_auth_hash. Two-factor is untouched. Raises ValidationError when Django's
    password validators refuse ``password``.
    """
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=user, action="changed", obj=user, summary="Password changed")
    return user


def password_reset_request(*, email: str, client_address: str | None) -> None:
    """E-mail a reset link, after commit, when ``email`` belongs to an active account.

    Nothing tells the caller whether it did: the page answers the same for any address.
    The link starts with the site's address (SITE_URL). Raises PasswordResetRateLimited,
    sending nothing, past PASSWORD_RESET_RATE_LIMIT requests in the hour from
    ``client_address`` or for ``email``; known and unknown addresses count alike. Raises
    PasswordResetUnavailable, sending nothing, when the counts cannot be kept (a reset link
    is a mail anyone can make the site send, so it is never sent uncounted).
    """
    limit = settings.PASSWORD_RESET_RATE_LIMIT
    # Both counters move on every request, so neither can be spent while the other refuses.
    try:
        hits = [
            rate_limit_hit(key=key, limit=limit, window_seconds=RESET_WINDOW_SECONDS)
            for key in (
                f"password-reset:address:{client_address or 'unknown'}",
                f"password-reset:email:{email.strip().lower()}",
            )
        ]
    except RateLimitUnavailable:
        raise PasswordResetUnavailable from None
    if any(hits):
        raise PasswordResetRateLimited
    user = user_get_for_password_reset(email=email)
    if user is None:
        return
    transaction.on_commit(
        partial(
            password_reset_send.enqueue,
            user_id=user.pk,
            language=get_language(),
        )
    )
