"""Planning support: items, disbursements and deliverables, and every refusal writing nothing."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from desadevisa.audit.models import AuditAction, AuditEvent
from desadevisa.core.editing import EditConflict, record_version
from desadevisa.core.tests.files import MINIMAL_PDF
from desadevisa.nominations.models import DesignationStatus
from desadevisa.nominations.tests.factories import DesignationFactory
from desadevisa.showcase.models import Exhibition
from desadevisa.support.models import (
    DesignDeliverable,
    Disbursement,
    MarketChannel,
    SupportItem,
    SupportKind,
    SupportStatus,
)
from desadevisa.support.services import (
    SupportRefused,
    design_deliverable_add,
    design_deliverable_delete,
    disbursement_add,
    disbursement_delete,
    support_item_create,
    support_item_delete,
    support_item_update,
)
from desadevisa.support.tests.factories import (
    DesignDeliverableFactory,
    DesignItemFactory,
    DisbursementFactory,
    MarketAccessItemFactory,
    SupportItemFactory,
    TrainingItemFactory,
)

PDF = MINIMAL_PDF


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def designation(db):
    return DesignationFactory()


@pytest.fixture
def financing(db):
    return SupportItemFactory(approved_amount_idr=Decimal("500000000"))


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def financing_values(**overrides):
    values = {
        "kind": SupportKind.FINANCING,
        "title": "Kredit modal kerja ekspor",
        "partner": "LPEI",
        "status": SupportStatus.PLANNED,
        "starts_on": datetime.date(2022, 1, 10),
        "ends_on": datetime.date(2023, 1, 9),
        "notes": "",
        "scheme": "Kredit Usaha Desa Devisa",
        "approved_amount_idr": Decimal("500000000"),
        "approved_on": datetime.date(2022, 1, 5),
    }
    values.update(overrides)
    return values


def refused(call, **kwargs) -> ValidationError:
    """The ValidationError ``call`` raises, having checked that nothing was written."""
    before = row_counts()
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    assert row_counts() == before
    return caught.value


# Items ---------------------------------------------------------------------------------------


def test_a_programme_officer_plans_financing_for_a_designated_village(
    designation, programme_officer
):
    item = support_item_create(
        designation=designation, values=financing_values(), actor=programme_officer
    )

    assert item.kind == SupportKind.FINANCING
    assert item.approved_amount_idr == Decimal("500000000")
    assert item.outstanding_idr == Decimal("500000000")
    event = AuditEvent.objects.get(action=AuditAction.CREATED, object_id=str(item.pk))
    assert event.province_code == designation.nomination.village.province_id
    assert event.changes["scheme"] == [None, "Kredit Usaha Desa Devisa"]


def test_fields_of_another_kind_are_not_kept_on_an_item(designation, programme_officer):
    item = support_item_create(
        designation=designation,
        values=financing_values(
            kind=SupportKind.TRAINING,
            topic="Dokumen ekspor",
            participants_women=10,
            participants_men=5,
        ),
        actor=programme_officer,
    )

    assert item.topic == "Dokumen ekspor"
    assert (item.scheme, item.approved_amount_idr, item.approved_on) == ("", None, None)


def test_a_market_access_item_may_name_the_exhibition(designation, programme_officer):
    exhibition = Exhibition.objects.create(
        name_id="G20 2022",
        name_en="G20 2022",
        slug="g20",
        starts_on=datetime.date(2022, 3, 1),
        ends_on=datetime.date(2022, 11, 30),
    )
    item = support_item_create(
        designation=designation,
        values={
            "kind": SupportKind.MARKET_ACCESS,
            "title": "G20 2022",
            "partner": "LPEI",
            "starts_on": datetime.date(2022, 3, 1),
            "channel": MarketChannel.TRADE_FAIR,
            "exhibition": exhibition,
            "buyers_or_events": "Delegates of the G20 meetings",
        },
        actor=programme_officer,
    )

    assert item.exhibition == exhibition
    assert item.status == SupportStatus.PLANNED


@pytest.mark.parametrize(
    "status", [DesignationStatus.CANDIDATE, DesignationStatus.REVOKED, DesignationStatus.LAPSED]
)
def test_support_for_a_village_that_is_not_designated_is_refused(status, programme_officer):
    designation = DesignationFactory(status=status)

    error = refused(
        support_item_create,
        designation=designation,
        values=financing_values(),
        actor=programme_officer,
    )

    assert error.messages == [
        "Support is given only to a designated village: this village's designation is "
        f"“{DesignationStatus(status).label}”."
    ]


def test_support_under_review_is_refused_too(programme_officer):
    designation = DesignationFactory(status=DesignationStatus.UNDER_REVIEW)

    error = refused(
        support_item_create,
        designation=designation,
        values=financing_values(),
        actor=programme_officer,
    )

    assert "“Under review”" in error.messages[0]


@pytest.mark.parametrize(
    "user_fixture", ["provincial_officer", "organisation_manager", "verifier", "nobody"]
)
def test_only_national_roles_plan_support(request, user_fixture, designation):
    user = request.getfixturevalue(user_fixture)
    before = row_counts()

    with pytest.raises(SupportRefused) as caught:
        support_item_create(designation=designation, values=financing_values(), actor=user)

    assert str(caught.value) == "Only the programme's officers plan support."
    assert row_counts() == before


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "  "}, "title", "Enter a title for the support item."),
        ({"partner": ""}, "partner", "Enter LPEI or the partner agency giving the support."),
        ({"starts_on": None}, "starts_on", "Enter the start date."),
        (
            {"ends_on": datetime.date(2022, 1, 9)},
            "ends_on",
            "The end date cannot be before the start date.",
        ),
        ({"scheme": ""}, "scheme", "Enter the financing scheme."),
        (
            {"approved_amount_idr": None},
            "approved_amount_idr",
            "Enter the approved amount in IDR.",
        ),
        (
            {"approved_amount_idr": Decimal("0")},
            "approved_amount_idr",
            "The approved amount must be more than zero.",
        ),
        (
            {"approved_amount_idr": Decimal("-1000")},
            "approved_amount_idr",
            "The approved amount must be more than zero.",
        ),
        ({"approved_on": None}, "approved_on", "Enter the date the financing was approved."),
        ({"kind": "grant"}, "kind", "Choose one of the kinds of support offered."),
        ({"status": "paused"}, "status", "Choose one of the statuses offered."),
    ],
)
def test_a_bad_financing_item_is_refused_by_field(
    designation, programme_officer, overrides, field, message
):
    error = refused(
        support_item_create,
        designation=designation,
        values=financing_values(**overrides),
        actor=programme_officer,
    )

    assert error.message_dict[field] == [message]


def test_an_approval_in_the_future_is_refused(designation, programme_officer):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    error = refused(
        support_item_create,
        designation=designation,
        values=financing_values(approved_on=tomorrow),
        actor=programme_officer,
    )

    assert error.message_dict["approved_on"] == ["The approval date cannot be in the future."]


@pytest.mark.parametrize(
    ("kind", "field", "message"),
    [
        (SupportKind.PRODUCT_DESIGN, "designer", "Enter the designer or design partner."),
        (SupportKind.MARKET_ACCESS, "channel", "Choose the market-access channel."),
        (SupportKind.TRAINING, "topic", "Enter the topic of the training."),
        (
            SupportKind.TRAINING,
            "participants_women",
            "Enter the number of participants (0 if none).",
        ),
        (
            SupportKind.TRAINING,
            "participants_men",
            "Enter the number of participants (0 if none).",
        ),
    ],
)
def test_a_kind_without_its_own_fields_is_refused(
    designation, programme_officer, kind, field, message
):
    values = {
        "kind": kind,
        "title": "Pendampingan",
        "partner": "Dekranasda",
        "starts_on": datetime.date(2022, 2, 1),
    }

    error = refused(
        support_item_create, designation=designation, values=values, actor=programme_officer
    )

    assert error.message_dict[field] == [message]


def test_negative_participants_are_refused(designation, programme_officer):
    values = {
        "kind": SupportKind.TRAINING,
        "title": "Pelatihan",
        "partner": "Disperindag",
        "starts_on": datetime.date(2022, 2, 1),
        "topic": "Ekspor",
        "participants_women": -1,
        "participants_men": 3,
    }

    error = refused(
        support_item_create, designation=designation, values=values, actor=programme_officer
    )

    assert error.message_dict["participants_women"] == [
        "A number of participants cannot be negative."
    ]


def test_an_item_is_updated_and_the_change_audited(programme_officer):
    item = TrainingItemFactory()

    updated = support_item_update(
        item=item,
        values={"status": SupportStatus.DONE, "participants_women": 15},
        seen_version=record_version(item),
        actor=programme_officer,
    )

    assert (updated.status, updated.participants_women, updated.participants_men) == (
        SupportStatus.DONE,
        15,
        8,
    )
    event = AuditEvent.objects.get(action=AuditAction.CHANGED, object_id=str(item.pk))
    assert event.changes["status"] == [SupportStatus.IN_PROGRESS, SupportStatus.DONE]


def test_an_item_of_a_revoked_designation_may_still_be_cancelled(programme_officer):
    item = MarketAccessItemFactory(designation__status=DesignationStatus.REVOKED)

    updated = support_item_update(
        item=item,
        values={"status": SupportStatus.CANCELLED},
        seen_version=record_version(item),
        actor=programme_officer,
    )

    assert updated.status == SupportStatus.CANCELLED


def test_an_update_over_a_newer_version_is_refused(programme_officer):
    item = DesignItemFactory()
    seen = record_version(item)
    SupportItem.objects.filter(pk=item.pk).update(
        updated_at=item.updated_at + datetime.timedelta(seconds=1)
    )

    with pytest.raises(EditConflict):
        support_item_update(
            item=item, values={"title": "Baru"}, seen_version=seen, actor=programme_officer
        )

    item.refresh_from_db()
    assert item.title == "Desain ulang kursi untuk pasar Eropa"


def test_an_item_keeps_its_kind(programme_officer):
    item = DesignItemFactory()

    error = refused(
        support_item_update,
        item=item,
        values={"kind": SupportKind.TRAINING},
        seen_version=record_version(item),
        actor=programme_officer,
    )

    assert error.message_dict["kind"] == [
        "The kind of a support item cannot change: cancel this item and plan a new one."
    ]


def test_the_approved_amount_cannot_fall_below_what_was_disbursed(financing, programme_officer):
    DisbursementFactory(item=financing, amount_idr=Decimal("300000000"))

    error = refused(
        support_item_update,
        item=financing,
        values={"approved_amount_idr": Decimal("250000000")},
        seen_version=record_version(financing),
        actor=programme_officer,
    )

    assert error.message_dict["approved_amount_idr"] == [
        "The approved amount cannot be less than the IDR 300,000,000 already disbursed."
    ]


def test_the_approval_cannot_move_after_the_first_disbursement(financing, programme_officer):
    DisbursementFactory(item=financing, disbursed_on=datetime.date(2022, 2, 1))

    error = refused(
        support_item_update,
        item=financing,
        values={"approved_on": datetime.date(2022, 3, 1)},
        seen_version=record_version(financing),
        actor=programme_officer,
    )

    assert error.message_dict["approved_on"] == [
        "The approval date cannot be after the first disbursement (Feb. 1, 2022)."
    ]


def test_dates_out_of_order_are_refused_on_update(programme_officer):
    item = TrainingItemFactory()

    error = refused(
        support_item_update,
        item=item,
        values={"ends_on": datetime.date(2021, 12, 31)},
        seen_version=record_version(item),
        actor=programme_officer,
    )

    assert error.message_dict["ends_on"] == ["The end date cannot be before the start date."]


def test_an_item_is_deleted_with_its_deliverables_and_their_files(
    programme_officer, media, django_capture_on_commit_callbacks
):
    item = DesignItemFactory()
    deliverable = design_deliverable_add(
        item=item,
        title="Katalog",
        upload=SimpleUploadedFile("katalog.pdf", PDF),
        actor=programme_officer,
    )
    stored = media / deliverable.file.name
    assert stored.exists()

    with django_capture_on_commit_callbacks(execute=True):
        support_item_delete(item=item, actor=programme_officer)

    assert not SupportItem.objects.filter(pk=item.pk).exists()
    assert not DesignDeliverable.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.DELETED, object_id=str(item.pk)).exists()
    assert not stored.exists()


def test_a_financing_item_with_disbursements_is_not_deleted(financing, programme_officer):
    DisbursementFactory(item=financing)

    error = refused(support_item_delete, item=financing, actor=programme_officer)

    assert error.messages == [
        "This item has disbursements: it cannot be deleted. Set its status to “Cancelled” instead."
    ]


def test_a_provincial_officer_may_not_delete_an_item(provincial_officer):
    item = TrainingItemFactory()

    with pytest.raises(SupportRefused):
        support_item_delete(item=item, actor=provincial_officer)

    assert SupportItem.objects.filter(pk=item.pk).exists()


# Disbursements -------------------------------------------------------------------------------


def test_two_disbursements_leave_the_rest_outstanding(financing, programme_officer):
    disbursement_add(
        item=financing,
        disbursed_on=datetime.date(2022, 2, 1),
        amount_idr=Decimal("200000000"),
        actor=programme_officer,
    )
    disbursement_add(
        item=financing,
        disbursed_on=datetime.date(2022, 8, 1),
        amount_idr=Decimal("150000000"),
        note="Tahap 2",
        actor=programme_officer,
    )

    financing = SupportItem.objects.get(pk=financing.pk)
    assert financing.disbursed_idr == Decimal("350000000")
    assert financing.outstanding_idr == Decimal("150000000")
    events = AuditEvent.objects.filter(action=AuditAction.CREATED)
    assert events.count() == 2
    assert {event.province_code for event in events} == {
        financing.designation.nomination.village.province_id
    }
    assert events.get(changes__note=[None, "Tahap 2"]).changes["amount_idr"] == [
        None,
        "150000000.00",
    ]


def test_disbursing_exactly_the_approved_amount_is_allowed(financing, programme_officer):
    disbursement_add(
        item=financing,
        disbursed_on=datetime.date(2022, 2, 1),
        amount_idr=Decimal("500000000"),
        actor=programme_officer,
    )

    assert SupportItem.objects.get(pk=financing.pk).outstanding_idr == Decimal(0)


def test_a_disbursement_beyond_the_approved_amount_is_refused(financing, programme_officer):
    DisbursementFactory(item=financing, amount_idr=Decimal("400000000"))

    error = refused(
        disbursement_add,
        item=financing,
        disbursed_on=datetime.date(2022, 3, 1),
        amount_idr=Decimal("150000000"),
        actor=programme_officer,
    )

    assert error.message_dict["amount_idr"] == [
        "This disbursement would bring the total disbursed to IDR 550,000,000, more than the "
        "approved IDR 500,000,000: at most IDR 100,000,000 is outstanding."
    ]


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5000000")])
def test_a_zero_or_negative_disbursement_is_refused(financing, programme_officer, amount):
    error = refused(
        disbursement_add,
        item=financing,
        disbursed_on=datetime.date(2022, 3, 1),
        amount_idr=amount,
        actor=programme_officer,
    )

    assert error.message_dict["amount_idr"] == ["The amount must be more than zero."]


def test_a_disbursement_without_an_amount_or_a_date_is_refused(financing, programme_officer):
    error = refused(
        disbursement_add,
        item=financing,
        disbursed_on=None,
        amount_idr=None,
        actor=programme_officer,
    )

    assert error.message_dict == {
        "amount_idr": ["Enter the amount disbursed in IDR."],
        "disbursed_on": ["Enter the date of the disbursement."],
    }


def test_a_disbursement_before_the_approval_is_refused(financing, programme_officer):
    error = refused(
        disbursement_add,
        item=financing,
        disbursed_on=datetime.date(2022, 1, 9),
        amount_idr=Decimal("1000000"),
        actor=programme_officer,
    )

    assert error.message_dict["disbursed_on"] == [
        "A disbursement cannot be dated before the financing was approved (Jan. 10, 2022)."
    ]


def test_a_disbursement_in_the_future_is_refused(financing, programme_officer):
    error = refused(
        disbursement_add,
        item=financing,
        disbursed_on=timezone.localdate() + datetime.timedelta(days=1),
        amount_idr=Decimal("1000000"),
        actor=programme_officer,
    )

    assert error.message_dict["disbursed_on"] == ["A disbursement cannot be dated in the future."]


def test_only_financing_takes_disbursements(programme_officer):
    item = TrainingItemFactory()

    error = refused(
        disbursement_add,
        item=item,
        disbursed_on=datetime.date(2022, 3, 1),
        amount_idr=Decimal("1000000"),
        actor=programme_officer,
    )

    assert error.messages == ["Only a financing item has disbursements."]


def test_a_cancelled_financing_takes_no_disbursement(programme_officer):
    item = SupportItemFactory(status=SupportStatus.CANCELLED)

    error = refused(
        disbursement_add,
        item=item,
        disbursed_on=datetime.date(2022, 3, 1),
        amount_idr=Decimal("1000000"),
        actor=programme_officer,
    )

    assert error.messages == ["This item is cancelled: it takes no disbursements."]


def test_a_revoked_village_takes_no_disbursement(programme_officer):
    item = SupportItemFactory(designation__status=DesignationStatus.REVOKED)

    error = refused(
        disbursement_add,
        item=item,
        disbursed_on=datetime.date(2022, 3, 1),
        amount_idr=Decimal("1000000"),
        actor=programme_officer,
    )

    assert error.messages == [
        "Support is given only to a designated village: this village's designation is “Revoked”."
    ]


def test_a_provincial_officer_may_not_disburse(financing, provincial_officer):
    before = row_counts()

    with pytest.raises(SupportRefused):
        disbursement_add(
            item=financing,
            disbursed_on=datetime.date(2022, 3, 1),
            amount_idr=Decimal("1000000"),
            actor=provincial_officer,
        )

    assert row_counts() == before


def test_a_disbursement_is_deleted_and_the_balance_follows(financing, programme_officer):
    disbursement = DisbursementFactory(item=financing, amount_idr=Decimal("100000000"))

    disbursement_delete(disbursement=disbursement, actor=programme_officer)

    assert not Disbursement.objects.exists()
    assert SupportItem.objects.get(pk=financing.pk).outstanding_idr == Decimal("500000000")
    assert AuditEvent.objects.filter(action=AuditAction.DELETED).count() == 1


# Deliverables --------------------------------------------------------------------------------


def test_a_deliverable_is_stored_under_a_random_name(programme_officer, media):
    item = DesignItemFactory()

    deliverable = design_deliverable_add(
        item=item,
        title="Gambar kerja",
        delivered_on=datetime.date(2022, 4, 1),
        upload=SimpleUploadedFile("Gambar Pak Basuki.pdf", PDF),
        actor=programme_officer,
    )

    assert deliverable.file.name.startswith("support/deliverables/")
    assert deliverable.file.name.endswith(".pdf")
    assert "Basuki" not in deliverable.file.name
    assert (media / deliverable.file.name).read_bytes() == PDF


def test_a_deliverable_file_that_is_not_a_document_is_refused(programme_officer, media):
    item = DesignItemFactory()

    error = refused(
        design_deliverable_add,
        item=item,
        title="Gambar",
        upload=SimpleUploadedFile("gambar.pdf", b"<html>not a pdf</html>"),
        actor=programme_officer,
    )

    assert error.message_dict["file"] == [
        "A deliverable must be a PDF document or a JPEG, PNG or WebP picture."
    ]
    assert not any(media.rglob("*.pdf"))


def test_a_deliverable_without_a_title_is_refused(programme_officer):
    error = refused(
        design_deliverable_add, item=DesignItemFactory(), title=" ", actor=programme_officer
    )

    assert error.message_dict["title"] == ["Enter the title of the deliverable."]


def test_only_product_design_has_deliverables(programme_officer, media):
    error = refused(
        design_deliverable_add,
        item=TrainingItemFactory(),
        title="Modul",
        upload=SimpleUploadedFile("modul.pdf", PDF),
        actor=programme_officer,
    )

    assert error.messages == ["Only a product design item has deliverables."]
    assert not any(media.rglob("*.pdf"))


def test_a_deliverable_is_deleted(programme_officer):
    deliverable = DesignDeliverableFactory()

    design_deliverable_delete(deliverable=deliverable, actor=programme_officer)

    assert not DesignDeliverable.objects.exists()
