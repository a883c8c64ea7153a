"""Numbers in cells: read in the file's style (Indonesian ``1.250,50``, English ``1,250.50``),
and refused with the reason when they are not numbers, not finite, out of the column's range
or more precise than it holds, whatever their size."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import DecimalField, PositiveIntegerField
from django.urls import reverse
from django.utils import translation

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.imports import fields
from desadevisa.imports.fields import INDONESIAN, CellError
from desadevisa.imports.importers import IMPORTERS
from desadevisa.imports.models import ImportJob, ImportKind, ImportStatus
from desadevisa.imports.tests.helpers import (
    CRAFT_UNIT_HEADER_EN,
    csv_bytes,
    headers,
    post_file,
    row_counts,
    unit_row,
    xlsx_bytes,
)
from desadevisa.regions.tests.factories import VillageFactory
from desadevisa.registry.models import CraftUnit
from desadevisa.registry.spreadsheets import CRAFT_UNIT_COLUMNS

EN_MISREAD = (
    "Write the number as this file's numbers are read, the English way: a point for decimals "
    "and, if any, commas between thousands, e.g. 1250.50 or 1,250.50."
)
ID_MISREAD = (
    "Write the number as this file's numbers are read, the Indonesian way: a comma for "
    "decimals and, if any, points between thousands, e.g. 1250,50 or 1.250,50."
)
COUNT = fields.integer(maximum=1_000_000_000)
COUNT_ID = fields.integer(maximum=1_000_000_000, numbers=INDONESIAN)
AMOUNT = fields.decimal_number(places=2, maximum=Decimal("99999999999999.99"))
AMOUNT_ID = fields.decimal_number(
    places=2, maximum=Decimal("99999999999999.99"), numbers=INDONESIAN
)


def refusal(parse, raw) -> str:
    with translation.override("en"), pytest.raises(CellError) as raised:
        parse(raw)
    with translation.override("en"):
        return str(raised.value.message)


@pytest.mark.parametrize(
    ("parse", "raw", "value"),
    [
        pytest.param(COUNT_ID, "1.000", 1000, id="id-thousand"),
        pytest.param(COUNT_ID, "1.500", 1500, id="id-fifteen-hundred"),
        pytest.param(COUNT_ID, "1.250.000", 1_250_000, id="id-groups"),
        pytest.param(COUNT_ID, "2,0", 2, id="id-whole-with-decimals"),
        pytest.param(COUNT, "1,000", 1000, id="en-thousand"),
        pytest.param(COUNT, "1.000", 1, id="en-one"),
        pytest.param(AMOUNT_ID, "1.250,50", Decimal("1250.50"), id="id-grouped-decimal"),
        pytest.param(AMOUNT_ID, "1250,5", Decimal("1250.50"), id="id-decimal"),
        pytest.param(AMOUNT_ID, "1.500", Decimal("1500.00"), id="id-amount-thousand"),
        pytest.param(AMOUNT, "1,250.50", Decimal("1250.50"), id="en-grouped-decimal"),
        pytest.param(AMOUNT, "1.500", Decimal("1.50"), id="en-one-and-a-half"),
        pytest.param(AMOUNT, 0.1 + 0.2, Decimal("0.30"), id="float-as-the-cell-shows-it"),
        pytest.param(AMOUNT_ID, 1250.5, Decimal("1250.50"), id="number-cell-in-any-style"),
    ],
)
def test_a_number_is_read_in_the_files_style(parse, raw, value):
    assert parse(raw) == value


@pytest.mark.parametrize(
    ("parse", "raw", "message"),
    [
        pytest.param(COUNT_ID, "1.5", ID_MISREAD, id="id-point-not-between-thousands"),
        pytest.param(AMOUNT_ID, "0.500", ID_MISREAD, id="id-point-after-zero"),
        pytest.param(AMOUNT_ID, "1,250.50", ID_MISREAD, id="id-english-number"),
        pytest.param(AMOUNT, "1,5", EN_MISREAD, id="en-comma-not-between-thousands"),
        pytest.param(AMOUNT, "1.250,50", EN_MISREAD, id="en-indonesian-number"),
        pytest.param(COUNT, "1 000", EN_MISREAD, id="space-between-thousands"),
        pytest.param(COUNT_ID, "1,5", "Give a whole number.", id="id-fraction-in-whole-column"),
        pytest.param(COUNT, "lots", "Give a number.", id="words"),
        pytest.param(COUNT, "NaN", "Give a number.", id="nan-text"),
        pytest.param(COUNT, "inf", "Give a number.", id="inf-text"),
        pytest.param(COUNT, "1e999", "Give a number.", id="exponent-text"),
        pytest.param(COUNT, float("nan"), "Give a number.", id="nan-cell"),
        pytest.param(AMOUNT, Decimal("NaN"), "Give a number.", id="nan-decimal"),
        pytest.param(COUNT, float("inf"), "Must be at most 1,000,000,000.", id="inf-cell"),
        pytest.param(COUNT, float("-inf"), "Cannot be negative.", id="minus-inf-cell"),
        pytest.param(COUNT, 10**30, "Must be at most 1,000,000,000.", id="30-digit-cell"),
        pytest.param(COUNT, "9" * 5000, "Must be at most 1,000,000,000.", id="5000-digit-text"),
        pytest.param(COUNT, 1e20, "Must be at most 1,000,000,000.", id="float-beyond-range"),
        pytest.param(COUNT, "-3", "Cannot be negative.", id="negative-count"),
        pytest.param(COUNT, 2.5, "Give a whole number.", id="fraction-cell"),
        pytest.param(
            AMOUNT, float("inf"), "Must be at most 99,999,999,999,999.99.", id="inf-amount"
        ),
        pytest.param(
            AMOUNT, "1" + "0" * 26, "Must be at most 99,999,999,999,999.99.", id="10e26-text"
        ),
        pytest.param(AMOUNT, 10**30, "Must be at most 99,999,999,999,999.99.", id="10e30-cell"),
        pytest.param(
            AMOUNT_ID,
            "1" + "0" * 30 + ",5",
            "Must be at most 99,999,999,999,999.99.",
            id="10e30-indonesian",
        ),
        pytest.param(AMOUNT, "-0.01", "Cannot be negative.", id="negative-amount"),
        pytest.param(
            AMOUNT, "12.345", "At most 2 digits after the decimal mark.", id="three-places"
        ),
        pytest.param(
            AMOUNT_ID, "12,345", "At most 2 digits after the decimal mark.", id="id-three-places"
        ),
        pytest.param(
            AMOUNT, 12.345, "At most 2 digits after the decimal mark.", id="three-places-cell"
        ),
    ],
)
def test_a_cell_that_is_no_storable_number_is_refused_with_the_reason(parse, raw, message):
    assert refusal(parse, raw) == message


@pytest.mark.parametrize("kind", list(IMPORTERS))
def test_every_number_a_column_accepts_fits_its_database_column(kind):
    """No number a parser lets through can overflow the column it is written to."""
    importer = IMPORTERS[kind]
    parsers = importer.parsers_described()

    by_attribute = {field.attname: field for field in importer.model._meta.concrete_fields}
    for name, attribute in importer.compared.items():
        model_field, parse = by_attribute.get(attribute), parsers[name]
        if isinstance(model_field, DecimalField):
            whole_digits = model_field.max_digits - model_field.decimal_places
            assert parse.places == model_field.decimal_places, name
            assert parse.maximum < Decimal(10) ** whole_digits, name
        elif isinstance(model_field, PositiveIntegerField):
            lowest, highest = BaseDatabaseOperations.integer_field_ranges[
                model_field.get_internal_type()
            ]
            assert lowest <= parse.minimum <= parse.maximum <= highest, name


# Through the page and the command -------------------------------------------------------------


@pytest.fixture
def village(jawa_timur):
    return VillageFactory(district__regency__province=jawa_timur)


MARKER = 987_654_321


def xlsx_with_raw_number(header, rows, raw: str) -> bytes:
    """An XLSX file whose number cells holding MARKER hold ``raw`` as written in the file."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes(header, rows)))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = source.read(member)
            if member.filename.startswith("xl/worksheets/"):
                content = content.replace(f"<v>{MARKER}</v>".encode(), f"<v>{raw}</v>".encode())
            target.writestr(member, content)
    return output.getvalue()


