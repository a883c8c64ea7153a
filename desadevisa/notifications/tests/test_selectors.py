"""Who a notification goes to, and whose inbox a person reads."""

import pytest
from django.http import Http404

from desadevisa.accounts.models import Role
from desadevisa.accounts.tests.factories import RoleAssignmentFactory, UserFactory, user_with_role
from desadevisa.notifications.selectors import (
    notification_get,
    notification_list,
    notification_unread_count,
    recipients_programme_officers,
    recipients_provincial_officers,
)
from desadevisa.notifications.tests.factories import NotificationFactory
from desadevisa.regions.tests.factories import ProvinceFactory


def test_the_provincial_officers_are_the_active_holders_of_the_role_in_that_province(
    provincial_officer, jawa_timur, programme_officer
):
    second = user_with_role(Role.PROVINCIAL_OFFICER, province=jawa_timur)
    user_with_role(Role.PROVINCIAL_OFFICER, province=jawa_timur, is_active=False)
    user_with_role(Role.PROVINCIAL_OFFICER, province=ProvinceFactory(code="33"))
    # One person covering two provinces is listed once.
    RoleAssignmentFactory(
        user=second, role=Role.PROVINCIAL_OFFICER, province=ProvinceFactory(code="34")
    )

    assert list(recipients_provincial_officers("35")) == [provincial_officer, second]


def test_the_programme_officers_are_the_active_holders_of_the_role(
    programme_officer, administrator, verifier, provincial_officer
):
    user_with_role(Role.PROGRAMME_OFFICER, is_active=False)

    assert list(recipients_programme_officers()) == [programme_officer]


def test_a_person_reads_only_their_own_notifications(db):
    person, other = UserFactory(), UserFactory()
    mine = NotificationFactory(recipient=person)
    theirs = NotificationFactory(recipient=other)

    assert list(notification_list(user=person)) == [mine]
    assert notification_get(user=person, pk=mine.pk) == mine
    with pytest.raises(Http404):
        notification_get(user=person, pk=theirs.pk)


def test_a_deactivated_account_reads_no_notification(db):
    person = UserFactory(is_active=False)
    NotificationFactory(recipient=person)

    assert list(notification_list(user=person)) == []
    assert notification_unread_count(user=person) == 0


def test_the_unread_count_counts_only_unread_ones(db):
    person = UserFactory()
    NotificationFactory.create_batch(2, recipient=person)
    NotificationFactory(recipient=person, read_at="2026-01-01T00:00:00Z")

    assert notification_unread_count(user=person) == 2
