"""Personal access tokens: how a person's own scripts call the API as them."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from desadevisa.accounts.exceptions import TokenExpiryInvalid, TokenNotOwned
from desadevisa.accounts.hashing import secret_hash, secret_new
from desadevisa.accounts.models import PersonalAccessToken, User
from desadevisa.audit.services import audit_record

# A token that never expires outlives the reason it was made; a year is the longest allowed.
TOKEN_MAX_DAYS = 365
# Recording every use would write a row on every API call; to the minute is precise enough.
LAST_USED_PRECISION = timedelta(minutes=1)


@transaction.atomic
def token_create(*, user: User, name: str, expires_at: datetime) -> tuple[PersonalAccessToken, str]:
    """Create a personal access token for ``user``; returns it and the raw token.

    The raw token is returned once and never stored: only its hash and its first characters
    (the prefix, to recognise it by) are kept. Raises TokenExpiryInvalid unless ``expires_at``
    lies in the future and at most TOKEN_MAX_DAYS days ahead.
    """
    now = timezone.now()
    if not now < expires_at <= now + timedelta(days=TOKEN_MAX_DAYS):
        raise TokenExpiryInvalid(TOKEN_MAX_DAYS)
    raw = secret_new()
    token = PersonalAccessToken.objects.create(
        user=user,
        name=name,
        prefix=raw[: PersonalAccessToken.PREFIX_LENGTH],
        token_hash=secret_hash(raw),
        expires_at=expires_at,
    )
    audit_record(
        actor=user,
        action="created",
        obj=token,
        changes={
            "name": [None, name],
            "prefix": [None, token.prefix],
            "expires_at": [None, expires_at],
        },
        summary=f"Personal access token {token.prefix}… created",
    )
    return token, raw


@transaction.atomic
def token_revoke(*, user: User, token: PersonalAccessToken) -> PersonalAccessToken:
    """Revoke one of the tokens of ``user`` for good; revoking it again changes nothing.

    Raises TokenNotOwned for another person's token.
    """
    if token.user_id != user.pk:
        raise TokenNotOwned
    if token.is_revoked:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=user,
        action="changed",
        obj=token,
        changes={"revoked_at": [None, token.revoked_at]},
        summary=f"Personal access token {token.prefix}… revoked",
    )
    return token


def token_authenticate(*, raw: str) -> User | None:
    """The person a raw token belongs to, or None for an unknown, expired or revoked token or a
    deactivated account. Records when the token was last used."""
    if not raw:
        return None
    token = (
        PersonalAccessToken.objects.select_related("user")
        .filter(token_hash=secret_hash(raw))
        .first()
    )
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
