import datetime

import pytest
from django.utils import timezone

from desadevisa.accounts.models import Role, RoleAssignment
from desadevisa.accounts.services import token_create
from desadevisa.accounts.tests.factories import UserFactory
from desadevisa.accounts.tests.helpers import confirmed_device, sign_in_verified
from desadevisa.audit.models import AuditEvent

ROLE_ADD = "/admin/accounts/roleassignment/add/"


@pytest.fixture
def admin_client(client, administrator):
    administrator.is_staff = administrator.is_superuser = True
    administrator.save(update_fields=["is_staff", "is_superuser"])
    sign_in_verified(client, administrator)
    return client


def test_a_verified_administrator_opens_the_admin_site(admin_client):
    response = admin_client.get("/admin/")

    assert response.status_code == 200
    assert "/admin/accounts/invitation/" in response.text


def test_the_anonymous_are_sent_to_the_sign_in_page(client, db):
    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1] == ("/id/accounts/login/?next=/admin/", 302)


def test_an_administrator_without_the_code_is_sent_to_the_code_step(client, administrator):
    administrator.is_staff = True
    administrator.save(update_fields=["is_staff"])
    confirmed_device(administrator)
    client.force_login(administrator)

    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1] == ("/id/accounts/two-factor/?next=%2Fadmin%2F", 302)


# The admin has no language prefix: it answers in the language the browser asks for.


def test_a_programme_officer_is_refused_even_with_staff_status(client, programme_officer):
    programme_officer.is_staff = programme_officer.is_superuser = True
    programme_officer.save(update_fields=["is_staff", "is_superuser"])
    sign_in_verified(client, programme_officer)

    response = client.get("/admin/", follow=True, HTTP_ACCEPT_LANGUAGE="en")

    assert response.redirect_chain[-1] == ("/en/accounts/login/?next=/admin/", 302)
    assert response.status_code == 200
    assert "You are signed in as programme-officer" in response.text


def test_a_programme_officer_cannot_give_themselves_a_role(client, programme_officer):
    sign_in_verified(client, programme_officer)

    response = client.post(ROLE_ADD, {"user": programme_officer.pk, "role": Role.ADMINISTRATOR})

    assert response.status_code == 302
    assert list(programme_officer.role_assignments.values_list("role", flat=True)) == [
        Role.PROGRAMME_OFFICER
    ]


def test_a_role_given_in_the_admin_is_audited(admin_client, administrator):
    user = UserFactory(username="budi")

    response = admin_client.post(ROLE_ADD, {"user": user.pk, "role": Role.VERIFIER})

    assignment = RoleAssignment.objects.get(user=user)
    assert response.status_code == 302
    assert AuditEvent.objects.get(object_id=str(assignment.pk)).actor == administrator


def test_the_admin_refuses_a_role_for_a_deactivated_account(admin_client):
    user = UserFactory(username="former", is_active=False)

    response = admin_client.post(
        ROLE_ADD, {"user": user.pk, "role": Role.VERIFIER}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.context["adminform"].form.errors["user"] == [
        "former is deactivated: a deactivated account cannot receive roles."
    ]
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_the_admin_refuses_a_scope_that_does_not_suit_the_role(admin_client, jawa_timur):
    user = UserFactory()

    response = admin_client.post(
        ROLE_ADD,
        {"user": user.pk, "role": Role.VERIFIER, "province": jawa_timur.pk},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.context["adminform"].form.non_field_errors() == [
        "The scope does not suit the role: a provincial officer needs a province, a manager an "
        "organisation, and the other roles neither."
    ]


def test_the_admin_never_shows_a_token_hash(admin_client, verifier):
    token, raw = token_create(
        user=verifier, name="script", expires_at=timezone.now() + datetime.timedelta(days=30)
    )

    listing = admin_client.get("/admin/accounts/personalaccesstoken/")
    detail = admin_client.get(f"/admin/accounts/personalaccesstoken/{token.pk}/change/")

    assert token.prefix in listing.text
    assert all(token.token_hash not in page.text for page in (listing, detail))
    assert all(raw not in page.text for page in (listing, detail))
