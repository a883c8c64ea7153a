"""No browser or proxy keeps a page with personal data or secrets: every account page, and
every page a signed-in person opens that does not say how it may be cached, is sent with
``Cache-Control: no-store``."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from desadevisa.accounts.models import Role
from desadevisa.accounts.services import invitation_create, token_create
from desadevisa.accounts.tests.factories import PASSWORD
from desadevisa.accounts.tests.helpers import mailed_link_token, sign_in_verified

NO_STORE = "max-age=0, no-cache, no-store, must-revalidate, private"
SIGNED_IN_PAGES = [
    "/en/accounts/profile/",
    "/en/accounts/password/",
    "/en/accounts/confirm-password/",
    "/en/accounts/invitations/new/",
]


@pytest.fixture
def signed_in(client, programme_officer):
    sign_in_verified(client, programme_officer)
    return client


@pytest.fixture
def invitation_token(programme_officer, jawa_timur, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(
            invited_by=programme_officer,
            email="siti@example.org",
            role=Role.PROVINCIAL_OFFICER,
            province=jawa_timur,
        )
    return mailed_link_token(mail.outbox[-1])


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_a_page_with_personal_data_is_never_stored(signed_in, path):
    response = signed_in.get(path)

    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE


def test_the_page_showing_a_new_token_is_never_stored(signed_in):
    response = signed_in.post("/en/accounts/tokens/new/", {"name": "Script", "valid_for": "90"})

    assert "raw" in response.context
    assert response["Cache-Control"] == NO_STORE


def test_the_token_list_answered_to_htmx_is_never_stored(signed_in, programme_officer):
    token, _raw = token_create(
        user=programme_officer,
        name="Script",
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )

    response = signed_in.post(
        f"/en/accounts/tokens/{token.pk}/revoke/", headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE


def test_the_invitation_page_is_never_stored(client, invitation_token):
    response = client.get(f"/en/accounts/invitation/{invitation_token}/")

    assert response.status_code == 200
    assert "siti@example.org" in response.text
    assert response["Cache-Control"] == NO_STORE


def test_the_page_of_an_unusable_invitation_is_never_stored(client, db):
    response = client.get("/en/accounts/invitation/not-a-token/")

    assert response.status_code == 404
    assert response["Cache-Control"] == NO_STORE


def test_the_two_factor_set_up_showing_the_key_is_never_stored(client, provincial_officer):
    client.post(
        "/en/accounts/login/", {"username": provincial_officer.username, "password": PASSWORD}
    )

    response = client.get("/en/accounts/two-factor/setup/")

    assert "secret" in response.context
    assert response["Cache-Control"] == NO_STORE


def test_a_public_page_keeps_its_own_caching_for_a_signed_in_person(signed_in):
    response = signed_in.get("/en/")

    assert response["Cache-Control"].startswith("public")
