"""Which products and photos each person reads on staff pages."""

import pytest
from django.http import Http404

from desadevisa.accounts.scopes import user_scope
from desadevisa.catalog.selectors import (
    product_get,
    product_photo_get,
    product_photo_scope,
    product_scope,
    village_product_list,
)
from desadevisa.registry.tests.scope_cases import both, jawa_timur, person, scope_cases

PRODUCTS = ("product", "former_product", "neighbour_product")


@pytest.mark.parametrize(
    ("name", "expected"),
    scope_cases(
        national=both(*PRODUCTS),
        verifier=both(*PRODUCTS),
        officer=jawa_timur(*PRODUCTS),
        # Products of units that were members once stay readable, as history.
        manager=jawa_timur("product", "former_product"),
    ),
)
def test_product_scope_returns_exactly_the_products_the_person_reads(
    request, two_provinces, name, expected
):
    user = person(request, name)

    assert two_provinces.names(product_scope(user=user)) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    scope_cases(
        national=both("photo", "neighbour_photo"),
        verifier=both("photo", "neighbour_photo"),
        officer=jawa_timur("photo", "neighbour_photo"),
        manager=jawa_timur("photo"),
    ),
)
def test_product_photo_scope_returns_exactly_the_photos_of_the_products_the_person_reads(
    request, two_provinces, name, expected
):
    user = person(request, name)

    assert two_provinces.names(product_photo_scope(user=user)) == expected


@pytest.mark.parametrize(("get", "field"), [(product_get, "product"), (product_photo_get, "photo")])
@pytest.mark.parametrize("reader", ["officer", "manager"])
def test_get_returns_the_readers_own_record_and_404_for_the_other_provinces(
    two_provinces, get, field, reader
):
    user = getattr(two_provinces.jawa_timur, reader)
    own = getattr(two_provinces.jawa_timur, field)
    other = getattr(two_provinces.jawa_tengah, field)

    assert get(user=user, pk=own.pk) == own
    with pytest.raises(Http404):
        get(user=user, pk=other.pk)


@pytest.mark.parametrize(
    ("get", "field"),
    [(product_get, "neighbour_product"), (product_photo_get, "neighbour_photo")],
)
def test_get_answers_404_to_a_manager_for_another_organisations_record_in_their_village(
    two_provinces, get, field
):
    manager = two_provinces.jawa_timur.manager

    with pytest.raises(Http404):
        get(user=manager, pk=getattr(two_provinces.jawa_timur, field).pk)


def test_a_product_made_by_units_of_two_organisations_is_read_once_by_each_manager(
    two_provinces,
):
    records = two_provinces.jawa_timur
    records.product.craft_units.add(records.neighbour_unit, records.former_unit)

    products = list(product_scope(user=records.manager))

    assert two_provinces.names(products) == jawa_timur("product", "former_product")
    assert len(products) == 2


@pytest.mark.parametrize("scope", [product_scope, product_photo_scope])
@pytest.mark.parametrize("name", ["provincial_officer", "organisation_manager"])
def test_each_scope_is_one_query(request, two_provinces, django_assert_num_queries, scope, name):
    user = person(request, name)
    user_scope(user)

    with django_assert_num_queries(1):
        rows = list(scope(user=user))

    assert rows


def test_village_product_list_keeps_the_villages_products_the_person_reads(two_provinces):
    records = two_provinces.jawa_timur
    village = records.profile.village_id

    managers = village_product_list(user=records.manager, village_code=village)
    officers = village_product_list(user=records.officer, village_code=village)

    assert two_provinces.names(managers) == jawa_timur("product", "former_product")
    assert two_provinces.names(officers) == jawa_timur(*PRODUCTS)
