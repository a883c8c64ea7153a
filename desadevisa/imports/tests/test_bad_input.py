"""Files refused as a whole, and bad rows: no 500, nothing written, a message people
understand (the issue's "Bad input" list, RL-6)."""

import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import translation

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.core.tests.files import MINIMAL_PDF, picture_bytes
from desadevisa.imports.models import ImportJob, ImportKind, ImportStatus
from desadevisa.imports.tests.helpers import (
    CRAFT_UNIT_HEADER_EN,
    csv_bytes,
    post_file,
    row_counts,
    unit_row,
    xlsx_bytes,
)
from desadevisa.regions.tests.factories import VillageFactory

pytestmark = pytest.mark.django_db
KIND = ImportKind.CRAFT_UNITS


@pytest.fixture
def village(jawa_timur):
    return VillageFactory(district__regency__province=jawa_timur)


@pytest.fixture
def signed_in(client, administrator):
    sign_in_verified(client, administrator)
    return client


def refusal(response) -> str:
    """The message of a refused upload, as the page shows it."""
    return response.context["error"] or str(response.context["form"].errors["file"][0])


def job_errors() -> list[dict]:
    return ImportJob.objects.latest("created_at").errors


def docx_bytes() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return output.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        pytest.param(
            docx_bytes(),
            "units.xlsx",
            "The file is not an XLSX workbook (perhaps another document renamed). Save the "
            "sheet as XLSX or CSV and try again.",
            id="word-document-renamed-xlsx",
        ),
        pytest.param(
            picture_bytes(),
            "units.xlsx",
            "The file is neither a CSV text file in UTF-8 nor an XLSX workbook. Save the "
            "sheet as CSV UTF-8 or XLSX and try again.",
            id="image-renamed-xlsx",
        ),
        pytest.param(
            MINIMAL_PDF,
            "units.csv",
            "The file is a PDF document, not a spreadsheet. Send a CSV or XLSX file.",
            id="pdf",
        ),
        pytest.param(
            b"PK\x03\x04 this is not really a zip archive",
            "units.xlsx",
            "The file is damaged: it cannot be opened.",
            id="damaged-zip",
        ),
        pytest.param(
            bytes(range(256)) * 10,
            "units.csv",
            "The file is neither a CSV text file in UTF-8 nor an XLSX workbook. Save the "
            "sheet as CSV UTF-8 or XLSX and try again.",
            id="binary-junk",
        ),
        pytest.param(
            "Kode desa;Nama\n".encode("utf-16"),
            "units.csv",
            "The file is neither a CSV text file in UTF-8 nor an XLSX workbook. Save the "
            "sheet as CSV UTF-8 or XLSX and try again.",
            id="utf-16",
        ),
        pytest.param(b"\xef\xbb\xbf\r\n", "units.csv", "The file is empty.", id="only-a-bom"),
        pytest.param(b"", "units.csv", "The submitted file is empty.", id="empty"),
        pytest.param(
            b"Village code,Name\n35.01.01.2001,Bengkel\n",
            "units.csv",
            "Missing columns: Owner, Monthly capacity.",
            id="missing-columns",
        ),
        pytest.param(
            csv_bytes([*CRAFT_UNIT_HEADER_EN, "Notes"], []),
            "units.csv",
            "Unknown columns: “Notes”. Use the headers of the template.",
            id="unknown-column",
        ),
        pytest.param(
            csv_bytes([*CRAFT_UNIT_HEADER_EN, "Name"], []),
            "units.csv",
            "Columns given twice: Name.",
            id="repeated-column",
        ),
        pytest.param(
            csv_bytes([f"Column {number}" for number in range(60)], []),
            "units.csv",
            "The file has more than 50 columns.",
            id="too-many-columns",
        ),
    ],
)
def test_a_file_refused_as_a_whole_is_answered_400_and_nothing_is_stored(
    signed_in, content, name, message
):
    before = row_counts()

    response = post_file(signed_in, KIND, content, name)

    assert response.status_code == 400
    assert refusal(response) == message
    assert ImportJob.objects.count() == 0
    assert row_counts() == before


