"""``desadevisa import-spreadsheet`` with bad arguments: one line, exit status 2, nothing
written, never a traceback."""

import io
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from desadevisa.imports.tests.helpers import CRAFT_UNIT_HEADER_EN, csv_bytes, row_counts, unit_row
from desadevisa.regions.tests.factories import VillageFactory

pytestmark = pytest.mark.django_db

DESADEVISA = str(Path(sys.executable).with_name("desadevisa"))
NOT_TEXT = (
    "The file is neither a CSV text file in UTF-8 nor an XLSX workbook. Save the sheet as CSV "
    "UTF-8 or XLSX and try again."
)


@pytest.fixture
def village(jawa_timur):
    return VillageFactory(district__regency__province=jawa_timur)


@pytest.fixture
def good_file(tmp_path, village) -> Path:
    path = tmp_path / "units.csv"
    path.write_bytes(csv_bytes(CRAFT_UNIT_HEADER_EN, [unit_row(village.code, "Bengkel 1")]))
    return path


def refusal(*args, **options) -> CommandError:
    with pytest.raises(CommandError) as raised:
        call_command(
            "import_spreadsheet", *args, stdout=io.StringIO(), stderr=io.StringIO(), **options
        )
    return raised.value


def test_a_missing_file_is_refused_in_one_line(tmp_path, administrator):
    before = row_counts()

    error = refusal("craft-units", str(tmp_path / "MISSING.csv"), user=administrator.username)

    assert str(error) == f"There is no file {tmp_path / 'MISSING.csv'}."
    assert error.returncode == 2
    assert row_counts() == before


def test_a_folder_is_refused_in_one_line(tmp_path, administrator):
    error = refusal("craft-units", str(tmp_path), user=administrator.username)

    assert (str(error), error.returncode) == (f"{tmp_path} is a folder, not a file.", 2)


def test_an_unreadable_file_is_refused_in_one_line(good_file, administrator):
    # The suite may run as root, who reads any file: the permission is the system's answer.
    with mock.patch("os.access", return_value=False):
        error = refusal("craft-units", str(good_file), user=administrator.username)

    assert (str(error), error.returncode) == (f"The file {good_file} cannot be read.", 2)


def test_an_unknown_kind_is_refused_in_one_line(good_file, administrator):
    error = refusal("villages", str(good_file), user=administrator.username)

    assert str(error) == (
        "Unknown kind 'villages': choose one of craft-units, memberships, products, "
        "export-shipments."
    )
    assert error.returncode == 2


def test_an_unknown_language_is_refused_in_one_line(good_file, administrator):
    error = refusal("craft-units", str(good_file), user=administrator.username, language="fr")

    assert (str(error), error.returncode) == ("Unknown language 'fr': choose one of en, id.", 2)


def test_an_unknown_user_is_refused_in_one_line(good_file):
    before = row_counts()

    error = refusal("craft-units", str(good_file), user="nobody-here")

    assert (str(error), error.returncode) == ("No active account is named 'nobody-here'.", 2)
    assert row_counts() == before


def test_a_person_who_may_not_import_the_kind_is_refused_in_one_line(good_file, verifier):
    error = refusal("craft-units", str(good_file), user=verifier.username)

    assert (str(error), error.returncode) == (f"{verifier.username} may not import craft-units.", 2)


def test_the_refusal_is_in_the_chosen_language(tmp_path, administrator):
    error = refusal(
        "craft-units", str(tmp_path / "hilang.csv"), user=administrator.username, language="id"
    )

    assert str(error) == f"Tidak ada berkas {tmp_path / 'hilang.csv'}."


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"", "The file is empty.", id="empty"),
        pytest.param(b"\xef\xbb\xbf\r\n\r\n", "The file is empty.", id="only-blank-lines"),
        pytest.param(bytes(range(256)) * 40, NOT_TEXT, id="binary-posing-as-csv"),
        pytest.param(
            "Kode desa;Nama;Pemilik\n35.05.10.2001;Bengkel Désa;Ibu Sari\n".encode("latin-1"),
            NOT_TEXT,
            id="latin-1-csv",
        ),
        pytest.param("Kode desa;Nama\n".encode("utf-16"), NOT_TEXT, id="utf-16-csv"),
    ],
)
def test_a_file_refused_as_a_whole_ends_in_one_line(tmp_path, administrator, content, message):
    path = tmp_path / "units.csv"
    path.write_bytes(content)
    before = row_counts()

    error = refusal("craft-units", str(path), user=administrator.username)

    assert (str(error), error.returncode) == (message, 2)
    assert row_counts() == before


def test_a_file_without_data_rows_is_refused_in_one_line(tmp_path, administrator):
    path = tmp_path / "units.csv"
    path.write_bytes(csv_bytes(CRAFT_UNIT_HEADER_EN, [[""] * 9]))

    error = refusal("craft-units", str(path), user=administrator.username, dry_run=True)

    assert (str(error), error.returncode) == ("The file has no data rows.", 2)


def test_bad_rows_end_with_exit_status_1(tmp_path, administrator, village):
    path = tmp_path / "units.csv"
    path.write_bytes(
        csv_bytes(CRAFT_UNIT_HEADER_EN, [unit_row(village.code, "B", monthly_capacity=-1)])
    )

    error = refusal("craft-units", str(path), user=administrator.username)

    assert (str(error), error.returncode) == ("1 errors: nothing was written.", 1)


@pytest.mark.parametrize(
    ("arguments", "line"),
    [
        pytest.param(
            ["craft-units", "MISSING.csv"],
            "CommandError: There is no file MISSING.csv.\n",
            id="missing-file",
        ),
        pytest.param(["craft-units", "."], "CommandError: . is a folder, not a file.\n", id="dir"),
        pytest.param(
            ["villages", "MISSING.csv"],
            "CommandError: Unknown kind 'villages': choose one of craft-units, memberships, "
            "products, export-shipments.\n",
            id="unknown-kind",
        ),
    ],
)
def test_the_console_script_prints_one_line_and_exits_2(tmp_path, arguments, line):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATA_DIR": str(tmp_path),
        "DATABASE_URL": "",
    }

    result = subprocess.run(
        [DESADEVISA, "import-spreadsheet", *arguments, "--user", "someone"],
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert (result.returncode, result.stderr, result.stdout) == (2, line, "")
