"""What can go wrong with accounts, in words the person in front of the page understands."""

from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext

from desadevisa.accounts.models import Role


class AccountError(Exception):
    """A refused account action; ``message`` is translated in the language active when raised."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class InvitationNotAllowed(AccountError):
    def __init__(self) -> None:
        super().__init__(gettext("Only administrators and programme officers invite people."))


class AdministratorInvitationNotAllowed(AccountError):
    def __init__(self) -> None:
        super().__init__(gettext("Only administrators invite administrators."))


class ScopeDoesNotMatchRole(AccountError):
    def __init__(self, role: str) -> None:
        messages = {
            Role.PROVINCIAL_OFFICER: gettext(
                "A provincial officer acts in one province: choose the province, and no "
                "organisation."
            ),
            Role.ORGANISATION_MANAGER: gettext(
                "A manager acts for one organisation: choose the organisation, and no province."
            ),
        }
        super().__init__(
            messages.get(
                role,
                gettext(
                    "This role covers the whole programme: choose neither a province nor an "
                    "organisation."
                ),
            )
        )


class EmailAlreadyRegistered(AccountError):
    def __init__(self, email: str) -> None:
        super().__init__(
            gettext("%(email)s already has an account: give that account the role instead.")
            % {"email": email}
        )


class InvitationUnusable(AccountError):
    """An invitation link that cannot create an account; ``status`` is the page's HTTP status."""

    status = 410


class InvitationInvalid(InvitationUnusable):
    """The link's token matches no invitation: mistyped, cut short, altered or replaced."""

    status = 404

    def __init__(self) -> None:
        super().__init__(
            gettext(
                "This invitation link is not valid. Check that you opened the whole link from "
                "the e-mail, or ask the person who invited you for a new invitation."
            )
        )


class InvitationUsed(InvitationUnusable):
    def __init__(self) -> None:
        super().__init__(
            gettext(
                "This invitation has already been used to create an account. Sign in with that "
                "account, or ask for a new invitation."
            )
        )


class InvitationExpired(InvitationUnusable):
    def __init__(self, expired_at: datetime) -> None:
        self.expired_at = expired_at
        super().__init__(
            gettext(
                "This invitation expired on %(date)s. Ask the person who invited you for a new one."
            )
            % {"date": formats.date_format(timezone.localtime(expired_at), "DATE_FORMAT")}
        )


class InvitationWithdrawn(InvitationUnusable):
    """The person who sent the invitation has since lost the right to invite."""

    def __init__(self) -> None:
        super().__init__(
            gettext(
                "This invitation is no longer valid: the person who sent it can no longer "
                "invite. Ask the programme team for a new invitation."
            )
        )


class UsernameTaken(AccountError):
    def __init__(self, username: str) -> None:
        super().__init__(
            gettext("The username %(username)s is taken: choose another one.")
            % {"username": username}
        )


class UserInactive(AccountError):
    def __init__(self, username: str) -> None:
        super().__init__(
            gettext("%(username)s is deactivated: a deactivated account cannot receive roles.")
            % {"username": username}
        )


class TwoFactorCodeWrong(AccountError):
    def __init__(self) -> None:
        super().__init__(
            gettext(
                "This code is not correct. Enter the 6-digit code your authenticator app shows "
                "now for Desa Devisa."
            )
        )


class TwoFactorThrottled(AccountError):
    """Too many wrong codes in a row: django-otp's back-off refuses codes for a while."""

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        super().__init__(
            ngettext(
                "Too many wrong codes. Wait %(seconds)d second, then enter the current code.",
                "Too many wrong codes. Wait %(seconds)d seconds, then enter the current code.",
                seconds,
            )
            % {"seconds": seconds}
        )


class TokenNotOwned(AccountError):
    def __init__(self) -> None:
        super().__init__(gettext("This token belongs to another account."))


class TokenExpiryInvalid(AccountError):
    def __init__(self, max_days: int) -> None:
        super().__init__(
            gettext("A token must expire in the future, and within %(days)s days.")
            % {"days": max_days}
        )


class PasswordResetRateLimited(AccountError):
    """Too many reset requests this hour from one address or for one e-mail address."""

    def __init__(self) -> None:
        super().__init__(
            gettext(
                "Too many password reset requests were made from your address or for this "
                "e-mail address. Wait an hour, then try again."
            )
        )


class PasswordResetUnavailable(AccountError):
    """Reset requests cannot be counted (the shared cache does not answer): none is sent."""

    def __init__(self) -> None:
        super().__init__(
            gettext(
                "Password reset requests cannot be handled right now. Please try again in a few "
                "minutes."
            )
        )
