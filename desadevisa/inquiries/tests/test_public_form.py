"""The buyer's inquiry form: what it accepts, what it refuses (with which words), and that a
refusal writes nothing."""

from __future__ import annotations

import logging
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client
from django.urls import reverse

from desadevisa.accounts.models import Role
from desadevisa.accounts.tests.factories import user_with_role
from desadevisa.audit.models import AuditAction, AuditEvent
from desadevisa.catalog.tests.factories import ProductFactory
from desadevisa.inquiries.models import ConsentRecord, Inquiry, InquiryEvent, InquiryStatus
from desadevisa.inquiries.services import buyer_key
from desadevisa.inquiries.tests.conftest import create_url, row_counts, started, valid_data
from desadevisa.inquiries.tests.factories import PrivacyNoticeFactory
from desadevisa.notifications.models import Notification
from desadevisa.registry.tests.factories import (
    CraftUnitFactory,
    MembershipFactory,
    OrganisationFactory,
)
from desadevisa.showcase.models import Exhibition

pytestmark = pytest.mark.usefixtures("countries")

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(autouse=True)
def _after_commit(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the background tasks, eager in tests) as it would run."""
    global _capture
    _capture = django_capture_on_commit_callbacks
    yield
    _capture = None


_capture = None


def post(client, product, data, **extra):
    with _capture(execute=True):
        return client.post(create_url(product), data, **extra)


def assert_refused(response, field, message, before):
    assert response.status_code == 400
    if field is None:
        assert message in response.context["form"].non_field_errors()
    else:
        assert response.context["form"].errors[field] == [message]
    assert message in response.text or message.replace("'", "&#x27;") in response.text
    assert row_counts() == before
    assert mail.outbox == []


# The form page -------------------------------------------------------------------------------


def test_the_form_of_a_public_product_is_drawn_with_a_csrf_token_and_never_stored(
    client, product, notice
):
    response = client.get(create_url(product))

    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in response.text
    assert "no-store" in response["Cache-Control"]
    assert response.context["form"].initial["notice_version"] == notice.version


def test_the_honeypot_is_hidden_from_screen_readers_and_the_keyboard(client, product, notice):
    response = client.get(create_url(product))

    assert '<div class="inquiry__trap" aria-hidden="true">' in response.text
    assert 'tabindex="-1"' in response.text
    assert 'autocomplete="off"' in response.text


def test_the_form_links_to_the_privacy_notice(client, product, notice):
    response = client.get(create_url(product))

    assert reverse("inquiry:privacy") in response.text


def test_the_form_records_the_exhibition_the_buyer_came_from(client, product, notice):
    exhibition = Exhibition.objects.create(
        name_id="G20",
        name_en="G20 Indonesia 2022",
        slug="g20",
        starts_on="2022-03-01",
        ends_on="2022-12-31",
    )

    page = client.get(create_url(product), {"exhibition": "g20"})
    response = post(client, product, valid_data(notice, exhibition="g20"))

    assert "Seen at G20 Indonesia 2022" in page.text
    assert response.status_code == 302
    assert Inquiry.objects.get().exhibition == exhibition


def test_an_unknown_exhibition_is_left_out_rather_than_refused(client, product, notice):
    response = post(client, product, valid_data(notice, exhibition="no-such-fair"))

    assert response.status_code == 302
    assert Inquiry.objects.get().exhibition is None


def test_a_product_not_shown_on_the_showcase_has_no_inquiry_form(client, notice):
    hidden = ProductFactory(is_public=False)

    assert client.get(create_url(hidden)).status_code == 404
    assert post(client, hidden, valid_data(notice)).status_code == 404
    assert Inquiry.objects.count() == 0


def test_an_unknown_product_has_no_inquiry_form(client, notice):
    response = client.get("/en/products/no-such-product/inquiry/")

    assert response.status_code == 404


def test_an_unknown_language_in_the_address_answers_404(client, product, notice):
    response = client.get(f"/fr/products/{product.slug}/inquiry/")

    assert response.status_code == 404


# Sending an inquiry --------------------------------------------------------------------------


def test_a_valid_inquiry_is_recorded_with_its_consent_its_first_event_and_one_audit_event(
    client, product, notice
):
    before = row_counts()

    response = post(client, product, valid_data(notice))

    assert response.status_code == 302
    assert response["Location"] == reverse("inquiry:sent", kwargs={"slug": product.slug})
    inquiry = Inquiry.objects.get()
    assert (inquiry.name, inquiry.email, inquiry.phone, inquiry.country_id) == (
        "Anneke de Vries",
        "anneke@example.com",
        "+31201234567",
        "NL",
    )
    assert (inquiry.quantity, inquiry.language, inquiry.status) == (120, "en", InquiryStatus.NEW)
    assert inquiry.buyer_key == buyer_key("anneke@example.com")
    assert list(InquiryEvent.objects.values_list("from_status", "to_status")) == [("", "new")]
    after = row_counts()
    assert after["inquiries.Inquiry"] == before["inquiries.Inquiry"] + 1
    assert after["audit.AuditEvent"] == before["audit.AuditEvent"] + 1


def test_the_consent_record_names_the_notice_version_the_purpose_and_the_time(
    client, product, notice
):
    post(client, product, valid_data(notice))

    consent = ConsentRecord.objects.get()
    assert consent.notice == notice
    assert consent.purpose == "inquiry_contact"
    assert consent.given_at == Inquiry.objects.get().created_at


def test_the_audit_event_and_the_log_hold_no_personal_data(client, product, notice, caplog):
    caplog.set_level(logging.DEBUG)

    post(client, product, valid_data(notice))

    event = AuditEvent.objects.get()
    assert event.action == AuditAction.CREATED
    recorded = f"{event.object_repr} {event.summary} {event.changes} {caplog.text}".lower()
    for secret in ("anneke", "example.com", "20 123", "201234567", "ritme", "fob surabaya"):
        assert secret not in recorded


def test_the_buyer_gets_a_plain_text_confirmation_in_the_inquiry_language(client, product, notice):
    post(client, product, valid_data(notice))

    confirmation = next(m for m in mail.outbox if m.to == ["anneke@example.com"])
    assert confirmation.subject == "Your inquiry about Djembe drum"
    assert confirmation.content_subtype == "plain"
    assert getattr(confirmation, "alternatives", []) == []
    assert "What happens next" in confirmation.body
    assert Inquiry.objects.get().confirmation_sent_at is not None


def test_the_managers_of_the_makers_and_the_programme_officers_are_notified(
    client, product, notice
):
    unit = CraftUnitFactory(village=product.village)
    product.craft_units.set([unit])
    organisation = OrganisationFactory(village=product.village)
    MembershipFactory(craft_unit=unit, organisation=organisation)
    manager = user_with_role(Role.ORGANISATION_MANAGER, organisation=organisation)
    officer = user_with_role(Role.PROGRAMME_OFFICER)
    stranger = user_with_role(Role.ORGANISATION_MANAGER, organisation=OrganisationFactory())

    post(client, product, valid_data(notice))

    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert told == {manager.pk, officer.pk}
    assert stranger.pk not in told
    assert Notification.objects.first().link == reverse(
        "inquiries:detail", kwargs={"pk": Inquiry.objects.get().pk}
    ).replace("/en/", "/id/")
    assert sorted(address for m in mail.outbox for address in m.to) == sorted(
        ["anneke@example.com", manager.email, officer.email]
    )
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mail.outbox)


def test_html_in_every_field_is_stored_as_text_and_never_reaches_an_email(client, product, notice):
    user_with_role(Role.PROGRAMME_OFFICER)
    data = valid_data(notice, name=XSS, company=XSS, message=XSS)

    post(client, product, data)

    inquiry = Inquiry.objects.get()
    assert (inquiry.name, inquiry.company, inquiry.message) == (XSS, XSS, XSS)
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert "<img" not in message.body
        assert "<img" not in message.subject
        assert message.content_subtype == "plain"


def test_a_failing_mail_server_loses_no_inquiry(client, product, notice, monkeypatch, caplog):
    user_with_role(Role.PROGRAMME_OFFICER)

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)

    response = post(client, product, valid_data(notice))

    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert inquiry.confirmation_sent_at is None
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 1
    assert "confirmation not sent" in caplog.text
    assert "anneke" not in caplog.text.lower()


def test_the_sent_page_says_what_happens_next(client, product, notice):
    response = client.get(reverse("inquiry:sent", kwargs={"slug": product.slug}))

    assert response.status_code == 200
    assert "What happens next" in response.text


# Refusals: each writes nothing ---------------------------------------------------------------


def test_an_invalid_email_address_is_refused(client, product, notice):
    before = row_counts()

    response = post(client, product, valid_data(notice, email="anneke@"))

    assert_refused(
        response, "email", "Enter a valid e-mail address, such as name@example.com.", before
    )


def test_an_invalid_phone_number_is_refused(client, product, notice):
    before = row_counts()

    response = post(client, product, valid_data(notice, phone="12345"))

    assert_refused(
        response,
        "phone",
        "Enter a valid phone number for the chosen country, or write it with the country code, "
        "such as +31 20 123 4567.",
        before,
    )


def test_a_phone_number_without_country_code_is_read_in_the_chosen_country(client, product, notice):
    post(client, product, valid_data(notice, phone="020 123 4567"))

    assert Inquiry.objects.get().phone == "+31201234567"


def test_an_unknown_country_is_refused(client, product, notice):
    before = row_counts()

    response = post(client, product, valid_data(notice, country="XX"))

    assert_refused(response, "country", "Choose a country from the list.", before)


def test_an_inquiry_without_consent_is_refused(client, product, notice):
    before = row_counts()

    response = post(client, product, valid_data(notice, consent=None))

    assert_refused(
        response,
        "consent",
        "Please agree to be contacted about this inquiry, or we cannot answer it.",
        before,
    )


def test_a_huge_message_is_refused(client, product, notice):
    before = row_counts()

    response = post(client, product, valid_data(notice, message="x" * 100_000))

    assert_refused(
        response,
        "message",
        "Ensure this value has at most 4000 characters (it has 100000).",
        before,
    )


def test_a_quantity_below_the_minimum_order_is_refused_naming_the_minimum(client, product, notice):
    before = row_counts()

    response = post(client, product, valid_data(notice, quantity="49"))

    assert_refused(
        response,
        "quantity",
        "The minimum order for this product is 50 (pieces); please ask for at least that many.",
        before,
    )


def test_a_line_break_in_the_name_is_refused_so_it_never_reaches_a_header(client, product, notice):
    before = row_counts()

    response = post(client, product, valid_data(notice, name="Ann\r\nBcc: victim@example.org"))

    assert_refused(
        response,
        "name",
        "Write this on one line, without line breaks or control characters.",
        before,
    )


def test_a_form_sent_too_fast_is_refused(client, product, notice):
    before = row_counts()

    response = post(client, product, valid_data(notice, started=started(seconds_ago=1)))

    assert_refused(
        response,
        None,
        "The form was sent too quickly after it opened. Please check your details and send it "
        "again.",
        before,
    )


def test_a_form_with_a_changed_start_token_is_refused(client, product, notice):
    before = row_counts()
    token = started()

    response = post(client, product, valid_data(notice, started=token[:-2] + "xx"))

    assert_refused(response, None, "The form could not be checked. Please send it again.", before)


def test_a_form_without_a_start_token_is_refused(client, product, notice):
    before = row_counts()

    response = post(client, product, valid_data(notice, started=None))

    assert_refused(response, None, "The form could not be checked. Please send it again.", before)


def test_consent_to_a_notice_that_changed_meanwhile_is_refused(client, product, notice):
    PrivacyNoticeFactory(version=notice.version + 1, published_on="2023-01-01")
    before = row_counts()

    response = post(client, product, valid_data(notice))

    assert_refused(
        response,
        "notice_version",
        "The privacy notice changed while the form was open. Please read it and agree again.",
        before,
    )


def test_a_filled_honeypot_is_answered_as_sent_but_nothing_is_written_or_sent(
    client, product, notice
):
    before = row_counts()

    response = post(client, product, valid_data(notice, website="http://spam.example"))

    assert response.status_code == 302
    assert response["Location"] == reverse("inquiry:sent", kwargs={"slug": product.slug})
    assert row_counts() == before
    assert mail.outbox == []


def test_a_post_without_a_csrf_token_is_refused(product, notice):
    client = Client(enforce_csrf_checks=True)
    before = row_counts()

    response = post(client, product, valid_data(notice))

    assert response.status_code == 403
    assert row_counts() == before


def test_the_form_works_with_its_csrf_token(product, notice):
    client = Client(enforce_csrf_checks=True)
    client.get(create_url(product))
    token = client.cookies["csrftoken"].value

    response = post(client, product, valid_data(notice, csrfmiddlewaretoken=token))

    assert response.status_code == 302


# Rate limits ---------------------------------------------------------------------------------

TOO_MANY = (
    "Too many inquiries were sent from your connection or e-mail address in the last minute. "
    "Please wait a minute and send it again."
)


def test_the_sixth_inquiry_in_a_minute_from_one_address_answers_429(client, product, notice):
    for number in range(5):
        sent = post(client, product, valid_data(notice, email=f"buyer{number}@example.com"))
        assert sent.status_code == 302
    before = row_counts()

    response = post(client, product, valid_data(notice, email="buyer6@example.com"))

    assert response.status_code == 429
    assert TOO_MANY in response.text
    assert response["Retry-After"] == "60"
    assert row_counts() == before


def test_the_sixth_inquiry_in_a_minute_from_one_email_address_answers_429(client, product, notice):
    for number in range(5):
        sent = post(client, product, valid_data(notice), REMOTE_ADDR=f"10.0.0.{number + 1}")
        assert sent.status_code == 302
    before = row_counts()

    response = post(client, product, valid_data(notice), REMOTE_ADDR="10.0.0.99")

    assert response.status_code == 429
    assert TOO_MANY in response.text
    assert row_counts() == before


@pytest.mark.parametrize(
    "invalid",
    [{"email": "anneke@"}, {"consent": None}, {"quantity": "1"}],
    ids=["email", "consent", "quantity"],
)
def test_inquiries_refused_by_the_form_do_not_count_towards_the_limit(
    client, product, notice, invalid
):
    for _attempt in range(6):
        refused = post(client, product, valid_data(notice, **invalid))
        assert refused.status_code == 400

    response = post(client, product, valid_data(notice))

    assert response.status_code == 302
    assert Inquiry.objects.count() == 1


def test_after_refused_forms_the_sixth_sent_inquiry_still_answers_429(client, product, notice):
    for _attempt in range(6):
        post(client, product, valid_data(notice, email="anneke@"))
    for number in range(5):
        sent = post(client, product, valid_data(notice, email=f"buyer{number}@example.com"))
        assert sent.status_code == 302

    response = post(client, product, valid_data(notice, email="buyer6@example.com"))

    assert response.status_code == 429
    assert TOO_MANY in response.text
    assert Inquiry.objects.count() == 5


def test_a_refused_inquiry_keeps_the_buyers_text_in_the_form(client, product, notice, settings):
    settings.INQUIRY_RATE_LIMIT = 0

    response = post(client, product, valid_data(notice))

    assert response.status_code == 429
    assert "Please quote 120 drums" in response.text


# The privacy notice --------------------------------------------------------------------------


def test_the_privacy_notice_states_the_retention_period_in_force(client, notice, settings):
    settings.INQUIRY_RETENTION_DAYS = 365

    response = client.get(reverse("inquiry:privacy"))

    assert response.status_code == 200
    assert "365 days" in response.text
    assert "{retention_days}" not in response.text


def test_the_first_notice_names_the_law_the_rights_and_who_processes_the_data(client, db):
    response = client.get(reverse("inquiry:privacy"))

    text = response.text
    assert "Law No. 27 of 2022" in text
    for right in ("access", "corrected", "erased", "withdraw your consent"):
        assert right in text
    assert "Indonesia Eximbank" in text
    assert "cooperative" in text


def test_a_new_notice_replaces_the_cached_privacy_page(client, notice, settings):
    settings.SHOWCASE_CACHE_SECONDS = 600
    client.get(reverse("inquiry:privacy"))

    PrivacyNoticeFactory(
        version=notice.version + 1, published_on="2023-01-01", text_en="Second version."
    )
    response = client.get(reverse("inquiry:privacy"))

    assert "Second version." in response.text
