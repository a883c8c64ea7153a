"""Who reaches the pages of exhibitions and venues (``SharedObject`` in access_exhibitions):
records of no province, read by every staff member, changed by national roles only."""

import pytest
from django.urls import resolve, reverse
from django.utils import translation

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.audit.models import AuditAction, AuditEvent
from desadevisa.core.tests.matrix import SIGNED_IN, UNSAFE_METHODS
from desadevisa.showcase.tests.access_exhibitions import PATTERNS, SharedObject
from desadevisa.showcase.tests.test_exhibition_views import row_counts

SHARED = [(name, access) for name, access in PATTERNS.items() if isinstance(access, SharedObject)]


def url(name, access, world) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=access.kwargs(world, world.jawa_timur))


@pytest.mark.parametrize(("name", "access"), SHARED)
@pytest.mark.parametrize("person", SIGNED_IN)
def test_a_shared_record_page_answers_every_role_and_404_to_a_person_without_one(
    client, request, two_provinces, name, access, person
):
    sign_in_verified(client, request.getfixturevalue(person))

    response = getattr(client, access.method)(url(name, access, two_provinces))

    expected = access.status
    if person in access.refused:
        expected = 403
    if person == "nobody":
        expected = 404
    assert response.status_code == expected


@pytest.mark.parametrize(("name", "access"), SHARED)
@pytest.mark.parametrize("method", ["get", *UNSAFE_METHODS])
def test_the_anonymous_are_sent_to_sign_in_from_a_shared_record_page(
    client, two_provinces, name, access, method
):
    path = url(name, access, two_provinces)
    before = row_counts()

    response = getattr(client, method)(path)

    assert response.status_code == 302
    assert resolve(response["Location"].split("?")[0]).view_name == "accounts:login"
    assert row_counts() == before


@pytest.mark.parametrize(("name", "access"), SHARED)
@pytest.mark.parametrize("method", ["get", *UNSAFE_METHODS])
def test_any_method_from_a_person_without_a_role_answers_404_and_changes_nothing(
    client, two_provinces, nobody, name, access, method
):
    sign_in_verified(client, nobody)
    path = url(name, access, two_provinces)
    before = row_counts()

    response = getattr(client, method)(path)

    assert response.status_code == 404
    after = row_counts()
    assert after.pop("audit.AuditEvent") == before.pop("audit.AuditEvent") + 1
    assert after == before
    assert AuditEvent.objects.latest("pk").action == AuditAction.ACCESS_DENIED


@pytest.mark.parametrize(
    ("name", "access", "person"),
    [
        pytest.param(name, access, person)
        for name, access in SHARED
        for person in sorted(access.refused)
    ],
)
def test_a_reader_who_may_not_curate_gets_403_for_a_post_and_nothing_changes(
    client, request, two_provinces, name, access, person
):
    sign_in_verified(client, request.getfixturevalue(person))
    path = url(name, access, two_provinces)
    before = row_counts()

    response = client.post(path, {"name": "Hall", "city": "Jakarta", "product": "1"})

    assert response.status_code == 403
    after = row_counts()
    assert after.pop("audit.AuditEvent") == before.pop("audit.AuditEvent") + 1
    assert after == before
