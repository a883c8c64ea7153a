"""The pipeline's rules, the buyer key, and the retention purge."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from desadevisa.accounts.models import Role
from desadevisa.accounts.tests.factories import user_with_role
from desadevisa.audit.models import AuditAction, AuditEvent
from desadevisa.inquiries.models import ANONYMISED_MARKER, ConsentRecord, Inquiry, InquiryStatus
from desadevisa.inquiries.services import (
    MoveConflict,
    MoveForbidden,
    MoveNotAllowed,
    buyer_key,
    inquiries_purge,
    inquiry_move,
    inquiry_targets,
)
from desadevisa.inquiries.tests.factories import InquiryFactory

pytestmark = pytest.mark.django_db
S = InquiryStatus
DAY = datetime.timedelta(days=1)
PERSONAL = ("name", "company", "email", "phone", "message")


def test_an_open_inquiry_moves_forward_along_the_pipeline_or_to_lost():
    assert inquiry_targets(S.NEW) == [S.CONTACTED, S.SAMPLES_SENT, S.ORDER, S.SHIPPED, S.LOST]
    assert inquiry_targets(S.ORDER) == [S.SHIPPED, S.LOST]


def test_a_shipped_or_lost_inquiry_moves_no_more():
    assert inquiry_targets(S.SHIPPED) == []
    assert inquiry_targets(S.LOST) == []


def test_the_buyer_key_ignores_case_and_surrounding_spaces():
    assert buyer_key(" Anneke@Example.COM ") == buyer_key("anneke@example.com")
    assert len(buyer_key("anneke@example.com")) == 64
    assert buyer_key("anneke@example.com") != buyer_key("other@example.com")


def test_the_buyer_key_is_not_the_plain_hash_of_the_address():
    import hashlib

    assert buyer_key("anneke@example.com") != hashlib.sha256(b"anneke@example.com").hexdigest()


def test_a_move_from_a_status_the_inquiry_has_left_is_a_conflict():
    officer = user_with_role(Role.PROGRAMME_OFFICER)
    inquiry = InquiryFactory()
    inquiry_move(inquiry=inquiry, to_status=S.CONTACTED, from_status=S.NEW, actor=officer)

    with pytest.raises(MoveConflict, match="moved in the meantime"):
        inquiry_move(inquiry=inquiry, to_status=S.CONTACTED, from_status=S.NEW, actor=officer)

    assert inquiry.events.count() == 2


def test_skipping_back_is_not_allowed():
    officer = user_with_role(Role.PROGRAMME_OFFICER)
    inquiry = InquiryFactory(status=S.SAMPLES_SENT)

    with pytest.raises(MoveNotAllowed) as refusal:
        inquiry_move(inquiry=inquiry, to_status=S.NEW, from_status=S.SAMPLES_SENT, actor=officer)

    assert refusal.value.message == "An inquiry cannot move from “Samples sent” to “New”."
    assert refusal.value.status == 409


def test_a_verifier_may_not_move_an_inquiry():
    verifier = user_with_role(Role.VERIFIER)
    inquiry = InquiryFactory()

    with pytest.raises(MoveForbidden):
        inquiry_move(inquiry=inquiry, to_status=S.CONTACTED, from_status=S.NEW, actor=verifier)

    inquiry.refresh_from_db()
    assert inquiry.status == S.NEW


# Retention -----------------------------------------------------------------------------------


def later(days: int) -> datetime.datetime:
    return timezone.now() + days * DAY


@pytest.fixture
def old_and_new(settings):
    settings.INQUIRY_RETENTION_DAYS = 730
    old = InquiryFactory(created_at=timezone.now() - 800 * DAY, status=S.CONTACTED)
    old.events.update(comment="Called Ms de Vries on +31 20 123 4567.")
    recent = InquiryFactory(created_at=timezone.now() - 10 * DAY)
    return old, recent


def test_the_purge_anonymises_only_inquiries_past_the_retention_period(old_and_new):
    old, recent = old_and_new

    result = inquiries_purge()

    assert (result.anonymised, result.already_anonymised) == (1, 0)
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.anonymised_at is not None
    assert (old.name, old.company, old.email, old.phone, old.message) == (
        ANONYMISED_MARKER,
        "",
        "",
        "",
        "",
    )
    assert recent.anonymised_at is None
    assert recent.email.endswith("@example.com")


def test_the_purge_keeps_what_the_figures_need(old_and_new):
    old, _recent = old_and_new
    before = Inquiry.objects.filter(pk=old.pk).values(
        "buyer_key", "country_id", "product_id", "status", "created_at", "quantity"
    )[0]

    inquiries_purge()

    after = Inquiry.objects.filter(pk=old.pk).values(*before)[0]
    assert after == before
    assert ConsentRecord.objects.filter(inquiry=old).exists()


def test_the_purge_leaves_no_personal_data_in_the_expired_rows(old_and_new):
    old, _recent = old_and_new
    secrets = (old.email, old.phone, old.company, old.name, "de Vries", "123 4567")

    inquiries_purge()

    row = repr(list(Inquiry.objects.filter(pk=old.pk).values()))
    events = repr(list(old.events.values()))
    audit = repr(list(AuditEvent.objects.values("object_repr", "summary", "changes")))
    for secret in secrets:
        assert secret not in row
        assert secret not in events
        assert secret not in audit


def test_a_second_purge_changes_nothing(old_and_new):
    inquiries_purge()
    rows = list(Inquiry.objects.order_by("pk").values())
    audit = AuditEvent.objects.count()

    again = inquiries_purge()

    assert (again.anonymised, again.already_anonymised) == (0, 1)
    assert list(Inquiry.objects.order_by("pk").values()) == rows
    assert AuditEvent.objects.count() == audit


def test_time_moving_on_brings_the_recent_inquiry_past_retention(old_and_new):
    inquiries_purge()

    result = inquiries_purge(now=later(730))

    assert (result.anonymised, result.already_anonymised) == (1, 1)
    assert not Inquiry.objects.filter(anonymised_at__isnull=True).exists()


def test_the_purge_runs_in_batches_and_reports_progress(settings):
    settings.INQUIRY_RETENTION_DAYS = 1
    InquiryFactory.create_batch(5, created_at=timezone.now() - 5 * DAY)
    reports = []

    result = inquiries_purge(batch_size=2, progress=lambda done, total: reports.append(done))

    assert result.anonymised == 5
    assert reports == [2, 4, 5]


def test_the_purge_is_recorded_once_without_naming_anyone(old_and_new):
    inquiries_purge()

    event = AuditEvent.objects.get(action=AuditAction.CHANGED)
    assert event.summary == "Inquiries anonymised after the retention period: 1"
    assert event.actor is None


def test_the_command_prints_the_counts_and_changes_nothing_the_second_time(old_and_new):
    first, second = io.StringIO(), io.StringIO()

    call_command("inquiries_purge", stdout=first)
    call_command("inquiries_purge", stdout=second)

    assert "1 anonymised now, 0 already anonymised." in first.getvalue()
    assert "0 anonymised now, 1 already anonymised." in second.getvalue()
    assert "retention 730 days" in first.getvalue()
