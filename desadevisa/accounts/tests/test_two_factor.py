from base64 import b32encode

import pytest
from django.conf import settings
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from desadevisa.accounts.models import User
from desadevisa.accounts.scopes import NO_SCOPE, user_scope
from desadevisa.accounts.tests.factories import PASSWORD
from desadevisa.accounts.tests.helpers import confirmed_device, sign_in_verified, totp_code
from desadevisa.audit.models import AuditEvent

LOGIN = "/en/accounts/login/"
PROFILE = "/en/accounts/profile/"
VERIFY = "/en/accounts/two-factor/"
SETUP = "/en/accounts/two-factor/setup/"
NEXT_PROFILE = "?next=%2Fen%2Faccounts%2Fprofile%2F"
WRONG_CODE = (
    "This code is not correct. Enter the 6-digit code your authenticator app shows now for "
    "Desa Devisa."
)
REQUIRED_ROLES = ["administrator", "programme_officer", "verifier", "provincial_officer"]


def sign_in(client: Client, user: User):
    return client.post(LOGIN, {"username": user.username, "password": PASSWORD})


def enter_code(client: Client, code: str, url: str = VERIFY + NEXT_PROFILE):
    return client.post(url, {"code": code})


def test_the_required_roles_are_the_staff_roles_by_default():
    assert sorted(settings.OTP_REQUIRED_ROLES) == sorted(REQUIRED_ROLES)


@pytest.mark.parametrize("role", REQUIRED_ROLES)
def test_a_required_role_without_a_device_goes_from_the_password_to_the_set_up(
    client, request, role
):
    user = request.getfixturevalue(role)

    response = sign_in(client, user)

    assert response["Location"] == SETUP + NEXT_PROFILE
    assert user_scope(client.get(SETUP).wsgi_request.user) == NO_SCOPE


@pytest.mark.parametrize("role", REQUIRED_ROLES)
def test_a_required_role_reaches_nothing_until_the_code_is_confirmed(client, request, role):
    user = request.getfixturevalue(role)
    confirmed_device(user)

    signed_in = sign_in(client, user)
    staff_page = client.get(PROFILE)

    assert signed_in["Location"] == VERIFY + NEXT_PROFILE
    assert staff_page["Location"] == VERIFY + NEXT_PROFILE
    assert user_scope(staff_page.wsgi_request.user) == NO_SCOPE


@pytest.mark.parametrize("role", REQUIRED_ROLES)
def test_a_required_role_gets_its_scope_once_the_code_is_confirmed(client, request, role):
    user = request.getfixturevalue(role)
    device = confirmed_device(user)
    sign_in(client, user)

    response = enter_code(client, totp_code(device))

    assert response["Location"] == PROFILE
    page = client.get(PROFILE)
    assert page.status_code == 200
    assert user_scope(page.wsgi_request.user).roles == {role}


def test_the_required_roles_follow_the_setting(client, settings, verifier):
    settings.OTP_REQUIRED_ROLES = ["administrator"]

    response = sign_in(client, verifier)

    assert response["Location"] == PROFILE
    assert user_scope(client.get(PROFILE).wsgi_request.user).roles == {"verifier"}


def test_an_organisation_manager_signs_in_without_a_code(client, organisation_manager):
    response = sign_in(client, organisation_manager)

    assert response["Location"] == PROFILE
    page = client.get(PROFILE)
    assert user_scope(page.wsgi_request.user).roles == {"organisation_manager"}
    assert "Off." in page.text


def test_an_organisation_manager_who_set_up_a_device_is_asked_for_the_code(
    client, organisation_manager
):
    confirmed_device(organisation_manager)

    response = sign_in(client, organisation_manager)

    assert response["Location"] == VERIFY + NEXT_PROFILE
    assert user_scope(client.get(PROFILE).wsgi_request.user) == NO_SCOPE


def test_a_wrong_code_is_refused_with_a_message_and_leaves_no_scope(client, provincial_officer):
    device = confirmed_device(provincial_officer)
    sign_in(client, provincial_officer)
    wrong = f"{(int(totp_code(device)) + 500000) % 1000000:06d}"

    response = enter_code(client, wrong)

    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [WRONG_CODE]
    assert user_scope(response.wsgi_request.user) == NO_SCOPE
    assert client.get(PROFILE)["Location"] == VERIFY + NEXT_PROFILE
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_a_code_that_is_not_six_digits_is_refused_before_it_is_checked(client, provincial_officer):
    device = confirmed_device(provincial_officer)
    sign_in(client, provincial_officer)

    response = enter_code(client, "12ab56")

    assert response.context["form"].errors["code"] == [
        "Enter the 6 digits your authenticator app shows for Desa Devisa."
    ]
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_wrong_codes_in_a_row_make_the_next_attempt_wait(client, provincial_officer, clock):
    device = confirmed_device(provincial_officer)
    sign_in(client, provincial_officer)
    enter_code(client, "000000")
    clock.advance(seconds=2)
    enter_code(client, "000000")

    throttled = enter_code(client, totp_code(device))
    clock.advance(seconds=3)
    after_the_wait = enter_code(client, totp_code(device))

    assert throttled.context["form"].errors["code"] == [
        "Too many wrong codes. Wait 2 seconds, then enter the current code."
    ]
    assert after_the_wait["Location"] == PROFILE


