"""Inviting people: the only way an account comes into being outside the admin site."""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

from desadevisa.accounts.exceptions import (
    AdministratorInvitationNotAllowed,
    EmailAlreadyRegistered,
    InvitationNotAllowed,
    InvitationWithdrawn,
    UsernameTaken,
)
from desadevisa.accounts.hashing import secret_hash, secret_new
from desadevisa.accounts.models import Invitation, Role, User
from desadevisa.accounts.scopes import user_scope
from desadevisa.accounts.selectors import invitation_get_for_token
from desadevisa.accounts.services.roles import role_assignment_create, role_scope_check
from desadevisa.accounts.tasks import invitation_send
from desadevisa.audit.services import audit_record
from desadevisa.regions.models import Province
from desadevisa.registry.models import Organisation

# Who may invite: the roles that manage people.
INVITING_ROLES = frozenset({Role.ADMINISTRATOR, Role.PROGRAMME_OFFICER})


def _invitation_permission_check(*, invited_by: User | None, role: str) -> None:
    scope = user_scope(invited_by)
    if not scope.has_role(*INVITING_ROLES):
        raise InvitationNotAllowed
    if role == Role.ADMINISTRATOR and not scope.has_role(Role.ADMINISTRATOR):
        raise AdministratorInvitationNotAllowed


@transaction.atomic
def invitation_create(
    *,
    invited_by: User,
    email: str,
    role: str,
    province: Province | None = None,
    organisation: Organisation | None = None,
) -> Invitation:
    """Invite a person without an account to take one role, valid INVITATION_VALID_DAYS days.

    The e-mailed link starts with the site's address (SITE_URL). The e-mail goes out after
    commit, through a task that draws the link's token. Raises InvitationNotAllowed unless
    ``invited_by`` is an administrator or programme officer, AdministratorInvitationNotAllowed,
    ScopeDoesNotMatchRole and EmailAlreadyRegistered.
    """
    _invitation_permission_check(invited_by=invited_by, role=role)
    role_scope_check(role=role, province=province, organisation=organisation)
    email = User.objects.normalize_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise EmailAlreadyRegistered(email)
    invitation = Invitation.objects.create(
        email=email,
        role=role,
        province=province,
        organisation=organisation,
        invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    audit_record(
        actor=invited_by,
        action="created",
        obj=invitation,
        changes={
            "email": [None, email],
            "role": [None, role],
            "province": [None, province],
            "organisation": [None, organisation],
            "expires_at": [None, invitation.expires_at],
        },
        summary=f"Invitation of {email} as {role}",
    )
    transaction.on_commit(
        partial(
            invitation_send.enqueue,
            invitation_id=invitation.pk,
            language=get_language(),
        )
    )
    return invitation


def invitation_token_issue(*, invitation: Invitation) -> str:
    """Draw a new token for the invitation's link and keep only its hash; an earlier link stops
    working. For the sending task: the raw token goes into the e-mail and nowhere else."""
    raw = secret_new()
    invitation.token_hash = secret_hash(raw)
    invitation.save(update_fields=["token_hash"])
    return raw


@transaction.atomic
def invitation_accept(*, token: str, username: str, password: str) -> User:
    """Create the invited person's account with the invitation's role; the invitation is then
    used up.

    All or nothing: on any refusal no row is written. Raises InvitationInvalid,
    InvitationUsed, InvitationExpired, InvitationWithdrawn (the inviter may no longer invite),
    EmailAlreadyRegistered, UsernameTaken, and ValidationError when the username is malformed
    or Django's password validators refuse ``password``.
    """
    invitation = invitation_get_for_token(token=token, for_update=True)
    try:
        _invitation_permission_check(invited_by=invitation.invited_by, role=invitation.role)
    except (InvitationNotAllowed, AdministratorInvitationNotAllowed):
        raise InvitationWithdrawn from None
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise EmailAlreadyRegistered(invitation.email)
    if User.objects.filter(username__iexact=username).exists():
        raise UsernameTaken(username)
    is_administrator = invitation.role == Role.ADMINISTRATOR
    user = User(
        username=username,
        email=invitation.email,
        # The admin site is the administrators' tool (and theirs only, see sites.AdminSite).
        is_staff=is_administrator,
        is_superuser=is_administrator,
    )
    user.clean_fields(exclude=["password"])
    validate_password(password, user)
    user.set_password(password)
    user.save()
    role_assignment_create(
        actor=invitation.invited_by,
        user=user,
        role=invitation.role,
        province=invitation.province,
        organisation=invitation.organisation,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    audit_record(
        actor=user,
        action="changed",
        obj=invitation,
        changes={"accepted_at": [None, invitation.accepted_at], "accepted_user": [None, user]},
        summary=f"Invitation accepted by {username}",
    )
    return user
