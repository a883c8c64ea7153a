"""Who may view, change and delete products and their photos (SECURITY §2.1)."""

import pytest

from desadevisa.catalog.permissions import (
    product_can,
    product_create_allowed,
    product_maker_choices,
    product_makers_allowed,
    product_photo_can,
)
from desadevisa.registry.tests.scope_cases import (
    both,
    jawa_timur,
    permission_cases,
    permitted,
    person,
    record,
)

PRODUCTS = ["35.product", "35.former_product", "35.neighbour_product", "33.product"]
PROVINCE_PRODUCTS = jawa_timur("product", "former_product", "neighbour_product")
CHANGERS = {
    "administrator": set(PRODUCTS),
    "programme_officer": set(PRODUCTS),
    # Only while a unit that makes it is a member: the former member's product is history.
    "organisation_manager": jawa_timur("product"),
}


@pytest.mark.parametrize(
    ("action", "name", "expected"),
    permission_cases(
        {
            "view": {
                "administrator": set(PRODUCTS),
                "programme_officer": set(PRODUCTS),
                "verifier": set(PRODUCTS),
                "provincial_officer": PROVINCE_PRODUCTS,
                "organisation_manager": jawa_timur("product", "former_product"),
            },
            "change": CHANGERS,
            "delete": CHANGERS,
        },
    ),
)
def test_product_permissions_follow_the_matrix(request, two_provinces, action, name, expected):
    user = person(request, name)

    allowed = permitted(
        two_provinces, product_can, "product", user=user, action=action, among=PRODUCTS
    )

    assert allowed == expected


PHOTOS = ["35.photo", "35.neighbour_photo", "33.photo"]
PHOTO_CHANGERS = {
    "administrator": set(PHOTOS),
    "programme_officer": set(PHOTOS),
    "organisation_manager": jawa_timur("photo"),
}


@pytest.mark.parametrize(
    ("action", "name", "expected"),
    permission_cases(
        {
            "view": {
                "administrator": set(PHOTOS),
                "programme_officer": set(PHOTOS),
                "verifier": set(PHOTOS),
                "provincial_officer": jawa_timur("photo", "neighbour_photo"),
                "organisation_manager": jawa_timur("photo"),
            },
            "change": PHOTO_CHANGERS,
            "delete": PHOTO_CHANGERS,
        },
    ),
)
def test_product_photo_permissions_follow_the_matrix(
    request, two_provinces, action, name, expected
):
    user = person(request, name)

    allowed = permitted(
        two_provinces, product_photo_can, "photo", user=user, action=action, among=PHOTOS
    )

    assert allowed == expected


def test_a_manager_may_no_longer_change_a_product_once_its_unit_has_left(two_provinces):
    records = two_provinces.jawa_timur
    assert product_can(user=records.manager, product=records.product, action="change")

    records.membership.ended_on = records.membership.started_on
    records.membership.save(update_fields=["ended_on"])

    assert product_can(user=records.manager, product=records.product, action="view")
    assert not product_can(user=records.manager, product=records.product, action="change")


def test_a_verifier_reads_every_product_but_changes_none(two_provinces, verifier):
    products = [record(two_provinces, name) for name in sorted(both("product"))]

    assert all(product_can(user=verifier, product=p, action="view") for p in products)
    assert not any(product_can(user=verifier, product=p, action="change") for p in products)


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("administrator", True),
        ("programme_officer", True),
        ("organisation_manager", True),
        ("provincial_officer", False),
        ("verifier", False),
        ("nobody", False),
    ],
)
def test_who_may_create_products(request, two_provinces, name, allowed):
    assert product_create_allowed(user=person(request, name)) is allowed


def test_a_manager_names_only_the_running_member_units_of_their_organisations(two_provinces):
    records = two_provinces.jawa_timur

    assert set(product_maker_choices(user=records.manager)) == {records.member_unit}


def test_a_manager_whose_units_have_all_left_may_not_create_products(two_provinces):
    records = two_provinces.jawa_timur
    records.membership.ended_on = records.membership.started_on
    records.membership.save(update_fields=["ended_on"])

    assert not product_create_allowed(user=records.manager)


def test_a_manager_keeps_a_product_only_with_one_of_their_units_among_the_makers(two_provinces):
    records = two_provinces.jawa_timur

    assert product_makers_allowed(user=records.manager, craft_units=[records.member_unit])
    assert not product_makers_allowed(user=records.manager, craft_units=[records.neighbour_unit])
    assert not product_makers_allowed(user=records.manager, craft_units=[])
