"""Changes to the registry: each writes the row, one audit event, and nothing when refused."""

import datetime
import decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from desadevisa.audit.models import AuditAction, AuditEvent
from desadevisa.core.editing import EditConflict, RecordInUse, record_version
from desadevisa.core.tests.files import pdf_upload, picture_upload
from desadevisa.regions.tests.factories import VillageFactory
from desadevisa.registry.models import (
    CraftUnit,
    CraftUnitPhoto,
    Membership,
    Organisation,
    OrganisationKind,
    VillageProfile,
    VillageProfilePhoto,
)
from desadevisa.registry.services import (
    craft_unit_create,
    craft_unit_delete,
    craft_unit_photo_add,
    craft_unit_update,
    membership_create,
    membership_delete,
    membership_update,
    organisation_create,
    organisation_delete,
    organisation_update,
    photo_delete,
    photo_update,
    village_profile_create,
    village_profile_delete,
    village_profile_photo_add,
    village_profile_update,
)
from desadevisa.registry.tests.factories import (
    CraftUnitFactory,
    CraftUnitPhotoFactory,
    MembershipFactory,
    OrganisationFactory,
    VillageProfileFactory,
    VillageProfilePhotoFactory,
)

UNIT_DATA = {
    "name": "Bengkel Kendang Sumber",
    "owner_name": "Siti Aminah",
    "workers_women": 5,
    "workers_men": 3,
    "monthly_capacity": 120,
    "capacity_unit": "piece",
    "business_id": "1234567890123",
    "is_active": True,
}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def village(jawa_timur):
    return VillageFactory(district__regency__province=jawa_timur)


def events_of(obj) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_id=str(obj.pk)).order_by("pk"))


# Village profiles ----------------------------------------------------------------------------


def test_creating_a_profile_records_it_and_takes_the_official_centroid(administrator, village):
    profile = village_profile_create(
        village=village,
        data={
            "flagship_commodity": "Batik tulis",
            "story_id": "",
            "story_en": "",
            "is_public": True,
        },
        actor=administrator,
    )

    assert profile.latitude == village.latitude
    (event,) = events_of(profile)
    assert event.action == AuditAction.CREATED
    assert event.changes["flagship_commodity"] == [None, "Batik tulis"]
    assert event.province_code == "35"


def test_a_second_profile_for_a_village_is_refused(administrator, village):
    VillageProfileFactory(village=village)

    with pytest.raises(ValidationError) as caught:
        village_profile_create(
            village=village, data={"flagship_commodity": "Batik"}, actor=administrator
        )

    assert caught.value.message_dict == {
        "village": ["Village profile with this Village already exists."]
    }
    assert VillageProfile.objects.count() == 1


def test_updating_a_profile_records_only_the_changed_fields(administrator):
    profile = VillageProfileFactory()

    village_profile_update(
        profile=profile,
        data={"flagship_commodity": "Gerabah", "story_en": profile.story_en},
        seen_version=record_version(profile),
        actor=administrator,
    )

    profile.refresh_from_db()
    assert profile.flagship_commodity == "Gerabah"
    (event,) = events_of(profile)
    assert event.action == AuditAction.CHANGED
    assert event.changes == {"flagship_commodity": ["Kendang djimbe", "Gerabah"]}


def test_an_update_over_a_newer_version_is_refused_and_writes_nothing(administrator):
    profile = VillageProfileFactory()
    seen = record_version(profile)
    village_profile_update(
        profile=profile,
        data={"flagship_commodity": "Gerabah"},
        seen_version=seen,
        actor=administrator,
    )

    with pytest.raises(EditConflict, match="Someone else saved this record after you opened"):
        village_profile_update(
            profile=profile,
            data={"flagship_commodity": "Anyaman"},
            seen_version=seen,
            actor=administrator,
        )

    profile.refresh_from_db()
    assert profile.flagship_commodity == "Gerabah"
    assert len(events_of(profile)) == 1


def test_a_location_with_only_a_latitude_is_refused(administrator):
    profile = VillageProfileFactory()

    with pytest.raises(ValidationError) as caught:
        village_profile_update(
            profile=profile,
            data={"latitude": decimal.Decimal("-7.5"), "longitude": None},
            seen_version=record_version(profile),
            actor=administrator,
        )

    assert caught.value.messages == ["Give both latitude and longitude, or neither."]


