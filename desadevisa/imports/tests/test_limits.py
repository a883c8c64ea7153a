"""The work a workbook may cause is bounded before it is read: rows and columns as the sheet
declares them and as its rows are numbered, parts, their size once inflated, encrypted or
nested parts, and the length of a text (RL-6)."""

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.template.defaultfilters import filesizeformat

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.imports import reading
from desadevisa.imports.models import ImportJob, ImportKind
from desadevisa.imports.tests.helpers import (
    CRAFT_UNIT_HEADER_EN,
    post_file,
    row_counts,
    unit_row,
    xlsx_bytes,
)
from desadevisa.regions.tests.factories import VillageFactory

pytestmark = pytest.mark.django_db
KIND = ImportKind.CRAFT_UNITS
BEYOND_EXCEL = (
    "The sheet goes beyond the 1,048,576 rows and 16,384 columns a spreadsheet can have: the "
    "file is damaged."
)


@pytest.fixture
def village(jawa_timur):
    return VillageFactory(district__regency__province=jawa_timur)


@pytest.fixture
def signed_in(client, administrator):
    sign_in_verified(client, administrator)
    return client


def rewritten(content: bytes, change, *, extra: dict[str, bytes] | None = None) -> bytes:
    """The workbook with its sheet's XML passed through ``change`` and ``extra`` parts added."""
    source = zipfile.ZipFile(io.BytesIO(content))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename.startswith("xl/worksheets/"):
                data = change(data)
            target.writestr(member, data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return output.getvalue()


def with_row_at(content: bytes, number: int, dimension: str) -> bytes:
    """The workbook with one more row, numbered ``number``, and the dimension declared."""

    def change(xml: bytes) -> bytes:
        row = f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>x</t></is></c></row>'
        xml = xml.replace(b"</sheetData>", row.encode() + b"</sheetData>")
        return xml.replace(b"<sheetViews>", f'<dimension ref="{dimension}"/><sheetViews>'.encode())

    return rewritten(content, change)


def encrypted(content: bytes) -> bytes:
    """The workbook with its first part marked encrypted in the zip's directory."""
    data = bytearray(content)
    directory = zipfile.ZipFile(io.BytesIO(content)).start_dir
    assert data[directory : directory + 4] == b"PK\x01\x02"
    data[directory + 8] |= 0x1
    return bytes(data)


def units(village, count=1) -> bytes:
    return xlsx_bytes(CRAFT_UNIT_HEADER_EN, [unit_row(village.code, f"B{n}") for n in range(count)])


def refused(client, content: bytes) -> str:
    response = post_file(client, KIND, content, "units.xlsx")
    assert response.status_code == 400
    assert ImportJob.objects.count() == 0
    return response.context["error"]


def test_a_row_numbered_20_000_000_is_refused_before_any_row_is_read(signed_in, village):
    before = row_counts()

    message = refused(signed_in, with_row_at(units(village), 20_000_000, "A1:I20000000"))

    assert message == BEYOND_EXCEL
    assert row_counts() == before


def test_a_row_numbered_20_000_000_under_a_false_dimension_is_refused_when_reached(
    signed_in, village
):
    before = row_counts()

    post_file(signed_in, KIND, with_row_at(units(village), 20_000_000, "A1:I2"), "units.xlsx")

    assert ImportJob.objects.get().message == BEYOND_EXCEL
    assert row_counts() == before


def test_a_sheet_wider_than_excel_is_refused(signed_in, village):
    assert refused(signed_in, with_row_at(units(village), 3, "A1:XFE3")) == BEYOND_EXCEL


def test_a_sheet_declaring_more_rows_than_the_cap_is_refused(signed_in, village, settings):
    settings.IMPORT_MAX_ROWS = 10

    message = refused(signed_in, with_row_at(units(village), 50, "A1:I50"))

    assert message == "The file has more than 10 rows; split it."


def test_blank_rows_count_against_the_cap_when_rows_are_read(signed_in, village, settings):
    """Under a false dimension the numbers of the rows tell: the data ends beyond the cap."""
    settings.IMPORT_MAX_ROWS = 10

    post_file(signed_in, KIND, with_row_at(units(village), 50, "A1:I2"), "units.xlsx")

    assert ImportJob.objects.get().message == "The file has more than 10 rows; split it."


def test_a_workbook_inflating_beyond_the_cap_is_refused(signed_in, village, settings):
    settings.IMPORT_MAX_INFLATED_BYTES = 100_000
    content = rewritten(units(village), bytes, extra={"xl/padding.xml": b" " * 200_000})

    assert refused(signed_in, content) == (
        f"Unpacked, the workbook takes more than {filesizeformat(100_000)}. Split it into "
        "smaller files."
    )


def test_shared_strings_beyond_their_cap_are_refused_from_the_zip_directory(signed_in, village):
    """A 600 MB shared string doubled a worker's memory: now refused by its declared size
    (zipfile inflates no member beyond it)."""
    content = xlsx_bytes(CRAFT_UNIT_HEADER_EN, [unit_row(village.code, "B")])
    info = zipfile.ZipInfo("xl/sharedStrings.xml")
    info.compress_type = zipfile.ZIP_DEFLATED
    output = io.BytesIO(content)
    with (
        zipfile.ZipFile(output, "a") as archive,
        archive.open(info, "w", force_zip64=True) as member,
    ):
        chunk = b"a" * (1024 * 1024)
        for _ in range(65):
            member.write(chunk)

    assert refused(signed_in, output.getvalue()) == (
        f"Unpacked, the workbook takes more than {filesizeformat(reading.XLSX_PART_MAX_BYTES)}. "
        "Split it into smaller files."
    )


def test_a_text_far_beyond_a_cells_length_is_refused_before_reading(signed_in, village):
    # Spreadsheet programs keep at most 32,767 characters a cell; a file can hold more.
    content = rewritten(
        xlsx_bytes(CRAFT_UNIT_HEADER_EN, [unit_row(village.code, "LONG")]),
        lambda xml: xml.replace(b"<t>LONG</t>", b"<t>" + b"N" * 100_000 + b"</t>"),
    )

    assert (
        refused(signed_in, content) == "A cell of the workbook holds more than 10,000 characters."
    )


def test_a_workbook_of_too_many_parts_is_refused(signed_in, village):
    extra = {f"xl/part{n}.xml": b"<a/>" for n in range(1000)}

    assert refused(signed_in, rewritten(units(village), bytes, extra=extra)) == (
        "The workbook has more than 1,000 parts; save the sheet alone again."
    )


def test_an_encrypted_workbook_is_refused(signed_in, village):
    assert refused(signed_in, encrypted(units(village))) == (
        "The workbook is encrypted. Remove its password, save it and try again."
    )


def test_a_workbook_holding_another_archive_is_refused(signed_in, village):
    content = rewritten(units(village), bytes, extra={"xl/embeddings/inner.bin": units(village)})

    assert refused(signed_in, content) == (
        "The workbook holds another archive (xl/embeddings/inner.bin). Save the sheet without "
        "embedded files and try again."
    )


def test_the_command_refuses_a_row_numbered_20_000_000_in_one_line(
    tmp_path, administrator, village
):
    path = tmp_path / "units.xlsx"
    path.write_bytes(with_row_at(units(village), 20_000_000, "A1:I2"))

    with pytest.raises(CommandError) as raised:
        call_command(
            "import_spreadsheet",
            "craft-units",
            str(path),
            user=administrator.username,
            dry_run=True,
            stdout=io.StringIO(),
        )

    assert (str(raised.value), raised.value.returncode) == (BEYOND_EXCEL, 2)
