"""Writing notifications: with the caller's transaction, to the right people, e-mailed once
after the commit by a background task, in both languages."""

import logging
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django_tasks import default_task_backend

from desadevisa.accounts.tests.factories import UserFactory
from desadevisa.notifications.models import Notification, NotificationKind
from desadevisa.notifications.services import (
    notification_read,
    notification_read_all,
    notification_send,
)
from desadevisa.notifications.tasks import notification_email_send
from desadevisa.notifications.tests.factories import NotificationFactory

LINK = "/id/programme/nominations/7/"
PARAMS = {
    "village": "Minggirsari",
    "province": "Jawa Timur",
    "cycle": "Desa Devisa 2022",
    "comment": "Lengkapi bukti keanggotaan koperasi.",
}


class Refused(Exception):
    pass


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages):
        raise SMTPException("550 refused for someone@example.org")


def send(recipients, **kwargs):
    return notification_send(
        recipients=recipients,
        kind=kwargs.pop("kind", NotificationKind.NOMINATION_RETURNED),
        params=kwargs.pop("params", PARAMS),
        link=kwargs.pop("link", LINK),
        **kwargs,
    )


# Who gets one --------------------------------------------------------------------------------


def test_send_writes_one_unread_notification_per_recipient(db):
    first, second = UserFactory(), UserFactory()

    sent = send([first, second])

    assert {n.recipient for n in sent} == {first, second}
    rows = Notification.objects.order_by("recipient_id")
    assert [(n.recipient, n.kind, n.params, n.link) for n in rows] == [
        (first, "nomination_returned", PARAMS, LINK),
        (second, "nomination_returned", PARAMS, LINK),
    ]
    assert all(n.read_at is None and n.emailed_at is None for n in rows)


def test_send_skips_deactivated_accounts(db):
    active, deactivated = UserFactory(), UserFactory(is_active=False)

    send([active, deactivated])

    assert list(Notification.objects.values_list("recipient", flat=True)) == [active.pk]


def test_send_does_not_tell_the_actor_what_they_did_themselves(db):
    actor, other = UserFactory(), UserFactory()

    send([actor, other], actor=actor)

    assert list(Notification.objects.values_list("recipient", flat=True)) == [other.pk]


def test_send_writes_one_notification_for_a_person_listed_twice(db):
    person = UserFactory()

    sent = send([person, person, type(person).objects.get(pk=person.pk)])

    assert len(sent) == 1
    assert Notification.objects.filter(recipient=person).count() == 1


def test_send_with_nobody_left_writes_nothing(db):
    actor = UserFactory()

    assert send([actor], actor=actor) == []
    assert Notification.objects.count() == 0


@pytest.mark.parametrize(
    "link", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "programme/"]
)
def test_send_refuses_a_link_off_the_site_and_writes_nothing(db, link):
    with pytest.raises(ValueError, match="links to a path of this site"):
        send([UserFactory()], link=link)

    assert Notification.objects.count() == 0


def test_send_refuses_an_unknown_kind(db):
    with pytest.raises(ValueError, match="Unknown notification kind: 'nomination_approved'"):
        send([UserFactory()], kind="nomination_approved")


def test_send_refuses_params_that_are_not_plain_values(db):
    with pytest.raises(ValueError, match="plain values"):
        send([UserFactory()], params={"village": UserFactory()})


# With the caller's transaction ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_notification_is_written_in_the_callers_transaction_and_mailed_after_it_commits():
    person = UserFactory(email="pejabat@example.org")

    with transaction.atomic():
        send([person])
        assert Notification.objects.count() == 1
        assert mail.outbox == []

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["pejabat@example.org"]
    assert Notification.objects.get().emailed_at is not None