def test_deleting_a_profile_deletes_its_photos_and_their_files_on_commit(
    administrator, django_capture_on_commit_callbacks
):
    photo = VillageProfilePhotoFactory()
    profile = photo.profile
    files = photo.stored_files()
    assert all(default_storage.exists(name) for name in files)

    with django_capture_on_commit_callbacks(execute=True):
        village_profile_delete(profile=profile, actor=administrator)

    assert not VillageProfile.objects.exists()
    assert not VillageProfilePhoto.objects.exists()
    assert not any(default_storage.exists(name) for name in files)
    assert AuditEvent.objects.filter(action=AuditAction.DELETED).count() == 1


def test_a_profile_is_not_deleted_while_its_village_has_craft_units(administrator):
    profile = VillageProfileFactory()
    CraftUnitFactory(village=profile.village)

    with pytest.raises(RecordInUse) as caught:
        village_profile_delete(profile=profile, actor=administrator)

    assert str(caught.value) == (
        f"“{profile}” cannot be deleted while other records depend on it (craft units: 1). "
        "Delete or move those first."
    )
    assert VillageProfile.objects.filter(pk=profile.pk).exists()
    assert not AuditEvent.objects.exists()


# Organisations -------------------------------------------------------------------------------


def test_creating_an_organisation_records_it(provincial_officer, village):
    organisation = organisation_create(
        village=village,
        data={
            "kind": OrganisationKind.COOPERATIVE,
            "legal_name": "Koperasi Sumber Rejeki",
            "registration_number": "AHU-0000001",
            "address": "",
        },
        actor=provincial_officer,
    )

    (event,) = events_of(organisation)
    assert event.action == AuditAction.CREATED
    assert event.actor == provincial_officer


def test_an_organisation_with_a_registration_number_taken_for_its_kind_is_refused(
    administrator, village
):
    existing = OrganisationFactory()

    with pytest.raises(ValidationError) as caught:
        organisation_create(
            village=village,
            data={
                "kind": existing.kind,
                "legal_name": "Koperasi Lain",
                "registration_number": existing.registration_number,
            },
            actor=administrator,
        )

    assert caught.value.messages == [
        "An organisation of this kind with this registration number already exists."
    ]
    assert Organisation.objects.count() == 1


def test_updating_an_organisation_records_the_change(administrator):
    organisation = OrganisationFactory(legal_name="Koperasi Lama")

    organisation_update(
        organisation=organisation,
        data={"legal_name": "Koperasi Baru"},
        seen_version=record_version(organisation),
        actor=administrator,
    )

    (event,) = events_of(organisation)
    assert event.changes == {"legal_name": ["Koperasi Lama", "Koperasi Baru"]}


def test_an_organisation_with_members_is_not_deleted(administrator):
    membership = MembershipFactory()

    with pytest.raises(RecordInUse, match=r"\(memberships: 1\)"):
        organisation_delete(organisation=membership.organisation, actor=administrator)

    assert Organisation.objects.filter(pk=membership.organisation_id).exists()


def test_an_organisation_with_a_manager_is_not_deleted(organisation_manager):
    organisation = organisation_manager.role_assignments.get().organisation

    with pytest.raises(RecordInUse, match=r"\(role assignments: 1\)"):
        organisation_delete(organisation=organisation, actor=organisation_manager)


def test_deleting_an_organisation_records_the_deletion(administrator):
    organisation = OrganisationFactory()
    pk = organisation.pk

    organisation_delete(organisation=organisation, actor=administrator)

    assert not Organisation.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(object_id=str(pk))
    assert event.action == AuditAction.DELETED
    assert event.changes["legal_name"][1] is None


# Craft units ---------------------------------------------------------------------------------


def test_creating_a_craft_unit_records_it(provincial_officer, village):
    unit = craft_unit_create(village=village, data=UNIT_DATA, actor=provincial_officer)

    assert unit.workers == 8
    assert [event.action for event in events_of(unit)] == [AuditAction.CREATED]
    assert not unit.memberships.exists()


