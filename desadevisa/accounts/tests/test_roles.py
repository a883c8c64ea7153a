import pytest

from desadevisa.accounts.exceptions import ScopeDoesNotMatchRole, UserInactive
from desadevisa.accounts.models import Role, RoleAssignment, User
from desadevisa.accounts.scopes import user_scope
from desadevisa.accounts.services import role_assignment_create, role_assignment_delete
from desadevisa.accounts.tests.factories import UserFactory
from desadevisa.audit.models import AuditEvent


def test_a_role_is_given_with_its_scope_and_audited(administrator, jawa_timur):
    user = UserFactory()

    assignment = role_assignment_create(
        actor=administrator, user=user, role=Role.PROVINCIAL_OFFICER, province=jawa_timur
    )

    assert user_scope(user).province_codes == {"35"}
    event = AuditEvent.objects.get(object_id=str(assignment.pk))
    assert (event.action, event.actor, event.province_code) == ("created", administrator, "35")


def test_a_deactivated_account_receives_no_role(administrator):
    user = UserFactory(username="former", is_active=False)

    with pytest.raises(UserInactive) as error:
        role_assignment_create(actor=administrator, user=user, role=Role.VERIFIER)

    assert error.value.message == (
        "former is deactivated: a deactivated account cannot receive roles."
    )
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_a_role_with_the_wrong_scope_is_refused(administrator, jawa_timur):
    user = UserFactory()

    with pytest.raises(ScopeDoesNotMatchRole) as error:
        role_assignment_create(
            actor=administrator, user=user, role=Role.ORGANISATION_MANAGER, province=jawa_timur
        )

    assert error.value.message == (
        "A manager acts for one organisation: choose the organisation, and no province."
    )


def test_taking_a_role_away_ends_its_scope_and_is_audited(administrator, provincial_officer):
    assignment = provincial_officer.role_assignments.get()
    assignment_id = str(assignment.pk)

    role_assignment_delete(actor=administrator, assignment=assignment)

    assert user_scope(User.objects.get(pk=provincial_officer.pk)).roles == set()
    assert AuditEvent.objects.filter(action="deleted", object_id=assignment_id).exists()
