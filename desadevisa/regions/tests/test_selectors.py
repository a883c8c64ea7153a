import pytest
from django.http import Http404

from desadevisa.regions.models import District, Province, Regency, Village
from desadevisa.regions.selectors import region_get, village_search
from desadevisa.regions.tests.factories import DistrictFactory, VillageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kanigoro():
    return DistrictFactory(
        code="35.05.10",
        name="Kanigoro",
        regency__code="35.05",
        regency__name="Kabupaten Blitar",
        regency__province__code="35",
        regency__province__name="Jawa Timur",
    )


@pytest.fixture
def minggirsari(kanigoro):
    return VillageFactory(code="35.05.10.2001", name="Minggirsari", district=kanigoro)


def villages(district, names: dict[str, str]) -> None:
    for code, name in names.items():
        VillageFactory(code=f"{district.code}.{code}", name=name, district=district)


def names(query: str, **options) -> list[str]:
    return [village.name for village in village_search(query=query, **options)]


@pytest.mark.parametrize(
    ("code", "model", "name"),
    [
        ("35", Province, "Jawa Timur"),
        ("35.05", Regency, "Kabupaten Blitar"),
        ("35.05.10", District, "Kanigoro"),
        ("35.05.10.2001", Village, "Minggirsari"),
    ],
)
def test_region_get_finds_a_region_of_any_level_by_its_code(minggirsari, code, model, name):
    region = region_get(code=code)

    assert isinstance(region, model)
    assert region.name == name


def test_region_get_selects_what_the_village_path_reads(minggirsari, django_assert_num_queries):
    with django_assert_num_queries(1):
        village = region_get(code="35.05.10.2001")
        path = village.path

    assert path == "Minggirsari — Kanigoro, Kabupaten Blitar, Jawa Timur"


@pytest.mark.parametrize("code", ["35.05.10.2999", "36", "35.5", "35.05.10.2001 ", "Blitar"])
def test_region_get_answers_404_for_a_code_that_names_no_region(minggirsari, code):
    with pytest.raises(Http404):
        region_get(code=code)


@pytest.mark.parametrize("query", ["35.05.10", "350510", "35.05.1", "35.05", "35", " 35.05.10 "])
def test_village_search_by_code_prefix_answers_in_code_order(kanigoro, query):
    villages(kanigoro, {"2002": "Jatinom", "1008": "Kanigoro", "2001": "Minggirsari"})
    semen = DistrictFactory(code="35.06.01", regency__code="35.06", regency__province__code="35")
    villages(semen, {"2001": "Semen"})
    gamping = DistrictFactory(code="34.04.01", regency__code="34.04", regency__province__code="34")
    villages(gamping, {"2001": "Balecatur"})

    found = [village.code for village in village_search(query=query)]

    assert found[:3] == ["35.05.10.1008", "35.05.10.2001", "35.05.10.2002"]
    assert "34.04.01.2001" not in found


@pytest.mark.parametrize("query", ["35.05.10.2001", "3505102001"])
def test_village_search_by_full_code_finds_that_village(minggirsari, query):
    assert names(query) == ["Minggirsari"]


@pytest.mark.parametrize(
    "query", ["minggir", "MINGGIR", "Minggir Sari", "mínggirsari", "minggir-s"]
)
def test_village_search_by_name_ignores_case_accents_spaces_and_punctuation(minggirsari, query):
    assert names(query) == ["Minggirsari"]


def test_village_search_ranks_names_that_start_with_the_query_before_names_that_contain_it(
    kanigoro,
):
    villages(
        kanigoro,
        {
            "2001": "Wonosari",
            "2002": "Sari",
            "2003": "Tegalsari",
            "2004": "Sariharjo",
            "2005": "Sukasari",
            "2006": "Jatinom",
        },
    )

    assert names("sari") == ["Sari", "Sariharjo", "Sukasari", "Tegalsari", "Wonosari"]


def test_village_search_with_two_letters_matches_only_the_start_of_names(kanigoro):
    villages(kanigoro, {"2001": "Jatinom", "2002": "Pajajaran", "2003": "Jambewangi"})

    assert names("ja") == ["Jambewangi", "Jatinom"]


def test_village_search_orders_namesakes_by_code(kanigoro):
    villages(kanigoro, {"2002": "Kanigoro", "1008": "Kanigoro"})

    found = [village.code for village in village_search(query="kanigoro")]

    assert found == ["35.05.10.1008", "35.05.10.2002"]


def test_village_search_answers_at_most_the_limit(kanigoro):
    villages(kanigoro, {f"{2001 + n}": f"Sumber {n:02d}" for n in range(30)})

    assert names("sumber", limit=5) == [f"Sumber {n:02d}" for n in range(5)]
    assert len(names("sumber")) == 20


@pytest.mark.parametrize("query", ["", "  ", "m", "3", ".", "-", "x" * 101])
def test_village_search_with_too_short_or_too_long_a_query_finds_nothing(minggirsari, query):
    assert names(query) == []


@pytest.mark.parametrize("query", ["minggirsaribaru", "35.05.10.20011", "36", "zzz"])
def test_village_search_without_a_match_finds_nothing(minggirsari, query):
    assert names(query) == []


def test_village_search_selects_what_the_path_reads_in_one_query(
    minggirsari, django_assert_num_queries
):
    with django_assert_num_queries(1):
        paths = [village.path for village in village_search(query="minggir")]

    assert paths == ["Minggirsari — Kanigoro, Kabupaten Blitar, Jawa Timur"]
