"""Spreadsheet imports: upload, check (preview), apply; each apply records one audit event.

- ``import_job_create`` refuses at once a file that is too large, is not a CSV or XLSX file
  by content, is empty, or lacks columns: nothing is stored then.
- ``import_job_check`` reads every row without writing and stores the counts, the first
  errors and a sample of changes; a job without errors becomes ``ready``.
- ``import_job_apply`` checks the file again and writes it, all in one transaction: a bad
  row (the records may have changed since the preview) or a database error writes nothing,
  not even the audit event. Rows that change nothing are not written.

Files of more than IMPORT_BACKGROUND_ROWS rows are checked and applied by a background task
(``imports.tasks``; a worker runs ``desadevisa db_worker``); the job page follows the
progress. The stored file is deleted once the job is done or has failed.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from desadevisa.audit.models import AuditAction
from desadevisa.audit.services import audit_record
from desadevisa.core.cache import cache_delete, cache_get, cache_set
from desadevisa.imports.engine import Progress, Report, header_check, import_run
from desadevisa.imports.models import ImportJob, ImportStatus
from desadevisa.imports.reading import ImportFileError, file_format_of

logger = logging.getLogger(__name__)

PROGRESS_TIMEOUT = 24 * 3600


class ImportProblem(Exception):
    """A domain error of imports, with a translated message."""

    message = _("The import cannot go on.")

    def __str__(self) -> str:
        return str(self.message)


class ImportTooLarge(ImportProblem):
    def __init__(self) -> None:
        self.message = gettext("The file is larger than %(size)s. Split it into smaller files.") % {
            "size": filesizeformat(settings.IMPORT_MAX_BYTES)
        }


class ImportNotReady(ImportProblem):
    message = _("This import is not ready to apply: it has errors, or it was applied already.")


class ImportRejected(ImportProblem):
    """Rows turned out bad while applying; the transaction rolls back."""

    message = _("Some rows are no longer valid: nothing was written. See the errors below.")

    def __init__(self, report: Report) -> None:
        self.report = report


# Uploading ------------------------------------------------------------------------------------


def import_job_create(*, kind: str, upload: UploadedFile, actor, language: str) -> ImportJob:
    """Store ``upload`` as a new job of ``kind`` once its content and header pass; raises
    ImportTooLarge or ImportFileError (nothing stored then)."""
    if upload.size > settings.IMPORT_MAX_BYTES:
        raise ImportTooLarge
    with _local_copy(upload) as path:
        file_format = file_format_of(path)
        header_check(kind=kind, path=path, language=language)
    job = ImportJob(
        kind=kind,
        created_by=actor,
        original_name=Path(upload.name or "").name[:255],
        language=language,
        file_format=file_format,
    )
    upload.seek(0)
    job.file.save("upload", upload, save=False)
    job.save()
    return job


# Checking -------------------------------------------------------------------------------------


def import_job_check_start(*, job: ImportJob) -> None:
    """Check ``job`` now when its file is small, else in the background."""
    from desadevisa.imports.tasks import import_job_check_task

    if _estimated_rows(job) <= settings.IMPORT_BACKGROUND_ROWS:
        import_job_check(job=job)
    else:
        import_job_check_task.enqueue(job_id=str(job.pk))


def import_job_check(*, job: ImportJob) -> ImportJob:
    """Read every row of a job waiting to be checked; the job ends ``ready`` or ``invalid``
    (``failed`` on an unexpected error)."""
    if job.status != ImportStatus.VALIDATING:
        return job
    try:
        with _job_path(job) as path:
            report = import_run(
                kind=job.kind,
                path=path,
                user=job.created_by,
                language=job.language,
                progress=_progress_saver(job),
            )
    except ImportFileError as error:
        _finish(job, ImportStatus.INVALID, message=str(error))
        return job
    except Exception:
        logger.exception("Import %s could not be checked", job.pk)
        _finish(job, ImportStatus.FAILED, message=_failure_message())
        return job
    status = ImportStatus.INVALID if report.error_count else ImportStatus.READY
    _finish(job, status, report=report, validated_at=timezone.now())
    return job


# Applying -------------------------------------------------------------------------------------


def import_job_apply_start(*, job: ImportJob, actor) -> None:
    """Claim a ready job for applying (once, however often it is asked) and apply it, now when
    it is small, else in the background. Raises ImportNotReady."""
    from desadevisa.imports.tasks import import_job_apply_task

    if actor.pk != job.created_by_id:
        raise ImportNotReady
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.READY).update(
        status=ImportStatus.APPLYING, processed_rows=0, updated_at=timezone.now()
    )
    if not claimed:
        raise ImportNotReady
    job.status, job.processed_rows = ImportStatus.APPLYING, 0
    if job.total_rows <= settings.IMPORT_BACKGROUND_ROWS:
        import_job_apply(job=job)
    else:
        import_job_apply_task.enqueue(job_id=str(job.pk))


def import_job_apply(*, job: ImportJob) -> ImportJob:
    """Apply a claimed (``applying``) job as its creator; ends ``done``, ``invalid`` when
    rows turned bad since the check, or ``failed`` on a database error. All or nothing."""
    if job.status != ImportStatus.APPLYING:
        return job
    key = progress_key(job)
    try:
        with _job_path(job) as path:
            report = import_apply(
                kind=job.kind,
                path=path,
                actor=job.created_by,
                language=job.language,
                progress=lambda report: cache_set(key, report.rows, PROGRESS_TIMEOUT),
                name=job.original_name,
            )
    except ImportRejected as rejected:
        _finish(job, ImportStatus.INVALID, report=rejected.report, message=str(rejected))
        return job
    except ImportFileError as error:
        _finish(job, ImportStatus.INVALID, message=str(error))
        return job
    except DatabaseError:
        logger.exception("Import %s was refused by the database", job.pk)
        _finish(
            job,
            ImportStatus.FAILED,
            message=gettext(
                "The database refused the import, perhaps because someone changed the same "
                "records meanwhile. Nothing was written; upload the file again to check it."
            ),
        )
        return job
    except Exception:
        logger.exception("Import %s could not be applied", job.pk)
        _finish(job, ImportStatus.FAILED, message=_failure_message())
        return job
    finally:
        cache_delete(key)
    _finish(job, ImportStatus.DONE, report=report, applied_at=timezone.now())
    return job


def import_apply(
    *, kind: str, path, actor, language: str, progress: Progress | None = None, name: str = ""
) -> Report:
    """Check and write the file at ``path`` as ``actor``, in one transaction, with one
    ``imported`` audit event when something changed. Raises ImportRejected (nothing written)
    when a row is bad, ImportFileError when the file cannot be read; database errors roll
    everything back and propagate."""
    with transaction.atomic():
        report = import_run(
            kind=kind, path=path, user=actor, language=language, write=True, progress=progress
        )
        if report.error_count:
            raise ImportRejected(report)
        if report.changes:
            audit_record(
                actor=actor,
                action=AuditAction.IMPORTED,
                summary=(
                    f"{kind}: {report.to_create} created, {report.to_update} updated, "
                    f"{report.unchanged} unchanged, {report.rows} rows"
                    + (f" ({name})" if name else "")
                )[:1000],
            )
    return report


def progress_key(job: ImportJob) -> str:
    return f"imports:apply-progress:{job.pk}"


def import_job_progress(job: ImportJob) -> tuple[int, int]:
    """Rows processed and rows in the file, for the progress bar."""
    processed = job.processed_rows
    if job.status == ImportStatus.APPLYING:
        processed = cache_get(progress_key(job), 0)
    return min(processed, job.total_rows), job.total_rows


# Helpers --------------------------------------------------------------------------------------


def _progress_saver(job: ImportJob) -> Progress:
    def save(report: Report) -> None:
        total = max(report.estimated_rows, report.rows)
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=report.rows, total_rows=total)

    return save


def _finish(
    job: ImportJob,
    status: str,
    *,
    report: Report | None = None,
    message: str = "",
    **timestamps,
) -> None:
    job.status = status
    job.message = str(message)
    fields = ["status", "message", "updated_at", *timestamps]
    for name, value in timestamps.items():
        setattr(job, name, value)
    if report is not None:
        job.total_rows = job.processed_rows = report.rows
        job.to_create, job.to_update, job.unchanged = (
            report.to_create,
            report.to_update,
            report.unchanged,
        )
        job.error_count, job.errors, job.sample = report.error_count, report.errors, report.sample
        fields += [
            "total_rows",
            "processed_rows",
            "to_create",
            "to_update",
            "unchanged",
            "error_count",
            "errors",
            "sample",
        ]
    if status != ImportStatus.READY and job.file:
        name, storage = job.file.name, job.file.storage
        job.file = ""
        fields.append("file")
        transaction.on_commit(lambda: storage.delete(name))
    job.save(update_fields=fields)


def _failure_message() -> str:
    return gettext("Something went wrong while reading the file. Nothing was written.")


def _estimated_rows(job: ImportJob) -> int:
    from desadevisa.imports.reading import table_open

    try:
        with _job_path(job) as path, table_open(path) as table:
            return table.estimated_rows
    except ImportFileError:
        return 0


@contextmanager
def _local_copy(upload: UploadedFile) -> Iterator[str]:
    if hasattr(upload, "temporary_file_path"):
        yield upload.temporary_file_path()
        return
    with tempfile.NamedTemporaryFile() as copy:
        upload.seek(0)
        for chunk in upload.chunks():
            copy.write(chunk)
        copy.flush()
        yield copy.name


@contextmanager
def _job_path(job: ImportJob) -> Iterator[str]:
    try:
        path = job.file.path
    except NotImplementedError:
        path = None
    if path is not None:
        yield path
        return
    with tempfile.NamedTemporaryFile() as copy, job.file.open("rb") as stored:
        shutil.copyfileobj(stored, copy)
        copy.flush()
        yield copy.name
