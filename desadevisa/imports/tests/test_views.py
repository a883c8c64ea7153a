"""The import pages: templates, the job's progress, who sees a job; and the command."""

import io
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.audit.models import AuditAction, AuditEvent
from desadevisa.imports import engine
from desadevisa.imports.models import ImportJob, ImportKind, ImportStatus
from desadevisa.imports.tests.helpers import (
    CRAFT_UNIT_HEADER_EN,
    csv_bytes,
    post_file,
    row_counts,
    unit_row,
)
from desadevisa.regions.tests.factories import VillageFactory
from desadevisa.registry.models import CraftUnit
from desadevisa.registry.spreadsheets import CRAFT_UNIT_COLUMNS

pytestmark = pytest.mark.django_db


@pytest.fixture
def village(jawa_timur):
    return VillageFactory(district__regency__province=jawa_timur)


def template_url(**params) -> str:
    with translation.override("en"):
        return reverse("imports:template") + "?" + "&".join(f"{k}={v}" for k, v in params.items())


def job_url(job, name="imports:job-detail") -> str:
    with translation.override("en"):
        return reverse(name, kwargs={"pk": job.pk})


# Templates ------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_csv_template_has_the_headers_in_the_chosen_language(client, verifier, language):
    sign_in_verified(client, verifier)

    response = client.get(template_url(kind="craft-units", format="csv", language=language))

    with translation.override(language):
        expected = ",".join(str(column.label) for column in CRAFT_UNIT_COLUMNS)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="craft-units-template-{language}.csv"'
    )
    assert response.content.decode() == "\ufeff" + expected + "\r\n"


@pytest.mark.parametrize("kind", ImportKind.values)
@pytest.mark.parametrize("language", ["en", "id"])
def test_the_xlsx_template_explains_each_column_on_its_second_sheet(
    client, administrator, kind, language
):
    from openpyxl import load_workbook

    sign_in_verified(client, administrator)

    response = client.get(template_url(kind=kind, format="xlsx", language=language))

    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    data, explained = workbook.worksheets
    header = next(data.iter_rows(values_only=True))
    rows = list(explained.iter_rows(values_only=True))
    assert [row[0] for row in rows[1 : len(header) + 1]] == list(header)
    assert all(row[3] for row in rows[1 : len(header) + 1])


def test_an_unknown_template_answers_404(client, administrator):
    sign_in_verified(client, administrator)

    assert client.get(template_url(kind="villages")).status_code == 404
    assert client.get(template_url(format="pdf")).status_code == 404


def test_an_empty_template_is_refused_as_having_no_data_rows(client, administrator):
    sign_in_verified(client, administrator)
    content = client.get(template_url(kind="products", format="xlsx", language="id"))

    response = post_file(
        client, ImportKind.PRODUCTS, b"".join(content.streaming_content), "template.xlsx"
    )

    assert (response.status_code, response.context["error"]) == (
        400,
        "The file has no data rows.",
    )
    assert ImportJob.objects.count() == 0


# The job page ---------------------------------------------------------------------------------


def test_a_running_job_shows_its_progress_and_htmx_polls_the_bar(client, provincial_officer):
    job = ImportJob.objects.create(
        kind=ImportKind.CRAFT_UNITS,
        created_by=provincial_officer,
        status=ImportStatus.VALIDATING,
        total_rows=4000,
        processed_rows=1000,
    )
    sign_in_verified(client, provincial_officer)

    page = client.get(job_url(job)).content.decode()
    fragment = client.get(job_url(job), HTTP_HX_REQUEST="true")

    assert '<progress class="progress" max="4000" value="1000"' in page
    assert 'hx-trigger="every 1s"' in page
    assert '<meta http-equiv="refresh" content="2">' in page
    assert fragment.content.decode().strip().startswith('<div id="progress"')
    assert "<html" not in fragment.content.decode()


def test_htmx_reloads_the_page_once_the_job_has_finished(client, provincial_officer):
    job = ImportJob.objects.create(
        kind=ImportKind.CRAFT_UNITS, created_by=provincial_officer, status=ImportStatus.READY
    )
    sign_in_verified(client, provincial_officer)

    response = client.get(job_url(job), HTTP_HX_REQUEST="true")

    assert response.status_code == 204
    assert response["HX-Refresh"] == "true"


@pytest.mark.parametrize("person", ["administrator", "organisation_manager", "nobody"])
def test_another_persons_job_answers_404(client, request, provincial_officer, person):
    job = ImportJob.objects.create(
        kind=ImportKind.CRAFT_UNITS, created_by=provincial_officer, status=ImportStatus.READY
    )
    sign_in_verified(client, request.getfixturevalue(person))

    assert client.get(job_url(job)).status_code == 404
    assert client.post(job_url(job, "imports:job-apply")).status_code == 404
    assert ImportJob.objects.get().status == ImportStatus.READY


def test_the_start_page_lists_the_persons_own_jobs(client, provincial_officer, administrator):
    ImportJob.objects.create(
        kind=ImportKind.CRAFT_UNITS, created_by=provincial_officer, original_name="mine.csv"
    )
    ImportJob.objects.create(
        kind=ImportKind.CRAFT_UNITS, created_by=administrator, original_name="theirs.csv"
    )
    sign_in_verified(client, provincial_officer)

    page = client.get(reverse("imports:import-start")).content.decode()

    assert "mine.csv" in page
    assert "theirs.csv" not in page


def test_a_person_without_a_role_is_offered_nothing(client, nobody):
    sign_in_verified(client, nobody)

    with translation.override("en"):
        page = client.get(reverse("imports:import-start")).content.decode()

    assert "Your role does not let you import records." in page


