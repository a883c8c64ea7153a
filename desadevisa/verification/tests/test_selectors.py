"""Who reads which visits, and the nominations a verifier reaches through them."""

from __future__ import annotations

import pytest

from desadevisa.accounts.models import Role
from desadevisa.accounts.scopes import user_scope
from desadevisa.accounts.tests.factories import user_with_role
from desadevisa.nominations.selectors import nomination_scope
from desadevisa.verification.permissions import VisitAction, visit_can
from desadevisa.verification.selectors import nomination_visits, visit_scope
from desadevisa.verification.tests.factories import VisitFactory


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("administrator", {"35.visit", "33.visit"}),
        ("programme_officer", {"35.visit", "33.visit"}),
        ("provincial_officer", {"35.visit"}),
        ("verifier", set()),
        ("organisation_manager", set()),
        ("nobody", set()),
    ],
)
def test_each_role_reads_the_visits_of_its_scope(request, two_provinces, person, expected):
    user = request.getfixturevalue(person)

    assert two_provinces.names(visit_scope(user=user)) == expected


def test_a_verifier_reads_only_the_visits_assigned_to_them(two_provinces):
    verifier_33 = two_provinces.jawa_tengah.visit.verifiers.get()

    assert two_provinces.names(visit_scope(user=verifier_33)) == {"33.visit"}


def test_a_verifier_who_lost_the_role_reads_no_visit(two_provinces):
    verifier_33 = two_provinces.jawa_tengah.visit.verifiers.get()
    verifier_33.role_assignments.all().delete()

    assert not visit_scope(user=verifier_33).exists()


def test_a_verifier_reads_the_nominations_of_their_visits_only(two_provinces):
    verifier_33 = two_provinces.jawa_tengah.visit.verifiers.get()

    assert two_provinces.names(nomination_scope(user=verifier_33)) == {"33.nomination"}


def test_a_nomination_with_several_visits_of_a_verifier_is_one_row(db, verifier):
    first = VisitFactory(verifiers=[verifier], submitted=True)
    VisitFactory(nomination=first.nomination, verifiers=[verifier])

    assert list(nomination_scope(user=verifier)) == [first.nomination]


def test_the_verifier_fixture_reaches_no_nomination_without_a_visit(two_provinces, verifier):
    assert not nomination_scope(user=verifier).exists()


def test_only_assigned_verifiers_may_fill_in_a_visit(db, verifier, programme_officer):
    visit = VisitFactory(verifiers=[verifier])
    other = user_with_role(Role.VERIFIER, username="other-verifier")

    assert visit_can(user=verifier, visit=visit, action=VisitAction.FILL)
    assert not visit_can(user=other, visit=visit, action=VisitAction.FILL)
    assert not visit_can(user=programme_officer, visit=visit, action=VisitAction.FILL)
    assert visit_can(user=programme_officer, visit=visit, action=VisitAction.VIEW)


def test_the_nomination_panel_reads_visits_and_verifiers_in_two_queries(
    db, verifier, programme_officer, django_assert_num_queries
):
    first = VisitFactory(verifiers=[verifier], submitted=True)
    VisitFactory(nomination=first.nomination, verifiers=[verifier, programme_officer])
    user_scope(programme_officer)  # read once per request, before the page's own queries

    with django_assert_num_queries(2):
        visits = nomination_visits(user=programme_officer, nomination=first.nomination)
        names = [sorted(v.username for v in visit.verifiers.all()) for visit in visits]

    assert len(names) == 2