def test_missing_columns_are_named_in_the_persons_language(signed_in):
    with translation.override("id"):
        url = reverse("imports:import-start")
    header = ["Kode desa", "Nama"]

    response = signed_in.post(
        url, {"kind": KIND, "file": _upload(csv_bytes(header, []))}, HTTP_ACCEPT_LANGUAGE="id"
    )

    with translation.override("id"):
        from desadevisa.registry.spreadsheets import CRAFT_UNIT_COLUMNS

        labels = {column.name: str(column.label) for column in CRAFT_UNIT_COLUMNS}
    assert response.status_code == 400
    assert labels["owner_name"] in response.context["error"]
    assert labels["monthly_capacity"] in response.context["error"]


def _upload(content: bytes):
    from desadevisa.imports.tests.helpers import upload

    return upload(content)


def test_a_file_above_the_size_limit_is_answered_413(signed_in, settings, village):
    settings.IMPORT_MAX_BYTES = 1024
    content = csv_bytes(CRAFT_UNIT_HEADER_EN, [unit_row(village.code, f"B{n}") for n in range(100)])

    response = post_file(signed_in, KIND, content)

    assert response.status_code == 413
    assert refusal(response) == "The file is larger than 1.0\xa0KB. Split it into smaller files."
    assert ImportJob.objects.count() == 0


def test_a_file_above_the_row_limit_is_invalid(signed_in, settings, village):
    settings.IMPORT_MAX_ROWS = 10
    content = csv_bytes(CRAFT_UNIT_HEADER_EN, [unit_row(village.code, f"B{n}") for n in range(11)])
    before = row_counts()

    post_file(signed_in, KIND, content)

    job = ImportJob.objects.get()
    assert job.status == ImportStatus.INVALID
    assert job.message == "The file has more than 10 rows; split it."
    assert row_counts() == before


@pytest.mark.parametrize(
    ("values", "column", "message"),
    [
        ({"monthly_capacity": -1}, "Monthly capacity", "Cannot be negative."),
        ({"monthly_capacity": 10**12}, "Monthly capacity", "Must be at most 1,000,000,000."),
        ({"workers_women": 250_000}, "Women workers", "Must be at most 100,000."),
        ({"workers_men": "2.5"}, "Men workers", "Give a whole number."),
        ({"monthly_capacity": "lots"}, "Monthly capacity", "Give a number."),
        (
            {"monthly_capacity": "1,25"},
            "Monthly capacity",
            "Write the number as this file's numbers are read, the English way: a point for "
            "decimals and, if any, commas between thousands, e.g. 1250.50 or 1,250.50.",
        ),
        (
            {"capacity_unit": "buckets"},
            "Capacity unit",
            "Choose one of: piece, set, pair, kg, m, m2, l.",
        ),
        ({"is_active": "maybe"}, "Active", "Write yes or no (ya or tidak)."),
        (
            {"business_id": "12345"},
            "Business ID (NIB)",
            "A business ID (NIB) is exactly 13 digits.",
        ),
        ({"owner_name": ""}, "Owner", "This column must not be empty."),
        ({"owner_name": "x" * 201}, "Owner", "At most 200 characters (this has 201)."),
    ],
)
def test_a_bad_cell_is_reported_with_its_row_column_and_reason(
    signed_in, village, values, column, message
):
    content = csv_bytes(
        CRAFT_UNIT_HEADER_EN,
        [unit_row(village.code, "Bengkel 1"), unit_row(village.code, "Bengkel 2", **values)],
    )
    before = row_counts()

    post_file(signed_in, KIND, content)

    assert job_errors() == [{"row": 3, "column": column, "message": message}]
    assert row_counts() == before


def test_an_unknown_or_malformed_village_code_is_reported(signed_in, village):
    content = csv_bytes(
        CRAFT_UNIT_HEADER_EN,
        [unit_row("99.99.99.9999", "Bengkel 1"), unit_row("3501", "Bengkel 2")],
    )

    post_file(signed_in, KIND, content)

    assert job_errors() == [
        {"row": 2, "column": "Village code", "message": "No village has the code 99.99.99.9999."},
        {
            "row": 3,
            "column": "Village code",
            "message": "A village code has the form 35.05.10.2001 "
            "(province.regency.district.village).",
        },
    ]


