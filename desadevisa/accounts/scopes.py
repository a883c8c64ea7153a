"""What a person may reach: their roles and the provinces and organisations those roles cover.

Every scoping selector starts here, so a role or scope change applies on the next request, and a
session still waiting for its one-time code reaches nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Model, Q
from django_otp import user_has_device

from desadevisa.accounts.models import Role, RoleAssignment
from desadevisa.core.scoping import rows_match

# Roles that see the whole country.
NATIONAL_ROLES = frozenset({Role.ADMINISTRATOR, Role.PROGRAMME_OFFICER})
# Roles that must confirm a one-time code at sign-in unless settings say otherwise.
STAFF_ROLES = frozenset(
    {Role.ADMINISTRATOR, Role.PROGRAMME_OFFICER, Role.VERIFIER, Role.PROVINCIAL_OFFICER}
)


@dataclass(frozen=True)
class UserScope:
    """The roles a user holds and the provinces and organisations they are scoped to."""

    user_id: int | None
    roles: frozenset[str]
    province_codes: frozenset[str]
    organisation_ids: frozenset[int]
    # True when each sign-in must be confirmed with a one-time code (see two_factor_required).
    requires_two_factor: bool = False

    def has_role(self, *roles: str) -> bool:
        return not self.roles.isdisjoint(roles)

    @property
    def is_national(self) -> bool:
        return self.has_role(*NATIONAL_ROLES)

    @property
    def is_staff_member(self) -> bool:
        return bool(self.roles)


NO_SCOPE = UserScope(
    user_id=None, roles=frozenset(), province_codes=frozenset(), organisation_ids=frozenset()
)


def user_scope(user) -> UserScope:
    """The scope of ``user``, read once per user object; empty for the anonymous, for
    deactivated accounts, and for a session that has not yet confirmed the one-time code its
    account requires (see two_factor_pending)."""
    scope = _assigned_scope(user)
    if scope.requires_two_factor and not _is_verified(user):
        return NO_SCOPE
    return scope


def otp_required_roles() -> frozenset[str]:
    """The roles whose holders must use two-factor sign-in (setting OTP_REQUIRED_ROLES)."""
    return frozenset(getattr(settings, "OTP_REQUIRED_ROLES", STAFF_ROLES))


def two_factor_required(user) -> bool:
    """Whether each sign-in of ``user`` must be confirmed with a one-time code.

    True when one of their roles is in OTP_REQUIRED_ROLES, or when they set up a device of their
    own accord (an organisation manager may): a device once confirmed is always asked for.
    """
    return _assigned_scope(user).requires_two_factor


def two_factor_pending(user) -> bool:
    """Whether ``user`` signed in with their password and must still confirm a one-time code.

    ``user`` is a request's user: OTPMiddleware tells whether this session confirmed a code.
    """
    return two_factor_required(user) and not _is_verified(user)


def _assigned_scope(user) -> UserScope:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_SCOPE
    cached = getattr(user, "_scope", None)
    if cached is not None:
        return cached
    assignments = list(
        RoleAssignment.objects.filter(user=user).values_list(
            "role", "province_id", "organisation_id"
        )
    )
    roles = frozenset(role for role, _, _ in assignments)
    scope = UserScope(
        user_id=user.pk,
        roles=roles,
        province_codes=frozenset(code for _, code, _ in assignments if code),
        organisation_ids=frozenset(pk for _, _, pk in assignments if pk),
        # The device is looked up only for roles that do not require two-factor anyway.
        requires_two_factor=(
            not roles.isdisjoint(otp_required_roles()) or user_has_device(user, confirmed=True)
        ),
    )
    user._scope = scope
    return scope


def _is_verified(user) -> bool:
    is_verified = getattr(user, "is_verified", None)
    # OTPMiddleware gives every request's user is_verified(). A user object without it was not
    # loaded for a web session (a management command, a task, an API call authenticated by a
    # personal access token), so no session of theirs is waiting for a code.
    return is_verified is None or is_verified()


# An action's rule: the condition on a model's rows under which a scope may take the action.
Rule = Callable[[UserScope], Q]


def allowed_by(rules: dict[str, Rule], obj: Model, *, user, action: str) -> bool:
    """Whether ``rules`` let ``user`` take ``action`` on ``obj``: the rule of the action and the
    read rule (key ``"view"``) must both hold. One query at most; ValueError for an action the
    rules do not name.
    """
    if action not in rules:
        raise ValueError(f"Unknown action {action!r}; expected one of {sorted(map(str, rules))}.")
    scope = user_scope(user)
    return rows_match(obj, rules["view"](scope) & rules[action](scope))
