import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from desadevisa.accounts.exceptions import TokenExpiryInvalid, TokenNotOwned
from desadevisa.accounts.hashing import secret_hash
from desadevisa.accounts.models import PersonalAccessToken
from desadevisa.accounts.services import token_authenticate, token_create, token_revoke
from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.audit.models import AuditEvent


def in_days(days: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


@pytest.fixture
def created(provincial_officer):
    return token_create(
        user=provincial_officer, name="Export report script", expires_at=in_days(90)
    )


def test_only_the_hash_and_prefix_of_a_token_are_stored(created):
    token, raw = created

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_personalaccesstoken")
        stored = cursor.fetchall()
    assert not any(raw in str(value) for row in stored for value in row)
    assert (token.token_hash, token.prefix) == (secret_hash(raw), raw[:8])
    assert len(raw) >= 43


def test_creating_a_token_is_audited_without_the_token(created):
    token, raw = created

    event = AuditEvent.objects.get(object_id=str(token.pk))
    assert event.action == "created"
    assert raw not in str(event.changes)


def test_a_token_authenticates_its_owner_and_records_the_use(created, provincial_officer):
    token, raw = created

    user = token_authenticate(raw=raw)

    assert user == provincial_officer
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("raw", ["", "not-a-token"])
def test_an_unknown_token_authenticates_nobody(db, raw):
    assert token_authenticate(raw=raw) is None


def test_an_expired_token_authenticates_nobody(created, clock):
    _, raw = created
    clock.advance(days=91)

    assert token_authenticate(raw=raw) is None


def test_a_revoked_token_authenticates_nobody(created, provincial_officer):
    token, raw = created

    token_revoke(user=provincial_officer, token=token)

    assert token_authenticate(raw=raw) is None
    assert AuditEvent.objects.filter(action="changed", object_id=str(token.pk)).exists()


def test_the_token_of_a_deactivated_account_authenticates_nobody(created, provincial_officer):
    _, raw = created
    provincial_officer.is_active = False
    provincial_officer.save(update_fields=["is_active"])

    assert token_authenticate(raw=raw) is None


@pytest.mark.parametrize("days", [-1, 366])
def test_a_token_expires_in_the_future_and_within_a_year(provincial_officer, days):
    with pytest.raises(TokenExpiryInvalid) as error:
        token_create(user=provincial_officer, name="script", expires_at=in_days(days))

    assert error.value.message == "A token must expire in the future, and within 365 days."
    assert not PersonalAccessToken.objects.exists()


def test_nobody_revokes_another_persons_token(created, verifier):
    token, _ = created

    with pytest.raises(TokenNotOwned) as error:
        token_revoke(user=verifier, token=token)

    assert error.value.message == "This token belongs to another account."
    token.refresh_from_db()
    assert token.revoked_at is None


# Pages ------------------------------------------------------------------------------------


def test_the_raw_token_is_shown_once_after_creation(client, provincial_officer):
    sign_in_verified(client, provincial_officer)

    response = client.post("/en/accounts/tokens/new/", {"name": "Export script", "valid_for": "90"})

    token = PersonalAccessToken.objects.get()
    raw = response.context["raw"]
    assert token.token_hash == secret_hash(raw)
    assert raw in response.text
    assert "no-store" in response["Cache-Control"]
    assert raw not in client.get("/en/accounts/profile/").text


def test_the_profile_lists_tokens_by_prefix(client, provincial_officer, created):
    token, raw = created
    sign_in_verified(client, provincial_officer)

    response = client.get("/en/accounts/profile/")

    assert f"{token.prefix}…" in response.text
    assert raw not in response.text


def test_revoking_a_token_from_the_profile(client, provincial_officer, created):
    token, _ = created
    sign_in_verified(client, provincial_officer)

    response = client.post(f"/en/accounts/tokens/{token.pk}/revoke/")

    assert response["Location"] == "/en/accounts/profile/"
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_revoking_with_htmx_answers_the_token_list(client, provincial_officer, created):
    token, _ = created
    sign_in_verified(client, provincial_officer)

    response = client.post(
        f"/en/accounts/tokens/{token.pk}/revoke/", headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert response.text.strip().startswith('<section aria-labelledby="tokens-heading"')
    assert "Revoked" in response.text


def test_another_persons_token_is_not_found(client, verifier, created):
    token, _ = created
    sign_in_verified(client, verifier)

    response = client.post(f"/en/accounts/tokens/{token.pk}/revoke/")

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_tokens_are_for_confirmed_sessions(client, provincial_officer):
    client.force_login(provincial_officer)

    response = client.post("/en/accounts/tokens/new/", {"name": "script", "valid_for": "90"})

    assert response.status_code == 302
    assert not PersonalAccessToken.objects.exists()


def test_the_profile_reads_as_many_queries_for_many_tokens_as_for_one(
    client, provincial_officer, created
):
    sign_in_verified(client, provincial_officer)

    def profile_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/en/accounts/profile/").status_code == 200
        return len(queries)

    with_one = profile_queries()
    for number in range(5):
        token_create(user=provincial_officer, name=f"script {number}", expires_at=in_days(30))

    assert profile_queries() == with_one