def test_a_unit_registered_by_a_manager_joins_their_organisation_today(organisation_manager):
    organisation = organisation_manager.role_assignments.get().organisation

    unit = craft_unit_create(
        village=organisation.village,
        data=UNIT_DATA,
        member_of=organisation,
        actor=organisation_manager,
    )

    (membership,) = unit.memberships.all()
    assert membership.organisation == organisation
    assert membership.started_on == timezone.localdate()
    assert membership.ended_on is None
    assert list(Membership.objects.current().filter(craft_unit=unit)) == [membership]
    assert AuditEvent.objects.filter(action=AuditAction.CREATED).count() == 2


def test_a_unit_named_like_another_of_its_village_is_refused(administrator, village):
    CraftUnitFactory(village=village, name=UNIT_DATA["name"])

    with pytest.raises(ValidationError) as caught:
        craft_unit_create(village=village, data=UNIT_DATA, actor=administrator)

    assert caught.value.messages == ["This village already has a craft unit with this name."]


def test_a_business_id_that_is_not_13_digits_is_refused(administrator, village):
    with pytest.raises(ValidationError) as caught:
        craft_unit_create(
            village=village, data={**UNIT_DATA, "business_id": "12345"}, actor=administrator
        )

    assert caught.value.message_dict == {
        "business_id": ["A business ID (NIB) is exactly 13 digits."]
    }
    assert not CraftUnit.objects.exists()


def test_updating_a_unit_over_a_newer_version_is_refused(administrator):
    unit = CraftUnitFactory()
    seen = record_version(unit)
    craft_unit_update(
        craft_unit=unit, data={"workers_men": 7}, seen_version=seen, actor=administrator
    )

    with pytest.raises(EditConflict):
        craft_unit_update(
            craft_unit=unit, data={"workers_men": 9}, seen_version=seen, actor=administrator
        )

    unit.refresh_from_db()
    assert unit.workers_men == 7


def test_a_unit_with_memberships_is_not_deleted(administrator):
    membership = MembershipFactory()

    with pytest.raises(RecordInUse, match=r"\(memberships: 1\)"):
        craft_unit_delete(craft_unit=membership.craft_unit, actor=administrator)


def test_a_unit_that_makes_products_is_not_deleted(two_provinces, administrator):
    unit = two_provinces.jawa_timur.member_unit
    unit.memberships.all().delete()

    with pytest.raises(RecordInUse, match=r"\(products: 1\)"):
        craft_unit_delete(craft_unit=unit, actor=administrator)


def test_deleting_a_unit_deletes_its_photo_files_on_commit(
    administrator, django_capture_on_commit_callbacks
):
    photo = CraftUnitPhotoFactory()
    files = photo.stored_files()

    with django_capture_on_commit_callbacks(execute=True):
        craft_unit_delete(craft_unit=photo.craft_unit, actor=administrator)

    assert not CraftUnitPhoto.objects.exists()
    assert not any(default_storage.exists(name) for name in files)


# Memberships ---------------------------------------------------------------------------------


def test_a_unit_of_another_village_cannot_join(administrator):
    organisation = OrganisationFactory()
    unit = CraftUnitFactory()

    with pytest.raises(ValidationError) as caught:
        membership_create(
            craft_unit=unit,
            organisation=organisation,
            data={"started_on": datetime.date(2024, 1, 1)},
            actor=administrator,
        )

    assert caught.value.message_dict == {
        "craft_unit": ["Only a craft unit of the organisation's village can join it."]
    }
    assert not Membership.objects.exists()


def test_a_second_running_membership_of_the_same_organisation_is_refused(administrator):
    membership = MembershipFactory()

    with pytest.raises(ValidationError) as caught:
        membership_create(
            craft_unit=membership.craft_unit,
            organisation=membership.organisation,
            data={"started_on": datetime.date(2024, 1, 1)},
            actor=administrator,
        )

    assert caught.value.messages == [
        "This craft unit already has a running membership of this organisation."
    ]


