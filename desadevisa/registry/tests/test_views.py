"""The registry's staff pages: the village profile list and detail."""

import re

import pytest
from django.conf import settings
from django.shortcuts import resolve_url

from desadevisa.accounts.models import RoleAssignment, User
from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.audit.models import AuditAction
from desadevisa.audit.services import audit_record
from desadevisa.core.models import DataOrigin
from desadevisa.regions.tests.factories import VillageFactory
from desadevisa.registry.tests.factories import (
    CraftUnitFactory,
    MembershipFactory,
    VillageProfileFactory,
    VillageProfilePhotoFactory,
)

LIST_URL = "/en/registry/villages/"


def detail_url(profile) -> str:
    return f"/en/registry/villages/{profile.village_id}/"


def profiles_in(province, count: int, **fields) -> list:
    return [
        VillageProfileFactory(
            village=VillageFactory(district__regency__province=province), **fields
        )
        for _ in range(count)
    ]


# Who gets in ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [LIST_URL, "/en/registry/villages/35.05.10.2001/"])
@pytest.mark.django_db
def test_the_anonymous_are_sent_to_sign_in_and_back(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{resolve_url(settings.LOGIN_URL)}?next={url}"


def test_a_session_still_owing_its_one_time_code_is_sent_to_the_code_step(client, two_provinces):
    client.force_login(two_provinces.jawa_timur.officer)

    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/two-factor/")


def test_a_signed_in_person_without_a_role_gets_an_empty_list(client, two_provinces, nobody):
    sign_in_verified(client, nobody)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert list(response.context["page"]) == []
    assert "There are no village profiles in your area of work." in response.text


def test_a_signed_in_person_without_a_role_gets_404_for_a_profile(client, two_provinces, nobody):
    sign_in_verified(client, nobody)

    response = client.get(detail_url(two_provinces.jawa_timur.profile))

    assert response.status_code == 404


def test_the_list_refuses_to_be_posted_to(client, provincial_officer):
    sign_in_verified(client, provincial_officer)

    response = client.post(LIST_URL)

    assert response.status_code == 405


# The list -------------------------------------------------------------------------------------


def test_the_list_shows_a_provincial_officer_only_their_provinces_profiles(client, two_provinces):
    sign_in_verified(client, two_provinces.jawa_timur.officer)

    response = client.get(LIST_URL)

    assert two_provinces.names(response.context["page"]) == {"35.profile"}
    assert two_provinces.jawa_timur.profile.village.name in response.text
    assert two_provinces.jawa_tengah.profile.village.name not in response.text


def test_the_list_shows_name_region_path_commodity_and_active_unit_count(client, two_provinces):
    records = two_provinces.jawa_timur
    CraftUnitFactory(village=records.profile.village, is_active=False)
    village = records.profile.village
    sign_in_verified(client, records.officer)

    response = client.get(LIST_URL)

    district = village.district
    assert f'href="{detail_url(records.profile)}">{village.name}</a>' in response.text
    assert f"{district.name}, {district.regency.name}, Jawa Timur · {village.code}" in (
        response.text
    )
    assert "Kendang djimbe" in response.text
    assert re.search(r"<dt>Active craft units</dt>\s*<dd>3</dd>", response.text)


def test_the_list_is_sorted_by_village_name(client, provincial_officer, jawa_timur):
    for name in ["Sumberejo", "Minggirsari", "Karangsono"]:
        VillageProfileFactory(
            village=VillageFactory(name=name, district__regency__province=jawa_timur)
        )
    sign_in_verified(client, provincial_officer)

    response = client.get(LIST_URL)

    names = [profile.village.name for profile in response.context["page"]]
    assert names == ["Karangsono", "Minggirsari", "Sumberejo"]


def test_the_list_finds_villages_by_name(client, provincial_officer, jawa_timur):
    for name in ["Minggirsari", "Karangsono"]:
        VillageProfileFactory(
            village=VillageFactory(name=name, district__regency__province=jawa_timur)
        )
    sign_in_verified(client, provincial_officer)

    response = client.get(LIST_URL, {"q": "minggir sari"})

    assert [profile.village.name for profile in response.context["page"]] == ["Minggirsari"]
    assert 'value="minggir sari"' in response.text


def test_the_list_says_when_nothing_matches_the_search(client, two_provinces):
    sign_in_verified(client, two_provinces.jawa_timur.officer)

    response = client.get(LIST_URL, {"q": "Atlantis"})

    assert "No village profile matches “Atlantis”." in response.text


def test_the_list_shows_25_profiles_a_page_and_keeps_the_search_across_pages(
    client, provincial_officer, jawa_timur
):
    profiles_in(jawa_timur, 26)
    sign_in_verified(client, provincial_officer)

    first = client.get(LIST_URL, {"q": "desa"})
    second = client.get(LIST_URL, {"q": "desa", "page": 2})

    assert len(first.context["page"]) == 25
    assert len(second.context["page"]) == 1
    assert 'href="?q=desa&amp;page=2" rel="next"' in first.text
    assert 'href="?q=desa&amp;page=1" rel="prev"' in second.text


def test_the_list_takes_the_same_number_of_queries_for_one_profile_and_many(
    client, provincial_officer, jawa_timur, django_assert_num_queries
):
    (profile,) = profiles_in(jawa_timur, 1)
    CraftUnitFactory(village=profile.village)
    sign_in_verified(client, provincial_officer)
    # Session, user, one-time device, roles, provinces of the filter, count, page, and the
    # session's save (three).
    with django_assert_num_queries(10):
        one = client.get(LIST_URL)
    for profile in profiles_in(jawa_timur, 30):
        MembershipFactory(craft_unit=CraftUnitFactory(village=profile.village))

    with django_assert_num_queries(10):
        many = client.get(LIST_URL)

    assert len(one.context["page"]) == 1
    assert len(many.context["page"]) == 25


def test_the_list_labels_demonstration_profiles(client, provincial_officer, jawa_timur):
    profiles_in(jawa_timur, 1, origin=DataOrigin.DEMO)
    sign_in_verified(client, provincial_officer)

    response = client.get(LIST_URL)

    assert '<span class="badge badge--demo">Demonstration data</span>' in response.text
    assert '<div class="demo-banner">' in response.text


def test_the_list_shows_no_demonstration_label_for_real_profiles(
    client, provincial_officer, jawa_timur
):
    profiles_in(jawa_timur, 1)
    sign_in_verified(client, provincial_officer)

    response = client.get(LIST_URL)

    assert "badge--demo" not in response.text


# The detail page ------------------------------------------------------------------------------


def test_the_detail_page_shows_an_officer_the_villages_whole_registry(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.officer)

    response = client.get(detail_url(records.profile))

    assert response.status_code == 200
    text = response.text
    for organisation in (records.organisation, records.neighbour_organisation):
        assert organisation.legal_name in text
    for unit in (records.member_unit, records.former_unit, records.neighbour_unit):
        assert unit.name in text
    for product in (records.product, records.former_product, records.neighbour_product):
        assert product.name_en in text


def test_the_detail_page_shows_workers_and_running_memberships_of_a_unit(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.officer)

    response = client.get(detail_url(records.profile))

    assert "10 (4 women, 6 men)" in response.text
    assert f"{records.organisation.legal_name}, since Jan. 1, 2020" in response.text


def test_the_detail_page_leaves_out_inactive_units(client, two_provinces):
    records = two_provinces.jawa_timur
    inactive = CraftUnitFactory(village=records.profile.village, is_active=False)
    sign_in_verified(client, records.officer)

    response = client.get(detail_url(records.profile))

    assert records.member_unit.name in response.text
    assert inactive.name not in response.text


def test_the_detail_page_shows_a_manager_only_their_organisations_records(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.manager)

    response = client.get(detail_url(records.profile))

    assert response.status_code == 200
    text = response.text
    assert records.organisation.legal_name in text
    assert records.member_unit.name in text
    assert records.product.name_en in text
    assert records.neighbour_organisation.legal_name not in text
    assert records.neighbour_unit.name not in text
    assert records.neighbour_product.name_en not in text


@pytest.mark.parametrize("reader", ["officer", "manager"])
def test_the_detail_page_answers_404_for_a_profile_of_another_province(
    client, two_provinces, reader
):
    sign_in_verified(client, getattr(two_provinces.jawa_timur, reader))

    own = client.get(detail_url(two_provinces.jawa_timur.profile))
    other = client.get(detail_url(two_provinces.jawa_tengah.profile))

    assert own.status_code == 200
    assert other.status_code == 404


def test_the_detail_page_answers_404_for_a_village_without_a_profile(
    client, administrator, jawa_timur
):
    village = VillageFactory(district__regency__province=jawa_timur)
    sign_in_verified(client, administrator)

    response = client.get(f"/en/registry/villages/{village.code}/")

    assert response.status_code == 404


def test_the_detail_page_takes_a_fixed_number_of_queries(
    client, two_provinces, django_assert_num_queries
):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.officer)
    # Session, user, device, roles; profile, photos, organisations, units, memberships,
    # products, history, the change permission; and the session's save (three).
    with django_assert_num_queries(15):
        client.get(detail_url(records.profile))
    for _ in range(5):
        MembershipFactory(craft_unit=CraftUnitFactory(village=records.profile.village))
        VillageProfilePhotoFactory(profile=records.profile)
        audit_record(actor=records.officer, action=AuditAction.CHANGED, obj=records.profile)

    with django_assert_num_queries(15):
        client.get(detail_url(records.profile))


