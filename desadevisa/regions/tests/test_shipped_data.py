"""The region files shipped with the product, loaded once for this module."""

import pytest

from desadevisa.regions.models import District, Province, Regency, Village
from desadevisa.regions.selectors import region_get, village_search
from desadevisa.regions.services import regions_load, regions_parse
from desadevisa.regions.tests.reference_files import tables_clear

pytestmark = pytest.mark.django_db

MINGGIRSARI_PATH = "Minggirsari — Kanigoro, Kabupaten Blitar, Jawa Timur"


@pytest.fixture(scope="module", autouse=True)
def shipped_regions(django_db_setup, django_db_blocker):
    """Every shipped region, committed once; loading them takes seconds, not milliseconds."""
    with django_db_blocker.unblock():
        tables = regions_load(regions=regions_parse())
    yield tables
    with django_db_blocker.unblock():
        tables_clear()


def test_shipped_files_hold_the_whole_country(shipped_regions):
    created = {table.model: table.created for table in shipped_regions}

    assert created == {Province: 38, Regency: 514, District: 7_285, Village: 83_762}


def test_minggirsari_is_found_by_its_code_with_its_full_path():
    village = region_get(code="35.05.10.2001")

    assert village.path == MINGGIRSARI_PATH
    assert [village.path for village in village_search(query="35.05.10.2001")] == [MINGGIRSARI_PATH]


def test_minggirsari_is_found_by_the_start_of_its_name_with_its_full_path():
    paths = [village.path for village in village_search(query="minggir")]

    assert MINGGIRSARI_PATH in paths


def test_villages_whose_name_starts_with_the_query_come_first():
    found = [village.search_name for village in village_search(query="sari")]

    assert len(found) == 20
    assert all(name.startswith("sari") for name in found)
    assert found == sorted(found)


def test_a_village_keeps_its_province_and_coordinates():
    village = Village.objects.get(code="35.05.10.2001")

    assert village.province_id == "35"
    assert (str(village.latitude), str(village.longitude)) == ("-8.138720", "112.167437")