def test_a_row_with_an_unknown_village_and_bad_cells_is_reported_with_every_error(
    signed_in, village
):
    content = csv_bytes(
        CRAFT_UNIT_HEADER_EN,
        [
            unit_row(village.code, "Bengkel 1"),
            unit_row("99.99.99.9999", "Bengkel 2", monthly_capacity=-1, is_active="maybe"),
            unit_row("99.99.99.9998", "Bengkel 3"),
        ],
    )
    before = row_counts()

    post_file(signed_in, KIND, content)

    assert job_errors() == [
        {"row": 3, "column": "Monthly capacity", "message": "Cannot be negative."},
        {"row": 3, "column": "Active", "message": "Write yes or no (ya or tidak)."},
        {"row": 3, "column": "Village code", "message": "No village has the code 99.99.99.9999."},
        {"row": 4, "column": "Village code", "message": "No village has the code 99.99.99.9998."},
    ]
    assert row_counts() == before


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(csv_bytes(CRAFT_UNIT_HEADER_EN, []), id="header-only-csv"),
        pytest.param(csv_bytes(CRAFT_UNIT_HEADER_EN, [[""] * 9, [], [" "] * 9]), id="blank-rows"),
        pytest.param(xlsx_bytes(CRAFT_UNIT_HEADER_EN, []), id="header-only-xlsx"),
        pytest.param(xlsx_bytes(CRAFT_UNIT_HEADER_EN, [[None] * 9, [""] * 9]), id="blank-xlsx"),
    ],
)
def test_a_file_without_data_rows_is_refused_as_such(signed_in, content):
    response = post_file(signed_in, KIND, content)

    assert response.status_code == 400
    assert refusal(response) == "The file has no data rows."
    assert ImportJob.objects.count() == 0


def test_a_file_without_data_rows_is_refused_in_the_persons_language(signed_in):
    with translation.override("id"):
        url = reverse("imports:import-start")

    response = signed_in.post(
        url, {"kind": KIND, "file": _upload(csv_bytes(CRAFT_UNIT_HEADER_EN, []))}
    )

    assert response.context["error"] == "Berkas tidak berisi baris data."


def test_a_natural_key_repeated_within_the_file_is_reported(signed_in, village):
    content = csv_bytes(
        CRAFT_UNIT_HEADER_EN,
        [
            unit_row(village.code, "Bengkel 1"),
            unit_row(village.code, "Bengkel 2"),
            unit_row(village.code, "Bengkel 1", owner_name="Pak Budi"),
        ],
    )
    before = row_counts()

    post_file(signed_in, KIND, content)

    assert job_errors() == [
        {
            "row": 4,
            "column": "Village code",
            "message": "Repeats row 2: the same Village code, Name.",
        }
    ]
    assert row_counts() == before


def test_ten_megabytes_of_text_in_a_name_is_a_row_error(signed_in, village):
    content = csv_bytes(
        CRAFT_UNIT_HEADER_EN,
        [unit_row(village.code, "Bengkel 1"), unit_row(village.code, "N" * 10 * 1024 * 1024)],
    )
    before = row_counts()

    response = post_file(signed_in, KIND, content)

    assert response.status_code == 302
    assert job_errors() == [
        {"row": 3, "column": "Name", "message": "The text is too long (10,485,760 characters)."}
    ]
    assert row_counts() == before


def test_errors_beyond_the_first_thousand_are_counted_not_kept(signed_in, village):
    content = csv_bytes(
        CRAFT_UNIT_HEADER_EN,
        [unit_row(village.code, f"B{n}", monthly_capacity=-1) for n in range(1200)],
    )

    post_file(signed_in, KIND, content)

    job = ImportJob.objects.get()
    assert (job.error_count, len(job.errors)) == (1200, 1000)
    page = signed_in.get(reverse("imports:job-detail", kwargs={"pk": job.pk}))
    assert "The first 1000 are listed." in page.content.decode()


def test_a_script_in_a_cell_is_shown_escaped_in_the_errors(signed_in, village):
    script = "<script>alert(1)</script>"
    content = csv_bytes(CRAFT_UNIT_HEADER_EN, [unit_row(village.code, script, monthly_capacity=-1)])

    response = post_file(signed_in, KIND, content)
    page = signed_in.get(response["Location"]).content.decode()

    assert script not in page
    assert "Cannot be negative." in page
