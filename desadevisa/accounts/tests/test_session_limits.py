from django.conf import settings

from desadevisa.accounts.tests.helpers import sign_in_verified

PROFILE = "/en/accounts/profile/"
SIGN_IN_AGAIN = f"/en/accounts/login/?next={PROFILE}"


def test_the_limits_are_30_minutes_idle_and_12_hours_in_all():
    assert (settings.SESSION_IDLE_TIMEOUT, settings.SESSION_COOKIE_AGE) == (30 * 60, 12 * 60 * 60)


def test_a_session_idle_for_29_minutes_stays_signed_in(client, provincial_officer, clock):
    sign_in_verified(client, provincial_officer)
    client.get(PROFILE)
    clock.advance(minutes=29)

    response = client.get(PROFILE)

    assert response.status_code == 200


def test_a_session_idle_for_31_minutes_is_signed_out(client, provincial_officer, clock):
    sign_in_verified(client, provincial_officer)
    client.get(PROFILE)
    clock.advance(minutes=31)

    response = client.get(PROFILE, follow=True)

    assert response.redirect_chain == [(PROFILE, 302), (SIGN_IN_AGAIN, 302)]
    assert not response.wsgi_request.user.is_authenticated
    assert [str(message) for message in response.context["messages"]] == [
        "You were signed out after 30 minutes without activity. Sign in again."
    ]


def test_an_active_session_ends_12_hours_after_signing_in(client, provincial_officer, clock):
    sign_in_verified(client, provincial_officer)
    for _ in range(12 * 6):
        clock.advance(minutes=10)
        assert client.get(PROFILE).status_code == 200
    clock.advance(minutes=1)

    response = client.get(PROFILE, follow=True)

    assert response.redirect_chain[-1] == (SIGN_IN_AGAIN, 302)
    assert not response.wsgi_request.user.is_authenticated
    assert [str(message) for message in response.context["messages"]] == [
        "You were signed out because your session reached its time limit. Sign in again."
    ]


def test_signing_in_again_restarts_the_clocks(client, provincial_officer, clock):
    sign_in_verified(client, provincial_officer)
    clock.advance(hours=11, minutes=50)
    client.force_login(provincial_officer)
    clock.advance(minutes=20)

    response = client.get(PROFILE)

    assert response.status_code == 200


def test_anonymous_visitors_are_not_touched(client, db, clock):
    client.get("/en/")
    clock.advance(hours=13)

    response = client.get("/en/")

    assert response.status_code == 200
