import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from desadevisa.accounts.scopes import user_scope
from desadevisa.accounts.tests.factories import PASSWORD, UserFactory

LOGIN = "/en/accounts/login/"
PROFILE = "/en/accounts/profile/"


def sign_in(client: Client, username: str, password: str = PASSWORD, next_url: str = ""):
    return client.post(
        LOGIN + (f"?next={next_url}" if next_url else ""),
        {"username": username, "password": password},
    )


@pytest.fixture
def manager(organisation_manager):
    """An account without two-factor: the password step is the whole sign-in."""
    return organisation_manager


def test_a_manager_signs_in_with_the_username(client, manager):
    response = sign_in(client, "organisation-manager")

    assert (response.status_code, response["Location"]) == (302, PROFILE)
    assert user_scope(client.get(PROFILE).wsgi_request.user).organisation_ids == {
        manager.role_assignments.get().organisation_id
    }


def test_a_manager_signs_in_with_the_email_address_in_any_case(client, manager):
    response = sign_in(client, "Organisation-Manager@Example.org")

    assert (response.status_code, response["Location"]) == (302, PROFILE)


def test_a_wrong_password_is_refused_with_a_clear_message(client, manager):
    response = sign_in(client, "organisation-manager", "not the password")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "This username or e-mail address and password do not match an active account. "
        "Both may be case-sensitive."
    ]
    assert not response.wsgi_request.user.is_authenticated


def test_a_username_longer_than_any_account_is_refused_and_its_failure_counted(client, db):
    response = sign_in(client, "x" * 100_000, "y" * 100_000)

    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert [len(attempt.username) for attempt in AccessAttempt.objects.all()] == [255]


def test_a_deactivated_account_gets_the_same_answer_as_a_wrong_password(client, db):
    UserFactory(username="former", is_active=False)

    response = sign_in(client, "former")

    assert response.context["form"].non_field_errors() == [
        "This username or e-mail address and password do not match an active account. "
        "Both may be case-sensitive."
    ]


def test_after_the_failure_limit_even_the_right_password_is_refused(client, manager):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "organisation-manager", "not the password")

    response = sign_in(client, "organisation-manager")

    assert response.status_code == 429
    assert not response.wsgi_request.user.is_authenticated
    assert client.get(PROFILE).status_code == 302


def test_the_lockout_lifts_after_the_cool_off(client, manager, clock, monkeypatch):
    # django-axes took its own references to Django's clock.
    monkeypatch.setattr("axes.handlers.proxy.now", lambda: clock.now)
    monkeypatch.setattr("axes.attempts.now", lambda: clock.now)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "organisation-manager", "not the password")
    locked = sign_in(client, "organisation-manager")
    clock.advance(minutes=16)

    response = sign_in(client, "organisation-manager")

    assert locked.status_code == 429
    assert (response.status_code, response["Location"]) == (302, PROFILE)


def without_csrf_tokens(response) -> str:
    """The page with its CSRF tokens masked: Django masks the token anew in every response."""
    return re.sub(r"[A-Za-z0-9]{64}", "CSRF-TOKEN", response.content.decode())


def test_a_lockout_looks_the_same_for_an_unknown_username(client, manager):
    for username in ("organisation-manager", "nobody-here"):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            sign_in(client, username, "not the password")
    known = sign_in(client, "organisation-manager", "not the password")

    unknown = sign_in(client, "nobody-here", "not the password")

    assert (unknown.status_code, without_csrf_tokens(unknown)) == (
        known.status_code,
        without_csrf_tokens(known),
    )


def test_failures_before_the_limit_answer_the_same_for_an_unknown_username(client, manager):
    known = sign_in(client, "organisation-manager", "not the password")

    unknown = sign_in(client, "nobody-here", "not the password")

    assert unknown.status_code == known.status_code == 200
    assert unknown.context["form"].non_field_errors() == known.context["form"].non_field_errors()


def test_signing_in_issues_a_new_session_id(client, manager):
    client.get(LOGIN)
    client.session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value

    sign_in(client, "organisation-manager")

    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/"])
def test_next_to_another_host_is_ignored(client, manager, target):
    response = sign_in(client, "organisation-manager", next_url=target)

    assert response["Location"] == PROFILE


def test_next_on_this_site_is_followed(client, manager):
    response = sign_in(client, "organisation-manager", next_url="/en/accounts/password/")

    assert response["Location"] == "/en/accounts/password/"


def test_signing_out_takes_a_post(client, manager):
    client.force_login(manager)

    response = client.get("/en/accounts/logout/")

    assert response.status_code == 405
    assert client.get(PROFILE).status_code == 200


def test_signing_out_ends_the_session_on_the_server(client, manager):
    client.force_login(manager)
    old_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value

    response = client.post("/en/accounts/logout/")
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_cookie

    assert response["Location"] == LOGIN
    assert replay.get(PROFILE)["Location"] == f"{LOGIN}?next={PROFILE}"


def test_signing_out_says_so_on_the_sign_in_page(client, manager):
    client.force_login(manager)

    response = client.post("/en/accounts/logout/", follow=True)

    assert [str(message) for message in response.context["messages"]] == ["You are signed out."]


def test_a_deactivated_account_loses_its_session_at_once(client, manager):
    client.force_login(manager)
    manager.is_active = False
    manager.save(update_fields=["is_active"])

    response = client.get(PROFILE)

    assert response["Location"] == f"{LOGIN}?next={PROFILE}"
    assert not response.wsgi_request.user.is_authenticated


def test_the_sign_in_page_says_who_is_signed_in_when_sent_there_again(client, db):
    client.force_login(UserFactory(username="kopi"))

    response = client.get(f"{LOGIN}?next=/admin/")

    assert "You are signed in as kopi, but that account cannot open the page you asked for." in (
        response.text
    )
