from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from desadevisa.catalog.models import HSCode
from desadevisa.operations.reference import reference_load
from desadevisa.regions.models import Country, District, Province, Regency, Village
from desadevisa.regions.tests.reference_files import (
    REGENCIES,
    VILLAGES,
    file_write,
    region_files_write,
    table_contents,
)

HS_CODES = """\
code,parent_code,level,description
XVIII,,section,"Optical, measuring and medical instruments; clocks; musical instruments"
92,XVIII,chapter,Musical instruments; parts and accessories of such articles
9206,92,heading,"Musical instruments; percussion (e.g. drums, xylophones, cymbals)"
920600,9206,subheading,"Musical instruments; percussion (e.g. drums, xylophones, cymbals)"
"""

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English, the language of the source strings."""
    with translation.override("en"):
        yield


@pytest.fixture
def files(tmp_path):
    """Small region and HS files in the shipped format, and the command options naming them."""
    regions_dir = region_files_write(tmp_path / "regions")
    hs_file = file_write(tmp_path / "hs2022.csv.gz", HS_CODES)
    return {"regions_dir": regions_dir, "hs_file": hs_file}


def load(**options) -> str:
    out = StringIO()
    call_command("load_reference", stdout=out, **options)
    return out.getvalue()


def test_command_loads_the_files_and_reports_each_table(files):
    output = load(**files)

    assert output.splitlines() == [
        "provinces: 2 created, 0 updated, 0 unchanged",
        "regencies and cities: 2 created, 0 updated, 0 unchanged",
        "districts: 2 created, 0 updated, 0 unchanged",
        "villages: 5 created, 0 updated, 0 unchanged",
        "countries: 249 created, 0 updated, 0 unchanged",
        "HS codes: 4 created, 0 updated, 0 unchanged",
    ]
    assert Village.objects.get(code="35.05.10.2001").name == "Minggirsari"
    assert HSCode.objects.get(code="9206").parent_id == "92"
    assert Country.objects.get(code="DE").name_id == "Jerman"


def test_command_run_again_writes_nothing(files):
    load(**files)
    before = table_contents(HSCode)

    output = load(**files)

    assert output.splitlines() == [
        "provinces: 0 created, 0 updated, 2 unchanged",
        "regencies and cities: 0 created, 0 updated, 2 unchanged",
        "districts: 0 created, 0 updated, 2 unchanged",
        "villages: 0 created, 0 updated, 5 unchanged",
        "countries: 0 created, 0 updated, 249 unchanged",
        "HS codes: 0 created, 0 updated, 4 unchanged",
    ]
    assert table_contents(HSCode) == before


def test_command_is_quiet_at_verbosity_zero(files):
    assert load(verbosity=0, **files) == ""


@pytest.mark.parametrize(
    ("regions", "hs_codes", "file", "problem"),
    [
        pytest.param(
            {"villages": VILLAGES.replace("Jatinom,-8.129574", "Jatinom,-8.12x")},
            HS_CODES,
            "villages.csv.gz",
            ", line 6: “-8.12x,112.175103” is not a point in Indonesia",
            id="bad line in the middle",
        ),
        pytest.param(
            {"regencies": REGENCIES.replace("code,parent_code,", "kode,induk,")},
            HS_CODES,
            "regencies.csv.gz",
            ", line 1: the header must be “code,parent_code,name,lat,lng”",
            id="bad header",
        ),
        pytest.param(
            {"districts": None},
            HS_CODES,
            "districts.csv.gz",
            ": the file does not exist",
            id="missing file",
        ),
        pytest.param(
            {},
            HS_CODES + "9207,93,heading,Keyboard instruments\n",
            "hs2022.csv.gz",
            ", line 6: the parent code of “9207” must be “92”",
            id="bad HS row after good region files",
        ),
    ],
)
def test_command_with_a_broken_file_names_it_and_changes_nothing(
    files, tmp_path, regions, hs_codes, file, problem
):
    load(**files)
    before = table_contents(HSCode)
    broken = tmp_path / "broken"
    # A valid change beside the broken file: it must not be written either.
    renamed = VILLAGES.replace("Minggirsari", "Minggirsari Baru")
    region_files_write(broken, **{"villages": renamed, **regions})
    file_write(broken / "hs2022.csv.gz", hs_codes)

    with pytest.raises(CommandError) as raised:
        load(regions_dir=broken, hs_file=broken / "hs2022.csv.gz")

    assert str(raised.value) == f"{broken / file}{problem}"
    assert table_contents(HSCode) == before


def test_second_load_of_the_shipped_data_writes_nothing():
    first = reference_load()
    before = table_contents(HSCode)

    second = reference_load()

    assert {table.model: table.created for table in first} == {
        Province: 38,
        Regency: 514,
        District: 7_285,
        Village: 83_762,
        Country: 249,
        HSCode: 6_957,
    }
    assert [(table.created, table.updated) for table in second] == [(0, 0)] * 6
    assert table_contents(HSCode) == before
