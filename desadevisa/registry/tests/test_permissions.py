"""Who may view, change and delete registry records (SECURITY §2.1)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from desadevisa.accounts.scopes import user_scope
from desadevisa.regions.tests.factories import VillageFactory
from desadevisa.registry.models import CraftUnit
from desadevisa.registry.permissions import (
    craft_unit_can,
    craft_unit_can_create,
    craft_unit_creator_organisations,
    craft_unit_may_create,
    membership_can,
    membership_can_create,
    membership_creatable_units,
    organisation_can,
    organisation_can_create,
    organisation_may_create,
    village_profile_can,
    village_profile_can_create,
    village_profile_may_create,
)
from desadevisa.registry.tests.factories import CraftUnitFactory
from desadevisa.registry.tests.scope_cases import (
    both,
    jawa_timur,
    permission_cases,
    permitted,
    person,
    record,
)

NATIONAL = ("administrator", "programme_officer")


def national_and(records: set[str], **others: set[str]) -> dict[str, set[str]]:
    return dict.fromkeys(NATIONAL, records) | others


PROFILES = sorted(both("profile"))


@pytest.mark.parametrize(
    ("action", "name", "expected"),
    permission_cases(
        {
            "view": national_and(
                both("profile"),
                verifier=both("profile"),
                provincial_officer=jawa_timur("profile"),
                organisation_manager=jawa_timur("profile"),
            ),
            "change": national_and(both("profile"), provincial_officer=jawa_timur("profile")),
            "delete": national_and(both("profile"), provincial_officer=jawa_timur("profile")),
        },
    ),
)
def test_village_profile_permissions_follow_the_matrix(
    request, two_provinces, action, name, expected
):
    user = person(request, name)

    allowed = permitted(
        two_provinces, village_profile_can, "profile", user=user, action=action, among=PROFILES
    )

    assert allowed == expected


ORGANISATIONS = ["35.organisation", "35.neighbour_organisation", "33.organisation"]
PROVINCE_ORGANISATIONS = jawa_timur("organisation", "neighbour_organisation")


@pytest.mark.parametrize(
    ("action", "name", "expected"),
    permission_cases(
        {
            "view": national_and(
                set(ORGANISATIONS),
                verifier=set(ORGANISATIONS),
                provincial_officer=PROVINCE_ORGANISATIONS,
                organisation_manager=jawa_timur("organisation"),
            ),
            "change": national_and(
                set(ORGANISATIONS),
                provincial_officer=PROVINCE_ORGANISATIONS,
                organisation_manager=jawa_timur("organisation"),
            ),
            "delete": national_and(set(ORGANISATIONS), provincial_officer=PROVINCE_ORGANISATIONS),
        },
    ),
)
def test_organisation_permissions_follow_the_matrix(request, two_provinces, action, name, expected):
    user = person(request, name)

    allowed = permitted(
        two_provinces,
        organisation_can,
        "organisation",
        user=user,
        action=action,
        among=ORGANISATIONS,
    )

    assert allowed == expected


UNITS = ["35.member_unit", "35.former_unit", "35.neighbour_unit", "33.member_unit"]
PROVINCE_UNITS = jawa_timur("member_unit", "former_unit", "neighbour_unit")


@pytest.mark.parametrize(
    ("action", "name", "expected"),
    permission_cases(
        {
            "view": national_and(
                set(UNITS),
                verifier=set(UNITS),
                provincial_officer=PROVINCE_UNITS,
                organisation_manager=jawa_timur("member_unit", "former_unit"),
            ),
            # A unit that has left the organisation stays readable to its managers, as history,
            # but is no longer theirs to change.
            "change": national_and(
                set(UNITS),
                provincial_officer=PROVINCE_UNITS,
                organisation_manager=jawa_timur("member_unit"),
            ),
            "delete": national_and(set(UNITS), provincial_officer=PROVINCE_UNITS),
        },
    ),
)
def test_craft_unit_permissions_follow_the_matrix(request, two_provinces, action, name, expected):
    user = person(request, name)

    allowed = permitted(
        two_provinces, craft_unit_can, "craft_unit", user=user, action=action, among=UNITS
    )

    assert allowed == expected


MEMBERSHIPS = ["35.membership", "35.former_membership", "35.neighbour_membership", "33.membership"]
PROVINCE_MEMBERSHIPS = jawa_timur("membership", "former_membership", "neighbour_membership")
OWN_MEMBERSHIPS = jawa_timur("membership", "former_membership")


@pytest.mark.parametrize(
    ("action", "name", "expected"),
    permission_cases(
        {
            "view": national_and(
                set(MEMBERSHIPS),
                verifier=set(MEMBERSHIPS),
                provincial_officer=PROVINCE_MEMBERSHIPS,
                organisation_manager=OWN_MEMBERSHIPS,
            ),
            "change": national_and(
                set(MEMBERSHIPS),
                provincial_officer=PROVINCE_MEMBERSHIPS,
                organisation_manager=OWN_MEMBERSHIPS,
            ),
            "delete": national_and(
                set(MEMBERSHIPS),
                provincial_officer=PROVINCE_MEMBERSHIPS,
                organisation_manager=OWN_MEMBERSHIPS,
            ),
        },
    ),
)
def test_membership_permissions_follow_the_matrix(request, two_provinces, action, name, expected):
    user = person(request, name)

    allowed = permitted(
        two_provinces, membership_can, "membership", user=user, action=action, among=MEMBERSHIPS
    )

    assert allowed == expected


def test_the_anonymous_may_do_nothing_with_a_record(two_provinces):
    profile = two_provinces.jawa_timur.profile

    assert not village_profile_can(user=AnonymousUser(), profile=profile, action="view")
    assert not village_profile_can(user=AnonymousUser(), profile=profile, action="change")


def test_an_unknown_action_is_refused_as_a_programming_error(two_provinces):
    records = two_provinces.jawa_timur

    with pytest.raises(
        ValueError,
        match=r"^Unknown action 'publish'; expected one of \['change', 'delete', 'view'\]\.$",
    ):
        village_profile_can(user=records.officer, profile=records.profile, action="publish")


def test_a_permission_check_asks_the_database_at_most_once(
    two_provinces, django_assert_max_num_queries
):
    records = two_provinces.jawa_timur
    craft_unit_can(user=records.manager, craft_unit=records.member_unit, action="view")

    with django_assert_max_num_queries(1):
        allowed = craft_unit_can(
            user=records.manager, craft_unit=records.member_unit, action="change"
        )

    assert allowed


# Creating ------------------------------------------------------------------------------------

CREATE_CASES = [
    # (person, may create somewhere, in Jawa Timur's village, in Jawa Tengah's village)
    ("administrator", True, True, True),
    ("programme_officer", True, True, True),
    ("verifier", False, False, False),
    ("provincial_officer", True, True, False),
    ("organisation_manager", False, False, False),
    ("nobody", False, False, False),
    ("anonymous", False, False, False),
]


@pytest.mark.parametrize(("name", "somewhere", "own", "other"), CREATE_CASES)
@pytest.mark.parametrize(
    ("may_create", "can_create"),
    [
        (village_profile_may_create, village_profile_can_create),
        (organisation_may_create, organisation_can_create),
    ],
)
def test_profiles_and_organisations_are_created_by_national_roles_and_provincial_officers(
    request, two_provinces, name, somewhere, own, other, may_create, can_create
):
    user = person(request, name)

    assert may_create(user=user) is somewhere
    assert can_create(user=user, village=two_provinces.jawa_timur.profile.village) is own
    assert can_create(user=user, village=two_provinces.jawa_tengah.profile.village) is other


@pytest.mark.parametrize(
    ("name", "somewhere", "own", "other"),
    [
        (name, *answers) if name != "organisation_manager" else (name, True, True, False)
        for name, *answers in CREATE_CASES
    ],
)
def test_craft_units_are_also_created_by_managers_in_their_organisations_villages(
    request, two_provinces, name, somewhere, own, other
):
    user = person(request, name)

    assert craft_unit_may_create(user=user) is somewhere
    assert craft_unit_can_create(user=user, village=two_provinces.jawa_timur.profile.village) is own
    assert (
        craft_unit_can_create(user=user, village=two_provinces.jawa_tengah.profile.village) is other
    )


def test_a_manager_may_not_create_a_unit_in_another_village_of_their_province(two_provinces):
    records = two_provinces.jawa_timur
    elsewhere = VillageFactory(district__regency__province=records.province)

    assert not craft_unit_can_create(user=records.manager, village=elsewhere)
    assert craft_unit_can_create(user=records.officer, village=elsewhere)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("administrator", {"35.organisation", "35.neighbour_organisation", "33.organisation"}),
        ("programme_officer", {"35.organisation", "35.neighbour_organisation", "33.organisation"}),
        ("verifier", set()),
        ("provincial_officer", {"35.organisation", "35.neighbour_organisation"}),
        ("organisation_manager", {"35.organisation"}),
        ("nobody", set()),
    ],
)
def test_members_are_added_by_national_roles_officers_and_the_organisations_managers(
    request, two_provinces, name, expected
):
    user = person(request, name)

    allowed = {
        organisation_name
        for organisation_name in ORGANISATIONS
        if membership_can_create(user=user, organisation=record(two_provinces, organisation_name))
    }

    assert allowed == expected


def test_members_come_from_the_organisations_village_only(two_provinces):
    records = two_provinces.jawa_timur
    CraftUnitFactory(village__district__regency__province=records.province)
    rule = membership_creatable_units(user_scope(records.officer), records.organisation)

    units = set(CraftUnit.objects.filter(rule))

    assert units == {records.member_unit, records.former_unit, records.neighbour_unit}


def test_the_organisations_a_manager_registers_units_for_are_their_own(two_provinces):
    records = two_provinces.jawa_timur

    assert list(craft_unit_creator_organisations(user=records.manager)) == [records.organisation]
    assert list(craft_unit_creator_organisations(user=records.officer)) == []
