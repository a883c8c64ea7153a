import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.timezone import localtime

from desadevisa.accounts.exceptions import (
    AdministratorInvitationNotAllowed,
    EmailAlreadyRegistered,
    InvitationExpired,
    InvitationInvalid,
    InvitationNotAllowed,
    InvitationUsed,
    InvitationWithdrawn,
    ScopeDoesNotMatchRole,
    UsernameTaken,
)
from desadevisa.accounts.hashing import secret_hash
from desadevisa.accounts.models import Invitation, Role, RoleAssignment, User
from desadevisa.accounts.services import invitation_accept, invitation_create
from desadevisa.accounts.tests.helpers import mailed_link_token, sign_in_verified
from desadevisa.audit.models import AuditEvent
from desadevisa.regions.tests.factories import ProvinceFactory

SITE = "https://desadevisa.example"
NEW_PASSWORD = "kendang djimbe dari Minggirsari"


@pytest.fixture(autouse=True)
def site_address(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    """Invite through the service and return the token of the link the e-mail carries."""

    def invite(invited_by, email="siti@example.org", role=Role.PROVINCIAL_OFFICER, **scope):
        with django_capture_on_commit_callbacks(execute=True):
            invitation_create(invited_by=invited_by, email=email, role=role, **scope)
        return mailed_link_token(mail.outbox[-1])

    return invite


def rows():
    return (User.objects.count(), RoleAssignment.objects.count(), AuditEvent.objects.count())


# Who may invite whom --------------------------------------------------------------------


def test_a_programme_officer_invites_a_provincial_officer_by_e_mail(
    programme_officer, jawa_timur, invite, clock
):
    token = invite(programme_officer, province=jawa_timur)

    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.province, invitation.invited_by) == (
        "siti@example.org",
        Role.PROVINCIAL_OFFICER,
        jawa_timur,
        programme_officer,
    )
    assert invitation.token_hash == secret_hash(token)
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=7)
    assert mail.outbox[0].to == ["siti@example.org"]
    assert f"{SITE}/en/accounts/invitation/{token}/" in mail.outbox[0].body
    assert "Province: Jawa Timur" in mail.outbox[0].body


def test_the_token_is_stored_only_as_its_hash(programme_officer, jawa_timur, invite):
    token = invite(programme_officer, province=jawa_timur)

    assert not Invitation.objects.filter(token_hash=token).exists()
    assert len(Invitation.objects.get().token_hash) == 64


