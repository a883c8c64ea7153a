"""Session identifiers: a new one at sign-in, and none that outlives signing out."""

from importlib import import_module

from django.conf import settings
from django.test import Client

from desadevisa.accounts.tests.factories import PASSWORD
from desadevisa.accounts.tests.helpers import confirmed_device, totp_code

LOGIN = "/en/accounts/login/"
VERIFY = "/en/accounts/two-factor/"
LOGOUT = "/en/accounts/logout/"
PROFILE = "/en/accounts/profile/"


def session_exists(key: str) -> bool:
    return import_module(settings.SESSION_ENGINE).SessionStore().exists(key)


def session_cookie(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_signing_in_replaces_a_session_key_planted_before(client, organisation_manager):
    planted = client.session
    planted["planted"] = True
    planted.save()
    before = session_cookie(client)

    response = client.post(LOGIN, {"username": organisation_manager.username, "password": PASSWORD})

    assert response["Location"] == PROFILE
    assert session_cookie(client) != before
    assert not session_exists(before)
    assert client.get(PROFILE).status_code == 200


def test_after_signing_out_the_old_session_cookie_is_anonymous(client, provincial_officer):
    device = confirmed_device(provincial_officer)
    client.post(LOGIN, {"username": provincial_officer.username, "password": PASSWORD})
    client.post(VERIFY, {"code": totp_code(device)})
    old_cookie = session_cookie(client)
    assert client.get(PROFILE).status_code == 200

    client.post(LOGOUT)
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_cookie
    response = replay.get(PROFILE)

    assert response["Location"] == f"{LOGIN}?next={PROFILE}"
    assert not response.wsgi_request.user.is_authenticated
    assert not session_exists(old_cookie)
