"""Reading accounts: each person reaches only their own tokens, devices and roles."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django_otp.plugins.otp_totp.models import TOTPDevice

from desadevisa.accounts.exceptions import InvitationExpired, InvitationInvalid, InvitationUsed
from desadevisa.accounts.hashing import secret_hash
from desadevisa.accounts.models import Invitation, PersonalAccessToken, RoleAssignment, User


def invitation_get_for_token(*, token: str, for_update: bool = False) -> Invitation:
    """The open invitation whose link carries ``token``.

    Raises InvitationInvalid for an unknown token, InvitationUsed and InvitationExpired.
    ``for_update`` locks the row (inside a transaction) so that it is accepted only once.
    """
    invitations = Invitation.objects.select_related("province", "organisation", "invited_by")
    if for_update:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(token_hash=secret_hash(token)).first() if token else None
    if invitation is None:
        raise InvitationInvalid
    if invitation.is_accepted:
        raise InvitationUsed
    if invitation.is_expired:
        raise InvitationExpired(invitation.expires_at)
    return invitation


def role_assignment_list(*, user: User) -> QuerySet[RoleAssignment]:
    """The roles ``user`` holds, with the province or organisation each covers."""
    return (
        RoleAssignment.objects.filter(user=user)
        .select_related("province", "organisation")
        .order_by("role", "pk")
    )


def otp_device_get(*, user: User) -> TOTPDevice | None:
    """The confirmed authenticator-app device of ``user``, if they have set one up."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def token_list(*, user: User) -> QuerySet[PersonalAccessToken]:
    """The personal access tokens of ``user``, newest first, revoked and expired ones included."""
    return PersonalAccessToken.objects.filter(user=user).order_by("-created_at", "-pk")


def token_get(*, user: User, pk: int) -> PersonalAccessToken:
    """One of the personal access tokens of ``user``; Http404 for anybody else's."""
    return get_object_or_404(PersonalAccessToken, user=user, pk=pk)


def user_get_for_password_reset(*, email: str) -> User | None:
    """The active account with this e-mail address (any case) that signs in with a password."""
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    return user if user is not None and user.has_usable_password() else None