def test_the_e_mail_leaves_only_when_the_transaction_commits(
    programme_officer, jawa_timur, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation_create(
            invited_by=programme_officer,
            email="siti@example.org",
            role=Role.PROVINCIAL_OFFICER,
            province=jawa_timur,
        )

    assert (mail.outbox, Invitation.objects.get().token_hash) == ([], None)
    for callback in callbacks:
        callback()
    assert mail.outbox[0].to == ["siti@example.org"]


def test_invitation_is_audited(programme_officer, jawa_timur, invite):
    invite(programme_officer, province=jawa_timur)

    event = AuditEvent.objects.get(action="created", object_id=str(Invitation.objects.get().pk))
    assert (event.actor, event.province_code, event.changes["role"]) == (
        programme_officer,
        "35",
        [None, "provincial_officer"],
    )


@pytest.mark.parametrize("role", ["verifier", "provincial_officer", "organisation_manager"])
def test_only_administrators_and_programme_officers_invite(request, role):
    inviter = request.getfixturevalue(role)

    with pytest.raises(InvitationNotAllowed) as error:
        invitation_create(invited_by=inviter, email="x@example.org", role=Role.VERIFIER)

    assert error.value.message == "Only administrators and programme officers invite people."
    assert not Invitation.objects.exists()


def test_a_programme_officer_cannot_invite_an_administrator(programme_officer):
    with pytest.raises(AdministratorInvitationNotAllowed) as error:
        invitation_create(
            invited_by=programme_officer,
            email="x@example.org",
            role=Role.ADMINISTRATOR,
        )

    assert error.value.message == "Only administrators invite administrators."


def test_an_administrator_invites_an_administrator(administrator, invite):
    invite(administrator, role=Role.ADMINISTRATOR)

    assert Invitation.objects.get().role == Role.ADMINISTRATOR


def test_a_provincial_officer_is_invited_with_a_province(programme_officer):
    with pytest.raises(ScopeDoesNotMatchRole) as error:
        invitation_create(
            invited_by=programme_officer,
            email="x@example.org",
            role=Role.PROVINCIAL_OFFICER,
        )

    assert error.value.message == (
        "A provincial officer acts in one province: choose the province, and no organisation."
    )


def test_a_national_role_is_invited_without_a_province(programme_officer, jawa_timur):
    with pytest.raises(ScopeDoesNotMatchRole) as error:
        invitation_create(
            invited_by=programme_officer,
            email="x@example.org",
            role=Role.VERIFIER,
            province=jawa_timur,
        )

    assert error.value.message == (
        "This role covers the whole programme: choose neither a province nor an organisation."
    )


def test_an_address_with_an_account_is_not_invited(programme_officer, verifier):
    with pytest.raises(EmailAlreadyRegistered) as error:
        invitation_create(
            invited_by=programme_officer,
            email=verifier.email.upper(),
            role=Role.VERIFIER,
        )

    assert error.value.message == (
        "VERIFIER@example.org already has an account: give that account the role instead."
    )


# Accepting --------------------------------------------------------------------------------


def test_accepting_creates_the_account_and_its_role_together(programme_officer, jawa_timur, invite):
    token = invite(programme_officer, province=jawa_timur)

    user = invitation_accept(token=token, username="siti", password=NEW_PASSWORD)

    assert (user.username, user.email, user.is_staff) == ("siti", "siti@example.org", False)
    assert user.check_password(NEW_PASSWORD)
    assignment = user.role_assignments.get()
    assert (assignment.role, assignment.province) == (Role.PROVINCIAL_OFFICER, jawa_timur)
    invitation = Invitation.objects.get()
    assert (invitation.accepted_user, invitation.accepted_at is not None) == (user, True)


def test_accepting_is_audited_as_the_role_assigned_and_the_invitation_accepted(
    programme_officer, jawa_timur, invite
):
    token = invite(programme_officer, province=jawa_timur)

    user = invitation_accept(token=token, username="siti", password=NEW_PASSWORD)

    assigned = AuditEvent.objects.get(object_id=str(user.role_assignments.get().pk))
    accepted = AuditEvent.objects.get(action="changed", object_id=str(Invitation.objects.get().pk))
    assert (assigned.action, assigned.actor, assigned.province_code) == (
        "created",
        programme_officer,
        "35",
    )
    assert (accepted.actor, accepted.summary) == (user, "Invitation accepted by siti")


def test_an_invited_administrator_may_use_the_admin_site(administrator, invite):
    token = invite(administrator, role=Role.ADMINISTRATOR)

    user = invitation_accept(token=token, username="admin2", password=NEW_PASSWORD)

    assert (user.is_staff, user.is_superuser) == (True, True)


def test_an_invitation_is_used_once(programme_officer, jawa_timur, invite):
    token = invite(programme_officer, province=jawa_timur)
    invitation_accept(token=token, username="siti", password=NEW_PASSWORD)
    before = rows()

    with pytest.raises(InvitationUsed) as error:
        invitation_accept(token=token, username="siti2", password=NEW_PASSWORD)

    assert error.value.message == (
        "This invitation has already been used to create an account. Sign in with that "
        "account, or ask for a new invitation."
    )
    assert rows() == before


def test_an_invitation_expires_after_seven_days(programme_officer, jawa_timur, invite, clock):
    token = invite(programme_officer, province=jawa_timur)
    clock.advance(days=7, seconds=1)

    with pytest.raises(InvitationExpired) as error:
        invitation_accept(token=token, username="siti", password=NEW_PASSWORD)

    expired_at = Invitation.objects.get().expires_at
    assert error.value.message == (
        f"This invitation expired on {date_format(localtime(expired_at))}. Ask the person who "
        "invited you for a new one."
    )
    assert not User.objects.filter(username="siti").exists()


def test_an_invitation_is_still_good_just_before_it_expires(
    programme_officer, jawa_timur, invite, clock
):
    token = invite(programme_officer, province=jawa_timur)
    clock.advance(days=6, hours=23)

    user = invitation_accept(token=token, username="siti", password=NEW_PASSWORD)

    assert user.pk


def test_a_tampered_token_is_refused_and_nothing_is_written(programme_officer, jawa_timur, invite):
    token = invite(programme_officer, province=jawa_timur)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    before = rows()

    with pytest.raises(InvitationInvalid) as error:
        invitation_accept(token=tampered, username="siti", password=NEW_PASSWORD)

    assert error.value.message == (
        "This invitation link is not valid. Check that you opened the whole link from the "
        "e-mail, or ask the person who invited you for a new invitation."
    )
    assert rows() == before
    assert Invitation.objects.get().accepted_at is None


def test_a_weak_password_is_refused_and_nothing_is_written(programme_officer, jawa_timur, invite):
    token = invite(programme_officer, province=jawa_timur)
    before = rows()

    with pytest.raises(ValidationError) as error:
        invitation_accept(token=token, username="siti", password="kendangdjim")

    assert error.value.messages == [
        "This password is too short. It must contain at least 12 characters."
    ]
    assert rows() == before


def test_a_taken_username_is_refused(programme_officer, jawa_timur, invite, verifier):
    token = invite(programme_officer, province=jawa_timur)

    with pytest.raises(UsernameTaken) as error:
        invitation_accept(token=token, username="Verifier", password=NEW_PASSWORD)

    assert error.value.message == "The username Verifier is taken: choose another one."


def test_an_invitation_from_someone_who_lost_the_right_to_invite_is_withdrawn(
    programme_officer, jawa_timur, invite
):
    token = invite(programme_officer, province=jawa_timur)
    programme_officer.is_active = False
    programme_officer.save(update_fields=["is_active"])

    with pytest.raises(InvitationWithdrawn) as error:
        invitation_accept(token=token, username="siti", password=NEW_PASSWORD)

    assert error.value.message == (
        "This invitation is no longer valid: the person who sent it can no longer invite. Ask "
        "the programme team for a new invitation."
    )


# Pages ------------------------------------------------------------------------------------


def test_the_invitation_page_is_not_found_for_other_roles(client, verifier):
    sign_in_verified(client, verifier)

    response = client.get("/en/accounts/invitations/new/")

    assert response.status_code == 404


def test_a_programme_officer_sends_an_invitation_from_the_page(
    client, programme_officer, jawa_timur, django_capture_on_commit_callbacks
):
    sign_in_verified(client, programme_officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/accounts/invitations/new/",
            {"email": "siti@example.org", "role": "provincial_officer", "province": "35"},
            follow=True,
        )

    expires_at = Invitation.objects.get().expires_at
    assert [str(message) for message in response.context["messages"]] == [
        f"An invitation is on its way to siti@example.org; the link works until "
        f"{date_format(localtime(expires_at))}."
    ]
    assert f"{SITE}/en/accounts/invitation/" in mail.outbox[0].body


def test_the_page_shows_why_an_invitation_is_refused(client, programme_officer):
    sign_in_verified(client, programme_officer)

    response = client.post(
        "/en/accounts/invitations/new/", {"email": "x@example.org", "role": "provincial_officer"}
    )

    assert response.context["form"].non_field_errors() == [
        "A provincial officer acts in one province: choose the province, and no organisation."
    ]


def test_a_programme_officer_is_not_offered_the_administrator_role(client, programme_officer):
    sign_in_verified(client, programme_officer)

    response = client.get("/en/accounts/invitations/new/")

    assert "administrator" not in dict(response.context["form"].fields["role"].choices)


def test_the_accept_page_creates_the_account_and_sends_to_sign_in(
    client, programme_officer, jawa_timur, invite
):
    token = invite(programme_officer, province=jawa_timur)
    url = f"/en/accounts/invitation/{token}/"

    page = client.get(url)
    response = client.post(
        url, {"username": "siti", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert "siti@example.org" in page.text
    assert "Jawa Timur" in page.text
    assert response["Location"] == "/en/accounts/login/"
    assert User.objects.get(username="siti").role_assignments.get().province == jawa_timur


def test_the_accept_page_shows_password_problems_on_the_form(
    client, programme_officer, jawa_timur, invite
):
    token = invite(programme_officer, province=jawa_timur)

    response = client.post(
        f"/en/accounts/invitation/{token}/",
        {"username": "siti", "password1": "password1234", "password2": "password1234"},
    )

    assert response.context["form"].errors["password2"] == ["This password is too common."]
    assert not User.objects.filter(username="siti").exists()


def test_a_used_invitation_shows_a_clear_page(client, programme_officer, jawa_timur, invite):
    token = invite(programme_officer, province=jawa_timur)
    invitation_accept(token=token, username="siti", password=NEW_PASSWORD)

    response = client.get(f"/en/accounts/invitation/{token}/")

    assert response.status_code == 410
    assert "This invitation has already been used to create an account." in response.text


def test_an_expired_invitation_shows_a_clear_page(
    client, programme_officer, jawa_timur, invite, clock
):
    token = invite(programme_officer, province=jawa_timur)
    clock.advance(days=8)

    response = client.get(f"/en/accounts/invitation/{token}/")

    assert response.status_code == 410
    assert "This invitation expired on" in response.text


def test_an_unknown_invitation_link_shows_a_clear_page(client, db):
    response = client.get("/en/accounts/invitation/not-a-real-token/")

    assert response.status_code == 404
    assert "This invitation link is not valid." in response.text


def test_a_second_province_does_not_leak_into_the_invitation(programme_officer, invite):
    jawa_tengah = ProvinceFactory(code="33", name="Jawa Tengah")

    token = invite(programme_officer, province=jawa_tengah)
    user = invitation_accept(token=token, username="siti", password=NEW_PASSWORD)

    assert user.role_assignments.get().province_id == "33"
