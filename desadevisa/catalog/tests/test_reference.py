import pytest
from django.utils import translation

from desadevisa.catalog.models import HSCode, HSLevel
from desadevisa.catalog.reference import hs_codes_load, hs_codes_parse
from desadevisa.regions.services import ReferenceFileError
from desadevisa.regions.tests.reference_files import file_write

HS_CODES = """\
code,parent_code,level,description
XVIII,,section,"Optical, measuring and medical instruments; clocks; musical instruments"
92,XVIII,chapter,Musical instruments; parts and accessories of such articles
9206,92,heading,"Musical instruments; percussion (e.g. drums, xylophones, cymbals)"
920600,9206,subheading,"Musical instruments; percussion (e.g. drums, xylophones, cymbals)"
"""


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English, the language of the source strings."""
    with translation.override("en"):
        yield


@pytest.fixture
def hs_file(tmp_path):
    return file_write(tmp_path / "hs.csv.gz", HS_CODES)


def with_row(row: str) -> str:
    return HS_CODES + row + "\n"


@pytest.mark.django_db
def test_shipped_nomenclature_places_the_drum_heading_under_chapter_92():
    table = hs_codes_load(rows=hs_codes_parse())

    drums = HSCode.objects.select_related("parent__parent").get(code="9206")
    assert (drums.level, drums.parent_id, drums.parent.parent_id) == (
        HSLevel.HEADING,
        "92",
        "XVIII",
    )
    assert drums.description.startswith("Musical instruments; percussion (e.g. drums")
    assert HSCode.objects.get(code="920600").parent_id == "9206"
    assert table.created == 6_957


@pytest.mark.django_db
def test_second_load_writes_nothing(hs_file):
    rows = hs_codes_parse(path=hs_file)
    hs_codes_load(rows=rows)
    before = list(HSCode.objects.values_list())

    table = hs_codes_load(rows=rows)

    assert (table.created, table.updated, table.unchanged) == (0, 0, 4)
    assert list(HSCode.objects.values_list()) == before


@pytest.mark.django_db
def test_load_updates_a_changed_description(hs_file, tmp_path):
    hs_codes_load(rows=hs_codes_parse(path=hs_file))
    renamed = HS_CODES.replace("92,XVIII,chapter,Musical instruments;", "92,XVIII,chapter,Music;")

    table = hs_codes_load(rows=hs_codes_parse(path=file_write(tmp_path / "new.csv", renamed)))

    assert (table.created, table.updated, table.unchanged) == (0, 1, 3)
    assert HSCode.objects.get(code="92").description.startswith("Music; parts")


def test_parse_accepts_children_listed_before_their_parent(tmp_path):
    header, *rows = HS_CODES.splitlines()
    path = file_write(tmp_path / "hs.csv", "\n".join([header, *reversed(rows)]) + "\n")

    codes = [row.code for row in hs_codes_parse(path=path)]

    assert codes == ["920600", "9206", "92", "XVIII"]


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("920610,9206,subheading", "expected 4 fields, found 3"),
        (
            "920610,9206,item,Drums",
            "the level must be one of section, chapter, heading, subheading",
        ),
        ("9206.10,9206,subheading,Drums", "“9206.10” is not a code of this level"),
        ("9206,92,subheading,Drums", "“9206” is not a code of this level"),
        ("IIX,,section,Drums", "“IIX” is not a code of this level"),
        ("920600,9206,subheading,Drums", "the code “920600” appears twice"),
        ("920610,9207,subheading,Drums", "the parent code of “920610” must be “9206”"),
        ("9207,92,heading, ", "the description is empty"),
        ("XIX,XVIII,section,Arms", "a section has no parent code"),
        ("93,,chapter,Arms", "a chapter needs the numeral of its section as parent code"),
        ("93,XIX,chapter,Arms", "the parent code “XIX” is not in the level above"),
        ("93,9206,chapter,Arms", "the parent code “9206” is not in the level above"),
        ("9301,93,heading,Arms", "the parent code “93” is not in the level above"),
    ],
)
def test_parse_names_the_file_and_line_of_a_bad_row(tmp_path, row, problem):
    path = file_write(tmp_path / "hs.csv.gz", with_row(row))

    with pytest.raises(ReferenceFileError) as raised:
        hs_codes_parse(path=path)

    assert str(raised.value) == f"{path}, line 6: {problem}"
