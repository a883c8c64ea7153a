"""Scheduling, the draft, photos and submission of verification visits."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from PIL import ExifTags
from PIL.TiffImagePlugin import IFDRational

from desadevisa.accounts.models import Role
from desadevisa.accounts.tests.factories import user_with_role
from desadevisa.audit.models import AuditAction, AuditEvent
from desadevisa.core.editing import EditConflict, record_version
from desadevisa.core.tests.files import picture_upload
from desadevisa.nominations.models import NominationEvent, NominationState
from desadevisa.nominations.workflow import TransitionOutOfOrder, TransitionRefused
from desadevisa.notifications.models import Notification, NotificationKind
from desadevisa.regions.tests.factories import ProvinceFactory
from desadevisa.registry.tests.factories import VillageProfileFactory
from desadevisa.verification.models import (
    AspectScore,
    CriterionFinding,
    Finding,
    ProductReview,
    Visit,
    VisitPhoto,
    VisitState,
)
from desadevisa.verification.selectors import visit_record
from desadevisa.verification.services import (
    VisitAlreadySubmitted,
    VisitRefused,
    visit_draft_save,
    visit_photo_add,
    visit_photo_delete,
    visit_schedule,
    visit_submit,
)
from desadevisa.verification.tests.factories import (
    complete_draft,
    corrupted_exif_jpeg,
    geotagged_jpeg,
    jpeg_upload,
)

MARCH_10 = datetime.date(2022, 3, 10)
NOT_A_PHOTO = "This file is not a photo. Upload a JPEG, PNG or WebP picture."


def save(visit, verifier, **overrides):
    visit.refresh_from_db()
    return visit_draft_save(
        visit=visit,
        data=complete_draft(**overrides),
        seen_version=record_version(visit),
        actor=verifier,
    )


# Scheduling -----------------------------------------------------------------------------------


def test_scheduling_plans_the_visit_and_moves_the_nomination(screened, programme_officer, verifier):
    visit = visit_schedule(
        nomination=screened, planned_on=MARCH_10, verifiers=[verifier], actor=programme_officer
    )

    screened.refresh_from_db()
    assert screened.state == NominationState.VISIT_SCHEDULED
    assert visit.state == VisitState.PLANNED
    assert list(visit.verifiers.all()) == [verifier]
    assert screened.events.get().to_state == NominationState.VISIT_SCHEDULED
    created = AuditEvent.objects.get(action=AuditAction.CREATED, object_id=str(visit.pk))
    assert created.changes["verifiers"] == [None, ["verifier"]]
    assert created.province_code == "35"


def test_scheduling_refuses_a_person_without_the_verifier_role(screened, programme_officer, nobody):
    with pytest.raises(ValidationError) as refused:
        visit_schedule(
            nomination=screened, planned_on=MARCH_10, verifiers=[nobody], actor=programme_officer
        )

    assert refused.value.message_dict == {"verifiers": ["nobody does not hold the verifier role."]}
    screened.refresh_from_db()
    assert screened.state == NominationState.SCREENED
    assert not Visit.objects.exists()
    assert not NominationEvent.objects.exists()


def test_scheduling_refuses_the_nominations_submitter_as_verifier(screened, programme_officer):
    screened.submitted_by.role_assignments.create(role=Role.VERIFIER)

    with pytest.raises(ValidationError) as refused:
        visit_schedule(
            nomination=screened,
            planned_on=MARCH_10,
            verifiers=[screened.submitted_by],
            actor=programme_officer,
        )

    assert refused.value.message_dict == {
        "verifiers": ["The person who submitted the nomination may not verify it."]
    }
    assert not Visit.objects.exists()


def test_scheduling_without_verifiers_is_refused(screened, programme_officer):
    with pytest.raises(ValidationError) as refused:
        visit_schedule(
            nomination=screened, planned_on=MARCH_10, verifiers=[], actor=programme_officer
        )

    assert refused.value.message_dict == {"verifiers": ["Choose at least one verifier."]}
    assert not Visit.objects.exists()


def test_a_provincial_officer_may_not_schedule_a_visit(screened, provincial_officer, verifier):
    with pytest.raises(TransitionRefused) as refused:
        visit_schedule(
            nomination=screened, planned_on=MARCH_10, verifiers=[verifier], actor=provincial_officer
        )

    assert refused.value.status == 403
    assert str(refused.value) == (
        "You may not take the step “Schedule the visit” on this nomination."
    )
    assert not Visit.objects.exists()


def test_a_second_visit_cannot_be_scheduled_while_one_is_planned(
    visit, programme_officer, verifier
):
    with pytest.raises(TransitionOutOfOrder) as refused:
        visit_schedule(
            nomination=visit.nomination,
            planned_on=MARCH_10,
            verifiers=[verifier],
            actor=programme_officer,
        )

    assert refused.value.status == 409
    assert "the nomination is now “Visit scheduled”" in str(refused.value)
    assert Visit.objects.count() == 1


# The draft ------------------------------------------------------------------------------------


def test_the_draft_keeps_findings_scores_reviews_and_recommendation(visit, verifier):
    saved = save(visit, verifier)

    record = visit_record(visit=saved)
    assert {code: row.finding for code, row in record.findings.items()} == {
        1: Finding.CONFIRMED,
        2: Finding.CONFIRMED,
        3: Finding.CONFIRMED,
        4: Finding.CONFIRMED,
    }
    assert record.total == 24
    assert record.maximum == 30
    assert [review.sample_name for review in record.reviews] == ["Kendang djimbe"]
    assert saved.recommendation == "designate"
    assert saved.state == VisitState.PLANNED
    assert visit.nomination.state == NominationState.VISIT_SCHEDULED


def test_a_draft_may_be_partial_and_clear_a_score(visit, verifier):
    save(visit, verifier)

    save(visit, verifier, scores={"product": {"score": None, "note": ""}}, reviews=[])

    assert AspectScore.objects.filter(visit=visit).count() == 5
    assert not ProductReview.objects.filter(visit=visit).exists()


def test_a_draft_saved_over_a_newer_version_is_refused_and_writes_nothing(visit, verifier):
    stale = record_version(visit)
    save(visit, verifier)

    with pytest.raises(EditConflict):
        visit_draft_save(
            visit=visit,
            data=complete_draft(overall_findings="Ditulis di ponsel lain."),
            seen_version=stale,
            actor=verifier,
        )

    visit.refresh_from_db()
    assert visit.overall_findings == "Produksi aktif di lima rumah."


def test_a_verifier_of_another_visit_may_not_save_the_draft(visit):
    other = user_with_role(Role.VERIFIER, username="other-verifier")

    with pytest.raises(VisitRefused) as refused:
        visit_draft_save(
            visit=visit, data=complete_draft(), seen_version=record_version(visit), actor=other
        )

    assert str(refused.value) == "Only the verifiers assigned to this visit may fill it in."
    assert not CriterionFinding.objects.exists()


def test_a_programme_officer_not_assigned_may_not_save_the_draft(visit, programme_officer):
    with pytest.raises(VisitRefused):
        visit_draft_save(
            visit=visit,
            data=complete_draft(),
            seen_version=record_version(visit),
            actor=programme_officer,
        )

    assert not CriterionFinding.objects.exists()


def test_a_rating_outside_1_to_5_is_refused_and_writes_nothing(visit, verifier):
    with pytest.raises(ValidationError) as refused:
        save(visit, verifier, scores={"product": {"score": 6, "note": ""}})

    assert refused.value.messages == ["A score is 1 to 5."]
    assert not AspectScore.objects.exists()
    assert not CriterionFinding.objects.exists()


# Submission -----------------------------------------------------------------------------------


def test_submitting_a_complete_visit_makes_the_nomination_visited(visit, verifier):
    save(visit, verifier)

    submitted = visit_submit(visit=visit, actor=verifier)

    visit.nomination.refresh_from_db()
    assert visit.nomination.state == NominationState.VISITED
    assert submitted.state == VisitState.SUBMITTED
    assert submitted.submitted_by == verifier
    assert submitted.submitted_at is not None
    assert list(visit.nomination.events.values_list("to_state", flat=True)) == [
        NominationState.VISIT_SCHEDULED,
        NominationState.VISITED,
    ]


def test_an_incomplete_visit_is_not_submitted_and_the_message_lists_what_is_missing(
    visit, verifier
):
    save(
        visit,
        verifier,
        findings={1: {"finding": Finding.CONFIRMED, "note": ""}},
        scores={
            **complete_draft()["scores"],
            "infrastructure": {"score": None, "note": ""},
        },
        reviews=[],
        recommendation="",
    )

    with pytest.raises(ValidationError) as refused:
        visit_submit(visit=visit, actor=verifier)

    assert refused.value.messages == [
        "A finding on criterion 2. Made in the village.",
        "A finding on criterion 3. Several craft units.",
        "A finding on criterion 4. Members of a cooperative or association.",
        "A score for “Infrastructure”.",
        "At least one product review.",
        "A recommendation.",
    ]
    visit.refresh_from_db()
    assert visit.state == VisitState.PLANNED
    assert visit.nomination.events.count() == 1


def test_a_second_submission_is_refused_and_records_no_second_step(visit, verifier):
    save(visit, verifier)
    visit_submit(visit=visit, actor=verifier)
    events = NominationEvent.objects.count()
    audits = AuditEvent.objects.count()

    with pytest.raises(VisitAlreadySubmitted) as refused:
        visit_submit(visit=visit, actor=verifier)

    assert refused.value.status == 409
    assert str(refused.value).startswith("This visit was already submitted on ")
    assert NominationEvent.objects.count() == events
    assert AuditEvent.objects.count() == audits


def test_a_submitted_visit_can_no_longer_be_changed(visit, verifier):
    save(visit, verifier)
    submitted = visit_submit(visit=visit, actor=verifier)

    with pytest.raises(VisitAlreadySubmitted):
        visit_draft_save(
            visit=submitted,
            data=complete_draft(overall_findings="Diubah."),
            seen_version=record_version(submitted),
            actor=verifier,
        )

    submitted.refresh_from_db()
    assert submitted.overall_findings == "Produksi aktif di lima rumah."


def test_a_programme_officer_not_assigned_may_not_submit(visit, verifier, programme_officer):
    save(visit, verifier)

    with pytest.raises(VisitRefused):
        visit_submit(visit=visit, actor=programme_officer)

    visit.refresh_from_db()
    assert visit.state == VisitState.PLANNED


def test_submitting_when_the_nomination_is_no_longer_waiting_for_its_visit_is_out_of_order(
    visit, verifier
):
    save(visit, verifier)
    type(visit.nomination).objects.filter(pk=visit.nomination.pk).update(
        state=NominationState.SCREENED
    )

    with pytest.raises(TransitionOutOfOrder) as refused:
        visit_submit(visit=visit, actor=verifier)

    assert refused.value.status == 409
    visit.refresh_from_db()
    assert visit.state == VisitState.PLANNED


# Photos ---------------------------------------------------------------------------------------


def test_a_geotagged_photo_keeps_its_position_time_and_distance_to_the_village(visit, verifier):
    # The village's official centroid is -8.138720, 112.167437 (VillageFactory).
    upload = jpeg_upload(geotagged_jpeg(latitude=-8.14, longitude=112.18))

    [photo] = visit_photo_add(visit=visit, uploads=[upload], actor=verifier)

    assert (photo.latitude, photo.longitude) == (Decimal("-8.140000"), Decimal("112.180000"))
    assert photo.taken_at.isoformat() == "2022-03-10T09:30:00+07:00"
    assert photo.distance_km == Decimal("1.39")
    assert not photo.is_far


def test_the_distance_is_to_the_profiles_location_when_it_has_one(visit, verifier):
    VillageProfileFactory(
        village=visit.nomination.village, latitude=Decimal("-8.14"), longitude=Decimal("112.18")
    )
    upload = jpeg_upload(geotagged_jpeg(latitude=-8.14, longitude=112.18))

    [photo] = visit_photo_add(visit=visit, uploads=[upload], actor=verifier)

    assert photo.distance_km == Decimal("0.00")


def test_a_photo_taken_far_from_the_village_is_flagged(visit, verifier):
    # Blitar town, about 12 km from the village.
    upload = jpeg_upload(geotagged_jpeg(latitude=-8.0983, longitude=112.2677))

    [photo] = visit_photo_add(visit=visit, uploads=[upload], actor=verifier)

    assert Decimal(10) < photo.distance_km < Decimal(15)
    assert photo.is_far


def test_the_far_flag_follows_the_setting(visit, verifier, settings):
    settings.VISIT_PHOTO_MAX_DISTANCE_KM = 20
    upload = jpeg_upload(geotagged_jpeg(latitude=-8.0983, longitude=112.2677))

    [photo] = visit_photo_add(visit=visit, uploads=[upload], actor=verifier)

    assert not photo.is_far


def test_a_photo_without_exif_is_kept_without_position(visit, verifier):
    [photo] = visit_photo_add(visit=visit, uploads=[picture_upload()], actor=verifier)

    assert (photo.latitude, photo.longitude, photo.taken_at, photo.distance_km) == (None,) * 4
    assert not photo.has_position


def test_a_photo_with_a_time_but_no_gps_is_kept_without_position(visit, verifier):
    [photo] = visit_photo_add(visit=visit, uploads=[jpeg_upload(geotagged_jpeg())], actor=verifier)

    assert not photo.has_position
    assert photo.taken_at is not None


@pytest.mark.parametrize(
    "taken",
    [
        "0001:01:01 00:00:00",
        "9999:12:31 23:59:59",
        "2022:13:10 09:30:00",
        "2022:02:30 09:30:00",
        "2022:03:10 25:00:00",
        "1970:01:01 00:00:00",
        "2999:01:01 00:00:00",
        "    :  :     :  :  ",
    ],
)
def test_a_photo_with_an_absurd_date_is_kept_with_its_position_but_no_time(visit, verifier, taken):
    upload = jpeg_upload(geotagged_jpeg(latitude=-8.14, longitude=112.18, taken=taken))

    [photo] = visit_photo_add(visit=visit, uploads=[upload], actor=verifier)

    photo.refresh_from_db()
    assert photo.taken_at is None
    assert (photo.latitude, photo.longitude) == (Decimal("-8.140000"), Decimal("112.180000"))


@pytest.mark.parametrize(
    "gps",
    [
        {ExifTags.GPS.GPSLatitude: (IFDRational(8, 0), 0.0, 0.0)},
        {ExifTags.GPS.GPSLatitude: (IFDRational(0, 0), 0.0, 0.0)},
        {ExifTags.GPS.GPSLatitude: (95.0, 0.0, 0.0)},
        {ExifTags.GPS.GPSLatitude: (89.0, 75.0, 0.0)},
        {ExifTags.GPS.GPSLatitude: (8.0, 8.0, 60.0)},
        {ExifTags.GPS.GPSLongitude: (181.0, 0.0, 0.0)},
        {ExifTags.GPS.GPSLongitude: (180.0, 30.0, 0.0)},
        {ExifTags.GPS.GPSLatitude: (8.0, 8.0)},
        {ExifTags.GPS.GPSLatitudeRef: "X"},
    ],
    ids=[
        "zero-denominator",
        "nan",
        "latitude-over-90",
        "minutes-over-60",
        "seconds-of-60",
        "longitude-over-180",
        "longitude-past-180",
        "two-parts",
        "unknown-hemisphere",
    ],
)
def test_a_photo_with_an_absurd_position_is_kept_with_its_time_but_no_position(
    visit, verifier, gps
):
    upload = jpeg_upload(geotagged_jpeg(latitude=-8.14, longitude=112.18, gps=gps))

    [photo] = visit_photo_add(visit=visit, uploads=[upload], actor=verifier)

    assert (photo.latitude, photo.longitude, photo.distance_km) == (None, None, None)
    assert photo.taken_at.isoformat() == "2022-03-10T09:30:00+07:00"


def test_a_photo_with_corrupted_exif_is_kept_without_position(visit, verifier):
    [photo] = visit_photo_add(
        visit=visit, uploads=[jpeg_upload(corrupted_exif_jpeg())], actor=verifier
    )

    assert not photo.has_position
    assert photo.taken_at is None
    assert VisitPhoto.objects.count() == 1


def test_the_stored_renditions_carry_no_exif(visit, verifier):
    upload = jpeg_upload(geotagged_jpeg(latitude=-8.14, longitude=112.18))

    [photo] = visit_photo_add(visit=visit, uploads=[upload], actor=verifier)

    from PIL import Image

    with photo.full.open("rb") as stored, Image.open(stored) as picture:
        assert dict(picture.getexif()) == {}


def test_a_file_that_is_not_a_picture_is_refused_and_nothing_is_stored(visit, verifier, tmp_path):
    upload = jpeg_upload(b"<html>not a photo</html>", name="foto.jpg")

    with pytest.raises(ValidationError) as refused:
        visit_photo_add(visit=visit, uploads=[upload], actor=verifier)

    assert refused.value.messages == [f"foto.jpg: {NOT_A_PHOTO}"]
    assert not VisitPhoto.objects.exists()


def test_a_photo_may_be_evidence_for_a_criterion(visit, verifier):
    [photo] = visit_photo_add(visit=visit, uploads=[picture_upload()], criterion=2, actor=verifier)

    assert photo.criterion_finding.criterion == 2
    assert photo.criterion_finding.finding == ""


def test_photos_cannot_be_added_to_a_submitted_visit(visit, verifier):
    save(visit, verifier)
    visit_submit(visit=visit, actor=verifier)

    with pytest.raises(VisitAlreadySubmitted):
        visit_photo_add(visit=visit, uploads=[picture_upload()], actor=verifier)

    assert not VisitPhoto.objects.exists()


def test_deleting_a_photo_removes_its_files(visit, verifier, django_capture_on_commit_callbacks):
    [photo] = visit_photo_add(visit=visit, uploads=[picture_upload()], actor=verifier)
    names = photo.stored_files()

    with django_capture_on_commit_callbacks(execute=True):
        visit_photo_delete(photo=photo, actor=verifier)

    assert not VisitPhoto.objects.exists()
    assert not any(default_storage.exists(name) for name in names)


def test_the_verifiers_are_told_of_the_visit_they_are_assigned(
    screened, programme_officer, verifier
):
    visit = visit_schedule(
        nomination=screened,
        planned_on=datetime.date(2022, 8, 1),
        verifiers=[verifier],
        actor=programme_officer,
    )

    told = Notification.objects.get(recipient=verifier)
    assert (told.kind, told.params["visit"]) == (NotificationKind.VISIT_ASSIGNED, visit.pk)


def test_the_provinces_officers_are_told_when_the_visit_is_scheduled_and_no_other_province(
    screened, programme_officer, verifier, provincial_officer
):
    elsewhere = user_with_role(
        Role.PROVINCIAL_OFFICER, province=ProvinceFactory(code="33"), username="elsewhere"
    )

    visit = visit_schedule(
        nomination=screened,
        planned_on=datetime.date(2022, 8, 1),
        verifiers=[verifier],
        actor=programme_officer,
    )

    told = Notification.objects.get(kind=NotificationKind.VISIT_SCHEDULED)
    assert told.recipient == provincial_officer
    assert (told.params["visit"], told.params["visit_on"]) == (visit.pk, "2022-08-01")
    assert not Notification.objects.filter(recipient=elsewhere).exists()