def test_the_detail_page_labels_demonstration_records(client, two_provinces):
    records = two_provinces.jawa_timur
    records.member_unit.origin = DataOrigin.DEMO
    records.member_unit.save(update_fields=["origin"])
    sign_in_verified(client, records.officer)

    response = client.get(detail_url(records.profile))

    assert response.text.count('<span class="badge badge--demo">Demonstration data</span>') == 1
    assert '<div class="demo-banner">' in response.text


# Scope changes -------------------------------------------------------------------------------


def test_an_officer_moved_to_another_province_sees_the_new_one_on_the_next_request(
    client, two_provinces
):
    officer = two_provinces.jawa_timur.officer
    sign_in_verified(client, officer)
    assert client.get(detail_url(two_provinces.jawa_timur.profile)).status_code == 200

    RoleAssignment.objects.filter(user=officer).update(province=two_provinces.jawa_tengah.province)

    assert client.get(detail_url(two_provinces.jawa_timur.profile)).status_code == 404
    assert client.get(detail_url(two_provinces.jawa_tengah.profile)).status_code == 200
    listed = client.get(LIST_URL).context["page"]
    assert two_provinces.names(listed) == {"33.profile"}


def test_a_deactivated_officer_loses_the_pages_at_once(client, two_provinces):
    officer = two_provinces.jawa_timur.officer
    sign_in_verified(client, officer)
    assert client.get(detail_url(two_provinces.jawa_timur.profile)).status_code == 200

    User.objects.filter(pk=officer.pk).update(is_active=False)
    response = client.get(detail_url(two_provinces.jawa_timur.profile))

    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_the_detail_page_shows_the_history_of_the_profile(client, two_provinces):
    records = two_provinces.jawa_timur
    audit_record(
        actor=records.officer,
        action=AuditAction.CHANGED,
        obj=records.profile,
        changes={"flagship_commodity": ["Kendang", "Kendang djimbe"]},
    )
    sign_in_verified(client, records.officer)

    response = client.get(detail_url(records.profile))

    assert [event.changes for event in response.context["events"]] == [
        {"flagship_commodity": ["Kendang", "Kendang djimbe"]}
    ]
    assert "Kendang djimbe" in response.content.decode()
