import pytest
from django.urls import reverse

from desadevisa.regions.tests.factories import DistrictFactory, VillageFactory

pytestmark = pytest.mark.django_db

URL = reverse("regions:village-search")


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


def test_village_search_answers_code_name_and_path(client, kanigoro):
    VillageFactory(code="35.05.10.2001", name="Minggirsari", district=kanigoro)

    response = client.get(URL, {"q": "minggir"})

    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {
                "code": "35.05.10.2001",
                "name": "Minggirsari",
                "path": "Minggirsari — Kanigoro, Kabupaten Blitar, Jawa Timur",
            }
        ]
    }


@pytest.mark.parametrize("villages", [1, 25])
def test_village_search_takes_one_query_however_many_villages_match(
    client, kanigoro, django_assert_num_queries, villages
):
    for n in range(villages):
        VillageFactory(code=f"35.05.10.{2001 + n}", name=f"Sumber {n:02d}", district=kanigoro)

    with django_assert_num_queries(1):
        response = client.get(URL, {"q": "sumber"})

    assert len(response.json()["results"]) == min(villages, 20)


@pytest.mark.parametrize("query", [{}, {"q": ""}, {"q": "m"}])
def test_village_search_with_no_or_too_short_a_query_answers_no_results(
    client, kanigoro, django_assert_num_queries, query
):
    VillageFactory(code="35.05.10.2001", name="Minggirsari", district=kanigoro)

    with django_assert_num_queries(0):
        response = client.get(URL, query)

    assert response.status_code == 200
    assert response.json() == {"results": []}


def test_village_search_answers_only_get(client):
    response = client.post(URL, {"q": "minggir"})

    assert response.status_code == 405
