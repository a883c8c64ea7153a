import pytest

from desadevisa.accounts.models import Role
from desadevisa.accounts.tests.factories import UserFactory, user_with_role
from desadevisa.audit.models import AuditAction
from desadevisa.audit.selectors import audit_event_scope, audit_history
from desadevisa.audit.services import audit_record
from desadevisa.audit.tests.conftest import craft_unit_in
from desadevisa.registry.tests.factories import MembershipFactory


@pytest.fixture
def events(db, jawa_timur, jawa_tengah, organisation_manager):
    """One event in Jawa Timur, one in Jawa Tengah, one for the manager's organisation and one
    for another organisation, and a sign-in."""
    organisation = organisation_manager.role_assignments.get().organisation
    return {
        "jawa_timur": audit_record(
            actor=None, action=AuditAction.CHANGED, obj=craft_unit_in(jawa_timur)
        ),
        "jawa_tengah": audit_record(
            actor=None, action=AuditAction.CHANGED, obj=craft_unit_in(jawa_tengah)
        ),
        "own_organisation": audit_record(
            actor=None,
            action=AuditAction.CREATED,
            obj=MembershipFactory(organisation=organisation),
        ),
        "other_organisation": audit_record(
            actor=None, action=AuditAction.CREATED, obj=MembershipFactory()
        ),
        "sign_in": audit_record(
            actor=organisation_manager, action=AuditAction.SIGNED_IN, obj=organisation_manager
        ),
    }


def names_of(queryset, events):
    return {name for name, event in events.items() if event in set(queryset)}


@pytest.mark.parametrize("role", ["administrator", "programme_officer"])
def test_administrators_and_programme_officers_read_every_event(request, events, role):
    user = request.getfixturevalue(role)

    assert names_of(audit_event_scope(user=user), events) == set(events)


def test_a_provincial_officer_reads_the_events_of_their_province_only(provincial_officer, events):
    assert names_of(audit_event_scope(user=provincial_officer), events) == {"jawa_timur"}


def test_a_provincial_officer_of_jawa_tengah_does_not_read_jawa_timur_events(jawa_tengah, events):
    officer = user_with_role(Role.PROVINCIAL_OFFICER, province=jawa_tengah)

    assert names_of(audit_event_scope(user=officer), events) == {"jawa_tengah"}


def test_an_organisation_manager_reads_the_events_of_their_organisation_only(
    organisation_manager, events
):
    assert names_of(audit_event_scope(user=organisation_manager), events) == {"own_organisation"}


def test_a_verifier_reads_no_events(verifier, events):
    assert not audit_event_scope(user=verifier).exists()


def test_a_user_without_a_role_reads_no_events(db, events):
    assert not audit_event_scope(user=UserFactory()).exists()


def test_a_deactivated_administrator_reads_no_events(administrator, events):
    administrator.is_active = False

    assert not audit_event_scope(user=administrator).exists()


def test_audit_history_lists_the_events_of_one_object_newest_first(
    administrator, jawa_timur, events
):
    unit = craft_unit_in(jawa_timur)
    created = audit_record(actor=administrator, action=AuditAction.CREATED, obj=unit)
    changed = audit_record(actor=administrator, action=AuditAction.CHANGED, obj=unit)

    assert list(audit_history(obj=unit)) == [changed, created]


def test_audit_history_holds_the_events_the_trail_keeps_from_the_reader(
    organisation_manager, administrator, jawa_timur
):
    """The manager reads the unit; its events name its province only, which the trail does
    not show them, yet they are the unit's history."""
    unit = craft_unit_in(jawa_timur)
    created = audit_record(actor=administrator, action=AuditAction.CREATED, obj=unit)

    assert list(audit_event_scope(user=organisation_manager)) == []
    assert list(audit_history(obj=unit)) == [created]


@pytest.mark.parametrize("count", [1, 20])
def test_audit_history_reads_events_with_their_actors_in_one_query(
    administrator, jawa_timur, django_assert_num_queries, count
):
    unit = craft_unit_in(jawa_timur)
    for _event in range(count):
        audit_record(actor=UserFactory(), action=AuditAction.CHANGED, obj=unit)
    history = audit_history(obj=unit)

    with django_assert_num_queries(1):
        labels = [(event.actor.username, event.content_type.model) for event in history]

    assert len(labels) == count
