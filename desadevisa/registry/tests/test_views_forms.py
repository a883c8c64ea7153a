"""Creating, editing and deleting registry records through the staff pages: what is written,
what is refused with which message, and that a refusal writes nothing."""

import datetime

import pytest
from django.utils import timezone

from desadevisa.accounts.models import Role
from desadevisa.accounts.tests.factories import user_with_role
from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.audit.models import AuditAction, AuditEvent
from desadevisa.core.editing import record_version
from desadevisa.regions.tests.factories import VillageFactory
from desadevisa.registry.models import CraftUnit, Membership, Organisation, VillageProfile
from desadevisa.registry.tests.factories import (
    CraftUnitFactory,
    CraftUnitPhotoFactory,
    MembershipFactory,
    OrganisationFactory,
    VillageProfileFactory,
)

CONFLICT = (
    "Someone else saved this record after you opened the form. Your changes were not saved: "
    "reload the page to see the current version, then make your changes again."
)
UNIT_FORM = {
    "name": "Bengkel Kendang Sumber",
    "owner_name": "Siti Aminah",
    "workers_women": "5",
    "workers_men": "3",
    "monthly_capacity": "120",
    "capacity_unit": "piece",
    "business_id": "1234567890123",
    "is_active": "on",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def form_errors(response, field: str = "__all__") -> list[str]:
    return response.context["form"].errors.get(field, [])


def profile_form(profile, **changes) -> dict:
    return {
        "flagship_commodity": profile.flagship_commodity,
        "latitude": "",
        "longitude": "",
        "story_id": profile.story_id,
        "story_en": profile.story_en,
        "seen_version": record_version(profile),
        **changes,
    }


# Village profiles ----------------------------------------------------------------------------


def test_an_officer_creates_a_profile_by_typing_the_village_code(
    client, provincial_officer, jawa_timur
):
    village = VillageFactory(district__regency__province=jawa_timur)
    sign_in_verified(client, provincial_officer)

    response = client.post(
        "/en/registry/villages/new/",
        {"village": village.code, "flagship_commodity": "Batik tulis", "is_public": "on"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/en/registry/villages/{village.code}/"
    profile = VillageProfile.objects.get(village=village)
    assert profile.is_public
    assert AuditEvent.objects.filter(action=AuditAction.CREATED).count() == 1


def test_an_officer_cannot_create_a_profile_in_another_province(client, two_provinces):
    other = VillageFactory(district__regency__province=two_provinces.jawa_tengah.province)
    sign_in_verified(client, two_provinces.jawa_timur.officer)

    response = client.post(
        "/en/registry/villages/new/", {"village": other.code, "flagship_commodity": "Batik"}
    )

    assert response.status_code == 400
    assert form_errors(response, "village") == [
        "You may add profiles only for villages in your provinces."
    ]
    assert not VillageProfile.objects.filter(village=other).exists()


def test_an_unknown_village_code_is_refused(client, provincial_officer):
    sign_in_verified(client, provincial_officer)

    response = client.post(
        "/en/registry/villages/new/", {"village": "35.99.99.9999", "flagship_commodity": "Batik"}
    )

    assert response.status_code == 400
    assert form_errors(response, "village") == ["No village has the official code “35.99.99.9999”."]


def test_a_village_that_already_has_a_profile_is_refused(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.officer)

    response = client.post(
        "/en/registry/villages/new/",
        {"village": records.profile.village_id, "flagship_commodity": "Batik"},
    )

    assert response.status_code == 400
    assert form_errors(response, "village") == ["This village already has a profile."]


def test_a_megabyte_of_text_in_a_field_is_refused_by_its_length(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.officer)

    response = client.post(
        f"/en/registry/villages/{records.profile.village_id}/edit/",
        profile_form(records.profile, flagship_commodity="x" * 1_000_000),
    )

    assert response.status_code == 400
    assert form_errors(response, "flagship_commodity") == [
        "Ensure this value has at most 200 characters (it has 1000000)."
    ]
    records.profile.refresh_from_db()
    assert records.profile.flagship_commodity == "Kendang djimbe"


def test_ten_megabytes_of_text_in_a_field_are_refused_without_an_error_page(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.officer)

    response = client.post(
        "/en/registry/craft-units/new/",
        {**UNIT_FORM, "village": records.profile.village_id, "name": "x" * 10_000_000},
    )

    # Larger than a request may carry: refused before any form is read, saying so.
    assert response.status_code == 413
    assert "What you sent is too large" in response.text
    assert not CraftUnit.objects.filter(owner_name="Siti Aminah").exists()


def test_a_script_in_a_story_is_shown_as_text(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.officer)

    saved = client.post(
        f"/en/registry/villages/{records.profile.village_id}/edit/",
        profile_form(records.profile, story_en="<script>alert(1)</script>"),
    )
    shown = client.get(f"/en/registry/villages/{records.profile.village_id}/")

    assert saved.status_code == 302
    assert "<script>alert(1)</script>" not in shown.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown.text


def test_editing_a_profile_saved_meanwhile_answers_409_and_writes_nothing(client, two_provinces):
    records = two_provinces.jawa_timur
    form = profile_form(records.profile, flagship_commodity="Anyaman")
    VillageProfile.objects.filter(pk=records.profile.pk).update(
        flagship_commodity="Gerabah", updated_at=timezone.now()
    )
    sign_in_verified(client, records.officer)

    response = client.post(f"/en/registry/villages/{records.profile.village_id}/edit/", form)

    assert response.status_code == 409
    assert form_errors(response) == [CONFLICT]
    records.profile.refresh_from_db()
    assert records.profile.flagship_commodity == "Gerabah"
    assert not AuditEvent.objects.filter(action=AuditAction.CHANGED).exists()


def test_a_profile_whose_village_still_has_records_is_not_deleted(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.officer)

    response = client.post(f"/en/registry/villages/{records.profile.village_id}/delete/")

    assert response.status_code == 409
    assert "cannot be deleted while other records depend on it" in response.text
    assert VillageProfile.objects.filter(pk=records.profile.pk).exists()


def test_an_officer_deletes_a_profile_of_an_empty_village(client, provincial_officer, jawa_timur):
    profile = VillageProfileFactory(village=VillageFactory(district__regency__province=jawa_timur))
    sign_in_verified(client, provincial_officer)

    asked = client.get(f"/en/registry/villages/{profile.village_id}/delete/")
    response = client.post(f"/en/registry/villages/{profile.village_id}/delete/")

    assert asked.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == "/en/registry/villages/"
    assert not VillageProfile.objects.filter(pk=profile.pk).exists()


# Organisations -------------------------------------------------------------------------------


def test_an_officer_registers_an_organisation(client, provincial_officer, jawa_timur):
    village = VillageFactory(district__regency__province=jawa_timur)
    sign_in_verified(client, provincial_officer)

    response = client.post(
        "/en/registry/organisations/new/",
        {
            "kind": "cooperative",
            "legal_name": "Koperasi Sumber Rejeki",
            "registration_number": "AHU-0001",
            "address": "Jl. Desa 1",
            "village": village.code,
        },
    )

    organisation = Organisation.objects.get(legal_name="Koperasi Sumber Rejeki")
    assert response["Location"] == f"/en/registry/organisations/{organisation.pk}/"
    assert organisation.village == village


def test_a_taken_registration_number_is_refused_on_the_form(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.officer)

    response = client.post(
        "/en/registry/organisations/new/",
        {
            "kind": records.organisation.kind,
            "legal_name": "Tiruan",
            "registration_number": records.organisation.registration_number,
            "village": records.profile.village_id,
        },
    )

    assert response.status_code == 400
    assert form_errors(response) == [
        "An organisation of this kind with this registration number already exists."
    ]


def test_the_organisation_page_shows_running_and_past_members_and_history(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.officer)

    response = client.get(f"/en/registry/organisations/{records.organisation.pk}/")

    organisation = response.context["organisation"]
    assert organisation.running_membership_list == [records.membership]
    assert organisation.other_membership_list == [records.former_membership]
    assert records.member_unit.name in response.text
    assert records.former_unit.name in response.text
    assert "History" in response.text
    assert f'href="/en/registry/organisations/{records.organisation.pk}/members/new/"' in (
        response.text
    )


def test_a_manager_renames_their_organisation(client, two_provinces):
    records = two_provinces.jawa_timur
    organisation = records.organisation
    sign_in_verified(client, records.manager)

    response = client.post(
        f"/en/registry/organisations/{organisation.pk}/edit/",
        {
            "kind": organisation.kind,
            "legal_name": "Koperasi Baru",
            "registration_number": organisation.registration_number,
            "address": organisation.address,
            "seen_version": record_version(organisation),
        },
    )

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.legal_name == "Koperasi Baru"


def test_editing_an_organisation_saved_meanwhile_answers_409(client, two_provinces):
    records = two_provinces.jawa_timur
    organisation = records.organisation
    seen = record_version(organisation)
    Organisation.objects.filter(pk=organisation.pk).update(updated_at=timezone.now())
    sign_in_verified(client, records.officer)

    response = client.post(
        f"/en/registry/organisations/{organisation.pk}/edit/",
        {
            "kind": organisation.kind,
            "legal_name": "Koperasi Baru",
            "registration_number": organisation.registration_number,
            "seen_version": seen,
        },
    )

    assert response.status_code == 409
    organisation.refresh_from_db()
    assert organisation.legal_name != "Koperasi Baru"


def test_an_organisation_with_members_is_not_deleted(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.officer)

    response = client.post(f"/en/registry/organisations/{records.organisation.pk}/delete/")

    assert response.status_code == 409
    assert Organisation.objects.filter(pk=records.organisation.pk).exists()


# Memberships ---------------------------------------------------------------------------------


def test_a_manager_may_choose_only_units_of_the_village_they_read(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.manager)

    response = client.get(f"/en/registry/organisations/{records.organisation.pk}/members/new/")

    choices = set(response.context["form"].fields["craft_unit"].queryset)
    assert choices == {records.member_unit, records.former_unit}


def test_an_officer_adds_a_member_from_the_organisation_page(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.officer)

    response = client.post(
        f"/en/registry/organisations/{records.neighbour_organisation.pk}/members/new/",
        {"craft_unit": records.member_unit.pk, "started_on": "2024-02-01"},
    )

    assert response.status_code == 302
    assert (
        Membership.objects.current()
        .filter(craft_unit=records.member_unit, organisation=records.neighbour_organisation)
        .exists()
    )


def test_a_unit_of_another_village_is_not_offered(client, two_provinces):
    records = two_provinces.jawa_timur
    elsewhere = CraftUnitFactory(village__district__regency__province=records.province)
    sign_in_verified(client, records.officer)

    response = client.post(
        f"/en/registry/organisations/{records.organisation.pk}/members/new/",
        {"craft_unit": elsewhere.pk, "started_on": "2024-02-01"},
    )

    assert response.status_code == 400
    assert form_errors(response, "craft_unit") == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert not elsewhere.memberships.exists()


def test_ending_a_membership_from_its_form(client, two_provinces):
    records = two_provinces.jawa_timur
    membership = records.membership
    sign_in_verified(client, records.manager)

    response = client.post(
        f"/en/registry/memberships/{membership.pk}/edit/",
        {
            "started_on": "2020-01-01",
            "ended_on": "2024-12-31",
            "seen_version": record_version(membership),
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"/en/registry/organisations/{records.organisation.pk}/"
    membership.refresh_from_db()
    assert membership.ended_on == datetime.date(2024, 12, 31)


def test_a_membership_ending_before_it_starts_is_refused(client, two_provinces):
    records = two_provinces.jawa_timur
    membership = records.membership
    sign_in_verified(client, records.officer)

    response = client.post(
        f"/en/registry/memberships/{membership.pk}/edit/",
        {
            "started_on": "2020-01-01",
            "ended_on": "2019-12-31",
            "seen_version": record_version(membership),
        },
    )

    assert response.status_code == 400
    assert form_errors(response) == ["A membership cannot end before it starts."]
    membership.refresh_from_db()
    assert membership.ended_on is None


def test_editing_a_membership_saved_meanwhile_answers_409(client, two_provinces):
    records = two_provinces.jawa_timur
    membership = records.membership
    seen = record_version(membership)
    Membership.objects.filter(pk=membership.pk).update(updated_at=timezone.now())
    sign_in_verified(client, records.officer)

    response = client.post(
        f"/en/registry/memberships/{membership.pk}/edit/",
        {"started_on": "2020-01-01", "ended_on": "2024-12-31", "seen_version": seen},
    )

    assert response.status_code == 409
    membership.refresh_from_db()
    assert membership.ended_on is None


def test_deleting_a_membership(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.officer)

    response = client.post(f"/en/registry/memberships/{records.membership.pk}/delete/")

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=records.membership.pk).exists()


# Craft units ---------------------------------------------------------------------------------


def test_an_officer_registers_a_craft_unit(client, provincial_officer, jawa_timur):
    village = VillageFactory(district__regency__province=jawa_timur)
    sign_in_verified(client, provincial_officer)

    response = client.post("/en/registry/craft-units/new/", {**UNIT_FORM, "village": village.code})

    unit = CraftUnit.objects.get(name=UNIT_FORM["name"])
    assert response["Location"] == f"/en/registry/craft-units/{unit.pk}/"
    assert (unit.village, unit.workers, unit.business_id) == (village, 8, "1234567890123")
    assert not unit.memberships.exists()


def test_a_unit_registered_by_a_manager_joins_their_organisation(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.manager)

    form = client.get("/en/registry/craft-units/new/").context["form"]
    response = client.post(
        "/en/registry/craft-units/new/", {**UNIT_FORM, "organisation": records.organisation.pk}
    )

    assert "village" not in form.fields
    assert form.fields["organisation"].widget.is_hidden
    assert response.status_code == 302
    unit = CraftUnit.objects.get(name=UNIT_FORM["name"])
    assert unit.village == records.organisation.village
    assert [m.organisation for m in Membership.objects.current().filter(craft_unit=unit)] == [
        records.organisation
    ]


def test_a_manager_of_two_organisations_is_asked_which_one(client, two_provinces):
    records = two_provinces.jawa_timur
    second = OrganisationFactory(village__district__regency__province=records.province)
    manager = user_with_role(Role.ORGANISATION_MANAGER, organisation=second, username="dua")
    manager.role_assignments.create(
        role=Role.ORGANISATION_MANAGER, organisation=records.organisation
    )
    sign_in_verified(client, manager)

    form = client.get("/en/registry/craft-units/new/").context["form"]
    response = client.post(
        "/en/registry/craft-units/new/", {**UNIT_FORM, "organisation": second.pk}
    )

    assert not form.fields["organisation"].widget.is_hidden
    assert set(form.fields["organisation"].queryset) == {second, records.organisation}
    unit = CraftUnit.objects.get(name=UNIT_FORM["name"])
    assert response.status_code == 302
    assert unit.village == second.village
    assert unit.memberships.get().organisation == second


def test_a_manager_cannot_pick_another_organisation(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.manager)

    response = client.post(
        "/en/registry/craft-units/new/",
        {**UNIT_FORM, "organisation": records.neighbour_organisation.pk},
    )

    assert response.status_code == 400
    assert not CraftUnit.objects.filter(name=UNIT_FORM["name"]).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("business_id", "12345", "A business ID (NIB) is exactly 13 digits."),
        ("business_id", "12345678901ab", "A business ID (NIB) is exactly 13 digits."),
        ("workers_women", "-1", "Ensure this value is greater than or equal to 0."),
        ("workers_men", "100001", "Ensure this value is less than or equal to 100000."),
        ("monthly_capacity", "99999999999", "Ensure this value is less than or equal to 10000000."),
        ("monthly_capacity", "banyak", "Enter a whole number."),
        ("name", "x" * 201, "Ensure this value has at most 200 characters (it has 201)."),
    ],
)
def test_bad_craft_unit_input_is_refused_with_a_message_and_nothing_written(
    client, two_provinces, field, value, message
):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.officer)

    response = client.post(
        "/en/registry/craft-units/new/",
        {**UNIT_FORM, "village": records.profile.village_id, field: value},
    )

    assert response.status_code == 400
    assert form_errors(response, field) == [message]
    assert not CraftUnit.objects.filter(owner_name="Siti Aminah").exists()
    assert not AuditEvent.objects.filter(action=AuditAction.CREATED).exists()


def test_a_unit_named_like_another_of_its_village_is_refused(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.officer)

    response = client.post(
        "/en/registry/craft-units/new/",
        {**UNIT_FORM, "village": records.profile.village_id, "name": records.member_unit.name},
    )

    assert response.status_code == 400
    assert form_errors(response, "name") == [
        "This village already has a craft unit with this name."
    ]


def test_editing_a_unit_saved_meanwhile_answers_409_and_writes_nothing(client, two_provinces):
    records = two_provinces.jawa_timur
    unit = records.member_unit
    seen = record_version(unit)
    CraftUnit.objects.filter(pk=unit.pk).update(workers_men=9, updated_at=timezone.now())
    sign_in_verified(client, records.manager)

    response = client.post(
        f"/en/registry/craft-units/{unit.pk}/edit/",
        {**UNIT_FORM, "name": unit.name, "seen_version": seen},
    )

    assert response.status_code == 409
    assert form_errors(response) == [CONFLICT]
    unit.refresh_from_db()
    assert (unit.workers_men, unit.owner_name) == (9, unit.owner_name)
    assert not AuditEvent.objects.filter(action=AuditAction.CHANGED).exists()


def test_renaming_a_unit_to_a_name_taken_in_its_village_is_refused(client, two_provinces):
    records = two_provinces.jawa_timur
    unit = records.member_unit
    sign_in_verified(client, records.officer)

    response = client.post(
        f"/en/registry/craft-units/{unit.pk}/edit/",
        {**UNIT_FORM, "name": records.former_unit.name, "seen_version": record_version(unit)},
    )

    assert response.status_code == 400
    assert form_errors(response) == ["This village already has a craft unit with this name."]


def test_the_unit_page_shows_memberships_products_photos_and_history(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.officer)

    response = client.get(f"/en/registry/craft-units/{records.member_unit.pk}/")

    assert response.context["products"] == [records.product]
    assert records.product.name_en in response.text
    assert records.organisation.legal_name in response.text
    assert "10 (4 women, 6 men)" in response.text
    photo = records.unit_photo
    assert (
        f'src="/en/registry/craft-units/{records.member_unit.pk}/photos/{photo.pk}/thumbnail/"'
        in response.text
    )
    assert "History" in response.text


def test_the_unit_page_takes_a_fixed_number_of_queries(
    client, two_provinces, django_assert_num_queries
):
    records = two_provinces.jawa_timur
    unit = records.member_unit
    sign_in_verified(client, records.officer)
    # Session, user, device, roles; unit, memberships, photos, products, history, the change
    # and delete permissions; and the session's save (three).
    with django_assert_num_queries(14):
        client.get(f"/en/registry/craft-units/{unit.pk}/")
    for _ in range(3):
        MembershipFactory(craft_unit=unit)
        MembershipFactory(craft_unit=unit, ended_on=datetime.date(2021, 1, 1))
        CraftUnitPhotoFactory(craft_unit=unit)

    with django_assert_num_queries(14):
        client.get(f"/en/registry/craft-units/{unit.pk}/")


def test_a_unit_with_memberships_is_not_deleted_and_the_page_says_why(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.officer)

    response = client.post(f"/en/registry/craft-units/{records.member_unit.pk}/delete/")

    assert response.status_code == 409
    assert "(memberships: 1, products: 1)" in response.text
    assert CraftUnit.objects.filter(pk=records.member_unit.pk).exists()


def test_an_officer_deletes_a_unit_nobody_depends_on(client, provincial_officer, jawa_timur):
    unit = CraftUnitFactory(village=VillageFactory(district__regency__province=jawa_timur))
    sign_in_verified(client, provincial_officer)

    response = client.post(f"/en/registry/craft-units/{unit.pk}/delete/")

    assert response.status_code == 302
    assert not CraftUnit.objects.filter(pk=unit.pk).exists()
