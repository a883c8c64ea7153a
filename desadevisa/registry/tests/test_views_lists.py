"""The registry's list pages: constant queries, filters, sorts, and the export of what the
filter shows, never more than the scope."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.audit.models import AuditAction, AuditEvent
from desadevisa.regions.tests.factories import VillageFactory
from desadevisa.registry.tests.factories import (
    CraftUnitFactory,
    MembershipFactory,
    OrganisationFactory,
    VillageProfileFactory,
)

PROFILES = "/en/registry/villages/"
ORGANISATIONS = "/en/registry/organisations/"
UNITS = "/en/registry/craft-units/"
MEMBERSHIPS = "/en/registry/memberships/"


def query_count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def add_rows(province, count: int) -> None:
    """``count`` villages of ``province``, each with a profile, two organisations and a unit
    that is a member of one of them."""
    for _ in range(count):
        village = VillageFactory(district__regency__province=province)
        VillageProfileFactory(village=village)
        OrganisationFactory(village=village)
        MembershipFactory(craft_unit=CraftUnitFactory(village=village))


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def xlsx_rows(response) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return list(workbook.active.iter_rows(values_only=True))


# Queries -------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [PROFILES, ORGANISATIONS, UNITS, MEMBERSHIPS])
@pytest.mark.parametrize("reader", ["provincial_officer", "organisation_manager"])
def test_a_list_takes_the_same_number_of_queries_for_one_row_and_many(
    client, request, db, jawa_timur, url, reader
):
    user = request.getfixturevalue(reader)
    organisation = user.role_assignments.get().organisation
    if organisation is not None:
        # A manager reads their organisation's units and memberships.
        VillageProfileFactory(village=organisation.village)
        MembershipFactory(craft_unit__village=organisation.village, organisation=organisation)
    else:
        add_rows(jawa_timur, 1)
    sign_in_verified(client, user)
    one = query_count(client, url)

    if organisation is not None:
        for _ in range(30):
            MembershipFactory(craft_unit__village=organisation.village, organisation=organisation)
    else:
        add_rows(jawa_timur, 30)
    many = query_count(client, url)

    assert one == many


@pytest.mark.parametrize(
    ("url", "expected"), [(PROFILES, 10), (ORGANISATIONS, 10), (UNITS, 11), (MEMBERSHIPS, 10)]
)
def test_a_list_page_takes_a_known_number_of_queries(
    client, provincial_officer, jawa_timur, django_assert_num_queries, url, expected
):
    add_rows(jawa_timur, 3)
    sign_in_verified(client, provincial_officer)
    # Session, user, device, roles; the filters' choices; count and page; the session's save.

    with django_assert_num_queries(expected):
        client.get(url)


# What a list shows ---------------------------------------------------------------------------


def test_the_organisation_list_shows_only_the_officers_province(client, two_provinces):
    sign_in_verified(client, two_provinces.jawa_timur.officer)

    response = client.get(ORGANISATIONS)

    assert two_provinces.names(response.context["page"]) == {
        "35.organisation",
        "35.neighbour_organisation",
    }


def test_the_organisation_list_finds_by_registration_number_and_filters_by_kind(
    client, administrator
):
    wanted = OrganisationFactory(registration_number="AHU-777", kind="cooperative")
    OrganisationFactory(registration_number="AHU-778", kind="association")
    sign_in_verified(client, administrator)

    found = client.get(ORGANISATIONS, {"q": "ahu-777"})
    filtered = client.get(ORGANISATIONS, {"kind": "cooperative"})

    assert list(found.context["page"]) == [wanted]
    assert list(filtered.context["page"]) == [wanted]


def test_the_province_filter_offers_only_the_officers_provinces(client, two_provinces):
    sign_in_verified(client, two_provinces.jawa_timur.officer)

    response = client.get(UNITS)

    (province,) = [
        state for state in response.context["listing"].filters if state.name == "province"
    ]
    assert province.options == [("35", "Jawa Timur")]


def test_the_craft_unit_list_filters_by_running_member_of_an_organisation(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.officer)

    response = client.get(UNITS, {"organisation": records.organisation.pk})

    assert two_provinces.names(response.context["page"]) == {"35.member_unit"}


def test_the_craft_unit_list_sorts_by_workers(client, administrator):
    CraftUnitFactory(name="Besar", workers_women=50, workers_men=50)
    CraftUnitFactory(name="Kecil", workers_women=1, workers_men=0)
    sign_in_verified(client, administrator)

    response = client.get(UNITS, {"sort": "-workers"})

    assert [unit.name for unit in response.context["page"]] == ["Besar", "Kecil"]


def test_the_membership_list_filters_running_and_ended(client, two_provinces):
    sign_in_verified(client, two_provinces.jawa_timur.officer)

    running = client.get(MEMBERSHIPS, {"state": "running"})
    ended = client.get(MEMBERSHIPS, {"state": "ended"})

    assert two_provinces.names(running.context["page"]) == {
        "35.membership",
        "35.neighbour_membership",
    }
    assert two_provinces.names(ended.context["page"]) == {"35.former_membership"}


def test_the_village_profile_list_filters_by_publication(client, provincial_officer, jawa_timur):
    public = VillageProfileFactory(
        village=VillageFactory(district__regency__province=jawa_timur), is_public=True
    )
    VillageProfileFactory(village=VillageFactory(district__regency__province=jawa_timur))
    sign_in_verified(client, provincial_officer)

    response = client.get(PROFILES, {"public": "yes"})

    assert list(response.context["page"]) == [public]


def test_a_list_links_to_the_other_registry_lists(client, provincial_officer):
    sign_in_verified(client, provincial_officer)

    response = client.get(UNITS)

    for url in (PROFILES, ORGANISATIONS, MEMBERSHIPS):
        assert f'href="{url}"' in response.text
    assert 'href="/en/registry/craft-units/new/"' in response.text


def test_a_verifier_is_offered_no_create_link(client, verifier):
    sign_in_verified(client, verifier)

    response = client.get(UNITS)

    assert "/en/registry/craft-units/new/" not in response.text


# Exports -------------------------------------------------------------------------------------


def test_the_craft_unit_export_has_the_spreadsheet_columns_and_only_the_scope(
    client, two_provinces
):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.officer)

    response = client.get(UNITS, {"export": "csv", "sort": "name"})

    assert response["Content-Disposition"].startswith('attachment; filename="craft-units-')
    rows = csv_rows(response)
    assert rows[0] == [
        "Village code",
        "Name",
        "Owner",
        "Women workers",
        "Men workers",
        "Monthly capacity",
        "Capacity unit",
        "Business ID (NIB)",
        "Active",
    ]
    names = {row[1] for row in rows[1:]}
    assert names == {
        unit.name for unit in (records.member_unit, records.former_unit, records.neighbour_unit)
    }
    assert two_provinces.jawa_tengah.member_unit.name not in response.getvalue().decode()
    assert AuditEvent.objects.filter(action=AuditAction.EXPORTED).get().summary == (
        "craft-units: 3 rows"
    )


def test_the_export_follows_the_filter(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.officer)

    response = client.get(UNITS, {"export": "csv", "organisation": records.organisation.pk})

    assert [row[1] for row in csv_rows(response)[1:]] == [records.member_unit.name]


def test_the_export_writes_a_formula_as_text(client, administrator):
    CraftUnitFactory(name='=HYPERLINK("http://evil.example","Klik")')
    sign_in_verified(client, administrator)

    csv_response = client.get(UNITS, {"export": "csv"})
    xlsx_response = client.get(UNITS, {"export": "xlsx"})

    assert csv_rows(csv_response)[1][1] == '\'=HYPERLINK("http://evil.example","Klik")'
    assert xlsx_rows(xlsx_response)[1][1] == '\'=HYPERLINK("http://evil.example","Klik")'


def test_the_membership_export_has_the_spreadsheet_columns(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.manager)

    response = client.get(MEMBERSHIPS, {"export": "xlsx", "sort": "unit"})

    rows = xlsx_rows(response)
    assert rows[0] == (
        "Village code",
        "Craft unit",
        "Organisation kind",
        "Organisation registration number",
        "Started on",
        "Ended on",
    )
    first = rows[1:]
    assert len(first) == 2
    assert {row[1] for row in first} == {records.member_unit.name, records.former_unit.name}
    former = next(row for row in first if row[1] == records.former_unit.name)
    # openpyxl reads a date cell back as a naive datetime at midnight.
    assert former[4].date() == datetime.date(2020, 1, 1)
    assert former[5].date() == datetime.date(2021, 6, 30)


def test_the_village_profile_export_has_its_columns(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.officer)

    response = client.get(PROFILES, {"export": "csv"})

    header, row = csv_rows(response)
    village = records.profile.village
    assert header == [
        "Village code",
        "Village",
        "District",
        "Regency or city",
        "Province",
        "Flagship commodity",
        "Latitude",
        "Longitude",
        "On the public showcase",
        "Active craft units",
    ]
    assert row[:6] == [
        village.code,
        village.name,
        village.district.name,
        village.district.regency.name,
        "Jawa Timur",
        "Kendang djimbe",
    ]
    assert row[8:] == ["no", "3"]


def test_the_organisation_export_leaves_out_other_provinces(client, two_provinces):
    sign_in_verified(client, two_provinces.jawa_timur.officer)

    response = client.get(ORGANISATIONS, {"export": "xlsx"})

    names = {row[1] for row in xlsx_rows(response)[1:]}
    records = two_provinces.jawa_timur
    assert names == {records.organisation.legal_name, records.neighbour_organisation.legal_name}


@pytest.mark.parametrize(("person", "shows_edit"), [("verifier", False), ("officer", True)])
def test_the_membership_list_offers_edit_links_only_to_those_who_may_change(
    client, request, two_provinces, person, shows_edit
):
    user = (
        two_provinces.jawa_timur.officer if person == "officer" else request.getfixturevalue(person)
    )
    sign_in_verified(client, user)

    response = client.get(MEMBERSHIPS)

    membership = two_provinces.jawa_timur.membership
    edit = reverse("registry:membership-update", kwargs={"pk": membership.pk})
    assert (edit in response.text) is shows_edit
