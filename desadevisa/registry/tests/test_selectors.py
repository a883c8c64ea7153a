"""Which village profiles, organisations, craft units and memberships each person reads."""

import datetime

import pytest
from django.http import Http404

from desadevisa.accounts.models import RoleAssignment, User
from desadevisa.accounts.scopes import user_scope
from desadevisa.registry.selectors import (
    craft_unit_detail,
    craft_unit_get,
    craft_unit_photo_get,
    craft_unit_photo_scope,
    craft_unit_scope,
    membership_get,
    membership_scope,
    organisation_detail,
    organisation_get,
    organisation_scope,
    registry_provinces,
    village_profile_detail,
    village_profile_get,
    village_profile_get_by_village,
    village_profile_list,
    village_profile_photo_get,
    village_profile_photo_scope,
    village_profile_scope,
)
from desadevisa.registry.tests.factories import CraftUnitFactory, MembershipFactory
from desadevisa.registry.tests.scope_cases import both, jawa_timur, person, scope_cases


@pytest.mark.parametrize(
    ("name", "expected"),
    scope_cases(
        national=both("profile"),
        verifier=both("profile"),
        officer=jawa_timur("profile"),
        manager=jawa_timur("profile"),
    ),
)
def test_village_profile_scope_returns_exactly_the_profiles_the_person_reads(
    request, two_provinces, name, expected
):
    user = person(request, name)

    assert two_provinces.names(village_profile_scope(user=user)) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    scope_cases(
        national=both("organisation", "neighbour_organisation"),
        verifier=both("organisation", "neighbour_organisation"),
        officer=jawa_timur("organisation", "neighbour_organisation"),
        manager=jawa_timur("organisation"),
    ),
)
def test_organisation_scope_returns_exactly_the_organisations_the_person_reads(
    request, two_provinces, name, expected
):
    user = person(request, name)

    assert two_provinces.names(organisation_scope(user=user)) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    scope_cases(
        national=both("member_unit", "former_unit", "neighbour_unit"),
        verifier=both("member_unit", "former_unit", "neighbour_unit"),
        officer=jawa_timur("member_unit", "former_unit", "neighbour_unit"),
        manager=jawa_timur("member_unit", "former_unit"),
    ),
)
def test_craft_unit_scope_returns_exactly_the_units_the_person_reads(
    request, two_provinces, name, expected
):
    user = person(request, name)

    assert two_provinces.names(craft_unit_scope(user=user)) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    scope_cases(
        national=both("membership", "former_membership", "neighbour_membership"),
        verifier=both("membership", "former_membership", "neighbour_membership"),
        officer=jawa_timur("membership", "former_membership", "neighbour_membership"),
        manager=jawa_timur("membership", "former_membership"),
    ),
)
def test_membership_scope_returns_exactly_the_memberships_the_person_reads(
    request, two_provinces, name, expected
):
    user = person(request, name)

    assert two_provinces.names(membership_scope(user=user)) == expected


def test_a_person_holding_two_roles_reads_what_either_role_reads(two_provinces):
    officer = two_provinces.jawa_timur.officer
    RoleAssignment.objects.create(
        user=officer,
        role="organisation_manager",
        organisation=two_provinces.jawa_tengah.organisation,
    )
    officer = User.objects.get(pk=officer.pk)

    names = two_provinces.names(craft_unit_scope(user=officer))

    assert names == jawa_timur("member_unit", "former_unit", "neighbour_unit") | {
        "33.member_unit",
        "33.former_unit",
    }


def test_a_provincial_officer_moved_to_another_province_reads_only_the_new_one(two_provinces):
    officer = two_provinces.jawa_timur.officer
    assert two_provinces.names(village_profile_scope(user=officer)) == {"35.profile"}

    RoleAssignment.objects.filter(user=officer).update(province=two_provinces.jawa_tengah.province)
    # The next request loads the user afresh.
    officer = User.objects.get(pk=officer.pk)

    assert two_provinces.names(village_profile_scope(user=officer)) == {"33.profile"}


def test_a_deactivated_account_reads_nothing_though_it_keeps_its_roles(two_provinces):
    officer = two_provinces.jawa_timur.officer
    assert village_profile_scope(user=officer).exists()

    User.objects.filter(pk=officer.pk).update(is_active=False)
    officer = User.objects.get(pk=officer.pk)

    assert RoleAssignment.objects.filter(user=officer).exists()
    assert not village_profile_scope(user=officer).exists()
    assert not craft_unit_scope(user=officer).exists()


@pytest.mark.parametrize(
    ("get", "record"),
    [
        (village_profile_get, "profile"),
        (organisation_get, "organisation"),
        (craft_unit_get, "member_unit"),
        (membership_get, "membership"),
    ],
)
def test_get_returns_a_record_of_the_officers_province_and_404_for_the_other(
    two_provinces, get, record
):
    officer = two_provinces.jawa_timur.officer
    own = getattr(two_provinces.jawa_timur, record)
    other = getattr(two_provinces.jawa_tengah, record)

    assert get(user=officer, pk=own.pk) == own
    with pytest.raises(Http404):
        get(user=officer, pk=other.pk)


@pytest.mark.parametrize(
    ("get", "record"),
    [
        (organisation_get, "neighbour_organisation"),
        (craft_unit_get, "neighbour_unit"),
        (membership_get, "neighbour_membership"),
    ],
)
def test_get_answers_404_to_a_manager_for_another_organisations_record_in_their_village(
    two_provinces, get, record
):
    manager = two_provinces.jawa_timur.manager

    with pytest.raises(Http404):
        get(user=manager, pk=getattr(two_provinces.jawa_timur, record).pk)


