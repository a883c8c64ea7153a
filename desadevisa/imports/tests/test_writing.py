"""How an apply looks records up and writes them: COPY on PostgreSQL, bulk_create elsewhere,
with the same rows and the same refusals."""

import datetime
import threading
from unittest import mock

import pytest
from django.db import connection, connections
from django.utils import timezone, translation

from desadevisa.imports.importers.base import Importer, pairs_filter, values_in
from desadevisa.imports.importers.registry import CraftUnitImporter
from desadevisa.imports.models import ImportJob, ImportKind, ImportStatus
from desadevisa.imports.services import import_apply, import_job_apply, import_job_check
from desadevisa.imports.tests.helpers import CRAFT_UNIT_HEADER_EN, csv_bytes, row_counts, unit_row
from desadevisa.regions.models import Village
from desadevisa.regions.tests.factories import VillageFactory
from desadevisa.registry.models import CraftUnit, Membership
from desadevisa.registry.tests.factories import CraftUnitFactory, MembershipFactory

KIND = ImportKind.CRAFT_UNITS
only_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY and concurrent writers need PostgreSQL."
)
# Names a text array or a CSV file could misread.
AWKWARD_NAMES = ('Bengkel "Jaya", {Sari}', "Bengkel \\ Dua", "Bengkel 'Tiga'", "NULL", "")


@pytest.fixture
def village(jawa_timur):
    return VillageFactory(district__regency__province=jawa_timur)


def units_path(tmp_path, village, names, **values):
    path = tmp_path / f"{village.code}.csv"
    path.write_bytes(
        csv_bytes(CRAFT_UNIT_HEADER_EN, [unit_row(village.code, name, **values) for name in names])
    )
    return path


def written(village) -> list[tuple]:
    return list(
        CraftUnit.objects.filter(village=village)
        .order_by("pk")
        .values_list(
            "name",
            "owner_name",
            "workers_women",
            "workers_men",
            "monthly_capacity",
            "capacity_unit",
            "business_id",
            "is_active",
            "origin",
        )
    )


@pytest.mark.django_db
def test_pairs_filter_finds_exactly_the_given_pairs(village):
    other = VillageFactory(district=village.district)
    for name in (*AWKWARD_NAMES[:-1], "Bengkel A"):
        CraftUnitFactory(village=village, name=name)
    CraftUnitFactory(village=other, name="Bengkel B")
    wanted = [(village.code, name) for name in AWKWARD_NAMES]
    wanted += [(other.code, "Bengkel B"), (other.code, "Bengkel A"), ("99.99.99.9999", "Bengkel B")]

    found = pairs_filter(CraftUnit.objects.all(), "village_id", "name", wanted)

    assert sorted((unit.village_id, unit.name) for unit in found) == sorted(
        [(village.code, name) for name in AWKWARD_NAMES[:-1]] + [(other.code, "Bengkel B")]
    )
    assert pairs_filter(CraftUnit.objects.all(), "village_id", "name", []) == []


@pytest.mark.django_db
def test_pairs_filter_reads_numbers_and_dates(village):
    unit = CraftUnitFactory(village=village)
    membership = MembershipFactory(craft_unit=unit, started_on=datetime.date(2024, 1, 31))
    wanted = [(unit.pk, datetime.date(2024, 1, 31)), (unit.pk, datetime.date(2024, 2, 1))]

    found = pairs_filter(Membership.objects.all(), "craft_unit_id", "started_on", wanted)

    assert found == [membership]


@pytest.mark.django_db
def test_values_in_matches_exactly_the_given_values(village):
    other = VillageFactory(district=village.district)

    found = Village.objects.filter(values_in(Village, "code", [village.code, "99.99.99.9999"]))

    assert list(found.values_list("code", flat=True)) == [village.code]
    assert other.code not in Village.objects.filter(values_in(Village, "code", [])).values_list(
        "code", flat=True
    )


