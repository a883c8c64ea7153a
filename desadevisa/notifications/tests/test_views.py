"""The inbox pages: the list in the reader's language, opening a notification, marking all
read, and the unread count beside the staff navigation's link."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.audit.models import AuditAction, AuditEvent
from desadevisa.notifications.models import Notification
from desadevisa.notifications.tests.factories import NotificationFactory

INBOX = "/en/inbox/"
BADGE = "/en/inbox/badge/"
READ_ALL = "/en/inbox/read-all/"
XSS = "<img src=x onerror=alert(1)>"


def open_url(notification) -> str:
    return f"/en/inbox/{notification.pk}/open/"


def query_count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def reader(client, provincial_officer):
    sign_in_verified(client, provincial_officer)
    return provincial_officer


# The list ------------------------------------------------------------------------------------


def test_the_inbox_lists_the_persons_notifications_newest_first(client, reader):
    older = NotificationFactory(recipient=reader, params={"village": "Older", "cycle": "C"})
    newer = NotificationFactory(recipient=reader, params={"village": "Newer", "cycle": "C"})
    NotificationFactory(params={"village": "Someone else's", "cycle": "C"})

    response = client.get(INBOX)

    assert response.status_code == 200
    assert [item for item, _text in response.context["rows"]] == [newer, older]
    assert "Someone else" not in response.text


def test_the_inbox_takes_the_same_queries_for_one_notification_and_many(client, reader):
    NotificationFactory(recipient=reader)
    one = query_count(client, INBOX)

    NotificationFactory.create_batch(30, recipient=reader)
    NotificationFactory.create_batch(3, recipient=reader, read_at="2026-01-01T00:00:00Z")
    many = query_count(client, INBOX)

    assert one == many


def test_the_inbox_shows_25_a_page_and_links_the_next(client, reader):
    NotificationFactory.create_batch(26, recipient=reader)

    first = client.get(INBOX)
    second = client.get(INBOX, {"page": 2})

    assert len(first.context["rows"]) == 25
    assert 'href="?page=2"' in first.text
    assert len(second.context["rows"]) == 1


def test_unread_notifications_stand_out_and_are_counted(client, reader):
    NotificationFactory(recipient=reader)
    NotificationFactory(recipient=reader, read_at="2026-01-01T00:00:00Z")

    response = client.get(INBOX)

    assert response.context["unread"] == 1
    assert response.text.count("notification--unread") == 1
    assert response.text.count("notification--read") == 1
    assert "1 unread notification." in response.text


def test_the_inbox_escapes_html_written_into_a_notification(client, reader):
    NotificationFactory(recipient=reader, params={"village": XSS, "comment": XSS, "cycle": XSS})

    response = client.get(INBOX)

    assert XSS not in response.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in response.text


def test_the_inbox_reads_in_the_language_of_the_page(client, reader):
    NotificationFactory(recipient=reader)

    english = client.get(INBOX)
    indonesian = client.get("/id/inbox/")

    assert "Province: Jawa Timur" in english.text
    assert "Provinsi: Jawa Timur" in indonesian.text


def test_an_empty_inbox_says_so(client, reader):
    response = client.get(INBOX)

    assert "No notifications yet." in response.text
    assert READ_ALL not in response.text


def test_the_inbox_takes_no_post(client, reader):
    assert client.post(INBOX).status_code == 405


def test_the_anonymous_are_sent_to_sign_in_from_the_inbox(client, db):
    response = client.get(INBOX)

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


# Opening one ---------------------------------------------------------------------------------


def test_opening_a_notification_marks_it_read_and_goes_to_its_page_in_the_readers_language(
    client, reader
):
    notification = NotificationFactory(recipient=reader, link="/id/programme/nominations/7/")
    assert notification.read_at is None

    response = client.post(open_url(notification))

    assert response.status_code == 302
    assert response["Location"] == "/en/programme/nominations/7/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_needs_a_post(client, reader):
    notification = NotificationFactory(recipient=reader)

    response = client.get(open_url(notification))

    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_opening_needs_the_csrf_token(reader, provincial_officer):
    from django.test import Client

    guarded = Client(enforce_csrf_checks=True)
    sign_in_verified(guarded, provincial_officer)
    notification = NotificationFactory(recipient=reader)

    response = guarded.post(open_url(notification))

    assert response.status_code == 403
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_another_persons_notification_answers_404_to_every_method_and_changes_nothing(
    client, reader, programme_officer, method
):
    theirs = NotificationFactory(recipient=programme_officer)
    events = AuditEvent.objects.count()

    response = getattr(client, method)(open_url(theirs))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert AuditEvent.objects.count() == events + 1
    assert AuditEvent.objects.latest("pk").action == AuditAction.ACCESS_DENIED


def test_an_unknown_notification_answers_404(client, reader):
    assert client.post("/en/inbox/999999/open/").status_code == 404


# Marking all read ----------------------------------------------------------------------------


def test_mark_all_read_marks_the_persons_notifications_only(client, reader, programme_officer):
    NotificationFactory.create_batch(2, recipient=reader)
    theirs = NotificationFactory(recipient=programme_officer)

    response = client.post(READ_ALL, follow=True)

    assert response.redirect_chain == [(INBOX, 302)]
    assert "2 notifications marked as read." in response.text
    assert not Notification.objects.filter(recipient=reader, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_with_nothing_unread_says_so(client, reader):
    response = client.post(READ_ALL, follow=True)

    assert "Every notification was already read." in response.text


def test_mark_all_read_needs_a_post(client, reader):
    NotificationFactory(recipient=reader)

    assert client.get(READ_ALL).status_code == 405
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


# The unread count in the navigation ----------------------------------------------------------


def test_the_badge_shows_the_persons_unread_count(client, reader, programme_officer):
    NotificationFactory.create_batch(3, recipient=reader)
    NotificationFactory(recipient=reader, read_at="2026-01-01T00:00:00Z")
    NotificationFactory(recipient=programme_officer)

    response = client.get(BADGE, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert ">3 new</span>" in response.text


def test_the_badge_is_empty_when_everything_is_read(client, reader):
    response = client.get(BADGE, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response.text.strip() == ""


def test_the_badge_never_moves_a_page_whose_sign_in_awaits_its_code(client, provincial_officer):
    client.force_login(provincial_officer)

    from_htmx = client.get(BADGE, headers={"HX-Request": "true"})
    plain = client.get(BADGE)

    assert from_htmx.status_code == 204
    assert "HX-Redirect" not in from_htmx.headers
    assert plain.status_code == 302


def test_the_navigation_loads_the_count_after_the_page_with_a_plain_link_to_the_inbox(
    client, reader
):
    response = client.get(INBOX)

    assert f'<a href="{INBOX}">Inbox<span hx-get="{BADGE}" hx-trigger="load"' in response.text


def test_the_unread_count_adds_no_query_to_other_pages(client, reader):
    page = "/en/programme/cycles/"
    before = query_count(client, page)

    NotificationFactory.create_batch(5, recipient=reader)
    after = query_count(client, page)

    assert after == before


@pytest.mark.parametrize("page", ["abc", "999", "-1", ""])
def test_a_page_number_out_of_range_or_not_a_number_shows_a_page_of_the_inbox(client, reader, page):
    NotificationFactory(recipient=reader)

    response = client.get(INBOX, {"page": page})

    assert response.status_code == 200
    assert len(response.context["rows"]) == 1
