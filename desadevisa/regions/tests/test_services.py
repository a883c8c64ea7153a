import gzip
from decimal import Decimal

import pytest
from django.utils import translation

from desadevisa.regions.models import Country, Village
from desadevisa.regions.services import (
    ReferenceFileError,
    RegionRow,
    countries_load,
    regions_load,
    regions_parse,
)
from desadevisa.regions.tests.reference_files import (
    VILLAGES,
    region_files_write,
    table_contents,
)


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English, the language of the source strings."""
    with translation.override("en"):
        yield


def with_line(text: str, number: int, line: str) -> str:
    """The file text with its line ``number`` (1 is the header) replaced by ``line``."""
    lines = text.splitlines()
    lines[number - 1] = line
    return "\n".join(lines) + "\n"


def counts(tables) -> dict[str, tuple[int, int, int]]:
    return {
        table.model._meta.label: (table.created, table.updated, table.unchanged) for table in tables
    }


def test_parse_reads_each_level_with_coordinates_as_stored(tmp_path):
    regions = regions_parse(directory=region_files_write(tmp_path))

    assert [row.code for row in regions.provinces] == ["34", "35"]
    assert [row.code for row in regions.districts] == ["34.04.01", "35.05.10"]
    assert regions.villages[3] == RegionRow(
        code="35.05.10.2001",
        parent_code="35.05.10",
        name="Minggirsari",
        latitude=Decimal("-8.138720"),
        longitude=Decimal("112.167437"),
    )
    assert regions.villages[1].latitude is None
    assert regions.villages[1].longitude is None


def test_parse_reads_uncompressed_files_as_well(tmp_path):
    region_files_write(tmp_path, villages=None)
    (tmp_path / "villages.csv").write_text(VILLAGES, encoding="utf-8")

    regions = regions_parse(directory=tmp_path)

    assert len(regions.villages) == 5


@pytest.mark.parametrize(
    ("line", "text", "problem"),
    [
        pytest.param(
            1,
            "code,parent,name,lat,lng",
            "the header must be “code,parent_code,name,lat,lng”",
            id="bad header",
        ),
        pytest.param(
            5,
            "35.05.10.2001,35.05.10,Minggirsari,-8.138720",
            "expected 5 fields, found 4",
            id="missing column",
        ),
        pytest.param(
            5,
            "35.05.10.2001,35.05.10,Minggirsari,-8.138720,112.167437,",
            "expected 5 fields, found 6",
            id="extra column",
        ),
        pytest.param(
            5,
            "35.5.10.2001,35.5.10,Minggirsari,-8.138720,112.167437",
            "“35.5.10.2001” is not a code of this level",
            id="bad code",
        ),
        pytest.param(
            4,
            "35.05.10,35.05,Kanigoro,-8.124330,112.207937",
            "“35.05.10” is not a code of this level",
            id="code of another level",
        ),
        pytest.param(
            5,
            "35.05.11.2001,35.05.11,Minggirsari,-8.138720,112.167437",
            "the parent code “35.05.11” is not in the level above",
            id="unknown parent",
        ),
        pytest.param(
            5,
            "35.05.10.2001,35.05.01,Minggirsari,-8.138720,112.167437",
            "the parent code of “35.05.10.2001” must be “35.05.10”",
            id="parent not the code's prefix",
        ),
        pytest.param(
            6,
            "35.05.10.2001,35.05.10,Jatinom,-8.129574,112.175103",
            "the code “35.05.10.2001” appears twice",
            id="duplicate code",
        ),
        pytest.param(
            5,
            "35.05.10.2001,35.05.10, ,-8.138720,112.167437",
            "the name must have 1 to 100 characters",
            id="empty name",
        ),
        pytest.param(
            5,
            "35.05.10.2001,35.05.10,Minggirsari,-8.1387x,112.167437",
            "“-8.1387x,112.167437” is not a point in Indonesia",
            id="latitude not a number",
        ),
        pytest.param(
            5,
            "35.05.10.2001,35.05.10,Minggirsari,112.167437,-8.138720",
            "“112.167437,-8.138720” is not a point in Indonesia",
            id="latitude and longitude swapped",
        ),
        pytest.param(
            5,
            "35.05.10.2001,35.05.10,Minggirsari,-8.138720,",
            "“-8.138720,” is not a point in Indonesia",
            id="longitude missing",
        ),
    ],
)
def test_parse_names_the_file_and_line_of_a_bad_row(tmp_path, line, text, problem):
    region_files_write(tmp_path, villages=with_line(VILLAGES, line, text))

    with pytest.raises(ReferenceFileError) as raised:
        regions_parse(directory=tmp_path)

    assert str(raised.value) == f"{tmp_path / 'villages.csv.gz'}, line {line}: {problem}"


def test_parse_names_the_line_that_is_not_utf8(tmp_path):
    region_files_write(tmp_path)
    path = tmp_path / "villages.csv.gz"
    with gzip.open(path, "wb") as file:
        file.write(VILLAGES.encode().replace(b"Jatinom", b"Jat\xefnom"))

    with pytest.raises(ReferenceFileError) as raised:
        regions_parse(directory=tmp_path)

    assert str(raised.value) == f"{path}, line 6: the text is not UTF-8"


def test_parse_names_a_missing_file(tmp_path):
    region_files_write(tmp_path, districts=None)

    with pytest.raises(ReferenceFileError) as raised:
        regions_parse(directory=tmp_path)

    assert str(raised.value) == f"{tmp_path / 'districts.csv.gz'}: the file does not exist"


def test_parse_names_a_file_that_is_not_gzip_compressed(tmp_path):
    region_files_write(tmp_path)
    (tmp_path / "regencies.csv.gz").write_text("code,parent_code,name,lat,lng\n")

    with pytest.raises(ReferenceFileError) as raised:
        regions_parse(directory=tmp_path)

    assert str(raised.value) == f"{tmp_path / 'regencies.csv.gz'}: the file is not gzip-compressed"


@pytest.mark.django_db
def test_load_stores_every_level_with_the_village_province_and_search_name(tmp_path):
    regions = regions_parse(directory=region_files_write(tmp_path))

    tables = regions_load(regions=regions)

    assert counts(tables) == {
        "regions.Province": (2, 0, 0),
        "regions.Regency": (2, 0, 0),
        "regions.District": (2, 0, 0),
        "regions.Village": (5, 0, 0),
    }
    village = Village.objects.get(code="35.05.10.2001")
    assert (village.district_id, village.province_id) == ("35.05.10", "35")
    assert village.search_name == "minggirsari"
    assert (village.latitude, village.longitude) == (Decimal("-8.138720"), Decimal("112.167437"))


@pytest.mark.django_db
def test_second_load_writes_nothing(tmp_path):
    regions = regions_parse(directory=region_files_write(tmp_path))
    regions_load(regions=regions)
    before = table_contents()

    tables = regions_load(regions=regions)

    assert counts(tables) == {
        "regions.Province": (0, 0, 2),
        "regions.Regency": (0, 0, 2),
        "regions.District": (0, 0, 2),
        "regions.Village": (0, 0, 5),
    }
    assert table_contents() == before


@pytest.mark.django_db
def test_load_updates_only_the_rows_that_changed(tmp_path):
    regions_load(regions=regions_parse(directory=region_files_write(tmp_path)))
    renamed = with_line(VILLAGES, 6, "35.05.10.2002,35.05.10,Jatinom Baru,-8.129574,112.175103")

    tables = regions_load(
        regions=regions_parse(directory=region_files_write(tmp_path, villages=renamed))
    )

    assert counts(tables)["regions.Village"] == (0, 1, 4)
    village = Village.objects.get(code="35.05.10.2002")
    assert (village.name, village.search_name) == ("Jatinom Baru", "jatinombaru")


@pytest.mark.django_db
def test_load_keeps_stored_rows_that_the_files_no_longer_list(tmp_path):
    regions_load(regions=regions_parse(directory=region_files_write(tmp_path)))
    without_jatinom = "".join(VILLAGES.splitlines(keepends=True)[:5])

    regions_load(
        regions=regions_parse(directory=region_files_write(tmp_path, villages=without_jatinom))
    )

    assert Village.objects.filter(code="35.05.10.2002").exists()


@pytest.mark.django_db
def test_load_reports_progress_until_each_table_is_done(tmp_path):
    regions = regions_parse(directory=region_files_write(tmp_path))
    reports = []

    regions_load(regions=regions, progress=lambda *report: reports.append(report))

    assert reports == [
        ("provinces", 0, 2),
        ("provinces", 2, 2),
        ("regencies and cities", 0, 2),
        ("regencies and cities", 2, 2),
        ("districts", 0, 2),
        ("districts", 2, 2),
        ("villages", 0, 5),
        ("villages", 5, 5),
    ]


@pytest.mark.django_db
def test_countries_are_named_in_english_and_indonesian():
    countries_load()

    names = {country.code: (country.name_en, country.name_id) for country in Country.objects.all()}
    assert names["ID"] == ("Indonesia", "Indonesia")
    assert names["DE"] == ("Germany", "Jerman")
    assert names["NL"] == ("Netherlands", "Belanda")
    assert names["KR"] == ("South Korea", "Korea Selatan")
    assert Country.objects.get(code="DE").alpha3 == "DEU"
    assert len(names) == 249


@pytest.mark.django_db
def test_second_countries_load_writes_nothing():
    countries_load()

    table = countries_load()

    assert (table.created, table.updated, table.unchanged) == (0, 0, 249)