def test_village_profile_get_by_village_finds_the_profile_by_the_official_code(two_provinces):
    officer = two_provinces.jawa_timur.officer
    own, other = two_provinces.jawa_timur.profile, two_provinces.jawa_tengah.profile

    assert village_profile_get_by_village(user=officer, code=own.village_id) == own
    with pytest.raises(Http404):
        village_profile_get_by_village(user=officer, code=other.village_id)


@pytest.mark.parametrize(
    "scope",
    [village_profile_scope, organisation_scope, craft_unit_scope, membership_scope],
)
@pytest.mark.parametrize("name", ["provincial_officer", "organisation_manager"])
def test_each_scope_is_one_query(request, two_provinces, django_assert_num_queries, scope, name):
    user = person(request, name)
    user_scope(user)

    with django_assert_num_queries(1):
        rows = list(scope(user=user))

    assert rows


def test_village_profile_list_counts_only_the_active_units_the_person_reads(two_provinces):
    records = two_provinces.jawa_timur
    CraftUnitFactory(village=records.profile.village, is_active=False)

    officer_counts = village_profile_list(user=records.officer)
    manager_counts = village_profile_list(user=records.manager)

    assert [profile.active_craft_unit_count for profile in officer_counts] == [3]
    assert [profile.active_craft_unit_count for profile in manager_counts] == [2]


def test_village_profile_list_finds_villages_by_name_whatever_the_case_and_spacing(
    two_provinces, administrator
):
    village = two_provinces.jawa_tengah.profile.village
    village.name = "Minggirsari"
    village.save()

    found = village_profile_list(user=administrator, query="  minggir SARI ")
    missed = village_profile_list(user=administrator, query="Kanigoro")

    assert two_provinces.names(found) == {"33.profile"}
    assert two_provinces.names(missed) == set()


def test_village_profile_detail_shows_a_manager_only_their_organisations_records(
    two_provinces,
):
    records = two_provinces.jawa_timur

    profile = village_profile_detail(user=records.manager, code=records.profile.village_id)

    assert two_provinces.names(profile.organisation_list) == {"35.organisation"}
    assert two_provinces.names(profile.active_craft_unit_list) == {
        "35.member_unit",
        "35.former_unit",
    }
    memberships = {
        unit.name: two_provinces.names(unit.running_membership_list)
        for unit in profile.active_craft_unit_list
    }
    assert memberships == {
        records.member_unit.name: {"35.membership"},
        records.former_unit.name: set(),
    }


def test_village_profile_detail_answers_404_outside_the_scope(two_provinces):
    records = two_provinces.jawa_timur

    with pytest.raises(Http404):
        village_profile_detail(
            user=records.manager, code=two_provinces.jawa_tengah.profile.village_id
        )


# Photos and pages ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    scope_cases(
        national=both("village_photo"),
        verifier=both("village_photo"),
        officer=jawa_timur("village_photo"),
        manager=jawa_timur("village_photo"),
    ),
)
def test_village_photo_scope_follows_the_profiles(request, two_provinces, name, expected):
    user = person(request, name)

    assert two_provinces.names(village_profile_photo_scope(user=user)) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    scope_cases(
        national=both("unit_photo"),
        verifier=both("unit_photo"),
        officer=jawa_timur("unit_photo"),
        manager=jawa_timur("unit_photo"),
    ),
)
def test_craft_unit_photo_scope_follows_the_units(request, two_provinces, name, expected):
    user = person(request, name)

    assert two_provinces.names(craft_unit_photo_scope(user=user)) == expected


def test_a_photo_is_found_only_under_its_own_record(two_provinces):
    records = two_provinces.jawa_timur

    found = craft_unit_photo_get(
        user=records.officer, craft_unit_pk=records.member_unit.pk, pk=records.unit_photo.pk
    )

    assert found == records.unit_photo
    with pytest.raises(Http404):
        craft_unit_photo_get(
            user=records.officer, craft_unit_pk=records.former_unit.pk, pk=records.unit_photo.pk
        )
    with pytest.raises(Http404):
        village_profile_photo_get(
            user=records.officer,
            code=two_provinces.jawa_tengah.profile.village_id,
            pk=two_provinces.jawa_tengah.village_photo.pk,
        )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("administrator", ["33", "35"]),
        ("verifier", ["33", "35"]),
        ("provincial_officer", ["35"]),
        ("organisation_manager", ["35"]),
        ("nobody", []),
    ],
)
def test_the_province_filter_offers_the_provinces_of_the_scope(
    request, two_provinces, name, expected
):
    user = person(request, name)

    assert sorted(registry_provinces(user=user).values_list("code", flat=True)) == expected


def test_organisation_detail_splits_running_from_other_memberships(two_provinces):
    records = two_provinces.jawa_timur
    later = MembershipFactory(
        craft_unit=records.neighbour_unit,
        organisation=records.organisation,
        started_on=datetime.date(2999, 1, 1),
    )

    organisation = organisation_detail(user=records.manager, pk=records.organisation.pk)

    assert organisation.running_membership_list == [records.membership]
    assert set(organisation.other_membership_list) == {records.former_membership, later}


def test_craft_unit_detail_marks_running_memberships(two_provinces):
    records = two_provinces.jawa_timur

    unit = craft_unit_detail(user=records.officer, pk=records.former_unit.pk)

    assert [(m, m.is_running) for m in unit.membership_list] == [(records.former_membership, False)]
    assert unit.photo_list == []