def test_a_verifier_cannot_upload(client, verifier, village):
    sign_in_verified(client, verifier)

    response = post_file(
        client,
        ImportKind.CRAFT_UNITS,
        csv_bytes(CRAFT_UNIT_HEADER_EN, [unit_row(village.code, "B")]),
    )

    assert response.status_code == 400
    assert ImportJob.objects.count() == 0


def test_applying_twice_applies_once(client, administrator, village):
    sign_in_verified(client, administrator)
    post_file(
        client,
        ImportKind.CRAFT_UNITS,
        csv_bytes(CRAFT_UNIT_HEADER_EN, [unit_row(village.code, "B")]),
    )
    job = ImportJob.objects.get()

    first = client.post(job_url(job, "imports:job-apply"))
    second = client.post(job_url(job, "imports:job-apply"))

    assert (first.status_code, second.status_code) == (302, 409)
    assert "not ready to apply" in second.content.decode()
    assert CraftUnit.objects.filter(village=village).count() == 1


def test_apply_refuses_get(client, administrator):
    job = ImportJob.objects.create(
        kind=ImportKind.CRAFT_UNITS, created_by=administrator, status=ImportStatus.READY
    )
    sign_in_verified(client, administrator)

    assert client.get(job_url(job, "imports:job-apply")).status_code == 405


def test_a_large_file_is_checked_and_applied_by_background_tasks(
    client, administrator, village, settings
):
    settings.IMPORT_BACKGROUND_ROWS = 5
    sign_in_verified(client, administrator)
    rows = [unit_row(village.code, f"B{number}") for number in range(20)]

    post_file(client, ImportKind.CRAFT_UNITS, csv_bytes(CRAFT_UNIT_HEADER_EN, rows))
    job = ImportJob.objects.get()
    assert (job.status, job.processed_rows, job.total_rows) == (ImportStatus.READY, 20, 20)
    client.post(job_url(job, "imports:job-apply"))

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert CraftUnit.objects.filter(village=village).count() == 20


def test_the_stored_file_has_a_random_name(client, administrator, village):
    sign_in_verified(client, administrator)

    post_file(
        client,
        ImportKind.CRAFT_UNITS,
        csv_bytes(CRAFT_UNIT_HEADER_EN, [unit_row(village.code, "B")]),
        "../../etc/passwd.csv",
    )

    job = ImportJob.objects.get()
    assert job.original_name == "passwd.csv"
    assert job.file.name.startswith("imports/")
    assert "passwd" not in job.file.name


# The command ----------------------------------------------------------------------------------


def test_the_command_dry_run_writes_nothing(tmp_path, administrator, village):
    path = tmp_path / "units.csv"
    path.write_bytes(csv_bytes(CRAFT_UNIT_HEADER_EN, [unit_row(village.code, "B")]))
    before = row_counts()
    out = io.StringIO()

    call_command(
        "import_spreadsheet",
        "craft-units",
        str(path),
        user=administrator.username,
        dry_run=True,
        stdout=out,
    )

    assert "Checked 1 rows" in out.getvalue()
    assert "1 to create" in out.getvalue()
    assert row_counts() == before


def test_the_command_applies_and_refuses_bad_files(tmp_path, administrator, village):
    path = tmp_path / "units.csv"
    path.write_bytes(csv_bytes(CRAFT_UNIT_HEADER_EN, [unit_row(village.code, "B")]))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        csv_bytes(CRAFT_UNIT_HEADER_EN, [unit_row(village.code, "C", monthly_capacity=-1)])
    )

    call_command(
        "import_spreadsheet",
        "craft-units",
        str(path),
        user=administrator.username,
        stdout=io.StringIO(),
    )
    with pytest.raises(CommandError, match=r"1 errors: nothing was written\."):
        call_command(
            "import_spreadsheet",
            "craft-units",
            str(bad),
            user=administrator.username,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )

    assert list(CraftUnit.objects.filter(village=village).values_list("name", flat=True)) == ["B"]


def test_the_command_checks_and_applies_a_file_in_one_reading(tmp_path, administrator, village):
    path = tmp_path / "units.csv"
    path.write_bytes(csv_bytes(CRAFT_UNIT_HEADER_EN, [unit_row(village.code, "B")]))
    events = AuditEvent.objects.filter(action=AuditAction.IMPORTED).count()
    out = io.StringIO()

    with mock.patch(
        "desadevisa.imports.engine.table_open", wraps=engine.table_open
    ) as table_opened:
        call_command(
            "import_spreadsheet", "craft-units", str(path), user=administrator.username, stdout=out
        )

    assert table_opened.call_count == 1
    assert "Checked and applied 1 rows" in out.getvalue()
    assert "1 to create" in out.getvalue()
    assert CraftUnit.objects.filter(village=village, name="B").exists()
    assert AuditEvent.objects.filter(action=AuditAction.IMPORTED).count() == events + 1


@pytest.mark.parametrize("count", [1, 8])
def test_the_start_page_issues_the_same_queries_whatever_the_jobs(
    client, provincial_officer, django_assert_num_queries, count
):
    for number in range(count):
        ImportJob.objects.create(
            kind=ImportKind.CRAFT_UNITS,
            created_by=provincial_officer,
            original_name=f"{number}.csv",
        )
    sign_in_verified(client, provincial_officer)
    client.get(reverse("imports:import-start"))

    with django_assert_num_queries(QUERIES_START_PAGE):
        client.get(reverse("imports:import-start"))


# Session, user, device, roles (scope), the job list, and the audit context.
QUERIES_START_PAGE = 8
