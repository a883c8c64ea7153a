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
