"""Who may curate exhibitions and their display items (SECURITY §2.1)."""

import pytest

from desadevisa.registry.tests.scope_cases import ROLES, person
from desadevisa.showcase.permissions import display_item_can, exhibition_can, exhibition_can_create

CURATORS = ("administrator", "programme_officer")


@pytest.mark.parametrize("name", ROLES)
def test_every_role_reads_an_exhibition_and_only_national_roles_change_it(
    request, two_provinces, name
):
    user = person(request, name)
    exhibition = two_provinces.exhibition

    assert exhibition_can(user=user, exhibition=exhibition, action="view")
    assert exhibition_can(user=user, exhibition=exhibition, action="change") is (name in CURATORS)
    assert exhibition_can(user=user, exhibition=exhibition, action="delete") is (name in CURATORS)


@pytest.mark.parametrize("name", ROLES)
def test_only_national_roles_change_a_display_item_its_products_people_read(
    request, two_provinces, name
):
    user = person(request, name)
    item = two_provinces.jawa_timur.display_item

    assert display_item_can(user=user, item=item, action="view")
    assert display_item_can(user=user, item=item, action="change") is (name in CURATORS)


def test_a_display_item_outside_the_scope_cannot_be_viewed(two_provinces):
    officer = two_provinces.jawa_timur.officer

    assert not display_item_can(
        user=officer, item=two_provinces.jawa_tengah.display_item, action="view"
    )


def test_the_anonymous_may_not_view_an_exhibition_on_staff_pages(two_provinces, request):
    anonymous = person(request, "anonymous")

    assert not exhibition_can(user=anonymous, exhibition=two_provinces.exhibition, action="view")


@pytest.mark.parametrize("name", [*ROLES, "nobody", "anonymous"])
def test_only_national_roles_create_exhibitions(request, db, name):
    user = person(request, name)

    assert exhibition_can_create(user=user) is (name in CURATORS)
