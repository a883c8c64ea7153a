"""Giving and taking roles."""

from django.core.exceptions import ValidationError
from django.db import transaction

from desadevisa.accounts.exceptions import ScopeDoesNotMatchRole, UserInactive
from desadevisa.accounts.models import RoleAssignment, User
from desadevisa.audit.services import audit_record
from desadevisa.regions.models import Province
from desadevisa.registry.models import Organisation


def role_scope_check(
    *, role: str, province: Province | None, organisation: Organisation | None
) -> None:
    """Raise ScopeDoesNotMatchRole unless the province or organisation suits ``role``.

    The rule is the role assignments' check constraint, evaluated by the database.
    """
    try:
        RoleAssignment(
            role=role, province=province, organisation=organisation
        ).validate_constraints()
    except ValidationError:
        raise ScopeDoesNotMatchRole(role) from None


@transaction.atomic
def role_assignment_create(
    *,
    actor: User | None,
    user: User,
    role: str,
    province: Province | None = None,
    organisation: Organisation | None = None,
) -> RoleAssignment:
    """Give ``user`` one role, scoped to a province or organisation where the role needs it.

    Raises UserInactive for a deactivated account and ScopeDoesNotMatchRole.
    """
    if not user.is_active:
        raise UserInactive(user.get_username())
    role_scope_check(role=role, province=province, organisation=organisation)
    assignment = RoleAssignment.objects.create(
        user=user, role=role, province=province, organisation=organisation
    )
    audit_record(
        actor=actor,
        action="created",
        obj=assignment,
        changes={
            "user": [None, user.get_username()],
            "role": [None, role],
            "province": [None, province],
            "organisation": [None, organisation],
        },
        summary=f"Role {role} assigned to {user.get_username()}",
    )
    return assignment


@transaction.atomic
def role_assignment_delete(*, actor: User, assignment: RoleAssignment) -> None:
    """Take a role away; the person's pages and selectors forget it on their next request."""
    audit_record(
        actor=actor,
        action="deleted",
        obj=assignment,
        changes={
            "user": [assignment.user.get_username(), None],
            "role": [assignment.role, None],
            "province": [assignment.province_id, None],
            "organisation": [assignment.organisation_id, None],
        },
        summary=f"Role {assignment.role} taken from {assignment.user.get_username()}",
    )
    assignment.delete()