@only_postgresql
@pytest.mark.django_db
def test_copy_writes_the_same_units_as_bulk_create(tmp_path, administrator, village):
    other = VillageFactory(district=village.district)
    names = [*AWKWARD_NAMES[:-1], *(f"Bengkel {number:04d}" for number in range(1500))]
    values = {"business_id": "1234567890123", "is_active": "tidak", "capacity_unit": "kg"}
    started = timezone.now()

    import_apply(
        kind=KIND,
        path=units_path(tmp_path, village, names, **values),
        actor=administrator,
        language="en",
    )
    with mock.patch.object(CraftUnitImporter, "insert", Importer.insert):
        import_apply(
            kind=KIND,
            path=units_path(tmp_path, other, names, **values),
            actor=administrator,
            language="en",
        )

    assert len(written(village)) == len(names)
    assert written(village) == written(other)
    copied = CraftUnit.objects.filter(village=village).order_by("pk")
    assert [unit.name for unit in copied] == names
    assert all(started <= unit.created_at == unit.updated_at for unit in copied)


@pytest.mark.django_db
def test_a_file_naming_the_same_village_looks_it_up_once(tmp_path, administrator, village):
    path = units_path(tmp_path, village, [f"Bengkel {number:04d}" for number in range(2500)])

    with mock.patch(
        "desadevisa.imports.importers.registry.villages_known",
        wraps=lambda codes: set(
            Village.objects.filter(code__in=codes).values_list("code", flat=True)
        ),
    ) as looked_up:
        report = import_apply(kind=KIND, path=path, actor=administrator, language="en")

    assert report.to_create == 2500
    assert looked_up.call_count == 1
    assert CraftUnit.objects.filter(village=village).count() == 2500


@pytest.mark.django_db
def test_the_apply_refuses_a_unit_registered_since_the_preview_that_the_person_may_not_change(
    organisation_manager,
):
    from django.core.files.base import ContentFile

    organisation = organisation_manager.role_assignments.get().organisation
    content = csv_bytes(
        CRAFT_UNIT_HEADER_EN,
        [
            unit_row(organisation.village_id, "Bengkel Anggota"),
            unit_row(organisation.village_id, "Bengkel Baru"),
        ],
    )
    job = ImportJob(kind=KIND, created_by=organisation_manager, file_format="csv", language="en")
    job.file.save("upload", ContentFile(content))
    import_job_check(job=job)
    assert (job.status, job.to_create) == (ImportStatus.READY, 2)
    # Meanwhile someone else registers the first unit, with no membership of the organisation.
    CraftUnitFactory(village=organisation.village, name="Bengkel Anggota")
    before = row_counts()
    job.status = ImportStatus.APPLYING
    job.save(update_fields=["status"])

    import_job_apply(job=job)

    assert job.status == ImportStatus.INVALID
    assert job.errors == [
        {
            "row": 2,
            "column": "Village code",
            "message": "You may not import this row: it is outside the records you may "
            "create or change.",
        }
    ]
    assert row_counts() == before
    assert not CraftUnit.objects.filter(name="Bengkel Baru").exists()


@only_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_unit_committed_between_the_recheck_and_the_write_fails_the_whole_apply(
    administrator, jawa_timur
):
    from django.core.files.base import ContentFile

    village = VillageFactory(district__regency__province=jawa_timur)
    names = [f"Bengkel {number:04d}" for number in range(2500)]
    job = ImportJob(kind=KIND, created_by=administrator, file_format="csv", language="en")
    job.file.save(
        "upload",
        ContentFile(csv_bytes(CRAFT_UNIT_HEADER_EN, [unit_row(village.code, n) for n in names])),
    )
    import_job_check(job=job)
    job.status = ImportStatus.APPLYING
    job.save(update_fields=["status"])
    original = CraftUnitImporter.resolve
    chunks = []

    def competitor_registers_after_resolving(importer, rows):
        original(importer, rows)
        chunks.append(len(rows))
        if len(chunks) == 2:
            # Another connection registers a unit of this chunk and commits.
            thread = threading.Thread(target=_register, args=(village, rows[-1].values["name"]))
            thread.start()
            thread.join()

    with (
        mock.patch.object(CraftUnitImporter, "resolve", competitor_registers_after_resolving),
        translation.override("en"),
    ):
        import_job_apply(job=job)

    job.refresh_from_db()
    assert chunks == [1000, 1000]
    assert job.status == ImportStatus.FAILED
    assert job.message.startswith("The database refused the import")
    assert list(CraftUnit.objects.filter(village=village).values_list("name", flat=True)) == [
        "Bengkel 1999"
    ]


def _register(village, name: str) -> None:
    try:
        CraftUnitFactory(village=village, name=name)
    finally:
        connections.close_all()
