import pytest
from django.conf import settings
from django.contrib.auth import password_validation
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from desadevisa.accounts.models import User
from desadevisa.accounts.scopes import NO_SCOPE, user_scope
from desadevisa.accounts.tests.factories import PASSWORD, UserFactory
from desadevisa.accounts.tests.helpers import confirmed_device, sign_in_verified
from desadevisa.audit.models import AuditEvent

NEW_PASSWORD = "kendang djimbe dari Minggirsari"
ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_passwords_are_stored_with_argon2id_in_production_settings(db, settings):
    settings.PASSWORD_HASHERS = [ARGON2, "django.contrib.auth.hashers.PBKDF2PasswordHasher"]

    user = UserFactory()

    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(PASSWORD)


def test_an_eleven_character_password_is_refused(db):
    with pytest.raises(ValidationError) as error:
        password_validation.validate_password("kendangdjim")

    assert error.value.messages == [
        "This password is too short. It must contain at least 12 characters."
    ]


def test_a_common_password_is_refused(db):
    with pytest.raises(ValidationError) as error:
        password_validation.validate_password("password1234")

    assert error.value.messages == ["This password is too common."]


def test_a_64_character_password_is_accepted(db):
    password = "Kendang djimbe dari Minggirsari, Blitar, diekspor ke Jepang 2022"

    assert len(password) == 64
    assert password_validation.validate_password(password) is None


# Password change --------------------------------------------------------------------------