@pytest.mark.django_db
def test_an_xlsx_cell_of_1e999_is_reported_with_its_row_and_column(client, administrator, village):
    content = xlsx_with_raw_number(
        CRAFT_UNIT_HEADER_EN,
        [
            unit_row(village.code, "Bengkel 1"),
            unit_row(village.code, "Bengkel 2", monthly_capacity=MARKER),
            unit_row(village.code, "Bengkel 3", workers_men=MARKER),
        ],
        "1e999",
    )
    sign_in_verified(client, administrator)
    before = row_counts()

    post_file(client, ImportKind.CRAFT_UNITS, content, "units.xlsx")

    job = ImportJob.objects.get()
    assert job.status == ImportStatus.INVALID
    assert job.errors == [
        {"row": 3, "column": "Monthly capacity", "message": "Must be at most 1,000,000,000."},
        {"row": 4, "column": "Men workers", "message": "Must be at most 100,000."},
    ]
    assert row_counts() == before


@pytest.mark.django_db
def test_the_command_reports_an_infinite_cell_as_the_page_does(tmp_path, administrator, village):
    path = tmp_path / "units.xlsx"
    path.write_bytes(
        xlsx_with_raw_number(
            CRAFT_UNIT_HEADER_EN,
            [unit_row(village.code, "Bengkel 1", monthly_capacity=MARKER)],
            "1e999",
        )
    )
    errors = io.StringIO()

    with pytest.raises(CommandError, match=r"^1 errors: nothing was written\.$"):
        call_command(
            "import_spreadsheet",
            "craft-units",
            str(path),
            user=administrator.username,
            stdout=io.StringIO(),
            stderr=errors,
        )

    assert errors.getvalue() == "row 2, Monthly capacity: Must be at most 1,000,000,000.\n"


@pytest.mark.django_db
def test_an_indonesian_file_reads_1_000_as_one_thousand(client, administrator, village):
    content = csv_bytes(
        headers(CRAFT_UNIT_COLUMNS, "id"),
        [unit_row(village.code, "Bengkel 1", monthly_capacity="1.000", workers_men="1.500")],
        delimiter=";",
    )
    sign_in_verified(client, administrator)

    post_file(client, ImportKind.CRAFT_UNITS, content)
    job = ImportJob.objects.get()
    client.post(reverse("imports:job-apply", kwargs={"pk": job.pk}))

    unit = CraftUnit.objects.get(name="Bengkel 1")
    assert (unit.monthly_capacity, unit.workers_men) == (1000, 1500)


@pytest.mark.django_db
def test_a_file_without_a_headers_language_is_read_in_the_persons(tmp_path, administrator, village):
    header = [column.name for column in CRAFT_UNIT_COLUMNS]
    path = tmp_path / "units.csv"
    path.write_bytes(csv_bytes(header, [unit_row(village.code, "B", monthly_capacity="2.500")]))

    call_command(
        "import_spreadsheet",
        "craft-units",
        str(path),
        user=administrator.username,
        language="id",
        stdout=io.StringIO(),
    )

    assert CraftUnit.objects.get(name="B").monthly_capacity == 2500
