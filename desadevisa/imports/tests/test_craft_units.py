"""Importing craft units: preview, apply all or nothing, idempotence, scope (RL-4, RL-5)."""

from unittest import mock

import pytest
from django.db import IntegrityError
from django.urls import reverse

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.audit.models import AuditAction, AuditEvent
from desadevisa.imports.importers.registry import CraftUnitImporter
from desadevisa.imports.models import ImportJob, ImportKind, ImportStatus
from desadevisa.imports.tests.helpers import (
    CRAFT_UNIT_HEADER_EN,
    checksums,
    csv_bytes,
    headers,
    post_file,
    row_counts,
    unit_row,
    xlsx_bytes,
)
from desadevisa.regions.tests.factories import VillageFactory
from desadevisa.registry.models import CraftUnit, Membership
from desadevisa.registry.spreadsheets import CRAFT_UNIT_COLUMNS
from desadevisa.registry.tests.factories import CraftUnitFactory

pytestmark = pytest.mark.django_db
KIND = ImportKind.CRAFT_UNITS


@pytest.fixture
def village(jawa_timur):
    return VillageFactory(district__regency__province=jawa_timur)


def units_file(village, count: int) -> bytes:
    rows = [unit_row(village.code, f"Bengkel {number:05d}") for number in range(1, count + 1)]
    return csv_bytes(CRAFT_UNIT_HEADER_EN, rows)


def apply(client, job: ImportJob):
    return client.post(reverse("imports:job-apply", kwargs={"pk": job.pk}))


def latest_job() -> ImportJob:
    return ImportJob.objects.latest("created_at")


def test_a_valid_file_is_previewed_without_writing_anything(client, administrator, village):
    sign_in_verified(client, administrator)
    before = row_counts()

    response = post_file(client, KIND, units_file(village, 3))

    job = latest_job()
    assert response.status_code == 302
    assert job.status == ImportStatus.READY
    assert (job.total_rows, job.to_create, job.to_update, job.unchanged) == (3, 3, 0, 0)
    assert row_counts() == before
    page = client.get(response["Location"])
    assert b"Apply the import" in page.content
    assert "Bengkel 00001" in page.content.decode()


def test_applying_creates_the_rows_and_records_one_audit_event(client, administrator, village):
    sign_in_verified(client, administrator)
    post_file(client, KIND, units_file(village, 3))
    events = AuditEvent.objects.filter(action=AuditAction.IMPORTED).count()

    response = apply(client, latest_job())

    job = latest_job()
    assert response.status_code == 302
    assert job.status == ImportStatus.DONE
    assert not job.file
    assert CraftUnit.objects.filter(village=village).count() == 3
    assert AuditEvent.objects.filter(action=AuditAction.IMPORTED).count() == events + 1
    event = AuditEvent.objects.filter(action=AuditAction.IMPORTED).latest("pk")
    assert event.summary.startswith("craft-units: 3 created, 0 updated, 0 unchanged, 3 rows")
    assert event.actor == administrator


@pytest.mark.parametrize("position", [0, 499, 999])
def test_one_bad_row_anywhere_in_1000_writes_nothing(client, administrator, village, position):
    sign_in_verified(client, administrator)
    bad = unit_row(village.code, "Bengkel buruk", monthly_capacity=-5)
    before = row_counts()

    post_file(client, KIND, _with_bad(village, position, bad))

    job = latest_job()
    assert job.status == ImportStatus.INVALID
    assert job.errors == [
        {"row": position + 2, "column": "Monthly capacity", "message": "Cannot be negative."}
    ]
    assert apply(client, job).status_code == 409
    assert row_counts() == before


def _with_bad(village, position: int, bad: list) -> bytes:
    rows = [unit_row(village.code, f"Bengkel {number:05d}") for number in range(1000)]
    rows[position] = bad
    return csv_bytes(CRAFT_UNIT_HEADER_EN, rows)


def test_a_database_error_in_the_middle_of_applying_writes_nothing(
    client, administrator, village, settings
):
    settings.IMPORT_BACKGROUND_ROWS = 10_000
    sign_in_verified(client, administrator)
    post_file(client, KIND, units_file(village, 2500))
    before = row_counts()
    # The first chunk is written (COPY on PostgreSQL, bulk_create elsewhere), the second fails.
    original = CraftUnitImporter.insert
    calls = []

    def failing(importer, rows):
        calls.append(len(rows))
        if len(calls) == 2:
            raise IntegrityError("duplicate key value violates unique constraint")
        return original(importer, rows)

    with mock.patch.object(CraftUnitImporter, "insert", failing):
        apply(client, latest_job())

    job = latest_job()
    assert calls == [1000, 1000]
    assert job.status == ImportStatus.FAILED
    assert job.message.startswith("The database refused the import")
    assert row_counts() == before


