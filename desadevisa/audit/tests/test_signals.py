import logging

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.test import RequestFactory

from desadevisa.accounts.tests.factories import PASSWORD, UserFactory
from desadevisa.audit.models import AuditAction, AuditEvent

ADDRESS = "203.0.113.7"


def post_sign_in(client, username, password):
    return client.post(
        "/en/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ADDRESS
    )


def test_signing_in_records_the_user_and_the_address(client, db):
    user = UserFactory(username="budi")

    post_sign_in(client, "budi", PASSWORD)

    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.actor_label) == ("signed_in", user, "budi")
    assert (event.content_type.model_class(), event.object_id) == (type(user), str(user.pk))
    assert event.ip_address == ADDRESS


def test_a_failed_sign_in_records_the_attempted_username_and_never_the_password(client, db):
    user = UserFactory(username="budi")

    post_sign_in(client, "budi", "not the password")

    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.actor_label) == ("sign_in_failed", None, "")
    assert event.summary == "Attempted username: budi"
    assert event.object_id == str(user.pk)
    assert event.ip_address == ADDRESS
    assert "not the password" not in f"{event.summary} {event.object_repr} {event.changes}"


def test_a_failed_sign_in_with_an_unknown_username_is_recorded_without_an_object(client, db):
    post_sign_in(client, "nobody", "not the password")

    event = AuditEvent.objects.get()
    assert event.action == "sign_in_failed"
    assert event.summary == "Attempted username: nobody"
    assert (event.content_type, event.object_id) == (None, "")
    assert event.ip_address == ADDRESS


def test_an_overlong_attempted_username_is_cut_to_the_longest_possible_username(db):
    # The sign-in form refuses such names before authenticating; other callers may not.
    request = RequestFactory().post("/", REMOTE_ADDR=ADDRESS)

    authenticate(request, username="x" * 200, password="not the password")

    assert AuditEvent.objects.get().summary == f"Attempted username: {'x' * 150}"


def test_a_line_break_in_an_attempted_username_is_escaped_in_the_log(
    client, db, caplog, django_capture_on_commit_callbacks
):
    with (
        caplog.at_level(logging.INFO, logger="desadevisa.audit"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        post_sign_in(client, "x\nFAKE LOG LINE", "not the password")

    event = AuditEvent.objects.get()
    assert event.summary == "Attempted username: x\nFAKE LOG LINE"
    assert [
        record.getMessage()
        for record in caplog.records
        if record.name == "desadevisa.audit.services"
    ] == [
        f"Audit event {event.pk}: action=sign_in_failed actor=- object=- ip={ADDRESS} "
        "summary=Attempted username: x\\nFAKE LOG LINE"
    ]


def test_signing_out_records_the_user_and_the_address(client, db):
    user = UserFactory(username="budi")
    post_sign_in(client, "budi", PASSWORD)

    client.post("/en/accounts/logout/", REMOTE_ADDR=ADDRESS)

    event = AuditEvent.objects.get(action=AuditAction.SIGNED_OUT)
    assert (event.actor, event.actor_label, event.ip_address) == (user, "budi", ADDRESS)


def test_signing_out_without_being_signed_in_records_nothing(client, db):
    client.post("/en/accounts/logout/", REMOTE_ADDR=ADDRESS)

    assert not AuditEvent.objects.exists()


def test_a_lockout_is_recorded_with_the_attempted_username_and_the_address(client, db, settings):
    user = UserFactory(username="budi")

    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        post_sign_in(client, "budi", "not the password")

    lockout = AuditEvent.objects.get(action=AuditAction.LOCKED_OUT)
    assert lockout.summary == "Attempted username: budi"
    assert (lockout.object_id, lockout.ip_address) == (str(user.pk), ADDRESS)
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).count() == (
        settings.AXES_FAILURE_LIMIT
    )


def test_a_sign_in_outside_the_middleware_still_records_the_address(db):
    user = UserFactory(username="budi")
    request = RequestFactory().post("/", REMOTE_ADDR=ADDRESS)

    user_logged_in.send(sender=type(user), request=request, user=user)

    assert AuditEvent.objects.get().ip_address == ADDRESS
