import re

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from desadevisa.accounts.tests.factories import UserFactory
from desadevisa.audit.models import AppendOnlyError, AuditAction, AuditEvent
from desadevisa.audit.services import audit_record

MESSAGE = re.escape("Audit events are append-only.")
# PostgreSQL adds the trigger's context on further lines.
DATABASE_MESSAGE = r"^Audit events are append-only\."


@pytest.fixture
def event(db):
    return audit_record(
        actor=UserFactory(username="budi"), action=AuditAction.CHANGED, summary="Before"
    )


def execute(sql, params):
    # The savepoint keeps the test's transaction usable after the database refuses.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_saving_a_recorded_event_again_is_refused(event):
    event.summary = "After"

    with pytest.raises(AppendOnlyError, match=f"^{MESSAGE}$"):
        event.save()

    assert AuditEvent.objects.get(pk=event.pk).summary == "Before"


def test_deleting_an_event_is_refused(event):
    with pytest.raises(AppendOnlyError, match=f"^{MESSAGE}$"):
        event.delete()

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_updating_events_in_bulk_is_refused(event):
    with pytest.raises(AppendOnlyError, match=f"^{MESSAGE}$"):
        AuditEvent.objects.filter(pk=event.pk).update(summary="After")

    assert AuditEvent.objects.get(pk=event.pk).summary == "Before"


def test_bulk_update_of_events_is_refused(event):
    event.summary = "After"

    # bulk_update opens its own atomic block, which the refusal marks for rollback.
    with pytest.raises(AppendOnlyError, match=f"^{MESSAGE}$"), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["summary"])

    assert AuditEvent.objects.get(pk=event.pk).summary == "Before"


def test_deleting_events_in_bulk_is_refused(event):
    with pytest.raises(AppendOnlyError, match=f"^{MESSAGE}$"):
        AuditEvent.objects.all().delete()

    assert AuditEvent.objects.count() == 1


def test_the_database_refuses_a_raw_update_of_an_event(event):
    with pytest.raises(IntegrityError, match=DATABASE_MESSAGE):
        execute("UPDATE audit_auditevent SET summary = %s WHERE id = %s", ["After", event.pk])

    assert AuditEvent.objects.get(pk=event.pk).summary == "Before"


def test_the_database_refuses_a_raw_delete_of_an_event(event):
    with pytest.raises(IntegrityError, match=DATABASE_MESSAGE):
        execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_database_refuses_pointing_an_event_at_another_actor(event):
    other = UserFactory(username="sari")

    with pytest.raises(IntegrityError, match=DATABASE_MESSAGE):
        execute("UPDATE audit_auditevent SET actor_id = %s WHERE id = %s", [other.pk, event.pk])

    assert AuditEvent.objects.get(pk=event.pk).actor.username == "budi"


def test_the_database_refuses_unlinking_the_actor_together_with_another_change(event):
    with pytest.raises(IntegrityError, match=DATABASE_MESSAGE):
        execute(
            "UPDATE audit_auditevent SET actor_id = NULL, actor_label = %s WHERE id = %s",
            ["someone", event.pk],
        )

    assert AuditEvent.objects.get(pk=event.pk).actor_label == "budi"


def test_deleting_the_actors_account_keeps_the_event_with_the_username(event):
    event.actor.delete()

    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor is None
    assert stored.actor_label == "budi"
    assert stored.summary == "Before"


def test_the_admin_shows_events_but_cannot_add_change_or_delete_them(admin_user, event, rf):
    event_admin = admin.site._registry[AuditEvent]
    request = rf.get("/")
    request.user = admin_user

    assert event_admin.has_view_permission(request, event)
    assert not event_admin.has_add_permission(request)
    assert not event_admin.has_change_permission(request, event)
    assert not event_admin.has_delete_permission(request, event)


@pytest.mark.django_db(transaction=True)
def test_emptying_the_whole_database_removes_events_and_keeps_the_triggers():
    audit_record(actor=None, action=AuditAction.CREATED, summary="Before the flush")

    call_command("flush", interactive=False, verbosity=0)

    assert not AuditEvent.objects.exists()
    event = audit_record(actor=None, action=AuditAction.CREATED, summary="After the flush")
    with pytest.raises(IntegrityError, match=DATABASE_MESSAGE):
        execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
