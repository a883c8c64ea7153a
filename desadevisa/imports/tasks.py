"""Background checks and applies of large imports; a worker runs ``desadevisa db_worker``.

Only the job's id travels through the task queue.
"""

from django_tasks import task

from desadevisa.imports.models import ImportJob


@task()
def import_job_check_task(*, job_id: str) -> None:
    """Check the job's file, updating its progress every chunk of rows."""
    from desadevisa.imports.services import import_job_check

    job = ImportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is not None:
        import_job_check(job=job)


@task()
def import_job_apply_task(*, job_id: str) -> None:
    """Apply the job's file, all or nothing."""
    from desadevisa.imports.services import import_job_apply

    job = ImportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is not None:
        import_job_apply(job=job)
