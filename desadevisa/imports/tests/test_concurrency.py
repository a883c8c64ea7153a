"""RL-5: the same file applied twice at the same time never duplicates a row."""

import threading

import pytest
from django.db import connection, connections

from desadevisa.imports.models import ImportJob, ImportKind, ImportStatus
from desadevisa.imports.services import import_job_apply, import_job_check
from desadevisa.imports.tests.helpers import CRAFT_UNIT_HEADER_EN, csv_bytes, unit_row
from desadevisa.regions.tests.factories import VillageFactory
from desadevisa.registry.models import CraftUnit

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite runs one writer at a time anyway."
)


@pytest.mark.django_db(transaction=True)
def test_two_jobs_of_the_same_file_applied_at_once_write_each_unit_once(
    administrator, jawa_timur, tmp_path
):
    from django.core.files.base import ContentFile

    village = VillageFactory(district__regency__province=jawa_timur)
    content = csv_bytes(
        CRAFT_UNIT_HEADER_EN, [unit_row(village.code, f"Bengkel {n}") for n in range(300)]
    )
    jobs = []
    for _ in range(2):
        job = ImportJob(kind=ImportKind.CRAFT_UNITS, created_by=administrator, file_format="csv")
        job.file.save("upload", ContentFile(content))
        import_job_check(job=job)
        assert job.status == ImportStatus.READY
        job.status = ImportStatus.APPLYING
        job.save(update_fields=["status"])
        jobs.append(job)
    start = threading.Barrier(2)

    def run(job):
        start.wait()
        try:
            import_job_apply(job=ImportJob.objects.select_related("created_by").get(pk=job.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = sorted(ImportJob.objects.values_list("status", flat=True))
    assert CraftUnit.objects.filter(village=village).count() == 300
    # One wrote the units; the other either found them all unchanged or was refused whole.
    assert statuses[0] == ImportStatus.DONE
    assert statuses[1] in (ImportStatus.DONE, ImportStatus.FAILED)
