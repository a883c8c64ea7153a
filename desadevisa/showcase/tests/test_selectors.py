"""Which exhibitions and display items each person reads on staff pages."""

import pytest
from django.http import Http404

from desadevisa.registry.tests.scope_cases import both, jawa_timur, person, scope_cases
from desadevisa.showcase.selectors import (
    display_item_get,
    display_item_scope,
    exhibition_get,
    exhibition_scope,
)

ITEMS = ("display_item", "neighbour_display_item")


@pytest.mark.parametrize(
    ("name", "expected"),
    scope_cases(
        national={"exhibition"},
        verifier={"exhibition"},
        officer={"exhibition"},
        manager={"exhibition"},
    ),
)
def test_exhibition_scope_shows_every_exhibition_to_anyone_holding_a_role(
    request, two_provinces, name, expected
):
    user = person(request, name)

    assert two_provinces.names(exhibition_scope(user=user)) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    scope_cases(
        national=both(*ITEMS),
        verifier=both(*ITEMS),
        officer=jawa_timur(*ITEMS),
        manager=jawa_timur("display_item"),
    ),
)
def test_display_item_scope_returns_the_items_of_the_products_the_person_reads(
    request, two_provinces, name, expected
):
    user = person(request, name)

    assert two_provinces.names(display_item_scope(user=user)) == expected


def test_display_item_get_answers_404_for_an_item_of_the_other_province(two_provinces):
    officer = two_provinces.jawa_timur.officer
    own, other = two_provinces.jawa_timur.display_item, two_provinces.jawa_tengah.display_item

    assert display_item_get(user=officer, pk=own.pk) == own
    with pytest.raises(Http404):
        display_item_get(user=officer, pk=other.pk)


def test_exhibition_get_answers_404_to_a_signed_in_person_without_a_role(two_provinces, nobody):
    with pytest.raises(Http404):
        exhibition_get(user=nobody, pk=two_provinces.exhibition.pk)


# Exhibition reads -------------------------------------------------------------------------------


def _tally(item, count):
    import datetime

    from desadevisa.showcase.models import ScanTally

    ScanTally.objects.create(display_item=item, day=datetime.date(2022, 11, 15), count=count)


@pytest.mark.parametrize(
    ("name", "items", "scans"),
    [
        ("administrator", 4, 15),
        ("verifier", 4, 15),
        ("provincial_officer", 2, 3),
        ("organisation_manager", 1, 1),
        ("nobody", None, None),
    ],
)
def test_the_exhibition_list_counts_the_items_and_scans_each_person_reads(
    request, two_provinces, name, items, scans
):
    from desadevisa.showcase.selectors import exhibition_list_rows

    _tally(two_provinces.jawa_timur.display_item, 1)
    _tally(two_provinces.jawa_timur.neighbour_display_item, 2)
    _tally(two_provinces.jawa_tengah.display_item, 4)
    _tally(two_provinces.jawa_tengah.neighbour_display_item, 8)

    rows = list(exhibition_list_rows(user=person(request, name)))

    assert [(row.item_count, row.scan_total) for row in rows] == (
        [] if items is None else [(items, scans)]
    )


def test_the_public_items_are_those_of_public_products_in_order(two_provinces):
    from desadevisa.showcase.selectors import display_item_public_list

    member = two_provinces.jawa_timur.display_item
    member.product.is_public = True
    member.product.save()

    assert list(display_item_public_list(exhibition=two_provinces.exhibition)) == [member]


def test_a_code_finds_its_item_only_while_the_product_is_public(two_provinces):
    from desadevisa.showcase.selectors import display_item_public_by_code

    item = two_provinces.jawa_timur.display_item

    assert display_item_public_by_code(code=item.code) is None
    item.product.is_public = True
    item.product.save()
    assert display_item_public_by_code(code=item.code) == item


def test_the_display_candidates_are_public_products_not_displayed_yet(two_provinces):
    from desadevisa.catalog.tests.factories import ProductFactory
    from desadevisa.showcase.selectors import display_candidates

    displayed = two_provinces.jawa_timur.product
    displayed.is_public = True
    displayed.save()
    offered = ProductFactory(name_en="Djembe drum, large", is_public=True)
    ProductFactory(name_en="Djembe drum, private", is_public=False)

    found = display_candidates(exhibition=two_provinces.exhibition, query="djembe")

    assert found == [offered]
