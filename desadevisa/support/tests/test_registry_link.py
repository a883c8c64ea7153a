"""The registry's village page links to the village's support plan for those who read support
(the registry template uses the ``support`` template library; no query added)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.support.templatetags.support import reads_support


def registry_page(records) -> str:
    return f"/en/registry/villages/{records.profile.village_id}/"


def plan_page(records) -> str:
    return f"/en/support/villages/{records.profile.village_id}/"


@pytest.mark.parametrize(
    "person", ["administrator", "programme_officer", "provincial_officer", "organisation_manager"]
)
def test_the_village_page_links_to_the_support_plan_for_its_readers(
    client, request, two_provinces, person
):
    east = two_provinces.jawa_timur
    sign_in_verified(client, request.getfixturevalue(person))

    response = client.get(registry_page(east))

    assert response.status_code == 200
    assert plan_page(east) in response.content.decode()
    assert client.get(plan_page(east)).status_code == 200


def test_a_verifier_sees_no_link_to_the_support_plan(client, two_provinces, verifier):
    east = two_provinces.jawa_timur
    sign_in_verified(client, verifier)

    response = client.get(registry_page(east))

    assert response.status_code == 200
    assert plan_page(east) not in response.content.decode()


def test_the_link_costs_no_query_once_the_scope_is_read(two_provinces, programme_officer):
    from desadevisa.accounts.scopes import user_scope

    user_scope(programme_officer)

    with CaptureQueriesContext(connection) as queries:
        assert reads_support(programme_officer)

    assert len(queries.captured_queries) == 0


def test_the_anonymous_read_no_support():
    from django.contrib.auth.models import AnonymousUser

    assert not reads_support(AnonymousUser())