def test_ending_a_membership_makes_it_no_longer_current(administrator):
    membership = MembershipFactory()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    membership_update(
        membership=membership,
        data={"started_on": membership.started_on, "ended_on": yesterday},
        seen_version=record_version(membership),
        actor=administrator,
    )

    assert not Membership.objects.current().filter(pk=membership.pk).exists()
    (event,) = events_of(membership)
    assert event.changes == {"ended_on": [None, yesterday.isoformat()]}


def test_a_membership_cannot_end_before_it_starts(administrator):
    membership = MembershipFactory(started_on=datetime.date(2024, 5, 1))

    with pytest.raises(ValidationError) as caught:
        membership_update(
            membership=membership,
            data={"ended_on": datetime.date(2024, 4, 30)},
            seen_version=record_version(membership),
            actor=administrator,
        )

    assert caught.value.messages == ["A membership cannot end before it starts."]


def test_deleting_a_membership_records_it(administrator):
    membership = MembershipFactory()
    pk = membership.pk

    membership_delete(membership=membership, actor=administrator)

    assert not Membership.objects.filter(pk=pk).exists()
    assert AuditEvent.objects.get(object_id=str(pk)).action == AuditAction.DELETED


# Photos --------------------------------------------------------------------------------------


def test_photos_are_added_after_the_others_as_renditions(administrator, media):
    existing = VillageProfilePhotoFactory(position=4)
    profile = existing.profile

    added = village_profile_photo_add(
        profile=profile,
        uploads=[picture_upload("a.jpg", width=2000, height=1000), picture_upload("b.png")],
        caption="Pasar desa",
        actor=administrator,
    )

    assert [photo.position for photo in added] == [5, 6]
    assert [photo.caption for photo in added] == ["Pasar desa", "Pasar desa"]
    assert (added[0].width, added[0].height) == (1600, 800)
    assert all(default_storage.exists(name) for photo in added for name in photo.stored_files())
    event = AuditEvent.objects.get(object_id=str(profile.pk))
    assert event.summary == "2 photos added"


def test_a_pdf_named_like_a_picture_is_refused_and_nothing_is_stored(administrator, media):
    unit = CraftUnitFactory()
    disguised = SimpleUploadedFile("photo.jpg", pdf_upload().read(), content_type="image/jpeg")

    with pytest.raises(ValidationError) as caught:
        craft_unit_photo_add(
            craft_unit=unit, uploads=[picture_upload(), disguised], actor=administrator
        )

    assert caught.value.messages == [
        "photo.jpg: This file is not a photo. Upload a JPEG, PNG or WebP picture."
    ]
    assert not CraftUnitPhoto.objects.exists()
    assert not list(media.rglob("*.jpg"))
    assert not AuditEvent.objects.exists()


def test_an_empty_file_is_refused(administrator, media):
    unit = CraftUnitFactory()
    empty = SimpleUploadedFile("empty.jpg", b"", content_type="image/jpeg")

    with pytest.raises(ValidationError) as caught:
        craft_unit_photo_add(craft_unit=unit, uploads=[empty], actor=administrator)

    assert caught.value.messages == ["empty.jpg: The file is empty."]
    assert not CraftUnitPhoto.objects.exists()


def test_changing_a_photos_caption_and_position_is_recorded_on_its_owner(administrator):
    photo = CraftUnitPhotoFactory(caption="Lama", position=0)

    photo_update(
        photo=photo,
        owner=photo.craft_unit,
        data={"caption": "Baru", "position": 3},
        actor=administrator,
    )

    photo.refresh_from_db()
    assert (photo.caption, photo.position) == ("Baru", 3)
    event = AuditEvent.objects.get(object_id=str(photo.craft_unit_id))
    assert event.changes == {
        f"photo {photo.pk} caption": ["Lama", "Baru"],
        f"photo {photo.pk} position": [0, 3],
    }


def test_deleting_a_photo_deletes_its_files_once_committed(
    administrator, django_capture_on_commit_callbacks
):
    photo = VillageProfilePhotoFactory()
    files = photo.stored_files()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        photo_delete(photo=photo, owner=photo.profile, actor=administrator)
    assert all(default_storage.exists(name) for name in files)
    for callback in callbacks:
        callback()

    assert not VillageProfilePhoto.objects.exists()
    assert not any(default_storage.exists(name) for name in files)
