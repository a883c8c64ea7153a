"""Who may act on nominations, cycles, quotas and designations (SECURITY §2.1, AC-11)."""

import pytest

from desadevisa.accounts.models import Role, RoleAssignment, User
from desadevisa.accounts.tests.factories import user_with_role
from desadevisa.nominations.permissions import (
    designation_can,
    nomination_can,
    programme_cycle_can,
    province_quota_can,
)
from desadevisa.registry.tests.scope_cases import (
    ROLES,
    both,
    jawa_timur,
    permission_cases,
    permitted,
    person,
)

NOMINATIONS = ["35.nomination", "35.neighbour_nomination", "33.nomination"]
PROVINCE_NOMINATIONS = jawa_timur("nomination", "neighbour_nomination")
NATIONAL = {"administrator": set(NOMINATIONS), "programme_officer": set(NOMINATIONS)}
PROVINCE = {"provincial_officer": PROVINCE_NOMINATIONS}


@pytest.mark.parametrize(
    ("action", "name", "expected"),
    permission_cases(
        {
            "view": NATIONAL | PROVINCE | {"organisation_manager": jawa_timur("nomination")},
            # Nominating is the province's act: national roles decide, they do not nominate.
            "change": PROVINCE,
            "submit": PROVINCE,
            "withdraw": PROVINCE,
            "screen": NATIONAL,
            # A verifier verifies what their visits reach: nothing until visits exist.
            "verify": NATIONAL,
            "decide": NATIONAL,
        },
    ),
)
def test_nomination_permissions_follow_the_matrix(request, two_provinces, action, name, expected):
    user = person(request, name)

    allowed = permitted(
        two_provinces, nomination_can, "nomination", user=user, action=action, among=NOMINATIONS
    )

    assert allowed == expected


@pytest.fixture
def submitting_programme_officer(two_provinces):
    """A programme officer who also serves as Jawa Timur's provincial officer and submitted
    Jawa Timur's nomination."""
    officer = user_with_role(Role.PROGRAMME_OFFICER, username="programme-and-provincial")
    RoleAssignment.objects.create(
        user=officer, role=Role.PROVINCIAL_OFFICER, province=two_provinces.jawa_timur.province
    )
    nomination = two_provinces.jawa_timur.nomination
    nomination.submitted_by = officer
    nomination.save(update_fields=["submitted_by"])
    return User.objects.get(pk=officer.pk)


@pytest.mark.parametrize("action", ["screen", "verify", "decide"])
def test_the_submitter_may_not_screen_verify_or_decide_their_own_nomination(
    two_provinces, submitting_programme_officer, programme_officer, action
):
    own = two_provinces.jawa_timur.nomination
    others = two_provinces.jawa_tengah.nomination

    assert not nomination_can(user=submitting_programme_officer, nomination=own, action=action)
    assert nomination_can(user=submitting_programme_officer, nomination=others, action=action)
    assert nomination_can(user=programme_officer, nomination=own, action=action)


def test_the_submitter_still_reads_and_may_withdraw_their_own_nomination(
    two_provinces, submitting_programme_officer
):
    own = two_provinces.jawa_timur.nomination

    assert nomination_can(user=submitting_programme_officer, nomination=own, action="view")
    assert nomination_can(user=submitting_programme_officer, nomination=own, action="withdraw")


def test_an_unknown_nomination_action_is_refused_as_a_programming_error(two_provinces):
    records = two_provinces.jawa_timur

    with pytest.raises(ValueError, match=r"^Unknown action 'approve'; expected one of \["):
        nomination_can(user=records.officer, nomination=records.nomination, action="approve")


@pytest.mark.parametrize("name", ROLES)
def test_every_role_reads_the_cycle_and_only_national_roles_change_it(request, two_provinces, name):
    user = person(request, name)
    national = name in ("administrator", "programme_officer")

    assert programme_cycle_can(user=user, cycle=two_provinces.cycle, action="view")
    assert programme_cycle_can(user=user, cycle=two_provinces.cycle, action="change") is national


QUOTAS = sorted(both("quota"))


@pytest.mark.parametrize(
    ("action", "name", "expected"),
    permission_cases(
        {
            "view": {
                "administrator": set(QUOTAS),
                "programme_officer": set(QUOTAS),
                "provincial_officer": jawa_timur("quota"),
            },
            "change": {"administrator": set(QUOTAS), "programme_officer": set(QUOTAS)},
        },
    ),
)
def test_province_quota_permissions_follow_the_matrix(
    request, two_provinces, action, name, expected
):
    user = person(request, name)

    allowed = permitted(
        two_provinces, province_quota_can, "quota", user=user, action=action, among=QUOTAS
    )

    assert allowed == expected


DESIGNATIONS = sorted(both("designation"))


@pytest.mark.parametrize(
    ("action", "name", "expected"),
    permission_cases(
        {
            "view": {
                "administrator": set(DESIGNATIONS),
                "programme_officer": set(DESIGNATIONS),
                "provincial_officer": jawa_timur("designation"),
                "organisation_manager": jawa_timur("designation"),
            },
            "change": {
                "administrator": set(DESIGNATIONS),
                "programme_officer": set(DESIGNATIONS),
            },
        },
    ),
)
def test_designation_permissions_follow_the_matrix(request, two_provinces, action, name, expected):
    user = person(request, name)

    allowed = permitted(
        two_provinces, designation_can, "designation", user=user, action=action, among=DESIGNATIONS
    )

    assert allowed == expected