def test_a_row_that_became_invalid_after_the_preview_writes_nothing(client, administrator, village):
    sign_in_verified(client, administrator)
    post_file(client, KIND, units_file(village, 3))
    # Meanwhile someone registers the third unit in another way; the apply re-checks the rows
    # and finds the file's rows now update it, which the preview never showed: still all fine.
    # A village that disappears, though, makes the row invalid.
    before = row_counts()

    with mock.patch("desadevisa.imports.importers.registry.villages_known", return_value=set()):
        apply(client, latest_job())

    job = latest_job()
    assert job.status == ImportStatus.INVALID
    assert job.message == (
        "Some rows are no longer valid: nothing was written. See the errors below."
    )
    assert job.errors[0] == {
        "row": 2,
        "column": "Village code",
        "message": f"No village has the code {village.code}.",
    }
    assert row_counts() == before


def test_importing_the_same_file_twice_changes_nothing_the_second_time(
    client, administrator, village
):
    sign_in_verified(client, administrator)
    content = units_file(village, 50)
    post_file(client, KIND, content)
    apply(client, latest_job())
    before = checksums()

    post_file(client, KIND, content)

    job = latest_job()
    assert (job.to_create, job.to_update, job.unchanged) == (0, 0, 50)
    assert (
        b"Apply the import"
        not in client.get(reverse("imports:job-detail", kwargs={"pk": job.pk})).content
    )
    assert apply(client, job).status_code == 302
    assert checksums() == before


def test_reimporting_with_one_changed_row_updates_only_that_row(client, administrator, village):
    sign_in_verified(client, administrator)
    post_file(client, KIND, units_file(village, 20))
    apply(client, latest_job())
    untouched = {
        unit.pk: unit.updated_at for unit in CraftUnit.objects.exclude(name="Bengkel 00007")
    }
    changed = unit_row(village.code, "Bengkel 00007", owner_name="Pak Budi", monthly_capacity=350)

    post_file(client, KIND, _changed(village, changed))
    job = latest_job()
    apply(client, job)

    assert (job.to_create, job.to_update, job.unchanged) == (0, 1, 19)
    assert job.sample[0]["changes"] == [
        ["Owner", "Ibu Sari", "Pak Budi"],
        ["Monthly capacity", "200", "350"],
    ]
    unit = CraftUnit.objects.get(name="Bengkel 00007")
    assert (unit.owner_name, unit.monthly_capacity) == ("Pak Budi", 350)
    assert {
        unit.pk: unit.updated_at for unit in CraftUnit.objects.exclude(name="Bengkel 00007")
    } == untouched


def _changed(village, changed: list) -> bytes:
    rows = [unit_row(village.code, f"Bengkel {number:05d}") for number in range(1, 21)]
    rows[6] = changed
    return csv_bytes(CRAFT_UNIT_HEADER_EN, rows)


def test_an_xlsx_file_with_indonesian_headers_reads_the_same(client, administrator, village):
    sign_in_verified(client, administrator)
    content = xlsx_bytes(
        headers(CRAFT_UNIT_COLUMNS, "id"),
        [unit_row(village.code, "Bengkel XLSX", is_active="tidak", capacity_unit="kilogram")],
    )

    post_file(client, KIND, content, "units.xlsx")
    apply(client, latest_job())

    unit = CraftUnit.objects.get(name="Bengkel XLSX")
    assert (unit.is_active, unit.capacity_unit, unit.workers) == (False, "kg", 10)


def test_a_provincial_officer_cannot_import_rows_of_another_province(
    client, provincial_officer, village
):
    other = VillageFactory()  # another province
    CraftUnitFactory(village=other, name="Bengkel 00002")
    sign_in_verified(client, provincial_officer)
    content = csv_bytes(
        CRAFT_UNIT_HEADER_EN,
        [
            unit_row(village.code, "Bengkel 00001"),
            unit_row(other.code, "Bengkel 00002"),
            unit_row(other.code, "Bengkel 00003"),
        ],
    )
    before = row_counts()

    post_file(client, KIND, content)

    job = latest_job()
    message = "You may not import this row: it is outside the records you may create or change."
    # The same answer whether the unit exists (row 3) or not (row 4).
    assert job.errors == [
        {"row": 3, "column": "Village code", "message": message},
        {"row": 4, "column": "Village code", "message": message},
    ]
    assert row_counts() == before


def test_a_manager_imports_units_of_their_organisations_village_as_running_members(
    client, organisation_manager, village
):
    organisation = organisation_manager.role_assignments.get().organisation
    other_village = VillageFactory(district=organisation.village.district)
    sign_in_verified(client, organisation_manager)
    content = csv_bytes(
        CRAFT_UNIT_HEADER_EN,
        [
            unit_row(organisation.village_id, "Bengkel Anggota"),
            unit_row(other_village.code, "Bengkel Luar"),
        ],
    )

    post_file(client, KIND, content)
    job = latest_job()
    assert job.errors == [
        {
            "row": 3,
            "column": "Village code",
            "message": "You may not import this row: it is outside the records you may "
            "create or change.",
        }
    ]

    post_file(
        client,
        KIND,
        csv_bytes(CRAFT_UNIT_HEADER_EN, [unit_row(organisation.village_id, "Bengkel Anggota")]),
    )
    apply(client, latest_job())

    unit = CraftUnit.objects.get(name="Bengkel Anggota")
    membership = Membership.objects.get(craft_unit=unit)
    assert membership.organisation == organisation
    assert membership.ended_on is None
