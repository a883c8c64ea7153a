"""Which programme cycles, quotas, nominations and designations each person reads."""

import pytest
from django.http import Http404

from desadevisa.accounts.scopes import user_scope
from desadevisa.nominations.selectors import (
    designation_get,
    designation_scope,
    nomination_get,
    nomination_scope,
    programme_cycle_get,
    programme_cycle_scope,
    province_quota_get,
    province_quota_scope,
)
from desadevisa.registry.tests.scope_cases import both, jawa_timur, person, scope_cases


@pytest.mark.parametrize(
    ("name", "expected"),
    scope_cases(national={"cycle"}, verifier={"cycle"}, officer={"cycle"}, manager={"cycle"}),
)
def test_programme_cycle_scope_shows_every_cycle_to_anyone_holding_a_role(
    request, two_provinces, name, expected
):
    user = person(request, name)

    assert two_provinces.names(programme_cycle_scope(user=user)) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    scope_cases(national=both("quota"), verifier=set(), officer=jawa_timur("quota"), manager=set()),
)
def test_province_quota_scope_returns_exactly_the_quotas_the_person_reads(
    request, two_provinces, name, expected
):
    user = person(request, name)

    assert two_provinces.names(province_quota_scope(user=user)) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    scope_cases(
        national=both("nomination", "neighbour_nomination"),
        # Verifiers reach nominations through the visits assigned to them; there are none yet.
        verifier=set(),
        officer=jawa_timur("nomination", "neighbour_nomination"),
        manager=jawa_timur("nomination"),
    ),
)
def test_nomination_scope_returns_exactly_the_nominations_the_person_reads(
    request, two_provinces, name, expected
):
    user = person(request, name)

    assert two_provinces.names(nomination_scope(user=user)) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    scope_cases(
        national=both("designation"),
        verifier=set(),
        officer=jawa_timur("designation"),
        manager=jawa_timur("designation"),
    ),
)
def test_designation_scope_returns_the_designations_of_the_nominations_the_person_reads(
    request, two_provinces, name, expected
):
    user = person(request, name)

    assert two_provinces.names(designation_scope(user=user)) == expected


@pytest.mark.parametrize(
    ("get", "field"),
    [
        (province_quota_get, "quota"),
        (nomination_get, "nomination"),
        (designation_get, "designation"),
    ],
)
def test_get_returns_the_officers_own_record_and_404_for_the_other_provinces(
    two_provinces, get, field
):
    officer = two_provinces.jawa_timur.officer
    own = getattr(two_provinces.jawa_timur, field)
    other = getattr(two_provinces.jawa_tengah, field)

    assert get(user=officer, pk=own.pk) == own
    with pytest.raises(Http404):
        get(user=officer, pk=other.pk)


def test_nomination_get_answers_404_to_a_manager_for_another_organisations_nomination(
    two_provinces,
):
    records = two_provinces.jawa_timur

    assert nomination_get(user=records.manager, pk=records.nomination.pk) == records.nomination
    with pytest.raises(Http404):
        nomination_get(user=records.manager, pk=records.neighbour_nomination.pk)


def test_programme_cycle_get_answers_404_to_a_signed_in_person_without_a_role(
    two_provinces, nobody
):
    with pytest.raises(Http404):
        programme_cycle_get(user=nobody, pk=two_provinces.cycle.pk)


@pytest.mark.parametrize(
    "scope", [province_quota_scope, nomination_scope, designation_scope, programme_cycle_scope]
)
def test_each_scope_is_one_query(two_provinces, django_assert_num_queries, scope):
    officer = two_provinces.jawa_timur.officer
    user_scope(officer)

    with django_assert_num_queries(1):
        rows = list(scope(user=officer))

    assert rows


def test_a_managers_nomination_scope_is_one_query(two_provinces, django_assert_num_queries):
    manager = two_provinces.jawa_timur.manager
    user_scope(manager)

    with django_assert_num_queries(1):
        rows = list(nomination_scope(user=manager))

    assert rows