def test_a_code_is_accepted_once(provincial_officer):
    device = confirmed_device(provincial_officer)
    first, second = Client(), Client()
    sign_in(first, provincial_officer)
    sign_in(second, provincial_officer)
    code = totp_code(device)
    enter_code(first, code)

    replay = enter_code(second, code)

    assert replay.context["form"].errors["code"] == [WRONG_CODE]


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/"])
def test_the_code_step_ignores_next_on_another_host(client, provincial_officer, target):
    device = confirmed_device(provincial_officer)
    sign_in(client, provincial_officer)

    response = enter_code(client, totp_code(device), url=f"{VERIFY}?next={target}")

    assert response["Location"] == PROFILE


def test_the_code_step_asks_the_anonymous_to_sign_in(client, db):
    response = client.get(VERIFY)

    assert response["Location"] == f"{LOGIN}?next={VERIFY}"


# Setting up a device ----------------------------------------------------------------------


def test_the_set_up_shows_a_qr_code_and_the_key(client, provincial_officer):
    sign_in(client, provincial_officer)

    response = client.get(SETUP + NEXT_PROFILE)

    device = TOTPDevice.objects.get(user=provincial_officer)
    assert not device.confirmed
    assert response.context["qr_data_uri"].startswith("data:image/png;base64,")
    assert response.context["secret"].replace(" ", "") == b32encode(device.bin_key).decode()
    assert response.context["secret"] in response.text
    assert 'src="data:image/png;base64,' in response.text


def test_the_set_up_keeps_its_key_while_the_page_is_reloaded(client, provincial_officer):
    sign_in(client, provincial_officer)

    first = client.get(SETUP).context["secret"]
    second = client.get(SETUP).context["secret"]

    assert first == second
    assert TOTPDevice.objects.filter(user=provincial_officer).count() == 1


def test_confirming_the_set_up_verifies_the_session_and_is_audited(client, provincial_officer):
    sign_in(client, provincial_officer)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=provincial_officer)

    response = enter_code(client, totp_code(device), url=SETUP + NEXT_PROFILE)

    device.refresh_from_db()
    assert device.confirmed
    assert response["Location"] == PROFILE
    assert user_scope(client.get(PROFILE).wsgi_request.user).province_codes == {"35"}
    assert AuditEvent.objects.filter(
        action="created", object_id=str(device.pk), summary="Two-factor device confirmed"
    ).exists()


def test_a_wrong_code_leaves_the_set_up_unconfirmed(client, provincial_officer):
    sign_in(client, provincial_officer)
    client.get(SETUP)

    response = enter_code(client, "000000", url=SETUP)

    assert response.context["form"].errors["code"] == [WRONG_CODE]
    assert not TOTPDevice.objects.filter(user=provincial_officer, confirmed=True).exists()


def test_a_password_alone_cannot_add_a_device_to_an_account_that_has_one(
    client, provincial_officer
):
    confirmed_device(provincial_officer)
    sign_in(client, provincial_officer)

    response = client.get(SETUP)

    assert response["Location"] == f"{VERIFY}?next=%2Fen%2Faccounts%2Fprofile%2F"
    assert TOTPDevice.objects.filter(user=provincial_officer).count() == 1


def test_an_organisation_manager_may_set_up_two_factor(client, organisation_manager):
    sign_in(client, organisation_manager)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=organisation_manager)

    enter_code(client, totp_code(device), url=SETUP)
    again = Client()
    signed_in_again = sign_in(again, organisation_manager)

    assert signed_in_again["Location"] == VERIFY + NEXT_PROFILE


# The staff gate ---------------------------------------------------------------------------


def test_staff_pages_send_the_anonymous_to_sign_in_and_back(client, db):
    response = client.get(PROFILE)

    assert response["Location"] == f"{LOGIN}?next={PROFILE}"


def test_staff_pages_send_an_unconfirmed_session_to_the_code_step_and_back(
    client, provincial_officer
):
    confirmed_device(provincial_officer)
    client.force_login(provincial_officer)

    response = client.get("/en/accounts/password/")

    assert response["Location"] == f"{VERIFY}?next=%2Fen%2Faccounts%2Fpassword%2F"


def test_staff_pages_ask_htmx_for_a_full_page_redirect(client, db):
    response = client.get(PROFILE, headers={"HX-Request": "true"})

    assert response["HX-Redirect"] == f"{LOGIN}?next={PROFILE}"


def test_staff_pages_open_for_a_confirmed_session(client, provincial_officer):
    sign_in_verified(client, provincial_officer)

    response = client.get(PROFILE)

    assert response.status_code == 200
    assert "On: authenticator app" in response.text


def test_a_user_outside_any_web_session_keeps_the_scope_of_their_roles(provincial_officer):
    """Commands, tasks and token-authenticated API calls have no code step to wait for."""
    user = User.objects.get(pk=provincial_officer.pk)

    assert user_scope(user).province_codes == {"35"}


# A new session key at the code step ------------------------------------------------------------


def session_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def with_session_key(key: str) -> Client:
    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = key
    return other


def test_confirming_the_code_issues_a_new_session_key(client, provincial_officer):
    device = confirmed_device(provincial_officer)
    sign_in(client, provincial_officer)
    before = session_key(client)

    enter_code(client, totp_code(device))

    assert session_key(client) != before
    assert client.get(PROFILE).status_code == 200
    assert with_session_key(before).get(PROFILE)["Location"] == LOGIN + "?next=" + PROFILE


def test_confirming_the_set_up_issues_a_new_session_key(client, provincial_officer):
    sign_in(client, provincial_officer)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=provincial_officer)
    before = session_key(client)

    enter_code(client, totp_code(device), url=SETUP + NEXT_PROFILE)

    assert session_key(client) != before
    assert client.get(PROFILE).status_code == 200
    assert with_session_key(before).get(PROFILE)["Location"] == LOGIN + "?next=" + PROFILE
