from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from desadevisa.accounts.models import Invitation, PersonalAccessToken, User
from desadevisa.accounts.tests.factories import PASSWORD
from desadevisa.accounts.tests.helpers import confirmed_device, totp_code

LOGIN = "/en/accounts/login/"
VERIFY = "/en/accounts/two-factor/"
PROFILE = "/en/accounts/profile/"
INVITE = "/en/accounts/invitations/new/"
TOKEN_CREATE = "/en/accounts/tokens/new/"
CONFIRM = "/en/accounts/confirm-password/"
WRONG_PASSWORD = "This is not the password of your account. Enter the password you sign in with."


def confirm_url(next_url: str) -> str:
    return f"{CONFIRM}?{urlencode({'next': next_url})}"


def sign_in(client: Client, user: User) -> None:
    """Through the sign-in form and the code step, as a person does."""
    device = confirmed_device(user)
    client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    client.post(VERIFY, {"code": totp_code(device)})


def confirm(client: Client, password: str = PASSWORD, next_url: str = INVITE):
    return client.post(CONFIRM, {"password": password, "next": next_url})


@pytest.fixture
def signed_in(client, programme_officer, clock):
    """A programme officer who signed in, then left the page open for 16 minutes."""
    sign_in(client, programme_officer)
    assert client.get(INVITE).status_code == 200
    clock.advance(minutes=16)
    return client


def test_the_password_counts_for_15_minutes_by_default():
    assert settings.REAUTHENTICATION_MINUTES == 15


def test_a_fresh_sign_in_opens_the_invitation_page(client, programme_officer, clock):
    sign_in(client, programme_officer)
    clock.advance(minutes=15)

    response = client.get(INVITE)

    assert response.status_code == 200


def test_after_16_minutes_the_invitation_page_asks_for_the_password(signed_in):
    response = signed_in.get(INVITE)

    assert response.status_code == 302
    assert response["Location"] == confirm_url(INVITE)


def test_an_invitation_sent_after_16_minutes_is_not_created(signed_in):
    response = signed_in.post(INVITE, {"email": "siti@example.org", "role": "verifier"})

    assert response["Location"] == confirm_url(PROFILE)
    assert not Invitation.objects.exists()


def test_confirming_the_password_returns_to_the_invitation_page(signed_in):
    response = confirm(signed_in)

    assert response["Location"] == INVITE
    assert signed_in.get(INVITE).status_code == 200


def test_confirming_the_password_issues_a_new_session_key(signed_in):
    before = signed_in.cookies[settings.SESSION_COOKIE_NAME].value

    confirm(signed_in)

    assert signed_in.cookies[settings.SESSION_COOKIE_NAME].value != before


def test_the_confirmation_counts_for_15_minutes_again(signed_in, clock):
    confirm(signed_in)
    clock.advance(minutes=15)
    still = signed_in.get(INVITE)
    clock.advance(minutes=1)

    expired = signed_in.get(INVITE)

    assert still.status_code == 200
    assert expired["Location"] == confirm_url(INVITE)


def test_a_wrong_password_is_refused_and_counts_as_a_failed_sign_in(signed_in, programme_officer):
    assert not AccessAttempt.objects.exists()

    response = confirm(signed_in, password="not the password")

    assert response.status_code == 200
    assert response.context["form"].errors["password"] == [WRONG_PASSWORD]
    assert signed_in.get(INVITE)["Location"] == confirm_url(INVITE)
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.failures_since_start) == (programme_officer.username, 1)


def test_after_the_failure_limit_even_the_right_password_is_refused(signed_in):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        confirm(signed_in, password="not the password")

    response = confirm(signed_in)

    assert response.status_code == 429
    assert signed_in.get(INVITE)["Location"] == confirm_url(INVITE)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/"])
def test_next_on_another_host_is_ignored(signed_in, target):
    response = confirm(signed_in, next_url=target)

    assert response["Location"] == PROFILE


def test_the_confirm_page_asks_the_anonymous_to_sign_in(client, db):
    response = client.get(confirm_url(INVITE))

    assert response["Location"] == (
        f"{LOGIN}?next=/en/accounts/confirm-password/%3Fnext%3D"
        "%252Fen%252Faccounts%252Finvitations%252Fnew%252F"
    )


def test_a_token_asked_for_after_16_minutes_waits_for_the_password(signed_in):
    data = {"name": "Export script", "valid_for": "90"}

    refused = signed_in.post(TOKEN_CREATE, data, headers={"Referer": "http://testserver" + PROFILE})
    confirmed = confirm(signed_in, next_url=PROFILE)
    created = signed_in.post(TOKEN_CREATE, data)

    assert refused["Location"] == confirm_url(PROFILE)
    assert confirmed["Location"] == PROFILE
    assert created.status_code == 200
    assert PersonalAccessToken.objects.get().name == "Export script"


def test_htmx_is_asked_to_load_the_confirm_page_in_full(signed_in):
    response = signed_in.get(INVITE, headers={"HX-Request": "true"})

    assert response["HX-Redirect"] == confirm_url(INVITE)