def change_password(client: Client, *, old: str = PASSWORD, new: str = NEW_PASSWORD):
    return client.post(
        "/en/accounts/password/",
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def test_password_change_signs_out_the_other_session_and_keeps_this_one(provincial_officer):
    this_browser, other_browser = Client(), Client()
    sign_in_verified(this_browser, provincial_officer)
    sign_in_verified(other_browser, provincial_officer)

    response = change_password(this_browser)

    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/profile/"
    assert this_browser.get("/en/accounts/profile/").status_code == 200
    assert other_browser.get("/en/accounts/profile/")["Location"] == (
        "/en/accounts/login/?next=/en/accounts/profile/"
    )
    provincial_officer.refresh_from_db()
    assert provincial_officer.check_password(NEW_PASSWORD)


def test_password_change_is_audited_without_the_password(provincial_officer, client):
    sign_in_verified(client, provincial_officer)

    change_password(client)

    event = AuditEvent.objects.get(action="changed", object_id=str(provincial_officer.pk))
    assert (event.summary, event.changes) == ("Password changed", {})


def test_password_change_needs_the_current_password(provincial_officer, client):
    sign_in_verified(client, provincial_officer)

    response = change_password(client, old="not the password")

    assert response.status_code == 200
    assert response.context["form"].errors["old_password"] == [
        "Your old password was entered incorrectly. Please enter it again."
    ]
    provincial_officer.refresh_from_db()
    assert provincial_officer.check_password(PASSWORD)


def test_password_change_refuses_a_short_new_password(provincial_officer, client):
    sign_in_verified(client, provincial_officer)

    response = change_password(client, new="kendangdjim")

    assert response.context["form"].errors["new_password2"] == [
        "This password is too short. It must contain at least 12 characters."
    ]


# Password reset ---------------------------------------------------------------------------


def request_reset(client: Client, email: str, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/en/accounts/password/reset/", {"email": email})


def test_reset_answers_the_same_for_known_and_unknown_addresses(
    provincial_officer, client, django_capture_on_commit_callbacks
):
    known = request_reset(client, provincial_officer.email, django_capture_on_commit_callbacks)
    unknown = request_reset(client, "nobody@example.org", django_capture_on_commit_callbacks)

    assert (known.status_code, known["Location"]) == (302, "/en/accounts/password/reset/sent/")
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert [message.to for message in mail.outbox] == [[provincial_officer.email]]


def reset_link_path(message) -> str:
    return next(word for word in message.body.split() if "/password/reset/" in word).split(
        settings.SITE_URL, 1
    )[1]


def test_reset_sets_the_password_without_signing_in_and_two_factor_stays_required(
    provincial_officer, client, django_capture_on_commit_callbacks
):
    confirmed_device(provincial_officer)
    request_reset(client, provincial_officer.email.upper(), django_capture_on_commit_callbacks)
    form_page = client.get(reset_link_path(mail.outbox[0]), follow=True)

    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    not_signed_in = client.get("/en/accounts/profile/")
    sign_in = client.post(
        "/en/accounts/login/", {"username": provincial_officer.username, "password": NEW_PASSWORD}
    )

    assert done["Location"] == "/en/accounts/password/reset/complete/"
    assert not_signed_in["Location"] == "/en/accounts/login/?next=/en/accounts/profile/"
    assert sign_in["Location"] == "/en/accounts/two-factor/?next=%2Fen%2Faccounts%2Fprofile%2F"
    assert user_scope(sign_in.wsgi_request.user) == NO_SCOPE
    assert client.get("/en/accounts/profile/")["Location"].startswith("/en/accounts/two-factor/")


def test_reset_mail_is_sent_in_the_language_of_the_page(
    provincial_officer, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/id/accounts/password/reset/", {"email": provincial_officer.email})

    assert "https://desadevisa.example.go.id/id/accounts/password/reset/" in mail.outbox[0].body


def test_reset_link_works_once(provincial_officer, client, django_capture_on_commit_callbacks):
    request_reset(client, provincial_officer.email, django_capture_on_commit_callbacks)
    link = reset_link_path(mail.outbox[0])
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    again = client.get(link, follow=True)

    assert again.context["validlink"] is False
    assert "This reset link is not valid" in again.text


def test_reset_of_a_deactivated_account_sends_nothing(
    client, db, django_capture_on_commit_callbacks
):
    user = UserFactory(is_active=False)

    request_reset(client, user.email, django_capture_on_commit_callbacks)

    assert mail.outbox == []
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


# Password reset rate limit ----------------------------------------------------------------

TOO_MANY_RESETS = (
    "Too many password reset requests were made from your address or for this e-mail address. "
    "Wait an hour, then try again."
)


def test_reset_requests_are_limited_to_5_an_hour_by_default():
    assert settings.PASSWORD_RESET_RATE_LIMIT == 5


def test_the_sixth_reset_request_from_one_address_within_the_hour_is_refused(
    provincial_officer, client, clock, django_capture_on_commit_callbacks
):
    for number in range(5):
        request_reset(client, f"nobody{number}@example.org", django_capture_on_commit_callbacks)
    clock.advance(minutes=59)

    response = request_reset(client, provincial_officer.email, django_capture_on_commit_callbacks)

    assert response.status_code == 429
    assert response.context["form"].non_field_errors() == [TOO_MANY_RESETS]
    assert mail.outbox == []


def test_the_sixth_reset_request_for_one_e_mail_address_is_refused_from_any_address(
    provincial_officer, client, django_capture_on_commit_callbacks
):
    # The same address in either case counts as one.
    emails = [provincial_officer.email, provincial_officer.email.upper()] * 3
    for number, email in enumerate(emails, start=1):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/en/accounts/password/reset/", {"email": email}, REMOTE_ADDR=f"203.0.113.{number}"
            )

    assert response.status_code == 429
    assert len(mail.outbox) == 5


def test_reset_requests_are_accepted_again_an_hour_later(
    provincial_officer, client, clock, django_capture_on_commit_callbacks
):
    for _ in range(6):
        request_reset(client, "nobody@example.org", django_capture_on_commit_callbacks)
    clock.advance(hours=1)

    response = request_reset(client, provincial_officer.email, django_capture_on_commit_callbacks)

    assert response["Location"] == "/en/accounts/password/reset/sent/"
    assert [message.to for message in mail.outbox] == [[provincial_officer.email]]
