"""The HS code search behind the product form's suggestions."""

import pytest

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.catalog.models import HSCode, HSLevel
from desadevisa.catalog.selectors import hs_code_search
from desadevisa.catalog.tests.factories import HSCodeFactory

SEARCH_URL = "/en/catalog/hs-codes/"


@pytest.fixture
def nomenclature(db):
    HSCodeFactory(code="920600", description="Percussion musical instruments (drums)")
    HSCodeFactory(code="920710", description="Keyboard instruments, electric")
    HSCodeFactory(code="4420", description="Wood marquetry; caskets of wood")
    HSCode.objects.filter(code="92").update(description="Musical instruments")


def codes(found) -> list[str]:
    return [code.code for code in found]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("9206", ["9206", "920600"]),
        ("92.06", ["9206", "920600"]),
        ("9206.00", ["920600"]),
        ("92", ["9206", "920600", "9207", "920710"]),
        ("drums", ["920600"]),
        ("Percussion DRUMS", ["920600"]),
        ("92 electric", ["920710"]),
        ("musical", ["920600"]),
        ("", []),
        ("nothing-like-it", []),
    ],
)
def test_the_search_finds_headings_and_subheadings_by_code_or_words(
    nomenclature, django_assert_num_queries, query, expected
):
    with django_assert_num_queries(1 if query else 0):
        found = hs_code_search(query=query)

    assert codes(found) == expected


def test_the_search_never_offers_chapters_or_sections(nomenclature):
    levels = {code.level for code in hs_code_search(query="9")}

    assert levels <= {HSLevel.HEADING, HSLevel.SUBHEADING}


def test_the_search_answers_at_most_twenty(db):
    for number in range(30):
        HSCodeFactory(code=f"9206{number:02d}")

    assert len(hs_code_search(query="9206")) == 20


def test_the_endpoint_answers_json_to_signed_in_staff(client, nomenclature, provincial_officer):
    sign_in_verified(client, provincial_officer)

    response = client.get(SEARCH_URL, {"q": "92.06"})

    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {"code": "9206", "level": "heading", "description": "HS 9206"},
            {
                "code": "920600",
                "level": "subheading",
                "description": "Percussion musical instruments (drums)",
            },
        ]
    }


def test_the_endpoint_sends_the_anonymous_to_sign_in(client, nomenclature):
    response = client.get(SEARCH_URL, {"q": "9206"})

    assert response.status_code == 302


def test_a_long_query_is_cut_rather_than_refused(client, nomenclature, administrator):
    sign_in_verified(client, administrator)

    response = client.get(SEARCH_URL, {"q": "drums " * 10_000})

    assert response.status_code == 200