@pytest.mark.django_db(transaction=True)
def test_when_the_callers_work_rolls_back_no_notification_exists_and_nothing_is_mailed():
    person = UserFactory()

    def send_then_failure():
        with transaction.atomic():
            send([person])
            raise Refused

    with pytest.raises(Refused):
        send_then_failure()

    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_one_task_is_queued_per_notification_after_the_commit(
    db, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    first, second = UserFactory(), UserFactory()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        sent = send([first, second])
        assert default_task_backend.results == []

    assert len(callbacks) == 2
    queued = [result.kwargs for result in default_task_backend.results]
    assert queued == [{"notification_id": n.pk} for n in sent]
    assert all(r.task.func is notification_email_send.func for r in default_task_backend.results)


# The e-mail ------------------------------------------------------------------------------------


def mailed(notification):
    notification_email_send.call(notification_id=notification.pk)
    return mail.outbox[-1]


def test_the_email_is_plain_text_in_indonesian_then_english_with_the_sites_links(db, settings):
    settings.SITE_URL = "https://desadevisa.example.go.id/"
    notification = NotificationFactory(link=LINK)

    message = mailed(notification)

    body = message.body
    assert message.alternatives == []
    assert message.content_subtype == "plain"
    indonesian = body.index("Provinsi: Jawa Timur")
    english = body.index("Province: Jawa Timur")
    assert indonesian < english
    assert body.index("https://desadevisa.example.go.id/id/programme/nominations/7/") < english
    assert "https://desadevisa.example.go.id/en/programme/nominations/7/" in body[english:]
    assert "https://desadevisa.example.go.id/en/inbox/" in body
    assert body.count("Lengkapi bukti keanggotaan koperasi.") == 2
    assert "Nomination returned: Minggirsari" in message.subject


def test_the_email_carries_user_text_as_it_was_written_in_plain_text(db):
    notification = NotificationFactory(params={**PARAMS, "comment": 'Harga < 5 & "baik"'})

    message = mailed(notification)

    assert 'Harga < 5 & "baik"' in message.body
    assert "&lt;" not in message.body


def test_a_line_break_in_a_name_cannot_add_mail_headers_or_recipients(db):
    notification = NotificationFactory(
        recipient=UserFactory(email="pejabat@example.org"),
        params={**PARAMS, "village": "Minggirsari\r\nBcc: evil@example.org"},
    )

    message = mailed(notification)

    assert "\n" not in message.subject
    assert "\r" not in message.subject
    assert message.recipients() == ["pejabat@example.org"]
    assert "Bcc" not in str(message.message()["Bcc"] or "")


def test_the_email_is_sent_once_and_marks_the_notification_emailed(db):
    notification = NotificationFactory()

    mailed(notification)
    notification_email_send.call(notification_id=notification.pk)

    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_no_email_reaches_an_account_deactivated_after_the_notification(db):
    notification = NotificationFactory(recipient=UserFactory(is_active=False))

    notification_email_send.call(notification_id=notification.pk)

    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.emailed_at is None


def test_a_refused_send_is_logged_without_personal_data_and_leaves_the_notification_unsent(
    db, settings, caplog
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    notification = NotificationFactory(recipient=UserFactory(email="someone@example.org"))

    with caplog.at_level(logging.WARNING, logger="desadevisa.notifications.tasks"):
        notification_email_send.call(notification_id=notification.pk)

    notification.refresh_from_db()
    assert notification.emailed_at is None
    assert caplog.messages == [
        f"Notification {notification.pk}: e-mail not sent (attempt 1 of 4, SMTPException)"
    ]
    assert "someone@example.org" not in caplog.text


def test_a_refused_send_is_tried_again_later_by_a_backend_that_can_wait(
    db, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    notification = NotificationFactory()

    with django_capture_on_commit_callbacks(execute=True):
        notification_email_send.call(notification_id=notification.pk)

    (retry,) = default_task_backend.results
    assert retry.kwargs == {"notification_id": notification.pk, "attempt": 2}
    assert retry.task.run_after is not None


def test_the_last_attempt_is_not_tried_again(db, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    notification = NotificationFactory()

    with django_capture_on_commit_callbacks(execute=True):
        notification_email_send.call(notification_id=notification.pk, attempt=4)

    assert default_task_backend.results == []


@pytest.mark.django_db(transaction=True)
def test_a_refused_send_never_breaks_the_work_that_wrote_the_notification(settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    person = UserFactory()

    with transaction.atomic():
        send([person])

    assert Notification.objects.get().emailed_at is None


# Reading ---------------------------------------------------------------------------------------


def test_reading_marks_the_notification_read_once(db):
    notification = NotificationFactory()
    assert notification.read_at is None

    notification_read(notification=notification, actor=notification.recipient)
    first = Notification.objects.get().read_at
    notification_read(notification=notification, actor=notification.recipient)

    assert first is not None
    assert Notification.objects.get().read_at == first


def test_only_the_recipient_reads_a_notification(db):
    notification = NotificationFactory()

    with pytest.raises(ValueError, match="Only the recipient"):
        notification_read(notification=notification, actor=UserFactory())

    assert Notification.objects.get().read_at is None


def test_reading_all_marks_only_the_persons_own_unread_notifications(db):
    person, other = UserFactory(), UserFactory()
    NotificationFactory.create_batch(2, recipient=person)
    theirs = NotificationFactory(recipient=other)

    assert notification_read_all(actor=person) == 2

    assert not Notification.objects.filter(recipient=person, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
