import pytest
from django.db.models import F

from desadevisa.regions.lookups import KeyContains, KeyStartsWith
from desadevisa.regions.models import Village
from desadevisa.regions.tests.factories import VillageFactory

pytestmark = pytest.mark.django_db


def matches(lookup, text: str) -> list[str]:
    return list(
        Village.objects.filter(lookup(F("search_name"), text)).values_list("name", flat=True)
    )


def test_key_starts_with_matches_only_the_start():
    VillageFactory(name="Minggirsari")

    assert matches(KeyStartsWith, "minggir") == ["Minggirsari"]
    assert matches(KeyStartsWith, "sari") == []


def test_key_contains_matches_anywhere():
    VillageFactory(name="Minggirsari")

    assert matches(KeyContains, "ggirsa") == ["Minggirsari"]


@pytest.mark.parametrize("text", ["%", "_", "*", "?", "[m]", "m%i", "m_nggir", "m*i"])
@pytest.mark.parametrize("lookup", [KeyStartsWith, KeyContains])
def test_key_lookups_take_pattern_characters_as_plain_text(lookup, text):
    VillageFactory(name="Minggirsari")

    assert matches(lookup, text) == []
